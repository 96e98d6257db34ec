# A helper in the same `try` still raises requests' errors: the except clauses stay.
import httpx
import requests

from app.control_plane import reclaim_or_default


async def refresh_license(tenant_id, token):
    try:
        if token:
            async with httpx.AsyncClient(follow_redirects=True) as client:
                r = await client.post(
                    "https://control.example.com/refresh",
                    json={"token": token},
                    timeout=10,
                )  # AF102
            r.raise_for_status()
            data = r.json()
        else:
            data = reclaim_or_default(tenant_id)  # AF108
    except (requests.HTTPError, httpx.HTTPStatusError) as e:
        raise RuntimeError(f"control plane refused: {e}")
    except (requests.RequestException, httpx.HTTPError):
        raise RuntimeError("control plane unreachable")
    return data


async def ping(token):
    try:
        async with httpx.AsyncClient(follow_redirects=True) as client:
            r = await client.get(
                "https://control.example.com/ping", params={"t": token}, timeout=5
            )  # AF102
        r.raise_for_status()
    except httpx.HTTPError:
        return False
    return True

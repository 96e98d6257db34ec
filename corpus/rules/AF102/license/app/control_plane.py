import requests

CONTROL_PLANE = "https://control.example.com"


def reclaim_license(tenant_id):
    r = requests.get(f"{CONTROL_PLANE}/licenses/{tenant_id}", timeout=10)
    r.raise_for_status()
    return r.json()


def reclaim_or_default(tenant_id):
    return reclaim_license(tenant_id) or {"seats": 1}

import requests

from ..config import WEATHER_API


async def current_weather(city: str) -> dict:
    response = requests.get(f"{WEATHER_API}/current/{city}", timeout=5)
    response.raise_for_status()
    return response.json()


async def forecast(city: str, days: int = 3) -> dict:
    try:
        response = requests.get(f"{WEATHER_API}/forecast/{city}", params={"days": days})
        return response.json()
    except requests.exceptions.Timeout:
        return {"error": "timeout"}

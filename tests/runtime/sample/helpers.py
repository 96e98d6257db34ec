import requests


def slow_fetch(url):
    return requests.get(url, timeout=5).json()

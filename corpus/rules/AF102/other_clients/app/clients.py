# Sync HTTP clients made once and shared (issue 16, idiom 8).
import httpx2
import urllib3

pool = urllib3.PoolManager(num_pools=4)
client = httpx2.Client(base_url="https://api.example.com")
async_client = httpx2.AsyncClient(base_url="https://api.example.com")

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def headers(customer):
    return {"x-customer-id": str(customer["id"])}


def test_health(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_catalog_is_seeded_at_startup(client):
    products = client.get("/products").json()
    assert [p["sku"] for p in products] == ["BAG-01", "MUG-01", "TEE-01"]


def test_register_twice_conflicts(client, customer):
    r = client.post("/customers", json={"name": "Ada", "email": "ada@example.com"})
    assert r.status_code == 409


def test_unknown_customer_is_refused(client):
    r = client.get("/orders", headers={"x-customer-id": "999"})
    assert r.status_code == 401


def test_place_read_list_and_cancel_an_order(client, customer):
    r = client.post(
        "/orders",
        json={"lines": [{"sku": "MUG-01", "quantity": 10}, {"sku": "TEE-01", "quantity": 1}]},
        headers=headers(customer),
    )
    assert r.status_code == 201, r.text
    order = r.json()
    # 10 mugs at the bulk price (9.50 * 0.90 = 8.55) and one tee.
    assert Decimal(str(order["total"])) == Decimal("103.50")
    assert sorted(i["product"]["sku"] for i in order["items"]) == ["MUG-01", "TEE-01"]

    again = client.get(f"/orders/{order['id']}").json()
    assert again["items"][0]["product"]["title"] in ("Enamel mug", "Cotton tee")
    assert Decimal(str(again["total"])) == Decimal("103.50")

    mine = client.get("/orders", headers=headers(customer)).json()
    assert [o["id"] for o in mine][:1] == [order["id"]]

    stock = {p["sku"]: p["stock"] for p in client.get("/products").json()}
    assert stock["MUG-01"] == 30

    assert client.delete(f"/orders/{order['id']}", headers=headers(customer)).status_code == 204
    assert client.get(f"/orders/{order['id']}").status_code == 404
    stock = {p["sku"]: p["stock"] for p in client.get("/products").json()}
    assert stock["MUG-01"] == 40


def test_out_of_stock_and_unknown_product(client, customer):
    r = client.post("/orders", json={"lines": [{"sku": "BAG-01", "quantity": 6}]}, headers=headers(customer))
    assert r.status_code == 409
    r = client.post("/orders", json={"lines": [{"sku": "NOPE", "quantity": 1}]}, headers=headers(customer))
    assert r.status_code == 404


def test_command_line(client, database_url):
    env = dict(os.environ, SHOP_DATABASE_URL=database_url)
    out = subprocess.run([sys.executable, "-m", "shop.cli", "stock", "TEE-01"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "TEE-01"
    out = subprocess.run([sys.executable, "-m", "shop.cli", "stock", "NOPE"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "no product NOPE" in out.stderr

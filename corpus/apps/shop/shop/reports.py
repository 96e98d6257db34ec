"""A nightly CSV export, run on a background thread (a sync caller of the data layer)."""
import csv
import threading

from .database import SessionLocal
from .repositories import OrderRepository


def export_open_orders(path: str) -> int:
    with SessionLocal() as session:
        orders = OrderRepository(session).open_orders()
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["order", "customer", "total"])
            for order in orders:
                writer.writerow([order.id, order.customer_id, order.total])
        return len(orders)


def start_exporter(path: str) -> threading.Thread:
    thread = threading.Thread(target=export_open_orders, args=(path,), daemon=True)
    thread.start()
    return thread

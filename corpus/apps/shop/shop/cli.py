"""python -m shop.cli seed|stock SKU: maintenance from the command line."""
import sys

from .database import SessionLocal
from .repositories import ProductRepository
from .services import catalog


def run(argv) -> int:
    with SessionLocal() as session:
        if argv[:1] == ["seed"]:
            print(f"seeded {catalog.seed(session)} products")
            return 0
        if argv[:1] == ["stock"] and len(argv) == 2:
            product = ProductRepository(session).by_sku(argv[1])
            if product is None:
                print(f"no product {argv[1]}", file=sys.stderr)
                return 1
            print(f"{product.sku} {product.stock}")
            return 0
    print(__doc__, file=sys.stderr)
    return 2


def main() -> int:
    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_url: str = os.environ.get("SHOP_DATABASE_URL", "sqlite:///./shop.db")
    currency: str = "EUR"


settings = Settings()

import os

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./demo.db")
WEATHER_API = os.environ.get("WEATHER_API", "https://api.weather.example.com")
POSTGRES_DSN = os.environ.get("POSTGRES_DSN", "postgresql://app@localhost/app")
REPORT_DIR = os.environ.get("REPORT_DIR", "/var/lib/demo/reports")

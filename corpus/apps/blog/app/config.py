import os

DATABASE_URL = os.environ.get("BLOG_DATABASE_URL", "sqlite:///./blog.db")
PAGE_SIZE = 20

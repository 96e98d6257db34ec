# Sync clients held at module level (issue 16, idiom 8): making a redis or pymongo client does
# not block (it connects when first used); the connections are opened at import time.
import sqlite3

import psycopg2
import pymongo
import redis
import redis.asyncio
from motor.motor_asyncio import AsyncIOMotorClient

pg = psycopg2.connect("dbname=app")
lite = sqlite3.connect("app.db")
cache = redis.Redis(host="localhost")
async_cache = redis.asyncio.Redis(host="localhost")
mongo = pymongo.MongoClient("mongodb://localhost")
users = mongo["app"]["users"]
async_users = AsyncIOMotorClient("mongodb://localhost")["app"]["users"]

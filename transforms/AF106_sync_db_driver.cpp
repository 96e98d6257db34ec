// AF106 sync-db-driver: sync database drivers and sync SQLAlchemy sessions inside `async def`.
#include "engine/source/triggers.h"
#include "engine/rule/context.h"
#include "transforms/blocking_rule.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

namespace {

RuleInfo make_info() {
  RuleInfo i;
  i.id = "AF106";
  i.name = "sync-db-driver";
  i.severity = Severity::P1;
  i.message = "sync database call blocks the event loop inside `async def`";
  i.fixable = false;
  i.triggers = {"sqlite3", "psycopg", "pymysql", "MySQLdb", "mysql", "redis", "pymongo", "Session", "sessionmaker",
                "Depends", "engine"};
  i.required_triggers = {kAsyncDefTrigger};  // only fires inside `async def`
  i.origin = "built-in";
  i.docs.what_it_does =
      "Checks for sync database drivers used inside `async def` (`sqlite3.connect`, `psycopg2.connect`, "
      "`pymysql.connect`, `redis.Redis`, `pymongo.MongoClient`) and for calls on a sync SQLAlchemy "
      "`Session` or `Engine` (`db.query(...)`, `db.execute(...)`, `db.commit()`), where the session is "
      "known from an annotation (`db: Session`), a `Depends(get_db)` parameter, a session factory "
      "(`SessionLocal()`), or an attribute set in `__init__`.";
  i.docs.why_bad =
      "A sync driver waits for the database on the event loop's thread: while one query runs, "
      "no other request is served. Under load the service's latency becomes the sum of every "
      "request's queries.";
  i.docs.example =
      "```python\n@router.get(\"/users\")\nasync def list_users(db: Session = Depends(get_db)):\n"
      "    return db.query(User).all()\n```";
  i.docs.use_instead =
      "```python\n@router.get(\"/users\")\nasync def list_users(db: AsyncSession = Depends(get_db)):\n"
      "    return (await db.scalars(select(User))).all()\n```";
  i.docs.fix_safety =
      "There is no local fix: moving to an async driver changes the connection setup, the session "
      "factory, the dependencies and every caller. The finding names the async driver to use "
      "(aiosqlite, asyncpg, aiomysql, redis.asyncio, motor). For a SQLAlchemy + FastAPI app, "
      "`asyncfix migrate async-sqlalchemy` does the whole migration as one diff.";
  return i;
}

class SyncDbDriver : public BlockingCallRule {
 public:
  SyncDbDriver() : BlockingCallRule(make_info()) {}

 protected:
  std::string message(const BlockingHit& hit) const override {
    bool session = hit.api.rfind("sqlalchemy.", 0) == 0;
    if (session) {
      std::string method = hit.api.substr(hit.api.rfind('.') + 1);
      return "`." + method + "()` on a sync SQLAlchemy " + (hit.api.find("Engine") != std::string::npos ? "Engine" : "Session") +
             " blocks the event loop inside `async def`";
    }
    return "`" + hit.api + "()` is a sync database driver: it blocks the event loop inside `async def`";
  }
  void add_fix(TSNode, const BlockingHit& hit, FileContext&, Finding& f) const override {
    f.note = "use " + hit.alternative;
  }
};

}  // namespace

RulePtr make_sync_db_driver() { return std::make_shared<SyncDbDriver>(); }

}  // namespace asyncfix::rules

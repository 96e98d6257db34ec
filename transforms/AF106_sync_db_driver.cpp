// AF106 sync-db-driver: sync database drivers and sync SQLAlchemy sessions inside `async def`.
#include "engine/source/triggers.h"
#include "engine/rule/context.h"
#include "transforms/blocking_rule.h"
#include "transforms/registry.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

namespace {

RuleInfo make_info() {
  RuleInfo i = builtin_info("AF106");
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

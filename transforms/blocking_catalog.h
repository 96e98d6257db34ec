// The blocking APIs the AF1xx rules know: what blocks the event loop when called inside
// `async def`, which rule reports it, and what to use instead. One table, shared by the rules
// that report direct calls (AF102-AF107) and by the project index that finds blocking calls
// hidden in sync helpers (AF108).
#pragma once

#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule/settings.h"
#include "engine/project/project.h"

namespace asyncfix {
namespace semantic {
class SemanticModel;
class TypeOracle;
}  // namespace semantic

namespace rules {

struct BlockingHit {
  std::string api;          // "os.path.exists", "sqlalchemy.orm.Session.query", "pathlib.Path.read_text"
  std::string rule;         // "AF104"
  std::string alternative;  // "aiofiles.os.path.exists", "asyncpg", "" (use asyncio.to_thread)
};

// What a call blocks on, if anything: by the callee's qualified name through imports, or by
// the receiver's inferred type and the method (a sync SQLAlchemy session, an httpx.Client, a
// pathlib.Path). `settings` adds the configured extra blocking calls (AF107).
std::optional<BlockingHit> classify_blocking(TSNode call, const semantic::SemanticModel& model,
                                             const semantic::TypeOracle& types, const RuleSettings* settings);

// The last parts of the names a rule's APIs are called by ("exists", "query"): a query
// prefilter, so the rule only looks at calls that could be one of its own.
std::vector<std::string> blocking_call_names(std::string_view rule, const RuleSettings* settings = nullptr);

// For the project index: every catalogued blocking call, whatever the rule.
BlockingClassifier index_classifier(RuleSettings settings);

}  // namespace rules
}  // namespace asyncfix

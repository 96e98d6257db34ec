// What a rule is to the engine: metadata + the queries it wants matched + a check that turns
// matches into findings (each with an optional fix).
//
// A rule never walks the tree on its own for the common case: it registers node patterns
// (calls by name: MatcherRegistry::add_calls) or tree-sitter queries (or code patterns
// compiled to queries); the engine matches every enabled rule's node patterns in ONE walk of
// each file's node table, and their queries compiled into one query per run, calling
// on_match for each. Rules that reason about whole files (blocks of statements, a module's
// startup handlers) override check_file too. Rules are shared by all worker threads: they
// must be immutable after construction.
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/match/match.h"
#include "engine/rewrite/edit.h"
#include "engine/source/source_file.h"

namespace asyncfix {

class FileContext;
class ProjectIndex;
struct ProjectPlan;

enum class Severity { P1, P2, P3 };
const char* to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

// The rule's user documentation, in the sections users of Ruff know. Markdown.
struct RuleDocs {
  std::string what_it_does;
  std::string why_bad;
  std::string example;
  std::string use_instead;
  std::string fix_safety;
};

struct RuleInfo {
  std::string id;          // "AF101"
  std::string name;        // "blocking-sleep"
  Severity severity = Severity::P2;
  std::string message;     // default finding message
  std::string fix_title;   // "Replace with `await asyncio.sleep(...)`"
  Applicability applicability = Applicability::Safe;  // of its fix, when it has one
  bool fixable = false;    // does it ever offer a fix
  // Its fix is made only by this migration (`fixed-by: migrate async-sqlalchemy` in the
  // sidecar): `check` reports the finding without a fix.
  std::string fixed_by;
  // Its fix changes when code runs (a blocking call made async: `unsafe-in-tests: true` in
  // the sidecar): in a test file, which may block on purpose, the fix is unsafe.
  bool unsafe_in_tests = false;
  RuleDocs docs;
  // Literals a file must contain for the rule to possibly fire (any one of them). Empty:
  // the rule runs on every file. A space in a trigger matches any whitespace, none
  // included (engine/source/triggers.h): "async def", "query (".
  std::vector<std::string> triggers;
  // Literals a file must contain all of (e.g. kAsyncDefTrigger for rules that only fire
  // inside `async def`), on top of `triggers`.
  std::vector<std::string> required_triggers;
  std::string origin;      // "built-in", or the rule file's path
  // Runs whatever --select or `select` say, unless ignored by name (AF000: a file that does
  // not parse is reported by every run, as Ruff reports invalid syntax).
  bool always_selected = false;
};

struct Finding {
  std::string rule_id;
  std::string rule_name;
  Severity severity = Severity::P2;
  uint32_t begin = 0, end = 0;  // bytes in the text the rule saw
  Position start_pos, end_pos;
  std::string message;
  std::string note;             // extra line shown under the message
  std::vector<std::string> trace;  // e.g. a call path: handler -> helper -> requests.get
  std::optional<Fix> fix;
  // Identity that survives edits elsewhere in the file (for baselines): the rule, the text
  // of the finding's first line, and which occurrence of that pair it is.
  std::string fingerprint;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  virtual void register_matchers(MatcherRegistry& registry) const {}
  virtual void on_match(const Match& match, FileContext& ctx) const {}
  virtual void check_file(FileContext& ctx) const {}
  // The second prefilter, on the parsed tree, after the triggers let the file through: false
  // when the rule cannot fire in this tree (AF000 without a syntax error). A file in which no
  // rule may fire is done right after its parse.
  virtual bool may_fire(TSNode root, std::string_view text) const { return true; }
  // Does the rule read the project index (functions of other modules)?
  virtual bool needs_project() const { return false; }
  // Literals that make a file worth indexing for this rule (e.g. "async def"): the index starts
  // from those files and follows what they call.
  virtual std::vector<std::string> project_seeds() const { return {}; }
  // Called once per run after the index is built, before any file is checked: a whole-program
  // decision (which functions become async). The run keeps the plan for this rule alone and
  // hands it back in every file (FileContext::plan()); the index may load more modules for it.
  virtual std::shared_ptr<const ProjectPlan> prepare_project(ProjectIndex& index, int jobs) const {
    return nullptr;
  }
  // More literals that make a file worth checking, known once the project is planned (the
  // names of functions the plan makes async, say). `plan` is what prepare_project returned.
  virtual std::vector<std::string> project_triggers(const ProjectIndex& index, const ProjectPlan* plan) const {
    return {};
  }
  // The module-level names through which a file may reach, from another module, an object
  // the rule looks at by its type (`from app.deps import client`, an httpx.Client made in
  // deps.py, then `client.get(...)`): the file never writes the rule's triggers, but it
  // writes one of these, so they are triggers too (whole words). By default the names whose
  // type has one of the rule's triggers as a dotted part; a rule that matches only what the
  // file itself spells (a YAML rule) has none.
  virtual std::vector<std::string> typed_triggers(const ProjectIndex& index) const;
};

using RulePtr = std::shared_ptr<const Rule>;

}  // namespace asyncfix

// Rules as data: one YAML file per rule (patterns/AF204-get-event-loop.yml). Field names
// follow ast-grep where they mean the same thing (id, severity, message, note, rule,
// constraints, fix); ours add fix-title, applicability, imports, triggers, docs and tests.
// A C++ rule keeps its metadata in a sidecar of the same schema, without the logic.
// The language reference is docs/writing-rules.md. Unknown fields are errors; every error
// names file:line:col.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/expected.h"
#include "engine/rule/rule.h"

namespace asyncfix {

struct RuleTestCase {
  std::string code;
  std::optional<std::string> fixed;  // invalid cases: the expected result of every fix
  uint32_t line = 0;                 // where the case starts in the rule file
};

struct RuleTests {
  std::vector<RuleTestCase> valid;    // must not fire
  std::vector<RuleTestCase> invalid;  // must fire (and fix to `fixed` when given)
};

class YamlRule;

// A C++ rule's sidecar (transforms/AF102_blocking_http.yml): the fields of a rule file except
// its logic (no rule, constraints, fix, imports or note), in the same schema. A sidecar with
// a `fix-title` is of a rule that fixes.
struct RuleSidecar {
  RuleInfo info;
  RuleTests tests;
  std::string path, content;
};
Expected<RuleSidecar> load_sidecar_text(const std::string& path, std::string_view content);

// Loads a rule from the text of a rule file (`path` is for messages). Its RuleInfo::origin is
// `origin` ("built-in" for the embedded patterns/), or else the path.
Expected<std::shared_ptr<const YamlRule>> load_rule_text(const std::string& path, std::string_view content,
                                                         const std::string& origin = {});
// Loads a rule file from disk.
Expected<std::shared_ptr<const YamlRule>> load_rule_file(const std::string& path);
// Every *.yml / *.yaml in a directory, in name order. The first broken file is the error.
Expected<std::vector<std::shared_ptr<const YamlRule>>> load_rule_dir(const std::string& dir);

class YamlRule : public Rule {
 public:
  ~YamlRule() override;
  const RuleInfo& info() const override;
  void register_matchers(MatcherRegistry& registry) const override;
  void on_match(const Match& match, FileContext& ctx) const override;
  // A pattern, a query or a kind matches what the file spells (names are resolved through
  // its own imports), never an object typed in another module: its triggers are always in
  // the file where it matches.
  std::vector<std::string> typed_triggers(const ProjectIndex&) const override { return {}; }

  const RuleTests& tests() const;
  const std::string& path() const;
  const std::string& content() const;  // the file as loaded (for `test-rules --update`)

  struct Impl;
  explicit YamlRule(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace asyncfix

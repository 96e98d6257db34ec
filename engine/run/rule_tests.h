// A rule file's own tests (`tests: valid: / invalid:`), as `asyncfix test-rules` runs them:
// valid snippets must not fire (else Noisy), invalid ones must (else Missing), and an invalid
// case's `fixed:` must be what all fixes produce, unsafe ones included (else Wrong fix).
#pragma once

#include <string>
#include <vector>

#include "engine/yaml/yaml_rule.h"
#include "engine/rule/settings.h"

namespace asyncfix {

struct RuleTestProblem {
  enum class Kind { Missing, Noisy, WrongFix, Error } kind;
  uint32_t line = 0;   // of the case in the rule file
  std::string detail;  // what fired, or the diff of expected vs actual
};

struct RuleTestReport {
  std::string rule_id, rule_name, path;
  size_t valid = 0, invalid = 0;
  std::vector<RuleTestProblem> problems;
  std::vector<std::string> actual_fixed;  // per invalid case: what the fixes produced
  bool ok() const { return problems.empty(); }
};

RuleTestReport run_rule_tests(const YamlRule& rule, const RuleSettings& settings = {});

// The rule file's text with every invalid case written as `code:` + `fixed:` (the actual
// output), for `test-rules --update`. Cases whose rule has no fix keep their form.
std::string update_rule_file(const YamlRule& rule, const RuleTestReport& report);

const char* to_string(RuleTestProblem::Kind k);

}  // namespace asyncfix

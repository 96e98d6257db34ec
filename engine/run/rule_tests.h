// A rule's own tests (`tests: valid: / invalid:` of a rule file, or of a C++ rule's sidecar),
// as `asyncfix test-rules` runs them:
// valid snippets must not fire (else Noisy), invalid ones must (else Missing), and an invalid
// case's `fixed:` must be what all fixes produce, unsafe ones included (else Wrong fix).
#pragma once

#include <string>
#include <vector>

#include "engine/project/project.h"
#include "engine/rule/settings.h"
#include "engine/yaml/yaml_rule.h"

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

// A rule, its inline cases, and the file they are written in (a rule file or a sidecar).
struct RuleUnderTest {
  const Rule* rule = nullptr;
  const RuleTests* tests = nullptr;
  std::string path, content;
};
RuleUnderTest under_test(const YamlRule& rule);

// Runs each case as a file of its own. A rule that reads the project index (AF108, AF202...)
// gets one built over that file alone, with `classifier` saying which calls block.
RuleTestReport run_rule_tests(const RuleUnderTest& t, const RuleSettings& settings = {},
                              const BlockingClassifier& classifier = {});
inline RuleTestReport run_rule_tests(const YamlRule& rule, const RuleSettings& settings = {}) {
  return run_rule_tests(under_test(rule), settings);
}

// The file's text with every invalid case written as `code:` + `fixed:` (the actual output),
// for `test-rules --update`. Cases whose rule has no fix keep their form.
std::string update_rule_file(const RuleUnderTest& t, const RuleTestReport& report);
inline std::string update_rule_file(const YamlRule& rule, const RuleTestReport& report) {
  return update_rule_file(under_test(rule), report);
}

const char* to_string(RuleTestProblem::Kind k);

}  // namespace asyncfix

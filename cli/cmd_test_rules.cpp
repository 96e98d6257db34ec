// asyncfix test-rules [DIR...] [--update]: runs every rule's own valid/invalid cases: the
// built-in rules (patterns/*.yml and the C++ rules' sidecars, transforms/*.yml) or the rule
// files of DIR.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/options.h"
#include "engine/run/rule_tests.h"
#include "engine/yaml/yaml_rule.h"
#include "engine/run/write.h"
#include "transforms/blocking_catalog.h"
#include "transforms/registry.h"

namespace asyncfix::cli {

int run_test_rules(const TestRulesOptions& o) {
  std::vector<std::shared_ptr<const YamlRule>> rules;
  if (o.dirs.empty()) {
    for (const auto& f : rules::embedded_patterns()) {
      auto r = load_rule_text(std::string(f.path), f.content);
      if (!r) {
        fmt::print(stderr, "asyncfix: error: {}\n", r.error().to_string());
        return 2;
      }
      rules.push_back(std::move(r).value());
    }
  }
  for (const auto& d : o.dirs) {
    auto loaded = std::filesystem::is_directory(d) ? load_rule_dir(d)
                                                   : [&]() -> Expected<std::vector<std::shared_ptr<const YamlRule>>> {
                                                       auto one = load_rule_file(d);
                                                       if (!one) return one.error();
                                                       return std::vector<std::shared_ptr<const YamlRule>>{*one};
                                                     }();
    if (!loaded) {
      fmt::print(stderr, "asyncfix: error: {}\n", loaded.error().to_string());
      return 2;
    }
    rules.insert(rules.end(), loaded->begin(), loaded->end());
  }

  std::vector<RuleUnderTest> subjects;
  for (const auto& r : rules) subjects.push_back(under_test(*r));
  std::vector<RulePtr> transforms;
  RuleSettings settings;
  if (o.dirs.empty()) {
    transforms = rules::builtin_transforms(settings);
    for (const auto& t : transforms) {
      const RuleSidecar& sc = rules::builtin_sidecar(t->info().id);
      subjects.push_back({t.get(), &sc.tests, sc.path, sc.content});
    }
    std::stable_sort(subjects.begin(), subjects.end(), [](const RuleUnderTest& a, const RuleUnderTest& b) {
      return a.rule->info().id < b.rule->info().id;
    });
  }
  BlockingClassifier classifier = rules::index_classifier(settings);

  size_t failed = 0, cases = 0, updated = 0;
  for (const RuleUnderTest& r : subjects) {
    RuleTestReport rep = run_rule_tests(r, settings, classifier);
    cases += rep.valid + rep.invalid;
    bool wrong_fix_only = std::all_of(rep.problems.begin(), rep.problems.end(),
                                      [](const RuleTestProblem& p) { return p.kind == RuleTestProblem::Kind::WrongFix; });
    if (o.update && r.rule->info().fixable && wrong_fix_only) {
      std::string text = update_rule_file(r, rep);
      if (text != r.content) {
        auto st = write_file_atomically(r.path, text, r.content);
        if (!st) {
          fmt::print(stderr, "asyncfix: error: {}\n", st.error().to_string());
          return 2;
        }
        ++updated;
        fmt::print("{} {}: expected fixes updated in {}\n", rep.rule_id, rep.rule_name, r.path);
        continue;
      }
    }
    if (rep.ok()) {
      fmt::print("{} {}: ok ({} valid, {} invalid)\n", rep.rule_id, rep.rule_name, rep.valid, rep.invalid);
      continue;
    }
    ++failed;
    fmt::print("{} {}: FAILED\n", rep.rule_id, rep.rule_name);
    for (const auto& p : rep.problems) {
      fmt::print("  {}: {}:{}: {}\n", to_string(p.kind), rep.path, p.line,
                 p.kind == RuleTestProblem::Kind::WrongFix ? "the fixed output differs" : p.detail);
      if (p.kind == RuleTestProblem::Kind::WrongFix) {
        std::string d = p.detail;
        size_t at = 0;
        while (at < d.size()) {
          size_t e = d.find('\n', at);
          if (e == std::string::npos) e = d.size();
          fmt::print("    {}\n", d.substr(at, e - at));
          at = e + 1;
        }
      }
    }
  }
  fmt::print("{} rules, {} cases: {}{}\n", subjects.size(), cases, failed ? std::to_string(failed) + " failed" : "all passed",
             updated ? fmt::format(" ({} updated)", updated) : "");
  if (failed && !o.update) fmt::print("Run with --update to rewrite the expected fixes, then review the diff.\n");
  return failed ? 1 : 0;
}

}  // namespace asyncfix::cli

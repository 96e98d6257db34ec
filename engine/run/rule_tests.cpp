#include "engine/run/rule_tests.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "engine/diff/unified.h"
#include "engine/run/pipeline.h"
#include "engine/run/runner.h"

namespace asyncfix {

const char* to_string(RuleTestProblem::Kind k) {
  switch (k) {
    case RuleTestProblem::Kind::Missing: return "Missing";
    case RuleTestProblem::Kind::Noisy: return "Noisy";
    case RuleTestProblem::Kind::WrongFix: return "Wrong fix";
    case RuleTestProblem::Kind::Error: return "Error";
  }
  return "?";
}

RuleUnderTest under_test(const YamlRule& rule) { return {&rule, &rule.tests(), rule.path(), rule.content()}; }

namespace {

// One case through the pipeline, as a file of its own; with a project index over that file
// when the rule reads one.
class CaseRunner {
 public:
  CaseRunner(Engine& engine, const std::string& path, const BlockingClassifier& classifier)
      : engine_(engine), path_(path), classifier_(classifier) {
    fo_.fix_mode = FixMode::Unsafe;
  }
  ~CaseRunner() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::optional<FileResult> run(const RuleTestCase& c) {
    auto src = SourceFile::from_bytes(path_ + ":" + std::to_string(c.line), c.code);
    if (!src) return std::nullopt;
    std::unique_ptr<ProjectIndex> project;
    if (engine_.needs_project() && classifier_) project = index_of(c.code);
    fo_.module_name = project ? "case" : "";
    return engine_.process(*src, fo_, parser_, project.get());
  }

 private:
  // The index of a project whose one module, `case`, holds the code.
  std::unique_ptr<ProjectIndex> index_of(const std::string& code) {
    if (dir_.empty()) {
      std::string tmpl = (std::filesystem::temp_directory_path() / "asyncfix-rule-test-XXXXXX").string();
      if (!mkdtemp(tmpl.data())) return nullptr;
      dir_ = tmpl;
    }
    std::string file = dir_ + "/case.py";
    std::ofstream(file, std::ios::binary | std::ios::trunc) << code;
    return prepare_project(engine_, {DiscoveredFile{file, "case", false}}, classifier_, 1);
  }

  Engine& engine_;
  std::string path_;
  const BlockingClassifier& classifier_;
  syntax::Parser parser_;
  FileOptions fo_;
  std::string dir_;
};

}  // namespace

RuleTestReport run_rule_tests(const RuleUnderTest& t, const RuleSettings& settings, const BlockingClassifier& classifier) {
  RuleTestReport rep;
  const Rule& rule = *t.rule;
  rep.rule_id = rule.info().id;
  rep.rule_name = rule.info().name;
  rep.path = t.path;
  RulePtr self(std::shared_ptr<const Rule>(), &rule);  // non-owning: the caller owns the rule
  auto engine = Engine::create({self}, settings);
  if (!engine) {
    rep.problems.push_back({RuleTestProblem::Kind::Error, 0, engine.error().to_string()});
    return rep;
  }
  CaseRunner runner(**engine, rep.path, classifier);
  auto run = [&](const RuleTestCase& c) { return runner.run(c); };
  for (const RuleTestCase& c : t.tests->valid) {
    ++rep.valid;
    auto r = run(c);
    if (!r || r->error) {
      rep.problems.push_back({RuleTestProblem::Kind::Error, c.line, "the case cannot be read or parsed"});
      continue;
    }
    for (const Finding& f : r->findings) {
      rep.problems.push_back({RuleTestProblem::Kind::Noisy, c.line,
                              "fired at " + std::to_string(f.start_pos.line) + ":" + std::to_string(f.start_pos.col) +
                                  ": " + f.message});
    }
  }
  for (const RuleTestCase& c : t.tests->invalid) {
    ++rep.invalid;
    auto r = run(c);
    if (!r || r->error) {
      rep.problems.push_back({RuleTestProblem::Kind::Error, c.line, "the case cannot be read or parsed"});
      rep.actual_fixed.push_back(c.code);
      continue;
    }
    rep.actual_fixed.push_back(r->fixed);
    if (r->findings.empty()) {
      rep.problems.push_back({RuleTestProblem::Kind::Missing, c.line, "did not fire"});
      continue;
    }
    for (const Note& n : r->notes) {
      if (n.internal_error) rep.problems.push_back({RuleTestProblem::Kind::Error, c.line, n.message});
    }
    if (c.fixed && r->fixed != *c.fixed) {
      rep.problems.push_back({RuleTestProblem::Kind::WrongFix, c.line,
                              unified_diff(*c.fixed, r->fixed, "expected", "actual")});
    }
  }
  return rep;
}

namespace {

std::vector<std::string> split_keep(const std::string& s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b < s.size()) {
    size_t e = s.find('\n', b);
    e = e == std::string::npos ? s.size() : e + 1;
    out.push_back(s.substr(b, e - b));
    b = e;
  }
  return out;
}

size_t indent_of(const std::string& line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string block(const std::string& key, const std::string& text, const std::string& pad) {
  std::string out = key + (text.empty() || text.back() == '\n' ? ": |\n" : ": |-\n");
  for (const std::string& l : split_keep(text)) {
    out += (l == "\n" ? "" : pad) + l;
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace

std::string update_rule_file(const RuleUnderTest& t, const RuleTestReport& report) {
  if (!t.rule->info().fixable) return t.content;
  std::vector<std::string> lines = split_keep(t.content);
  // Each invalid case starts on its line (after "- "); rewrite from the last one backwards so
  // earlier line numbers stay valid.
  const auto& cases = t.tests->invalid;
  for (size_t k = cases.size(); k-- > 0;) {
    if (k >= report.actual_fixed.size()) continue;
    // The "- " line of the case: the line of its code, or above it for `- code: |`.
    size_t first = cases[k].line - 1;
    while (first > 0 && lines[first].find("- ") == std::string::npos) --first;
    size_t dash = lines[first].find("- ");
    size_t end = first + 1;
    while (end < lines.size() && (blank(lines[end]) || indent_of(lines[end]) > dash)) ++end;
    while (end > first + 1 && blank(lines[end - 1])) --end;
    std::string item_pad(dash, ' ');
    std::string pad(dash + 4, ' ');
    std::string text = item_pad + "- " + block("code", cases[k].code, pad);
    text += item_pad + "  " + block("fixed", report.actual_fixed[k], pad);
    std::vector<std::string> repl = split_keep(text);
    lines.erase(lines.begin() + static_cast<long>(first), lines.begin() + static_cast<long>(end));
    lines.insert(lines.begin() + static_cast<long>(first), repl.begin(), repl.end());
  }
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

}  // namespace asyncfix

#include "engine/run/rule_tests.h"

#include <algorithm>

#include "engine/diff/unified.h"
#include "engine/run/pipeline.h"

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

RuleTestReport run_rule_tests(const YamlRule& rule, const RuleSettings& settings) {
  RuleTestReport rep;
  rep.rule_id = rule.info().id;
  rep.rule_name = rule.info().name;
  rep.path = rule.path();
  RulePtr self(std::shared_ptr<const Rule>(), &rule);  // non-owning: the caller owns the rule
  auto engine = Engine::create({self}, settings);
  if (!engine) {
    rep.problems.push_back({RuleTestProblem::Kind::Error, 0, engine.error().to_string()});
    return rep;
  }
  syntax::Parser parser;
  FileOptions fo;
  fo.fix_mode = FixMode::Unsafe;
  auto run = [&](const RuleTestCase& c) -> std::optional<FileResult> {
    auto src = SourceFile::from_bytes(rep.path + ":" + std::to_string(c.line), c.code);
    if (!src) return std::nullopt;
    return (*engine)->process(*src, fo, parser);
  };
  for (const RuleTestCase& c : rule.tests().valid) {
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
  for (const RuleTestCase& c : rule.tests().invalid) {
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

std::string update_rule_file(const YamlRule& rule, const RuleTestReport& report) {
  if (!rule.info().fixable) return rule.content();
  std::vector<std::string> lines = split_keep(rule.content());
  // Each invalid case starts on its line (after "- "); rewrite from the last one backwards so
  // earlier line numbers stay valid.
  const auto& cases = rule.tests().invalid;
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

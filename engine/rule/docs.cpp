#include "engine/rule/docs.h"

namespace asyncfix {

std::string render_rule_markdown(const RuleInfo& i) {
  std::string out = "# " + i.id + " " + i.name + "\n\n";
  out += "Severity: **" + std::string(to_string(i.severity)) + "**";
  out += " · Fix: ";
  out += i.fixable ? std::string(to_string(i.applicability)) : "none (detection only)";
  if (i.fixable && !i.fixed_by.empty()) out += ", by `asyncfix " + i.fixed_by + "` only (`check` reports it without a fix)";
  if (i.fixable && i.unsafe_in_tests)
    out += "; unsafe in test files (`test_*.py`, `*_test.py`, `conftest.py`, under `tests/`), which may block on purpose; "
           "none where a comment on or right above the line says it is on purpose";
  out += "\n\n";
  auto section = [&](const char* title, const std::string& body) {
    if (body.empty()) return;
    out += "## ";
    out += title;
    out += "\n\n" + body;
    if (body.back() != '\n') out += "\n";
    out += "\n";
  };
  section("What it does", i.docs.what_it_does);
  section("Why is this bad?", i.docs.why_bad);
  section("Example", i.docs.example);
  section("Use instead", i.docs.use_instead);
  section("Fix safety", i.docs.fix_safety);
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace asyncfix

#include "engine/run/suppress.h"

#include <re2/re2.h>

#include <tuple>
#include <utility>

#include "engine/syntax/node.h"

namespace asyncfix {

namespace {

std::vector<std::string> split_codes(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// A code names a rule by id, id prefix (AF1) or name (blocking-sleep).
bool code_covers(const std::string& code, const Finding& f) {
  return f.rule_id.rfind(code, 0) == 0 || code == f.rule_name;
}

// Where the directive found at `at` (the offset of `asyncfix:` or `noqa` in the comment) runs:
// from the `#` that opens it to the `#` of a comment that follows it, or the end.
std::pair<uint32_t, uint32_t> directive_span(std::string_view comment, size_t at) {
  size_t b = comment.rfind('#', at);
  if (b == std::string_view::npos) b = 0;
  size_t e = comment.size();
  for (size_t i = at; i + 1 < comment.size(); ++i) {
    if ((comment[i] == ' ' || comment[i] == '\t') && comment[i + 1] == '#') {
      e = i + 1;
      while (e > at && (comment[e - 1] == ' ' || comment[e - 1] == '\t')) --e;
      break;
    }
  }
  return {static_cast<uint32_t>(b), static_cast<uint32_t>(e)};
}

// The offset of `noqa` (any case) where the noqa pattern matched it: after a space or `#`.
size_t noqa_at(std::string_view t) {
  for (size_t i = 0; i + 4 <= t.size(); ++i) {
    if ((t[i] | 0x20) == 'n' && (t[i + 1] | 0x20) == 'o' && (t[i + 2] | 0x20) == 'q' && (t[i + 3] | 0x20) == 'a' &&
        (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '#'))
      return i;
  }
  return 0;
}

}  // namespace

bool may_hold_suppressions(std::string_view all) {
  bool any = all.find("asyncfix") != std::string_view::npos;
  for (size_t i = all.find_first_of("nN"); !any && i != std::string_view::npos; i = all.find_first_of("nN", i + 1)) {
    any = i + 4 <= all.size() && (all[i + 1] | 0x20) == 'o' && (all[i + 2] | 0x20) == 'q' && (all[i + 3] | 0x20) == 'a';
  }
  return any;
}

std::vector<Suppression> parse_suppressions(TSNode root, const SourceFile& src) {
  // `# asyncfix: ignore`, `# asyncfix: ignore[AF101, AF2]`, `# asyncfix: ignore-file`,
  // `# noqa`, `# noqa: AF101, E501` (anywhere in a comment, as tools do: `# type: x  # noqa`).
  static const RE2 kAsyncfix(R"(asyncfix:\s*ignore(-file)?(?:\[([^\]]*)\])?)");
  static const RE2 kNoqa(R"((?i)(?:^|[\s#])noqa(?::\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?)");
  std::vector<Suppression> out;
  // Most files have none: do not walk the tree for them.
  if (!may_hold_suppressions(src.text())) return out;
  syntax::walk(root, [&](TSNode n) {
    if (syntax::kind(n) != "comment") return true;
    std::string_view t = syntax::text(n, src.text());
    re2::StringPiece in(t.data(), t.size());
    std::string file_flag, codes;
    Suppression s;
    s.begin = syntax::start(n);
    s.end = syntax::end(n);
    s.line = src.position(s.begin).line;
    if (RE2::PartialMatch(in, kAsyncfix, &file_flag, &codes)) {
      s.file = !file_flag.empty();
      s.codes = split_codes(codes);
      s.all = s.codes.empty();
      std::tie(s.directive_begin, s.directive_end) = directive_span(t, t.find("asyncfix:"));
    } else if (RE2::PartialMatch(in, kNoqa, &codes)) {
      s.noqa = true;
      for (auto& c : split_codes(codes)) (c.rfind("AF", 0) == 0 ? s.codes : s.others).push_back(c);
      s.all = s.codes.empty() && s.others.empty();
      if (s.codes.empty() && !s.all) return true;  // another tool's codes only
      std::tie(s.directive_begin, s.directive_end) = directive_span(t, noqa_at(t));
    } else {
      return true;
    }
    s.used.assign(s.codes.size(), false);
    out.push_back(std::move(s));
    return true;
  });
  return out;
}

void apply_suppressions(std::vector<Suppression>& sups, std::vector<Finding>& findings) {
  if (sups.empty()) return;
  std::vector<Finding> kept;
  for (Finding& f : findings) {
    bool suppressed = false;
    for (Suppression& s : sups) {
      if (!s.file && s.line != f.start_pos.line && s.line != f.end_pos.line) continue;
      if (s.all) {
        s.used_all = true;
        suppressed = true;
        continue;
      }
      for (size_t i = 0; i < s.codes.size(); ++i) {
        if (code_covers(s.codes[i], f)) {
          s.used[i] = true;
          suppressed = true;
        }
      }
    }
    if (!suppressed) kept.push_back(std::move(f));
  }
  findings = std::move(kept);
}

// Removes the directive and only it: the whole comment (and the spaces before it when code
// precedes it; the line when it stands alone) when the comment is the directive; else the
// directive's part, so `# type: ignore  # noqa: AF101` keeps `# type: ignore` and
// `# noqa: AF101  # why` keeps `# why`.
Fix removal_fix(const Suppression& s, std::string_view t) {
  Fix fix;
  fix.title = "Remove the suppression comment";
  uint32_t db = s.begin + s.directive_begin, de = s.begin + s.directive_end;
  if (s.directive_begin > 0) {  // another comment before it: remove the spaces between them too
    while (db > s.begin && (t[db - 1] == ' ' || t[db - 1] == '\t')) --db;
    fix.edits.push_back(Edit{db, de, ""});
    return fix;
  }
  if (de < s.end) {  // a comment after it: it starts the comment now
    uint32_t e = de;
    while (e < s.end && (t[e] == ' ' || t[e] == '\t')) ++e;
    fix.edits.push_back(Edit{s.begin, e, ""});
    return fix;
  }
  uint32_t b = s.begin;
  while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t')) --b;
  bool own_line = b == 0 || t[b - 1] == '\n';
  uint32_t e = s.end;
  if (own_line) {
    if (e < t.size() && t[e] == '\r') ++e;
    if (e < t.size() && t[e] == '\n') ++e;
  }
  fix.edits.push_back(Edit{b, e, ""});
  return fix;
}

std::vector<Finding> unused_suppressions(const std::vector<Suppression>& sups, const SourceFile& src) {
  std::vector<Finding> out;
  std::string_view t = src.text();
  for (const Suppression& s : sups) {
    if (s.noqa && s.all) continue;
    std::vector<std::string> unused;
    for (size_t i = 0; i < s.codes.size(); ++i) {
      if (!s.used[i]) unused.push_back(s.codes[i]);
    }
    bool nothing = s.all ? !s.used_all : unused.size() == s.codes.size();
    if (!nothing && unused.empty()) continue;
    Finding f;
    f.rule_id = "AF001";
    f.rule_name = "unused-suppression";
    f.severity = Severity::P3;
    f.begin = s.begin;
    f.end = s.end;
    f.start_pos = src.position(s.begin);
    f.end_pos = src.position(s.end);
    std::string what;
    for (const auto& c : unused) what += (what.empty() ? "" : ", ") + c;
    f.message = s.all ? "this suppression comment suppresses nothing"
                      : "suppression of " + what + " suppresses nothing here";
    if (nothing && s.others.empty()) f.fix = removal_fix(s, t);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace asyncfix

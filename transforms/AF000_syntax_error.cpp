// AF000 syntax-error: code that does not parse, reported where it stops parsing (as Ruff's
// invalid-syntax). tree-sitter recovers from the error and the other rules still check the
// rest of the file; fixes that touch the broken code are not applied.
//
//   async def f(:          ->  a.py:1:13: AF000 [P1] syntax error: unexpected `:`
//   def g(x                ->  a.py:1:8: AF000 [P1] syntax error: `)` expected
//
// and code that parses but that Python refuses to compile (engine/syntax/compile_check.h):
//
//   async def rows():
//       yield 1
//       return 2           ->  a.py:3:5: AF000 [P1] syntax error: 'return' with value in async generator
#include <algorithm>
#include <cctype>
#include <set>

#include "engine/rule/context.h"
#include "engine/syntax/compile_check.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

namespace {

// The first line of the text an ERROR node spans, cut short.
std::string excerpt(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
  std::string_view line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
  if (line.size() > 40) return std::string(line.substr(0, 37)) + "...";
  return std::string(line);
}

// The innermost statement (a child of the module or of a block) holding `n`.
TSNode statement_of(TSNode n) {
  TSNode at = n;
  for (TSNode p = ts_node_parent(at); !ts_node_is_null(p); p = ts_node_parent(at)) {
    std::string_view k = ts_node_type(p);
    if (k == "module" || k == "block") return at;
    at = p;
  }
  return at;
}

// The end of the line after byte `at` (the line that follows the one `at` is on).
uint32_t line_end_after(std::string_view text, uint32_t at) {
  size_t nl = text.find('\n', at);
  if (nl == std::string_view::npos) return static_cast<uint32_t>(text.size());
  size_t next = text.find('\n', nl + 1);
  return static_cast<uint32_t>(next == std::string_view::npos ? text.size() : next);
}

class SyntaxErrorRule : public Rule {
 public:
  SyntaxErrorRule() {
    info_ = builtin_info("AF000");
    info_.always_selected = true;
  }
  const RuleInfo& info() const override { return info_; }
  // The compile checks are asked of files with async code or an `except*`: what a fix or a
  // migration to async gets wrong. (A `break` outside a loop in a file with neither is
  // pyflakes' and Ruff's F701, not looked for.)
  bool may_fire(TSNode root, std::string_view text) const override {
    return ts_node_has_error(root) || may_not_compile(text);
  }

  static bool may_not_compile(std::string_view text) {
    if (text.find("async") != std::string_view::npos || text.find("await") != std::string_view::npos) return true;
    for (size_t at = text.find("except"); at != std::string_view::npos; at = text.find("except", at + 6)) {
      size_t k = at + 6;
      while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
      if (k < text.size() && text[k] == '*') return true;
    }
    return false;
  }

  // One finding per statement that does not parse (the innermost one holding the error), at
  // its first error: tree-sitter often marks one mistake with several ERROR and MISSING nodes.
  void check_file(FileContext& ctx) const override {
    TSNode root = ctx.root();
    // What parses but Python refuses to compile (AF202 reports the async ones, which it can
    // fix). Only in a file that parses: around a syntax error, tree-sitter's recovery can put
    // a function's `return` at module level.
    if (!ts_node_has_error(root)) {
      for (const auto& e : ctx.compile_errors()) {
        if (!e.is_async_outside_async()) ctx.report_range(e.begin, e.end, "syntax error: " + e.message);
      }
      return;
    }
    std::string_view src = ctx.text();
    std::set<uint32_t> reported;  // statements, by start byte
    uint32_t last_line_end = 0;
    syntax::walk(root, [&](TSNode n) {
      bool missing = ts_node_is_missing(n);
      if (!missing && !ts_node_is_error(n)) return ts_node_has_error(n);
      // An error on the line after one reported (where a broken block ends) adds nothing.
      if (!reported.empty() && syntax::start(n) <= last_line_end) return false;
      if (!reported.insert(syntax::start(statement_of(n))).second) return false;
      if (missing) {
        std::string what = ts_node_type(n);
        bool word = !what.empty() && (std::isalpha(static_cast<unsigned char>(what[0])) != 0);
        ctx.report(n, word ? "syntax error: " + what + " expected" : "syntax error: `" + what + "` expected");
      } else {
        std::string at = excerpt(syntax::text(n, src));
        ctx.report(n, at.empty() ? std::string("syntax error: this statement does not parse")
                                 : "syntax error: cannot parse `" + at + "`");
      }
      last_line_end = line_end_after(src, syntax::end(n));
      return false;
    });
  }

 private:
  RuleInfo info_;
};

}  // namespace

RulePtr make_syntax_error() { return std::make_unique<SyntaxErrorRule>(); }

}  // namespace asyncfix::rules

// AF404 swallowed-cancellation: `except:` / `except BaseException:` around awaits, with no
// re-raise, catches asyncio.CancelledError: the task cannot be cancelled.
//
//   try:                                 try:
//       await fetch()                        await fetch()
//   except BaseException:          ->    except asyncio.CancelledError:
//       log.exception("failed")              raise
//                                        except BaseException:
//                                            log.exception("failed")
#include "engine/source/triggers.h"
#include "engine/rule/context.h"
#include "engine/semantic/model.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

class SwallowedCancellation : public Rule {
 public:
  SwallowedCancellation() {
    info_ = builtin_info("AF404");
  }
  const RuleInfo& info() const override { return info_; }

  void check_file(FileContext& ctx) const override {
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (is(n, "try_statement") && ctx.model().inside_async(n)) check_try(ctx, n);
      return true;
    });
  }

 private:
  // What an except clause catches: "" (bare), or the text of its type expression.
  static bool catches_cancellation(FileContext& ctx, TSNode clause, bool* names_cancelled) {
    const auto& model = ctx.model();
    *names_cancelled = false;
    TSNode type{};
    for (TSNode c : syntax::code_children(clause)) {
      if (is(c, "block")) break;
      type = c;
      break;
    }
    if (syntax::is_null(type)) return true;  // bare except:
    if (is(type, "as_pattern")) type = ts_node_named_child(type, 0);
    std::vector<TSNode> types;
    if (is(type, "tuple") || is(type, "parenthesized_expression")) {
      for (TSNode t : syntax::code_children(type)) types.push_back(t);
    } else {
      types.push_back(type);
    }
    bool base = false;
    for (TSNode t : types) {
      auto q = model.qualified_name(t);
      if (!q) continue;
      if (*q == "BaseException" || *q == "builtins.BaseException") base = true;
      if (*q == "asyncio.CancelledError" || *q == "asyncio.exceptions.CancelledError" ||
          *q == "concurrent.futures.CancelledError")
        *names_cancelled = true;
    }
    return base || *names_cancelled;
  }

  // `except* T:` (PEP 654): a try takes either plain or star clauses, never both, so the
  // inserted clause must have the same form.
  static bool is_star_clause(TSNode clause) {
    for (TSNode c : syntax::children(clause, false)) {
      if (syntax::kind(c) == "*") return true;
      if (is(c, "block")) break;
    }
    return false;
  }

  static bool reraises(TSNode block) {
    bool found = false;
    syntax::walk(block, [&](TSNode n) {
      if (found || is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (is(n, "raise_statement")) found = true;
      return !found;
    });
    return found;
  }

  // The handler hands the exception on (to a future, a variable, the caller) rather than
  // dropping it: `fut.set_exception(e)`, `errors[i] = e`, `exc = sys.exc_info()`,
  // `return e`. Logging it is still dropping it.
  static bool forwards_exception(FileContext& ctx, TSNode clause, TSNode block) {
    std::string_view src = ctx.text();
    std::string name;
    for (TSNode c : syntax::code_children(clause)) {
      if (is(c, "as_pattern")) {
        TSNode alias = field(c, "alias");
        TSNode id = syntax::is_null(alias) ? TSNode{} : ts_node_named_child(alias, 0);
        if (is(id, "identifier")) name = std::string(text(id, src));
        else if (is(alias, "identifier")) name = std::string(text(alias, src));
      }
    }
    bool forwards = false;
    syntax::walk(block, [&](TSNode n) {
      if (forwards || is(n, "function_definition") || is(n, "lambda")) return false;
      if (is(n, "call")) {
        auto q = ctx.model().qualified_name(field(n, "function"));
        if (q && *q == "sys.exc_info") forwards = true;
      }
      if (name.empty() || !is(n, "identifier") || text(n, src) != name) return true;
      for (TSNode p = syntax::parent(n); !syntax::is_null(p) && !syntax::same(p, block); p = syntax::parent(p)) {
        if (is(p, "return_statement") || is(p, "assignment") || is(p, "augmented_assignment")) {
          forwards = true;
          break;
        }
        if (is(p, "call")) {
          // Passed to anything but a logger or print: converted, stored, re-raised there.
          TSNode fn = field(p, "function");
          std::string_view m = is(fn, "attribute") ? text(field(fn, "attribute"), src) : text(fn, src);
          static const char* const kLog[] = {"debug", "info", "warning", "warn", "error", "exception",
                                             "critical", "fatal", "log", "print", "print_exc", "format_exc", "str", "repr"};
          bool logging = false;
          for (const char* l : kLog) logging |= m == l;
          if (!logging) {
            forwards = true;
            break;
          }
        }
        if (is(p, "block")) break;
      }
      return !forwards;
    });
    return forwards;
  }

  static bool body_awaits(TSNode body) {
    bool found = false;
    syntax::walk(body, [&](TSNode n) {
      if (found || is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (is(n, "await") || (is(n, "for_statement") && syntax::kind(ts_node_child(n, 0)) == "async") ||
          (is(n, "with_statement") && syntax::kind(ts_node_child(n, 0)) == "async"))
        found = true;
      return !found;
    });
    return found;
  }

  void check_try(FileContext& ctx, TSNode tr) const {
    if (!body_awaits(field(tr, "body"))) return;
    std::string_view src = ctx.text();
    for (TSNode clause : syntax::code_children(tr)) {
      if (!is(clause, "except_clause")) continue;
      bool names_cancelled = false;
      if (!catches_cancellation(ctx, clause, &names_cancelled)) continue;
      TSNode block = syntax::child_of_kind(clause, "block");
      if (reraises(block)) return;  // handled (or re-raised): later clauses never see it
      if (forwards_exception(ctx, clause, block)) return;
      // `except asyncio.CancelledError:` is a decision (often: awaiting a future this code
      // cancelled itself), not an accident: not reported.
      if (names_cancelled) return;
      Finding& f = ctx.report(clause);
      auto asyncio = ctx.imports().module("asyncio", clause);
      std::string indent(line_indent(src, ts_node_start_byte(clause)));
      const std::string& unit = ctx.source().indent_unit();
      Fix fix;
      fix.title = info_.fix_title;
      const char* keyword = is_star_clause(clause) ? "except* " : "except ";
      fix.edits.push_back(Edit{ts_node_start_byte(clause), ts_node_start_byte(clause),
                               keyword + asyncio.text + ".CancelledError:\n" + indent + unit + "raise\n" + indent});
      fix.imports = asyncio.needs;
      f.fix = std::move(fix);
      return;
    }
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_swallowed_cancellation() { return std::make_shared<SwallowedCancellation>(); }

}  // namespace asyncfix::rules

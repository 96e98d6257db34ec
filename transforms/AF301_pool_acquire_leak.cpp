// AF301 pool-acquire-leak: a connection taken from a pool by hand leaks when anything in
// between raises.
//
//   conn = await pool.acquire()              async with pool.acquire() as conn:
//   rows = await conn.fetch(q)        ->         rows = await conn.fetch(q)
//   await pool.release(conn)
//
// and the try/finally form (`conn = await pool.acquire()` then `try: ... finally:
// await pool.release(conn)`) the same way, over exactly the statements between. A release
// elsewhere (in a branch, another function) or none at all is reported without a fix.
#include "engine/source/triggers.h"
#include "engine/rewrite/indent.h"
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

class PoolAcquireLeak : public Rule {
 public:
  PoolAcquireLeak() {
    info_ = builtin_info("AF301");
  }
  const RuleInfo& info() const override { return info_; }

  void check_file(FileContext& ctx) const override {
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (is(n, "block")) check_block(ctx, n);
      return true;
    });
  }

 private:
  struct Acquire {
    std::string pool;  // the pool expression, as written
    std::string var;
    TSNode call{};     // pool.acquire(...)
  };

  // `c = await P.acquire(...)`
  static std::optional<Acquire> acquire_of(FileContext& ctx, TSNode st) {
    if (!is(st, "expression_statement")) return std::nullopt;
    TSNode a = ts_node_named_child(st, 0);
    if (!is(a, "assignment") || !is(field(a, "left"), "identifier")) return std::nullopt;
    TSNode aw = field(a, "right");
    if (!is(aw, "await")) return std::nullopt;
    TSNode call = ts_node_named_child(aw, 0);
    if (!is(call, "call") || !is(field(call, "function"), "attribute")) return std::nullopt;
    TSNode fn = field(call, "function");
    if (text(field(fn, "attribute"), ctx.text()) != "acquire") return std::nullopt;
    std::string pool(text(field(fn, "object"), ctx.text()));
    // A lock or a semaphore has acquire() too, with no result worth a name.
    std::string lower = pool;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("lock") != std::string::npos || lower.find("sem") != std::string::npos) return std::nullopt;
    return Acquire{pool, std::string(text(field(a, "left"), ctx.text())), call};
  }

  // `[await] P.release(c)` as a whole statement.
  static bool is_release(FileContext& ctx, TSNode st, const Acquire& acq) {
    if (!is(st, "expression_statement") || ts_node_named_child_count(st) != 1) return false;
    TSNode e = ts_node_named_child(st, 0);
    if (is(e, "await")) e = ts_node_named_child(e, 0);
    if (!is(e, "call") || !is(field(e, "function"), "attribute")) return false;
    TSNode fn = field(e, "function");
    if (text(field(fn, "attribute"), ctx.text()) != "release" || text(field(fn, "object"), ctx.text()) != acq.pool)
      return false;
    auto args = syntax::code_children(field(e, "arguments"));
    return !args.empty() && text(args[0], ctx.text()) == acq.var;
  }

  // try: ... finally: P.release(c)   (no except, no else)
  static bool is_try_release(FileContext& ctx, TSNode st, const Acquire& acq) {
    if (!is(st, "try_statement")) return false;
    if (!syntax::is_null(syntax::child_of_kind(st, "except_clause")) || !syntax::is_null(syntax::child_of_kind(st, "else_clause")) ||
        !syntax::is_null(syntax::child_of_kind(st, "except_group_clause")))
      return false;
    TSNode fin = syntax::child_of_kind(st, "finally_clause");
    if (syntax::is_null(fin)) return false;
    auto stmts = syntax::code_children(syntax::child_of_kind(fin, "block"));
    return stmts.size() == 1 && is_release(ctx, stmts[0], acq);
  }

  // Is `var` bound again (or deleted) in these statements?
  static bool rebinds(FileContext& ctx, const std::vector<TSNode>& stmts, const std::string& var) {
    bool found = false;
    for (TSNode st : stmts) {
      syntax::walk(st, [&](TSNode n) {
        if (found) return false;
        if (is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
        if (is(n, "assignment") || is(n, "augmented_assignment") || is(n, "for_statement") || is(n, "delete_statement")) {
          TSNode left = is(n, "delete_statement") ? n : field(n, "left");
          syntax::walk(left, [&](TSNode m) {
            if (is(m, "identifier") && text(m, ctx.text()) == var) found = true;
            return !found;
          });
        }
        return true;
      });
    }
    return found;
  }

  void check_block(FileContext& ctx, TSNode block) const {
    std::string_view src = ctx.text();
    auto stmts = syntax::code_children(block);
    for (size_t i = 0; i < stmts.size(); ++i) {
      auto acq = acquire_of(ctx, stmts[i]);
      if (!acq) continue;
      size_t j = i + 1;
      bool try_form = false;
      for (; j < stmts.size(); ++j) {
        if (is_release(ctx, stmts[j], *acq)) break;
        if (is_try_release(ctx, stmts[j], *acq)) {
          try_form = true;
          break;
        }
      }
      std::string var = acq->var;
      if (j == stmts.size()) {
        // No release in this block: somewhere else, or nowhere.
        bool elsewhere = false;
        TSNode fn = ctx.model().enclosing_function(stmts[i]);
        TSNode scope = syntax::is_null(fn) ? ctx.root() : fn;
        syntax::walk(scope, [&](TSNode n) {
          if (elsewhere) return false;
          if (is(n, "expression_statement") && is_release(ctx, n, *acq)) elsewhere = true;
          if (is(n, "call") && is(field(n, "function"), "attribute") &&
              text(field(field(n, "function"), "attribute"), src) == "release" &&
              text(field(n, "arguments"), src).find(var) != std::string_view::npos)
            elsewhere = true;
          return true;
        });
        Finding& f = ctx.report(acq->call);
        f.note = elsewhere ? "the release is not in the same block: make the code between one `async with " + acq->pool +
                                 ".acquire() as " + var + ":` block"
                           : "it is never released here: use `async with " + acq->pool + ".acquire() as " + var + ":`";
        continue;
      }
      std::vector<TSNode> between(stmts.begin() + static_cast<long>(i) + 1, stmts.begin() + static_cast<long>(j));
      std::vector<TSNode> try_body;
      if (try_form) try_body = syntax::code_children(field(stmts[j], "body"));
      std::vector<TSNode> all = between;
      all.insert(all.end(), try_body.begin(), try_body.end());
      Finding& f = ctx.report(acq->call);
      if (rebinds(ctx, all, var)) {
        f.note = "`" + var + "` is bound again before the release: make the block by hand";
        continue;
      }
      std::string indent(line_indent(src, ts_node_start_byte(stmts[i])));
      std::string inner = indent + ctx.source().indent_unit();
      // Comments stay: one at the end of the acquire line ends the `async with` line; those
      // before the first statement of a piece lead it.
      std::string trailing;
      TSNode after = ts_node_next_sibling(stmts[i]);
      if (is(after, "comment") && ts_node_start_point(after).row == ts_node_end_point(stmts[i]).row)
        trailing = "  " + std::string(text(after, src));
      auto first_of = [&](TSNode stmt, uint32_t floor) {
        // The earliest comment right before `stmt` (after `floor`), else stmt itself.
        TSNode first = stmt;
        for (TSNode p = ts_node_prev_sibling(stmt); is(p, "comment") && ts_node_start_byte(p) > floor &&
                                                    !(syntax::same(p, after) && !trailing.empty());
             p = ts_node_prev_sibling(p))
          first = p;
        return first;
      };
      std::string body;
      auto piece = [&](const std::vector<TSNode>& part, uint32_t floor) {
        if (part.empty()) return;
        uint32_t b = ts_node_start_byte(first_of(part.front(), floor));
        std::string t = reindent(src, b, ts_node_end_byte(part.back()), inner, ctx.root());
        body += (body.empty() ? "" : "\n" + inner) + t;
      };
      piece(between, ts_node_end_byte(stmts[i]));
      if (try_form) piece(try_body, ts_node_start_byte(stmts[j]));
      if (body.empty()) body = "pass";
      std::string acquire_text(text(acq->call, src));
      Fix fix;
      fix.title = info_.fix_title;
      fix.edits.push_back(Edit{ts_node_start_byte(stmts[i]), ts_node_end_byte(stmts[j]),
                               "async with " + acquire_text + " as " + var + ":" + trailing + "\n" + inner + body});
      f.fix = std::move(fix);
      i = j;
    }
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_pool_acquire_leak() { return std::make_shared<PoolAcquireLeak>(); }

}  // namespace asyncfix::rules

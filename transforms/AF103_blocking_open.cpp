// AF103 blocking-open: open() and pathlib reads/writes inside `async def` -> aiofiles.
#include "engine/source/triggers.h"
#include <set>

#include "engine/rewrite/imports.h"
#include "engine/rewrite/precedence.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"
#include "transforms/blocking_rule.h"
#include "engine/rewrite/edit_list.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

RuleInfo make_info() {
  RuleInfo i = builtin_info("AF103");
  return i;
}

const std::set<std::string>& awaited_methods() {
  static const std::set<std::string> s = {"read", "readline", "readlines", "write", "writelines",
                                          "seek", "tell", "flush", "truncate", "close"};
  return s;
}

bool is_open_api(const std::string& api) {
  return api == "open" || api == "io.open" || api == "io.open_code" || api == "pathlib.Path.open";
}

class BlockingOpen : public BlockingCallRule {
 public:
  BlockingOpen() : BlockingCallRule(make_info()) {}

 protected:
  std::string message(const BlockingHit& hit) const override {
    std::string name = hit.api.rfind("pathlib.Path.", 0) == 0 ? "Path." + hit.api.substr(13) : hit.api;
    return "`" + name + "()` does blocking file I/O inside `async def`";
  }

  void add_fix(TSNode call, const BlockingHit& hit, FileContext& ctx, Finding& f) const override {
    if (inside_generator_expression(call)) return;
    if (hit.api.rfind("pathlib.Path.", 0) == 0 && hit.api != "pathlib.Path.open") {
      f.fix = to_thread_fix(ctx, call, "Run it in a thread: `await asyncio.to_thread(...)`", Applicability::Safe);
      return;
    }
    if (!is_open_api(hit.api)) return;  // codecs.open, os.fdopen: different signatures
    std::string why;
    std::optional<Fix> fix;
    TSNode as = syntax::parent(call);
    if (is(as, "as_pattern") && is(syntax::parent(as), "with_item")) {
      fix = with_fix(call, ctx, &why);
    } else {
      fix = expression_fix(call, ctx, &why);
    }
    if (!fix) {
      if (!why.empty()) f.note = why;
      return;
    }
    if (!package_available(ctx, "aiofiles")) {
      // `import aiofiles` where it is not installed fails the whole module at import: the fix
      // is shown, never applied, until the project declares it.
      fix->applicability = Applicability::DisplayOnly;
      f.note = "the project does not declare aiofiles: the fix is shown, not applied, until aiofiles is in its "
               "dependencies";
    }
    f.fix = std::move(fix);
  }

 private:
  // open(...) -> aiofiles.open(...); Path(p).open(m) -> aiofiles.open(Path(p), m).
  static std::string aiofiles_open(TSNode call, FileContext& ctx, const std::string& aiofiles) {
    std::string args = call_arguments(ctx, call);
    TSNode callee = field(call, "function");
    auto hit = classify_blocking(call, ctx.model(), ctx.types(), nullptr);
    if (hit && hit->api == "pathlib.Path.open") {  // a Path's .open(...): the path goes first
      std::string recv(text(field(callee, "object"), ctx.text()));
      return aiofiles + ".open(" + recv + (args.empty() ? "" : ", " + args) + ")";
    }
    return aiofiles + ".open(" + args + ")";
  }

  // The edits that make the uses of file variable `name` (bound by `binding`) async, or false
  // when one of them needs a sync file.
  static bool async_uses(const semantic::Binding& binding, TSNode body, FileContext& ctx, EditList& edits,
                         std::vector<ImportNeed>& needs, std::string* why) {
    std::string_view src = ctx.text();
    std::string_view name = text(binding.name, src);
    TSNode fn = ctx.model().enclosing_function(binding.name);
    for (TSNode r : ctx.model().references()) {
      if (text(r, src) != name) continue;
      const semantic::Binding* b = ctx.model().resolve(name, r);
      if (!b || !syntax::same(b->name, binding.name)) continue;
      if (!syntax::contains(body, r) || !syntax::same(ctx.model().enclosing_function(r), fn) ||
          inside_generator_expression(r)) {
        *why = "`" + std::string(name) + "` is used outside the `with` block or in a nested scope: "
               "run the block in a thread with `await asyncio.to_thread(...)`";
        return false;
      }
      TSNode p = syntax::parent(r);
      // f.read(...) and friends
      if (is(p, "attribute") && syntax::same(field(p, "object"), r)) {
        std::string attr(text(field(p, "attribute"), src));
        TSNode call = syntax::parent(p);
        if (is(call, "call") && syntax::same(field(call, "function"), p)) {
          if (!awaited_methods().count(attr)) {
            *why = "`" + std::string(name) + "." + attr + "()` has no aiofiles equivalent";
            return false;
          }
          bool parens = needs_parens(call, src, "await");
          edits.insert(ts_node_start_byte(call), parens ? "(await " : "await ");
          if (parens) edits.insert(ts_node_end_byte(call), ")");
          continue;
        }
        if (attr == "name" || attr == "mode" || attr == "closed") continue;
        *why = "`" + std::string(name) + "." + attr + "` is used as a sync file attribute";
        return false;
      }
      // for line in f  ->  async for line in f
      if (is(p, "for_statement") && syntax::same(field(p, "right"), r)) {
        if (syntax::kind(ts_node_child(p, 0)) != "async") edits.insert(ts_node_start_byte(p), "async ");
        continue;
      }
      // json.load(f) / json.dump(x, f)
      if (is(p, "argument_list") && is(syntax::parent(p), "call")) {
        TSNode call = syntax::parent(p);
        auto q = ctx.model().qualified_name(field(call, "function"));
        auto args = syntax::code_children(p);
        if (q && *q == "json.load" && args.size() == 1) {
          auto json = ctx.imports().module("json", call);
          needs.insert(needs.end(), json.needs.begin(), json.needs.end());
          edits.replace(ts_node_start_byte(call), ts_node_end_byte(call),
                        json.text + ".loads(await " + std::string(name) + ".read())");
          continue;
        }
        if (q && *q == "json.dump" && args.size() >= 2 && syntax::same(args[1], r) && !is(args[0], "keyword_argument")) {
          auto json = ctx.imports().module("json", call);
          needs.insert(needs.end(), json.needs.begin(), json.needs.end());
          std::string rest;
          for (size_t k = 2; k < args.size(); ++k) rest += ", " + std::string(text(args[k], src));
          std::string text_ = "await " + std::string(name) + ".write(" + json.text + ".dumps(" +
                              std::string(text(args[0], src)) + rest + "))";
          if (needs_parens(call, src, "await")) text_ = "(" + text_ + ")";
          edits.replace(ts_node_start_byte(call), ts_node_end_byte(call), text_);
          continue;
        }
        *why = "`" + std::string(name) + "` is passed to `" + std::string(text(field(call, "function"), src)) +
               "`, which needs a sync file: run the block in a thread with `await asyncio.to_thread(...)`";
        return false;
      }
      *why = "`" + std::string(name) + "` is used as a sync file object";
      return false;
    }
    return true;
  }

  std::optional<Fix> with_fix(TSNode call, FileContext& ctx, std::string* why) const {
    std::string_view src = ctx.text();
    TSNode with_stmt = syntax::ancestor(call, "with_statement");
    if (syntax::is_null(with_stmt)) return std::nullopt;
    TSNode clause = syntax::child_of_kind(with_stmt, "with_clause");
    TSNode body = field(with_stmt, "body");
    EditList edits;
    auto aiofiles = ctx.imports().module("aiofiles", call);
    std::vector<ImportNeed> needs = aiofiles.needs;
    // Every item must be an open(...) with a name: `async with` needs async context managers.
    for (TSNode item : syntax::code_children(clause)) {
      TSNode as = ts_node_named_child(item, 0);
      TSNode c = is(as, "as_pattern") ? ts_node_named_child(as, 0) : TSNode{};
      auto hit = is(c, "call") ? classify_blocking(c, ctx.model(), ctx.types(), nullptr) : std::nullopt;
      if (!hit || !is_open_api(hit->api)) {
        *why = "the `with` also enters `" + std::string(text(item, src)) + "`, which is not async";
        return std::nullopt;
      }
      TSNode target = ts_node_named_child(field(as, "alias"), 0);
      if (!is(target, "identifier")) return std::nullopt;
      const semantic::Binding* b = ctx.model().resolve(text(target, src), target);
      if (!b) return std::nullopt;
      edits.replace(ts_node_start_byte(c), ts_node_end_byte(c), aiofiles_open(c, ctx, aiofiles.text));
      if (!async_uses(*b, body, ctx, edits, needs, why)) return std::nullopt;
    }
    // Only the first item's finding carries the fix (the others are the same fix).
    TSNode first_item = ts_node_named_child(clause, 0);
    if (!syntax::contains(first_item, call)) return std::nullopt;
    if (syntax::kind(ts_node_child(with_stmt, 0)) != "async") edits.insert(ts_node_start_byte(with_stmt), "async ");
    if (!edits.consistent()) return std::nullopt;
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Safe;
    fix.edits = edits.take();
    fix.imports = std::move(needs);
    return fix;
  }

  // open(p).read() / json.load(open(p)) in a statement: wrap it in `async with`.
  std::optional<Fix> expression_fix(TSNode call, FileContext& ctx, std::string* why) const {
    std::string_view src = ctx.text();
    TSNode p = syntax::parent(call);
    TSNode use{};  // the expression to replace
    std::string read;
    std::vector<ImportNeed> json_needs;
    std::string f = fresh_name(ctx.model(), "f");
    if (is(p, "attribute") && syntax::same(field(p, "object"), call) && is(syntax::parent(p), "call")) {
      std::string attr(text(field(p, "attribute"), src));
      if (attr != "read" && attr != "readlines" && attr != "readline") {
        *why = "open the file with `async with aiofiles.open(...)`";
        return std::nullopt;
      }
      use = syntax::parent(p);
      read = "await " + f + "." + attr + "(" + call_arguments(ctx, use) + ")";
      if (needs_parens(use, src, "await")) read = "(" + read + ")";
    } else if (is(p, "argument_list") && syntax::code_children(p).size() == 1) {
      TSNode outer = syntax::parent(p);
      auto q = ctx.model().qualified_name(field(outer, "function"));
      if (!q || *q != "json.load") {
        *why = "open the file with `async with aiofiles.open(...)`";
        return std::nullopt;
      }
      use = outer;
      auto json = ctx.imports().module("json", call);
      json_needs = json.needs;
      read = json.text + ".loads(await " + f + ".read())";
    } else {
      *why = "open the file with `async with aiofiles.open(...)`";
      return std::nullopt;
    }
    TSNode stmt = syntax::enclosing_statement(use);
    std::string_view ind = line_indent(src, ts_node_start_byte(stmt));
    uint32_t ls = ts_node_start_byte(stmt) - static_cast<uint32_t>(ind.size());
    if (!(ls == 0 || src[ls - 1] == '\n') || ts_node_start_byte(stmt) != ls + ind.size()) return std::nullopt;
    if (std::string_view(text(stmt, src)).find('\n') != std::string_view::npos) return std::nullopt;
    auto aiofiles = ctx.imports().module("aiofiles", call);
    EditList edits;
    edits.insert(ts_node_start_byte(stmt), "async with " + aiofiles_open(call, ctx, aiofiles.text) + " as " + f + ":\n" +
                                               std::string(ind) + ctx.source().indent_unit());
    edits.replace(ts_node_start_byte(use), ts_node_end_byte(use), read);
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Safe;
    fix.edits = edits.take();
    fix.imports = aiofiles.needs;
    fix.imports.insert(fix.imports.end(), json_needs.begin(), json_needs.end());
    return fix;
  }
};

}  // namespace

RulePtr make_blocking_open() { return std::make_shared<BlockingOpen>(); }

}  // namespace asyncfix::rules

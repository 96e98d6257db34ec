// AF403 sequential-awaits: independent awaits in a row, each waiting for the previous one.
//
//   user = await get_user(uid)
//   posts = await get_posts(uid)        ->   user, posts = await asyncio.gather(get_user(uid), get_posts(uid))
//
// A run is consecutive statements of one block, each `NAME = await CALL` or `await CALL`,
// where (data flow) no call reads a name an earlier one of the run binds, no two calls use
// the same session or connection (an AsyncSession, a DB connection: not safe to share
// concurrently), none looks like a write whose order could be seen (post, save, send,
// commit...), and the run is not under a lock. Comments between the statements move above
// the merged one.
#include "engine/source/triggers.h"
#include <set>

#include "engine/rewrite/imports.h"
#include "engine/rewrite/indent.h"
#include "engine/rule/context.h"
#include "engine/semantic/model.h"
#include "engine/semantic/types.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

// The first word of a snake_case or camelCase name.
std::string first_word(std::string_view name) {
  while (!name.empty() && name.front() == '_') name.remove_prefix(1);
  std::string w;
  for (char c : name) {
    if (c == '_' || (std::isupper(static_cast<unsigned char>(c)) && !w.empty())) break;
    w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return w;
}

// Calls whose order can be observed: they change something.
bool looks_like_write(std::string_view name) {
  if (name.substr(0, 2) == "__") return true;  // __aexit__, __anext__: protocol steps, in order
  static const std::set<std::string> kVerbs = {
      "post", "put", "patch", "delete", "del", "remove", "send", "write", "insert", "update", "upsert", "create",
      "commit", "rollback", "save", "publish", "execute", "exec", "set", "add", "append", "push", "upload",
      "acquire", "release", "lock", "unlock", "notify", "emit", "close", "aclose", "start", "stop", "shutdown",
      "run", "mark", "store", "enqueue", "pay", "charge", "flush", "refresh", "drop", "truncate", "register",
      "login", "logout", "sleep", "wait", "connect", "disconnect", "apply", "process", "handle", "transfer",
      "increment", "decrement", "incr", "decr", "move", "rename", "copy", "reset", "clear", "init", "initialize",
      "setup", "migrate", "seed", "persist", "sync", "submit", "dispatch", "trigger", "invoke", "call", "open",
      "merge", "request", "reserve", "cancel", "approve", "reject", "refund", "deliver", "schedule", "ack",
      "nack", "put", "pop", "claim", "bump", "touch", "grant", "revoke", "invite", "subscribe", "unsubscribe",
      "yield", "aexit", "aenter", "exit", "enter", "anext", "asend", "athrow", "next", "step", "advance"};
  return kVerbs.count(first_word(name)) > 0;
}

// A bare `await f()` throws its value away: it runs for an effect, unless its name says it
// only reads (a cache warm-up, a check).
bool looks_like_read(std::string_view name) {
  static const std::set<std::string> kVerbs = {"get", "fetch", "load", "read", "warm", "prefetch", "preload", "check",
                                               "validate", "verify", "ping", "probe", "lookup", "find", "query",
                                               "resolve", "count", "list", "search", "ensure", "prime"};
  return kVerbs.count(first_word(name)) > 0;
}

// Names that hold a session or a connection when nothing types them.
bool looks_like_connection(std::string_view name) {
  static const std::set<std::string_view> kNames = {"db", "session", "conn", "connection", "cur", "cursor", "tx",
                                                    "transaction", "sess", "s", "con", "txn", "uow"};
  return kNames.count(name) > 0 || name.find("session") != std::string_view::npos ||
         name.find("conn") != std::string_view::npos || name.find("cursor") != std::string_view::npos;
}

struct Step {
  TSNode stmt{};
  TSNode call{};              // the awaited call
  std::string target;         // "" for a bare await
  std::string receiver;       // `client` of `client.get(...)`, as written ("" for a plain function)
  bool shareable = false;     // the receiver is safe to use concurrently (an httpx / aiohttp client)
  std::set<std::string> reads;      // names the call reads
  std::set<std::string> resources;  // sessions / connections it uses
};

class SequentialAwaits : public Rule {
 public:
  SequentialAwaits() {
    info_ = builtin_info("AF403");
  }
  const RuleInfo& info() const override { return info_; }

  void check_file(FileContext& ctx) const override {
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (is(n, "block") && ctx.model().inside_async(n) && !under_lock(ctx, n)) check_block(ctx, n);
      return true;
    });
  }

 private:
  void check_block(FileContext& ctx, TSNode block) const {
    std::vector<Step> run;
    uint32_t count = ts_node_child_count(block);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode st = ts_node_child(block, i);
      if (!ts_node_is_named(st)) continue;
      if (is(st, "comment")) continue;  // moved above the merged statement
      auto step = parse(ctx, st);
      if (!step) {
        flush(ctx, run);
        continue;
      }
      if (!run.empty() && !fits(run, *step)) flush(ctx, run);
      run.push_back(std::move(*step));
    }
    flush(ctx, run);
  }

  static bool fits(const std::vector<Step>& run, const Step& s) {
    for (const Step& prev : run) {
      if (!prev.target.empty() && (s.reads.count(prev.target) || s.target == prev.target)) return false;
      if (!s.target.empty() && prev.reads.count(s.target)) return false;
      for (const auto& r : s.resources) {
        if (prev.resources.count(r)) return false;
      }
      // Two calls on one object share its state, unless it is a client made for that.
      if (!s.receiver.empty() && s.receiver == prev.receiver && !(s.shareable && prev.shareable)) return false;
    }
    // The same line: `a = await f(); b = await g()` is left alone.
    return ts_node_start_point(s.stmt).row > ts_node_end_point(run.back().stmt).row;
  }

  // `x = await f(...)` / `await f(...)`, with a call that may run concurrently with others.
  std::optional<Step> parse(FileContext& ctx, TSNode st) const {
    if (!is(st, "expression_statement") || ts_node_named_child_count(st) != 1) return std::nullopt;
    TSNode e = ts_node_named_child(st, 0);
    Step s;
    s.stmt = st;
    TSNode aw = e;
    if (is(e, "assignment")) {
      if (!is(field(e, "left"), "identifier") || !syntax::is_null(field(e, "type"))) return std::nullopt;
      s.target = std::string(text(field(e, "left"), ctx.text()));
      aw = field(e, "right");
    }
    if (!is(aw, "await")) return std::nullopt;
    TSNode call = ts_node_named_child(aw, 0);
    if (!is(call, "call")) return std::nullopt;
    s.call = call;
    const auto& model = ctx.model();
    std::string_view src = ctx.text();
    TSNode callee = field(call, "function");
    if (auto q = model.qualified_name(callee); q && (q->rfind("asyncio.", 0) == 0 || q->rfind("anyio.", 0) == 0 ||
                                                     q->rfind("trio.", 0) == 0))
      return std::nullopt;
    std::string_view last = is(callee, "attribute") ? text(field(callee, "attribute"), src)
                            : is(callee, "identifier") ? text(callee, src)
                                                       : std::string_view();
    if (last.empty() || looks_like_write(last)) return std::nullopt;
    if (s.target.empty() && !looks_like_read(last)) return std::nullopt;
    if (is(callee, "attribute")) {
      TSNode recv = field(callee, "object");
      s.receiver = std::string(text(recv, src));
      auto t = ctx.types().type_of(recv);
      s.shareable = t && (*t == semantic::types::kHttpxAsyncClient || *t == semantic::types::kAiohttpSession);
    }
    // What it reads, and the sessions / connections it uses (receiver chain and arguments).
    syntax::walk(call, [&](TSNode n) {
      if (is(n, "lambda")) return false;
      if (!is(n, "identifier")) return true;
      TSNode p = syntax::parent(n);
      if (is(p, "attribute") && syntax::same(field(p, "attribute"), n)) {
        if (looks_like_connection(text(n, src))) s.resources.insert("." + std::string(text(n, src)));
        return true;
      }
      if (is(p, "keyword_argument") && syntax::same(field(p, "name"), n)) return true;
      std::string name(text(n, src));
      s.reads.insert(name);
      auto t = ctx.types().type_of(n);
      bool session = t && (*t == semantic::types::kAsyncSession || *t == semantic::types::kSession ||
                           *t == semantic::types::kAsyncEngine);
      if (session || looks_like_connection(name)) s.resources.insert(name);
      return true;
    });
    return s;
  }

  static bool under_lock(FileContext& ctx, TSNode block) {
    for (TSNode w = syntax::ancestor(block, "with_statement"); !syntax::is_null(w); w = syntax::ancestor(w, "with_statement")) {
      std::string items(text(syntax::child_of_kind(w, "with_clause"), ctx.text()));
      for (char& c : items) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (items.find("lock") != std::string::npos || items.find("semaphore") != std::string::npos ||
          items.find("mutex") != std::string::npos || items.find("begin(") != std::string::npos)
        return true;
    }
    return false;
  }

  void flush(FileContext& ctx, std::vector<Step>& run) const {
    if (run.size() >= 2) fix_run(ctx, run);
    run.clear();
  }

  void fix_run(FileContext& ctx, const std::vector<Step>& run) const {
    std::string_view src = ctx.text();
    const auto& model = ctx.model();
    TSNode first = run.front().stmt, last = run.back().stmt;
    Finding& f = ctx.report_range(ts_node_start_byte(first), ts_node_end_byte(last));
    f.message = std::to_string(run.size()) + " independent awaits run one after the other: run them together";
    auto asyncio = ctx.imports().module("asyncio", first);
    std::string indent(line_indent(src, ts_node_start_byte(first)));
    const std::string& unit = ctx.source().indent_unit();
    bool any_target = false;
    for (const Step& s : run) any_target |= !s.target.empty();
    // A bare await's result goes to `_`, unless `_` means something here (gettext).
    std::string dummy = model.is_bound_anywhere("_") ? fresh_name(model, "_unused") : "_";
    std::string targets;
    std::vector<std::string> calls;
    for (const Step& s : run) {
      if (any_target) targets += (targets.empty() ? "" : ", ") + (s.target.empty() ? dummy : s.target);
      calls.push_back(reindent(src, ts_node_start_byte(s.call), ts_node_end_byte(s.call), indent + unit, ctx.root()));
    }
    std::string head = (any_target ? targets + " = " : "") + "await " + asyncio.text + ".gather(";
    std::string one_line = head;
    bool multiline = false;
    for (size_t i = 0; i < calls.size(); ++i) {
      one_line += (i ? ", " : "") + calls[i];
      multiline |= calls[i].find('\n') != std::string::npos;
    }
    one_line += ")";
    std::string text_out;
    if (!multiline && indent.size() + one_line.size() <= 88) {
      text_out = one_line;
    } else {
      text_out = head + "\n";
      for (const auto& c : calls) text_out += indent + unit + c + ",\n";
      text_out += indent + ")";
    }
    // Comments of the run's lines go above it, in order.
    std::string comments;
    TSNode block = syntax::parent(first);
    for (uint32_t i = 0; i < ts_node_child_count(block); ++i) {
      TSNode c = ts_node_child(block, i);
      if (!is(c, "comment") || ts_node_start_byte(c) < ts_node_start_byte(first) || ts_node_end_byte(c) > ts_node_end_byte(last))
        continue;
      comments += std::string(text(c, src)) + "\n" + indent;
    }
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Unsafe;
    fix.edits.push_back(Edit{ts_node_start_byte(first), ts_node_end_byte(last), comments + text_out});
    fix.imports = asyncio.needs;
    f.fix = std::move(fix);
  }

  RuleInfo info_;
};

}  // namespace

RulePtr make_sequential_awaits() { return std::make_shared<SequentialAwaits>(); }

}  // namespace asyncfix::rules

// AF304 client-without-timeout: an async HTTP client with no explicit timeout.
//
//   httpx.AsyncClient()              -> httpx.AsyncClient(timeout=10.0)
//   aiohttp.ClientSession()          -> aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(
//                                          total=300, sock_connect=10.0, sock_read=10.0))
//
// The value is `client-timeout` in [tool.asyncfix] (seconds, default 10).
#include "engine/rewrite/imports.h"
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

std::string seconds(double s) {
  std::string t = std::to_string(s);
  while (t.size() > 1 && t.back() == '0') t.pop_back();
  if (t.back() == '.') t += '0';
  return t;
}

// Is `value` an httpx transport that calls an app in process (ASGITransport, WSGITransport,
// MockTransport): made here, or held by a name the types know?
bool in_process_transport(FileContext& ctx, TSNode value) {
  // A name: the value its binding assigned (`transport = httpx.ASGITransport(app=app)`).
  if (is(value, "identifier")) {
    const semantic::Binding* b = ctx.model().resolve(text(value, ctx.text()), value);
    TSNode st = b ? b->statement : TSNode{};
    TSNode assign = is(st, "expression_statement") ? ts_node_named_child(st, 0) : st;
    if (is(assign, "assignment") && is(field(assign, "right"), "call")) value = field(assign, "right");
  }
  std::optional<std::string> q;
  if (is(value, "call")) q = ctx.model().qualified_name(field(value, "function"));
  if (!q) q = ctx.types().type_of(value);
  if (!q || q->rfind("httpx.", 0) != 0) return false;
  std::string_view last = std::string_view(*q).substr(q->rfind('.') + 1);
  return last == "ASGITransport" || last == "WSGITransport" || last == "MockTransport";
}

// The name the client is held by where it is made: `async with X() as c:` or `c = X()`.
TSNode client_name(TSNode call) {
  TSNode p = syntax::parent(call);
  if (is(p, "as_pattern") && is(syntax::parent(p), "with_item")) {
    TSNode alias = field(p, "alias");
    TSNode var = is(alias, "as_pattern_target") ? ts_node_named_child(alias, 0) : alias;
    return is(var, "identifier") ? var : TSNode{};
  }
  if (is(p, "assignment") && syntax::same(field(p, "right"), call) && is(field(p, "left"), "identifier"))
    return field(p, "left");
  return TSNode{};
}

bool is_request_method(std::string_view m) {
  for (const char* r : {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "ws_connect"})
    if (m == r) return true;
  return false;
}

// Does every use of the client made by `call` send a request with its own `timeout=`
// (`client.get(url, timeout=10.0)`)? Then the client's default never applies. A client used
// any other way (handed on, returned, `send()`) is not known to.
bool every_request_sets_timeout(FileContext& ctx, TSNode call) {
  TSNode name = client_name(call);
  if (syntax::is_null(name)) return false;
  std::string_view src = ctx.text();
  std::string_view id = text(name, src);
  size_t requests = 0;
  for (TSNode ref : ctx.model().references()) {
    if (text(ref, src) != id) continue;
    const semantic::Binding* b = ctx.model().resolve(id, ref);
    if (!b || !syntax::same(b->name, name)) continue;
    TSNode attr = syntax::parent(ref);
    TSNode req = syntax::parent(attr);
    if (!is(attr, "attribute") || !syntax::same(field(attr, "object"), ref) || !is(req, "call") ||
        !syntax::same(field(req, "function"), attr) || !is_request_method(text(field(attr, "attribute"), src)))
      return false;
    bool timed = false;
    for (TSNode a : syntax::code_children(field(req, "arguments")))
      if (is(a, "keyword_argument") && text(field(a, "name"), src) == "timeout") timed = true;
    if (!timed) return false;
    ++requests;
  }
  return requests > 0;
}

// A fix and the `timeout=...` argument it adds.
struct Proposal {
  Fix fix;
  std::string arg;
};

class ClientWithoutTimeout : public Rule {
 public:
  explicit ClientWithoutTimeout(const RuleSettings& settings) : timeout_(settings.client_timeout) {
    info_ = builtin_info("AF304");
  }
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& registry) const override {
    registry.add_calls(CallPattern{CallPattern::Names::Both, {"AsyncClient", "ClientSession"}});
  }

  // httpx: 5 s for each of connect, read, write and pool by default. Unconfigured, the fix
  // writes that default (nothing changes; the decision is visible and can be tuned); with
  // `client-timeout`, that value for each operation.
  Proposal httpx_timeout() const {
    Proposal p;
    Fix& fix = p.fix;
    if (!timeout_) {
      fix.applicability = Applicability::Safe;
      p.arg = "timeout=5.0";
      fix.title = info_.fix_title + ": httpx's default, written out (5 s for each connect, read and write)";
      return p;
    }
    std::string value = seconds(*timeout_);
    fix.applicability = Applicability::Unsafe;
    p.arg = "timeout=" + value;
    fix.title = info_.fix_title + ": " + value + " s for each connect, read and write (httpx's default: 5 s)";
    return p;
  }

  // aiohttp: 300 s for the whole request (body included) and 30 s to connect by default.
  // Unconfigured, the fix writes that default; with `client-timeout`, that value bounds
  // connecting and each wait between reads, and the whole request keeps its 300 s.
  Proposal aiohttp_timeout(FileContext& ctx, TSNode call) const {
    Proposal p;
    Fix& fix = p.fix;
    auto mod = ctx.imports().module("aiohttp", call);
    fix.imports = mod.needs;
    if (!timeout_) {
      fix.applicability = Applicability::Safe;
      p.arg = "timeout=" + mod.text + ".ClientTimeout(total=300, sock_connect=30)";
      fix.title = info_.fix_title + ": aiohttp's default, written out (300 s in all, 30 s to connect)";
      return p;
    }
    std::string value = seconds(*timeout_);
    fix.applicability = Applicability::Unsafe;
    p.arg = "timeout=" + mod.text + ".ClientTimeout(total=300, sock_connect=" + value + ", sock_read=" + value + ")";
    fix.title = info_.fix_title + ": " + value + " s to connect and between reads, 300 s in all (aiohttp's default: 300 s in all)";
    return p;
  }

  void on_match(const Match& match, FileContext& ctx) const override {
    TSNode call = match.capture("call");
    auto q = ctx.model().qualified_name(field(call, "function"));
    if (!q) return;
    bool httpx = *q == "httpx.AsyncClient" || *q == "httpx._client.AsyncClient";
    bool aiohttp = *q == "aiohttp.ClientSession" || *q == "aiohttp.client.ClientSession";
    if (!httpx && !aiohttp) return;
    std::string_view src = ctx.text();
    TSNode args = field(call, "arguments");
    auto kids = syntax::code_children(args);
    for (TSNode a : kids) {
      if (is(a, "dictionary_splat")) return;
      if (!is(a, "keyword_argument")) continue;
      std::string_view name = text(field(a, "name"), src);
      if (name == "timeout") return;
      // An in-process client (a test calling the app through ASGI, no network): no timeout
      // to lose. `AsyncClient(app=app)`, `transport=httpx.ASGITransport(app=app)` (or a name
      // holding one), WSGITransport, MockTransport.
      if (httpx && name == "app") return;
      if (httpx && name == "transport" && in_process_transport(ctx, field(a, "value"))) return;
    }
    if (every_request_sets_timeout(ctx, call)) return;
    Finding& f = ctx.report(call);
    Proposal p = httpx ? httpx_timeout() : aiohttp_timeout(ctx, call);
    Fix fix = std::move(p.fix);
    const std::string& arg = p.arg;
    if (kids.empty()) {
      fix.edits.push_back(Edit{ts_node_end_byte(args) - 1, ts_node_end_byte(args) - 1, arg});
    } else {
      // After the last argument; a positional-only splat (*a) keeps keywords after it legal.
      fix.edits.push_back(Edit{ts_node_end_byte(kids.back()), ts_node_end_byte(kids.back()), ", " + arg});
    }
    f.fix = std::move(fix);
  }

 private:
  std::optional<double> timeout_;
  RuleInfo info_;
};

}  // namespace

RulePtr make_client_without_timeout(const RuleSettings& settings) {
  return std::make_shared<ClientWithoutTimeout>(settings);
}

}  // namespace asyncfix::rules

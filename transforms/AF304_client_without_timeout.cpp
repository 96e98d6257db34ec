// AF304 client-without-timeout: an async HTTP client with no explicit timeout.
//
//   httpx.AsyncClient()              -> httpx.AsyncClient(timeout=10.0)
//   aiohttp.ClientSession()          -> aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10.0))
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

class ClientWithoutTimeout : public Rule {
 public:
  explicit ClientWithoutTimeout(const RuleSettings& settings) : timeout_(settings.client_timeout) {
    info_ = builtin_info("AF304");
  }
  const RuleInfo& info() const override { return info_; }
  void register_matchers(MatcherRegistry& registry) const override {
    registry.add_query(
        "((call function: [(attribute attribute: (identifier) @m) (identifier) @m]) @call"
        " (#any-of? @m \"AsyncClient\" \"ClientSession\"))");
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
    Finding& f = ctx.report(call);
    std::string value = seconds(timeout_);
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Unsafe;
    std::string arg;
    if (httpx) {
      arg = "timeout=" + value;
    } else {
      auto mod = ctx.imports().module("aiohttp", call);
      arg = "timeout=" + mod.text + ".ClientTimeout(total=" + value + ")";
      fix.imports = mod.needs;
    }
    if (kids.empty()) {
      fix.edits.push_back(Edit{ts_node_end_byte(args) - 1, ts_node_end_byte(args) - 1, arg});
    } else {
      // After the last argument; a positional-only splat (*a) keeps keywords after it legal.
      fix.edits.push_back(Edit{ts_node_end_byte(kids.back()), ts_node_end_byte(kids.back()), ", " + arg});
    }
    f.fix = std::move(fix);
  }

 private:
  double timeout_;
  RuleInfo info_;
};

}  // namespace

RulePtr make_client_without_timeout(const RuleSettings& settings) {
  return std::make_shared<ClientWithoutTimeout>(settings);
}

}  // namespace asyncfix::rules

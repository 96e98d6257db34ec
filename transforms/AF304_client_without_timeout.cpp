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
      if (is(a, "keyword_argument") && text(field(a, "name"), src) == "timeout") return;
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

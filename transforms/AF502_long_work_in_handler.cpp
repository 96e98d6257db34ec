// AF502 long-work-in-handler: a slow side effect (an email, a webhook, a notification)
// awaited inside a route handler, before its response. Reported, with FastAPI's
// BackgroundTasks as the way out; which calls count is configurable.
#include "engine/source/triggers.h"
#include <set>

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

class LongWorkInHandler : public Rule {
 public:
  explicit LongWorkInHandler(const RuleSettings& settings) : extra_(settings.slow_side_effects) {
    info_ = builtin_info("AF502");
  }
  const RuleInfo& info() const override { return info_; }

  void check_file(FileContext& ctx) const override {
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (!is(n, "function_definition")) return true;
      if (syntax::is_async_def(n) && ctx.model().is_route_handler(n) && !is_websocket_handler(ctx, n)) check_handler(ctx, n);
      return true;
    });
  }

 private:
  // A websocket endpoint has no response to send first: what it awaits is its work (issue 16).
  static bool is_websocket_handler(FileContext& ctx, TSNode fn) {
    std::string_view src = ctx.text();
    TSNode dec = syntax::parent(fn);
    if (is(dec, "decorated_definition")) {
      for (TSNode d : syntax::code_children(dec)) {
        if (is(d, "decorator") && text(d, src).find(".websocket") != std::string_view::npos) return true;
      }
    }
    for (TSNode p : syntax::code_children(field(fn, "parameters"))) {
      TSNode ann = field(p, "type");
      if (syntax::is_null(ann)) continue;
      auto kids = syntax::code_children(ann);
      auto q = kids.empty() ? std::nullopt : ctx.model().qualified_name(kids[0]);
      if (q && (*q == "fastapi.WebSocket" || *q == "starlette.websockets.WebSocket" || *q == "fastapi.websockets.WebSocket"))
        return true;
    }
    return false;
  }

  bool slow(const std::string& qual, std::string_view last) const {
    std::string l(last);
    for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string w = l;
    while (!w.empty() && w.front() == '_') w.erase(0, 1);
    if (w.rfind("send_", 0) == 0 && (w.find("mail") != std::string::npos || w.find("message") != std::string::npos ||
                                     w.find("sms") != std::string::npos || w.find("notification") != std::string::npos))
      return true;
    if (w == "sendmail" || w == "send_message" || w.find("webhook") != std::string::npos || w.rfind("notify", 0) == 0)
      return true;
    if (qual == "aiosmtplib.send") return true;
    for (const auto& e : extra_) {
      if (qual == e || (qual.size() > e.size() && qual.compare(qual.size() - e.size(), e.size(), e) == 0 &&
                        qual[qual.size() - e.size() - 1] == '.') ||
          std::string(last) == e)
        return true;
    }
    return false;
  }

  void check_handler(FileContext& ctx, TSNode fn) const {
    std::string_view src = ctx.text();
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (!is(n, "expression_statement") || ts_node_named_child_count(n) != 1) return true;
      TSNode aw = ts_node_named_child(n, 0);
      if (!is(aw, "await")) return true;
      TSNode call = ts_node_named_child(aw, 0);
      if (!is(call, "call")) return true;
      TSNode callee = field(call, "function");
      std::string_view last = is(callee, "attribute") ? text(field(callee, "attribute"), src)
                              : is(callee, "identifier") ? text(callee, src)
                                                         : std::string_view();
      if (last.empty()) return true;
      std::string qual = ctx.model().qualified_name(callee).value_or(std::string(last));
      if (!slow(qual, last)) return true;
      Finding& f = ctx.report(aw);
      f.note = "add a `background_tasks: BackgroundTasks` parameter and run it after the response: "
               "`background_tasks.add_task(" + std::string(text(callee, src)) + ", ...)`";
      return true;
    });
  }

  std::vector<std::string> extra_;
  RuleInfo info_;
};

}  // namespace

RulePtr make_long_work_in_handler(const RuleSettings& settings) {
  return std::make_shared<LongWorkInHandler>(settings);
}

}  // namespace asyncfix::rules

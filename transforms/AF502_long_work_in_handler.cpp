// AF502 long-work-in-handler: a slow side effect (an email, a webhook, a notification)
// awaited inside a route handler, before its response. Reported, with FastAPI's
// BackgroundTasks as the way out; which calls count is configurable.
#include "engine/source/triggers.h"
#include <set>

#include "engine/rule/context.h"
#include "engine/semantic/model.h"
#include "engine/syntax/node.h"
#include "transforms/rules.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

class LongWorkInHandler : public Rule {
 public:
  explicit LongWorkInHandler(const RuleSettings& settings) : extra_(settings.slow_side_effects) {
    info_.id = "AF502";
    info_.name = "long-work-in-handler";
    info_.severity = Severity::P3;
    info_.message = "a slow side effect is awaited before the response: the client waits for it";
    info_.fixable = false;
    info_.triggers = {"await"};
    info_.required_triggers = {kAsyncDefTrigger};
    info_.origin = "built-in";
    info_.docs.what_it_does =
        "Checks route handlers for awaited calls whose result is not used and whose name says "
        "they are a slow side effect: sending mail or messages (`send_email`, `send_mail`, "
        "`send_message`, `sendmail`, `send_sms`, `aiosmtplib.send`), webhooks (a name with "
        "`webhook`), notifications (`notify...`), plus the names in `slow-side-effects` of "
        "`[tool.asyncfix]` (qualified names or their last parts, e.g. `app.audit.record`). "
        "This is a report; there is no automatic fix.";
    info_.docs.why_bad =
        "The response waits for work the client does not need to wait for: an SMTP exchange "
        "takes seconds, a webhook as long as the remote side wants. Requests are slow, time out "
        "under load, and a failure of the side effect fails a request whose real work succeeded.";
    info_.docs.example =
        "```python\n@router.post(\"/signup\")\nasync def signup(data: SignupIn):\n    user = await create_user(data)\n"
        "    await send_welcome_email(user.email)\n    return user\n```";
    info_.docs.use_instead =
        "```python\n@router.post(\"/signup\")\nasync def signup(data: SignupIn, background_tasks: BackgroundTasks):\n"
        "    user = await create_user(data)\n    background_tasks.add_task(send_welcome_email, user.email)\n"
        "    return user\n```";
    info_.docs.fix_safety =
        "No fix: moving work after the response changes what a client can rely on (the mail is "
        "not sent yet when the response arrives; its failure is no longer reported to the client). "
        "That is a product decision. A task queue may also be the better home for it.";
  }
  const RuleInfo& info() const override { return info_; }

  void check_file(FileContext& ctx) const override {
    syntax::walk(ctx.root(), [&](TSNode n) {
      if (!is(n, "function_definition")) return true;
      if (syntax::is_async_def(n) && ctx.model().is_route_handler(n)) check_handler(ctx, n);
      return true;
    });
  }

 private:
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

// AF107 blocking-input: `input()` and known CPU-heavy calls inside `async def`.
#include "engine/source/triggers.h"
#include "engine/rule/context.h"
#include "transforms/blocking_rule.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

RuleInfo make_info(const RuleSettings& settings) {
  RuleInfo i;
  i.id = "AF107";
  i.name = "blocking-input";
  i.severity = Severity::P1;
  i.message = "blocking call inside `async def`";
  i.fix_title = "Run it in a thread: `await asyncio.to_thread(...)`";
  i.applicability = Applicability::Safe;
  i.fixable = true;
  i.triggers = {"input", "getpass", "bcrypt", "pbkdf2_hmac", "scrypt"};
  for (const auto& extra : settings.extra_blocking_calls) {
    std::string last = extra.substr(extra.rfind('.') == std::string::npos ? 0 : extra.rfind('.') + 1);
    i.triggers.push_back(last);
  }
  i.required_triggers = {kAsyncDefTrigger};  // only fires inside `async def`
  i.origin = "built-in";
  i.docs.what_it_does =
      "Checks for `input()` / `getpass.getpass()` and for known CPU-heavy calls (`bcrypt.hashpw`, "
      "`bcrypt.checkpw`, `bcrypt.kdf`, `hashlib.pbkdf2_hmac`, `hashlib.scrypt`) inside `async def`. "
      "More calls can be listed in `[tool.asyncfix] blocking-calls`.";
  i.docs.why_bad =
      "`input()` waits for a human; a password hash is designed to take a noticeable fraction of a "
      "second. Either way the event loop does nothing else meanwhile: every other coroutine stalls.";
  i.docs.example = "```python\nasync def login(password, stored):\n    return bcrypt.checkpw(password, stored)\n```";
  i.docs.use_instead =
      "```python\nasync def login(password, stored):\n    return await asyncio.to_thread(bcrypt.checkpw, password, stored)\n```";
  i.docs.fix_safety =
      "The fix is safe for these functions: they depend only on their arguments, and the C "
      "implementations release the GIL, so running them in a worker thread gives the same "
      "result without stalling the loop.";
  return i;
}

class BlockingInput : public BlockingCallRule {
 public:
  explicit BlockingInput(const RuleSettings& settings) : BlockingCallRule(make_info(settings)), settings_(settings) {}
  void register_matchers(MatcherRegistry& registry) const override {
    std::string names;
    for (const auto& n : blocking_call_names("AF107", &settings_)) names += " \"" + n + "\"";
    registry.add_query("((call function: [(identifier) (attribute attribute: (identifier) @name)]) @call"
                       " (#any-of? @name" + names + "))");
  }

 protected:
  std::string message(const BlockingHit& hit) const override {
    bool io = hit.api == "input" || hit.api == "getpass.getpass";
    return "`" + hit.api + "()` " + (io ? "waits for input" : "is CPU-heavy") + " and blocks the event loop inside `async def`";
  }
  void add_fix(TSNode call, const BlockingHit&, FileContext& ctx, Finding& f) const override {
    if (inside_generator_expression(call)) return;
    f.fix = to_thread_fix(ctx, call, info_.fix_title, Applicability::Safe);
  }

 private:
  RuleSettings settings_;
};

}  // namespace

RulePtr make_blocking_input(const RuleSettings& settings) { return std::make_shared<BlockingInput>(settings); }

}  // namespace asyncfix::rules

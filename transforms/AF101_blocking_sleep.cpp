#include "transforms/AF101_blocking_sleep.h"

#include "engine/rewrite/precedence.h"
#include "engine/run/context.h"
#include "engine/syntax/node.h"

namespace asyncfix::rules {

BlockingSleep::BlockingSleep() {
  info_.id = "AF101";
  info_.name = "blocking-sleep";
  info_.severity = Severity::P1;
  info_.message = "`time.sleep()` blocks the event loop inside `async def`";
  info_.fix_title = "Replace with `await asyncio.sleep(...)`";
  info_.applicability = Applicability::Safe;
  info_.fixable = true;
  info_.triggers = {"sleep"};
  info_.origin = "built-in";
  info_.docs.what_it_does =
      "Checks for `time.sleep()` called inside an `async def` function (however it was "
      "imported: `import time as t`, `from time import sleep as nap`).";
  info_.docs.why_bad =
      "`time.sleep()` suspends the whole thread, and with it the event loop: no other request, "
      "task or timer of the service runs until it returns. `asyncio.sleep()` suspends only the "
      "current coroutine.\n\nCalls in a plain `def`, or in a `def` or `lambda` nested inside the "
      "coroutine, are not reported: they may run in a thread.";
  info_.docs.example =
      "```python\nimport time\n\n\nasync def poll():\n    time.sleep(5)\n```";
  info_.docs.use_instead =
      "```python\nimport asyncio\n\n\nasync def poll():\n    await asyncio.sleep(5)\n```";
  info_.docs.fix_safety =
      "The fix is safe: `await asyncio.sleep(x)` waits as long as `time.sleep(x)` did, but lets "
      "other coroutines run meanwhile. It adds `import asyncio` when needed (reusing an existing "
      "`import asyncio as aio`), adds parentheses where precedence requires them "
      "(`(await asyncio.sleep(1)).x`), and removes the `time` import once nothing else uses it.";
}

void BlockingSleep::register_matchers(MatcherRegistry& registry) const {
  registry.add_query(
      "((call function: [(identifier) (attribute)] @fn arguments: (argument_list) @args) @call"
      " (#af-qualname? @fn \"time.sleep\"))");
}

void BlockingSleep::on_match(const Match& match, FileContext& ctx) const {
  TSNode call = match.capture("call");
  if (!ctx.model().inside_async(call)) return;
  Finding& finding = ctx.report(call);

  TSNode fn = match.capture("fn");
  auto asyncio = ctx.imports().module("asyncio", call);
  Fix fix;
  fix.title = info_.fix_title;
  fix.applicability = Applicability::Safe;
  bool parens = needs_parens(call, ctx.text(), "await");
  fix.edits.push_back(Edit{syntax::start(call), syntax::start(call), parens ? "(await " : "await "});
  fix.edits.push_back(Edit{syntax::start(fn), syntax::end(fn), asyncio.text + ".sleep"});
  if (parens) fix.edits.push_back(Edit{syntax::end(call), syntax::end(call), ")"});
  fix.imports = asyncio.needs;
  auto qual = ctx.model().qualified_name(fn);
  if (qual && syntax::is(fn, "identifier")) {
    fix.remove_if_unused.push_back(*qual);          // from time import sleep
  } else {
    fix.remove_if_unused.push_back("time");         // import time [as t]
  }
  finding.fix = std::move(fix);
}

}  // namespace asyncfix::rules

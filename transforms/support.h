// Helpers the C++ transforms share: fix shapes that several rules produce.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>

#include "engine/rewrite/edit.h"

namespace asyncfix {
class FileContext;

namespace rules {

// Does the project depend on `package` (requirements / pyproject), or does this file import it?
bool package_available(FileContext& ctx, std::string_view package);

// `f(a, b)` -> `await asyncio.to_thread(f, a, b)` (`obj.m(a)` -> `... to_thread(obj.m, a)`),
// with parentheses where the call's place needs them and `import asyncio` ensured.
Fix to_thread_fix(FileContext& ctx, TSNode call, std::string title, Applicability applicability);

// `call` -> `await call` with parentheses where needed.
Fix await_fix(FileContext& ctx, TSNode call, std::string title, Applicability applicability);

// The text between the parentheses of a call's argument list ("" for `f()`); for a call
// whose only argument is a generator expression, that expression.
std::string call_arguments(FileContext& ctx, TSNode call);

// Is `call` in a generator expression (where `await` would make an async generator)?
bool inside_generator_expression(TSNode node);

// Is this call's coroutine handed to something that runs it: asyncio.run(c),
// asyncio.create_task(c), asyncio.gather(c, ...), loop.run_until_complete(c), ...?
bool passed_to_coroutine_runner(FileContext& ctx, TSNode call);

}  // namespace rules
}  // namespace asyncfix

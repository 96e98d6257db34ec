// Helpers the C++ transforms share: fix shapes that several rules produce.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>

#include "engine/rewrite/edit.h"
#include "engine/rewrite/edit_list.h"

namespace asyncfix {
class FileContext;

namespace rules {

// Does the project depend on `package` (requirements / pyproject), or does this file import it?
bool package_available(FileContext& ctx, std::string_view package);

// `f(a, b)` -> `await asyncio.to_thread(f, a, b)` (`obj.m(a)` -> `... to_thread(obj.m, a)`),
// with parentheses where the call's place needs them and `import asyncio` ensured.
Fix to_thread_fix(FileContext& ctx, TSNode call, std::string title, Applicability applicability);
// `call` -> `await asyncio.to_thread(<thread_args>)`, the same way (thread_args as written,
// e.g. `lambda: Path(p).resolve().exists()`).
Fix await_in_thread_fix(FileContext& ctx, TSNode call, const std::string& thread_args, std::string title,
                        Applicability applicability);

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

// How the value of a call of an async generator function is used.
enum class AsyncIterUse {
  Fine,      // `async for`, handed on (an argument, returned, yielded, stored in a literal),
             // or a variable that is only used so
  SyncLoop,  // the call itself is the iterable of a plain `for` or comprehension: add `async`
  Wrong,     // awaited, iterated or consumed synchronously (list(), next(), a plain `for` over
             // the variable it is stored in), or dropped: `where` is the place
};
AsyncIterUse async_iter_use(FileContext& ctx, TSNode call, TSNode* where);

// The start of the line that holds `offset`.
uint32_t line_start(std::string_view src, uint32_t offset);

// A def inside another function (the migration's plan covers module-level functions and
// methods of module-level classes only).
bool is_nested_function(TSNode fn);

// Can the migration await at n? In an `async def`, or in a function the plan can make async:
// a module-level function or method (not nested), whose summary has no async_blocker.
bool migration_can_await_at(FileContext& ctx, TSNode n);

// Blank lines right before (dir -1) or after (+1) a line start. The start of the file counts
// as two (enough for a top-level definition).
int count_blank_lines(std::string_view src, uint32_t at, int dir);

// The newlines that bring `have` blank lines up to PEP 8's two around a top-level def.
inline std::string blank_lines_to_two(int have) { return std::string(have >= 2 ? 0 : static_cast<size_t>(2 - have), '\n'); }

// Module-level helpers that fixes add (HelperNeed) carry this in their docstring, so a later
// run finds and reuses them instead of adding another.
inline constexpr const char* kHelperMarker = "(added by asyncfix)";

// The name for a module helper: the name of a top-level function asyncfix added before
// (its name starts with `base`, its body holds kHelperMarker and `needle`), else a fresh name.
std::string helper_name(FileContext& ctx, const std::string& base, std::string_view needle);

// Removes a call argument with the comma after it (or before it, for the last one).
void remove_argument(TSNode arg, std::string_view src, EditList& edits);

}  // namespace rules
}  // namespace asyncfix

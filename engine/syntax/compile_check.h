// Python's rules beyond the grammar: code that tree-sitter (and `ast.parse`) accepts but
// `compile()` refuses, so the module never imports. Every write path checks the text it
// would write against these, as it checks for syntax errors; `check` reports them (AF202 the
// async ones it can fix, AF000 the rest).
//
//   def load(db):                    1:5   'await' outside async function
//       return await db.get(User, 1)
//   x = [y async for y in rows()]    1:5   asynchronous comprehension outside of an
//                                          asynchronous function
//   async def rows():
//       yield 1
//       return 2                     3:5   'return' with value in async generator
//
// The messages are CPython's (3.11), so a user can search for them.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <string>
#include <vector>

namespace asyncfix::syntax {

struct CompileError {
  enum class Kind {
    AwaitOutsideFunction,       // `await` at module level or in a class body
    AwaitOutsideAsync,          // `await` in a plain def or a lambda
    AsyncWithOutsideAsync,      // `async with` outside `async def`
    AsyncForOutsideAsync,       // `async for` (a statement) outside `async def`
    AsyncComprehension,         // a list/set/dict comprehension that awaits, outside `async def`
    ReturnInAsyncGenerator,     // `return value` in an `async def` that yields
    YieldFromInAsync,           // `yield from` in an `async def`
    YieldOutsideFunction,       // `yield` at module level or in a class body
    YieldInComprehension,       // `yield` in a comprehension or generator expression
    ReturnOutsideFunction,      // `return` at module level or in a class body
    ExceptMixed,                // `except` and `except*` on the same `try`
    BreakOutsideLoop,           // `break` / `continue` outside a loop
  };
  Kind kind;
  uint32_t begin = 0, end = 0;  // byte range of the offending node
  std::string message;          // CPython's wording
  // For the async kinds, the scope that would have to be `async def` for the code to compile:
  // a function_definition, a lambda, a class_definition or the module.
  TSNode where{};
  // The kinds AF202 reports (and can fix by making the function `async def`).
  bool is_async_outside_async() const {
    return kind == Kind::AwaitOutsideFunction || kind == Kind::AwaitOutsideAsync ||
           kind == Kind::AsyncWithOutsideAsync || kind == Kind::AsyncForOutsideAsync ||
           kind == Kind::AsyncComprehension;
  }
};

// The compile-time errors of a tree, in source order. Parts of the tree that do not parse
// (ERROR nodes) are skipped: they are syntax errors already. Iterative: any depth of nesting.
std::vector<CompileError> compile_errors(TSNode root);

}  // namespace asyncfix::syntax

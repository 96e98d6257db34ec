// Operator precedence, to know when a rewritten expression needs parentheses where it lands:
// replacing `time.sleep(1)` in `time.sleep(1).x` with an await needs `(await asyncio.sleep(1)).x`.
#pragma once

#include <tree_sitter/api.h>

#include <string_view>

namespace asyncfix {

// Binding strength of an expression node kind (higher binds tighter). `op` is the operator
// text for binary/boolean/unary operators (ignored otherwise).
int precedence_of(std::string_view kind, std::string_view op = {});

// The least precedence an expression must have to stand where `slot` stands (from its
// parent, its field, and the parent's operator).
int required_precedence(TSNode slot, std::string_view source);

// Does an expression of kind `kind` (operator `op`) need parentheses to replace `slot`?
bool needs_parens(TSNode slot, std::string_view source, std::string_view kind, std::string_view op = {});

namespace prec {
constexpr int kStatement = 0, kLambda = 1, kConditional = 2, kOr = 3, kAnd = 4, kNot = 5,
              kComparison = 6, kBitOr = 7, kBitXor = 8, kBitAnd = 9, kShift = 10, kSum = 11,
              kProduct = 12, kUnary = 13, kPower = 14, kAwait = 15, kPrimary = 16, kAtom = 17;
}

}  // namespace asyncfix

#include "engine/rewrite/precedence.h"

#include "engine/syntax/node.h"

namespace asyncfix {

using namespace prec;

namespace {
int binary_level(std::string_view op) {
  if (op == "|") return kBitOr;
  if (op == "^") return kBitXor;
  if (op == "&") return kBitAnd;
  if (op == "<<" || op == ">>") return kShift;
  if (op == "+" || op == "-") return kSum;
  if (op == "*" || op == "/" || op == "//" || op == "%" || op == "@") return kProduct;
  if (op == "**") return kPower;
  return kSum;
}
}  // namespace

int precedence_of(std::string_view kind, std::string_view op) {
  if (kind == "lambda") return kLambda;
  if (kind == "named_expression" || kind == "yield") return kStatement;
  if (kind == "conditional_expression") return kConditional;
  if (kind == "boolean_operator") return op == "and" ? kAnd : kOr;
  if (kind == "not_operator") return kNot;
  if (kind == "comparison_operator") return kComparison;
  if (kind == "binary_operator") return binary_level(op);
  if (kind == "unary_operator") return kUnary;
  if (kind == "await") return kAwait;
  if (kind == "attribute" || kind == "subscript" || kind == "call") return kPrimary;
  if (kind == "expression_list" || kind == "pattern_list" || kind == "as_pattern") return kStatement;
  return kAtom;
}

int required_precedence(TSNode slot, std::string_view src) {
  TSNode p = syntax::parent(slot);
  if (syntax::is_null(p)) return kStatement;
  std::string_view pk = syntax::kind(p);
  const char* f = syntax::field_of(p, slot);
  std::string_view field = f ? f : "";
  auto op_text = [&]() -> std::string_view {
    TSNode o = syntax::field(p, "operator");
    return syntax::is_null(o) ? std::string_view() : syntax::text(o, src);
  };
  if ((pk == "attribute" && field == "object") || (pk == "subscript" && field == "value") ||
      (pk == "call" && field == "function") || pk == "await")
    return kPrimary;
  if (pk == "binary_operator") {
    std::string_view op = op_text();
    int lvl = binary_level(op);
    if (op == "**") return field == "left" ? kAwait : kUnary;
    return field == "left" ? lvl : lvl + 1;
  }
  if (pk == "unary_operator") return kUnary;
  if (pk == "not_operator") return kNot;
  if (pk == "boolean_operator") {
    int lvl = op_text() == "and" ? kAnd : kOr;
    return field == "left" ? lvl : lvl + 1;
  }
  if (pk == "comparison_operator") return kComparison + 1;
  if (pk == "conditional_expression") {
    // body `if` condition `else` orelse: the first two are or_tests, the last an expression.
    TSNode first = ts_node_named_child(p, 0), second = ts_node_named_child(p, 1);
    if (syntax::same(first, slot) || syntax::same(second, slot)) return kOr;
    return kConditional;
  }
  if (pk == "list_splat" || pk == "dictionary_splat") return kBitOr;
  if (pk == "expression_statement" || pk == "parenthesized_expression" || pk == "return_statement" ||
      pk == "assignment" || pk == "augmented_assignment")
    return kStatement;
  return kLambda;
}

bool needs_parens(TSNode slot, std::string_view source, std::string_view kind, std::string_view op) {
  return precedence_of(kind, op) < required_precedence(slot, source);
}

}  // namespace asyncfix

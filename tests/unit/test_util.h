// Helpers shared by the unit tests: parse a snippet and keep everything alive together.
#pragma once

#include <memory>
#include <string>

#include "engine/semantic/model.h"
#include "engine/source/source_file.h"
#include "engine/syntax/node.h"
#include "engine/syntax/ts.h"

namespace asyncfix::testing {

struct Parsed {
  SourceFile source;
  syntax::Tree tree;
  std::unique_ptr<semantic::SemanticModel> model;
  TSNode root() const { return tree.root(); }

  // The first named node of `kind` whose text is `text` (or any text when empty).
  TSNode find(std::string_view kind, std::string_view text = {}) const {
    TSNode found{};
    syntax::walk(root(), [&](TSNode n) {
      if (!ts_node_is_null(found)) return false;
      if (ts_node_is_named(n) && syntax::kind(n) == kind &&
          (text.empty() || syntax::text(n, source.text()) == text)) {
        found = n;
        return false;
      }
      return true;
    });
    return found;
  }
};

inline std::unique_ptr<Parsed> parse(std::string code, std::string module = {}) {
  auto p = std::make_unique<Parsed>(Parsed{*SourceFile::from_bytes("t.py", std::move(code)), {}, nullptr});
  static thread_local syntax::Parser parser;
  p->tree = std::move(parser.parse(p->source.text())).value();
  p->model = std::make_unique<semantic::SemanticModel>(
      semantic::SemanticModel::build(p->root(), p->source.text(), std::move(module)));
  return p;
}

}  // namespace asyncfix::testing

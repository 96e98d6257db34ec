// Rewrite templates: code with the pattern's metavariables, rendered at the node a fix
// replaces. `$X` is the captured node's text, `$$$X` the captured run with its original
// separators (and comments); multi-line templates and captures are re-indented to where they
// land (see the worked example in template.cpp); captures get parentheses where precedence
// needs them in the template (`$X.y` with X = `a + b` gives `(a + b).y`); names the rule
// imports (`asyncio` of `imports: add: [asyncio]`) are spelled as the file has them (an
// existing `import asyncio as aio` gives `aio`).
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/match/match_input.h"
#include "engine/rewrite/edit.h"

namespace asyncfix {

class SourceFile;
class ImportPlanner;

// One entry of a rule's `imports: add:`: "asyncio", "import httpx",
// "from contextlib import asynccontextmanager".
struct ImportSpec {
  std::string module;
  std::string name;  // empty for `import module`
  static Expected<ImportSpec> parse(std::string_view text);
  // The name the import binds (what the template writes): "asyncio", "asynccontextmanager".
  std::string local() const;
};

class FixTemplate {
 public:
  static Expected<FixTemplate> compile(std::string_view text, const std::vector<ImportSpec>& imports);

  const std::string& text() const { return text_; }
  // Metavariables the template uses (without `$`).
  std::vector<std::string> metavariables() const;

  struct Rendered {
    std::string text;
    std::vector<ImportNeed> needs;  // imports the text relies on
  };
  // Renders for a match whose fix replaces `replaced` (parentheses around the whole result
  // included when the place needs them).
  Rendered render(const MetaEnv& env, TSNode replaced, const SourceFile& source, const ImportPlanner& planner) const;

 private:
  struct Segment {
    enum class Type { Text, Metavar, ImportName } type = Type::Text;
    std::string text;       // Text: literal; Metavar: name; ImportName: the local name
    bool multi = false;
    int required_prec = 0;  // Metavar: precedence its place in the template needs
  };
  std::string text_;
  std::vector<Segment> segments_;
  std::vector<ImportSpec> imports_;
  std::string root_kind_, root_op_;  // of the template's expression, when it is one
  size_t indent_unit_ = 4;           // the template's own indentation step
};

}  // namespace asyncfix

// The import service: how to spell a module or a name at a place in the file, which import
// statements a fix needs, and where they go.
//
// New imports go after the module docstring, after `from __future__` imports, next to the
// first block of existing top-level imports (after its last statement); `from m import x`
// joins an existing top-level `from m import ...`. Nothing is imported twice, and an
// existing `import asyncio as aio` provides `asyncio` (spelled `aio`).
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/rewrite/edit.h"
#include "engine/semantic/model.h"
#include "engine/source/source_file.h"

namespace asyncfix {

class ImportPlanner {
 public:
  ImportPlanner(const SourceFile& src, TSNode root, const semantic::SemanticModel& model)
      : src_(src), root_(root), model_(model) {}

  struct Reference {
    std::string text;               // what to write at the place
    std::vector<ImportNeed> needs;  // the imports that make it valid (empty: already valid)
  };

  // The module `module` ("asyncio", "os.path") at node `at`.
  Reference module(std::string_view module, TSNode at) const;
  // `module.name` at node `at`, spelled `name` via `from module import name` unless the file
  // already provides it another way (`import module` -> "module.name").
  Reference name(std::string_view module, std::string_view name, TSNode at) const;

  // Edits that add the needed imports (deduplicated, skipping those already present) and
  // helpers (skipping those whose key is already bound at module level).
  std::vector<Edit> insertion_edits(std::vector<ImportNeed> needs,
                                    std::vector<HelperNeed> helpers) const;

  // Edits removing top-level imports of these qualified names where nothing references them
  // (and they are not re-exported through __all__ or `import x as x`).
  // With keep_used false, they go even where the text still references them (the reviewer's
  // preview of one fix shows the removal the whole pass will make).
  std::vector<Edit> removal_edits(const std::vector<std::string>& qualnames, bool keep_used = true) const;

  // Is there a reference to an import of qualname, at module level or in a function? (used
  // to decide, before a fix pass, which imports a fix may leave unused)
  bool is_import_used(std::string_view qualname) const;

 private:
  uint32_t insertion_offset(bool* after_statement, bool* before_code) const;
  // The module's import statements before `limit` (its import block), with their isort
  // section: 0 __future__, 1 stdlib, 2 third-party, 3 first-party (relative, or this
  // module's own package).
  struct Existing {
    uint32_t begin = 0, line_begin = 0, line_end = 0;
    bool is_from = false;
    std::string module, top;
    int section = 2;
  };
  std::vector<Existing> header_imports(uint32_t limit) const;
  // Places the new import statements by isort section: appends an edit for each place among
  // the existing imports, and returns the text of those that go at `at`.
  std::string place_by_section(const std::vector<std::pair<const ImportNeed*, std::string>>& statements, uint32_t at,
                               std::vector<Edit>* edits) const;
  // The existing import that a new import of `need` (in `section`) goes after, or before,
  // within its section; both null when the section has none.
  static void neighbours_in_section(const std::vector<Existing>& existing, const ImportNeed& need, int section,
                                    const Existing** after, const Existing** before);
  int section_of(std::string_view module) const;
  bool provided_at(const std::string& local, const std::string& qualname, TSNode at) const;
  std::string free_alias(const std::string& base, TSNode at) const;

  const SourceFile& src_;
  TSNode root_;
  const semantic::SemanticModel& model_;
};

// A name based on `base` that nothing in the file binds or reads: base, base_1, base_2...
std::string fresh_name(const semantic::SemanticModel& model, std::string_view base);

// The needs whose local name (alias, name, or the module's first part) the edits or helpers
// write as a word.
std::vector<ImportNeed> referenced_imports(const std::vector<ImportNeed>& needs, const std::vector<Edit>& edits,
                                           const std::vector<HelperNeed>& helpers);

// Is `module` ("json", "os.path") in the Python standard library?
bool is_stdlib_module(std::string_view module);

}  // namespace asyncfix

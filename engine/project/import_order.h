// The order in which the project index summarizes a wave of modules: a module after the
// modules it imports, so that the answers it gets about their classes, globals and results
// are there the first time (ProjectIndex::load_wave). Read from the text, without parsing:
// the order only decides how often a summary is made again, never what it says (a summary
// made too early is made again when its answers change, as before).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace asyncfix::project {

// The names an import statement of text may take a module from, as written: `import a.b as c`
// gives "a.b"; `from ..x import y, z` gives "..x", "..x.y" and "..x.z" (y may be a submodule);
// `from . import y` gives "." and ".y". Statements anywhere (indented under `if
// TYPE_CHECKING:`, in a function), parenthesized name lists over several lines, backslash
// continuations. A line of a string that reads like an import counts too: the order is a
// guess that costs, at worst, a summary made again.
std::vector<std::string> imported_names(std::string_view text);

// A name as imported_names gives it, made absolute for module `module` (a package's
// __init__ when is_package): "..x" in a.b.c is "a.x", in the package a.b it is "a.x" as well
// ("." is the package itself). "" when the dots climb above the top.
std::string absolute_import(std::string_view written, std::string_view module, bool is_package);

// Levels for n nodes where deps[i] lists the nodes i should come after: every node's level
// is after the levels of the nodes it depends on, except within a cycle, whose nodes share
// one level. Level 0 first; within a level, nodes in increasing order.
std::vector<std::vector<size_t>> dependency_levels(const std::vector<std::vector<size_t>>& deps);

}  // namespace asyncfix::project

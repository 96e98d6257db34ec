#include "engine/rewrite/imports.h"

#include <algorithm>

#include "engine/syntax/node.h"

namespace asyncfix {

using syntax::field;
using syntax::is;
using syntax::kind;
using syntax::text;

std::string fresh_name(const semantic::SemanticModel& model, std::string_view base) {
  std::string name(base);
  for (int i = 1; model.all_names().count(name); ++i) name = std::string(base) + "_" + std::to_string(i);
  return name;
}

bool ImportPlanner::provided_at(const std::string& local, const std::string& qualname, TSNode at) const {
  const semantic::Binding* b = model_.resolve(local, at);
  return b && b->is_import() && b->qualname == qualname;
}

std::string ImportPlanner::free_alias(const std::string& base, TSNode at) const {
  // Nothing may bind the alias anywhere: a module-level import is visible in every scope.
  return fresh_name(model_, "_" + base);
}

ImportPlanner::Reference ImportPlanner::module(std::string_view module, TSNode at) const {
  std::string mod(module);
  std::string root = mod.substr(0, mod.find('.'));
  // 1. Visible under its own name.
  if (mod == root ? provided_at(root, mod, at) : provided_at(root, root, at)) return {mod, {}};
  // 2. Visible under an alias (`import asyncio as aio`), or from a parent (`from os import path`).
  for (const auto& st : model_.imports()) {
    for (const auto& b : st.bindings) {
      if (b.qualname != mod) continue;
      std::string local(text(b.name, model_.source()));
      if (provided_at(local, mod, at)) return {local, {}};
    }
  }
  // 3. Needs an import. Use the plain name unless something else owns it here.
  const semantic::Binding* b = model_.resolve(root, at);
  bool root_taken = (b && !(b->is_import() && b->qualname == root)) ||
                    (!b && model_.is_bound_anywhere(root));
  if (!root_taken) return {mod, {ImportNeed{mod, "", ""}}};
  std::string alias = free_alias(root, at);
  return {alias, {ImportNeed{mod, "", alias}}};
}

ImportPlanner::Reference ImportPlanner::name(std::string_view module, std::string_view name,
                                             TSNode at) const {
  std::string mod(module), nm(name), qual = mod + "." + nm;
  if (provided_at(nm, qual, at)) return {nm, {}};
  for (const auto& st : model_.imports()) {
    for (const auto& b : st.bindings) {
      std::string local(text(b.name, model_.source()));
      if (b.qualname == qual && provided_at(local, qual, at)) return {local, {}};
      // `import module` (or an alias of it) already in the file.
      if (b.qualname == mod && provided_at(local, mod, at)) return {local + "." + nm, {}};
    }
  }
  const semantic::Binding* b = model_.resolve(nm, at);
  bool taken = (b && !(b->is_import() && b->qualname == qual)) || (!b && model_.is_bound_anywhere(nm));
  if (!taken) return {nm, {ImportNeed{mod, nm, ""}}};
  std::string alias = free_alias(nm, at);
  return {alias, {ImportNeed{mod, nm, alias}}};
}

namespace {

bool is_docstring(TSNode stmt) {
  if (!is(stmt, "expression_statement")) return false;
  auto kids = syntax::code_children(stmt);
  return kids.size() == 1 && (is(kids[0], "string") || is(kids[0], "concatenated_string"));
}

bool is_import(TSNode n) {
  return is(n, "import_statement") || is(n, "import_from_statement");
}

// Offset of the start of the line after the one holding `offset` (or text size at EOF).
uint32_t next_line_start(std::string_view text_, uint32_t offset) {
  size_t nl = text_.find('\n', offset);
  return nl == std::string_view::npos ? static_cast<uint32_t>(text_.size()) : static_cast<uint32_t>(nl + 1);
}

uint32_t line_start_of(std::string_view text_, uint32_t offset) {
  size_t nl = offset == 0 ? std::string_view::npos : text_.rfind('\n', offset - 1);
  return nl == std::string_view::npos ? 0 : static_cast<uint32_t>(nl + 1);
}

}  // namespace

uint32_t ImportPlanner::insertion_offset(bool* after_statement, bool* before_code) const {
  std::string_view t = src_.text();
  auto stmts = syntax::code_children(root_);
  size_t i = 0;
  TSNode last_skipped{};
  if (i < stmts.size() && is_docstring(stmts[i])) last_skipped = stmts[i++];
  while (i < stmts.size() && is(stmts[i], "future_import_statement")) last_skipped = stmts[i++];
  // The first block of imports at or after i (they may come after other statements, e.g.
  // `__all__ = ...` or `logger = ...`: then the first import statement of the module starts it).
  size_t first = i;
  while (first < stmts.size() && !is_import(stmts[first])) {
    // Only look past simple statements; an import after a def is not "the imports".
    std::string_view k = kind(stmts[first]);
    if (k != "expression_statement" && k != "if_statement" && k != "try_statement") {
      first = stmts.size();
      break;
    }
    ++first;
  }
  *before_code = false;
  if (first < stmts.size()) {
    size_t j = first;
    while (j + 1 < stmts.size() && is_import(stmts[j + 1])) ++j;
    *after_statement = true;
    return next_line_start(t, syntax::end(stmts[j]));
  }
  if (!ts_node_is_null(last_skipped)) {
    *after_statement = true;
    return next_line_start(t, syntax::end(last_skipped));
  }
  *after_statement = false;
  if (i < stmts.size()) {
    *before_code = true;
    return line_start_of(t, syntax::start(stmts[i]));
  }
  return static_cast<uint32_t>(t.size());
}

std::vector<Edit> ImportPlanner::insertion_edits(std::vector<ImportNeed> needs,
                                                 std::vector<HelperNeed> helpers) const {
  std::vector<Edit> edits;
  // Deduplicate, keep first-requested order.
  std::vector<ImportNeed> uniq;
  for (auto& n : needs) {
    if (std::find(uniq.begin(), uniq.end(), n) == uniq.end()) uniq.push_back(std::move(n));
  }
  // `import aiofiles.os` also binds `aiofiles`: a plain `import aiofiles` beside it is redundant.
  uniq.erase(std::remove_if(uniq.begin(), uniq.end(),
                            [&](const ImportNeed& n) {
                              if (!n.name.empty() || !n.alias.empty()) return false;
                              return std::any_of(uniq.begin(), uniq.end(), [&](const ImportNeed& o) {
                                return o.name.empty() && o.alias.empty() && o.module.rfind(n.module + ".", 0) == 0;
                              });
                            }),
             uniq.end());
  // New imports in a stable, readable order: `import x` lines, then `from x import y`.
  std::stable_sort(uniq.begin(), uniq.end(), [](const ImportNeed& a, const ImportNeed& b) {
    if (a.name.empty() != b.name.empty()) return a.name.empty();
    return a.module != b.module ? a.module < b.module : a.name < b.name;
  });
  std::vector<HelperNeed> uhelpers;
  for (auto& h : helpers) {
    bool dup = std::any_of(uhelpers.begin(), uhelpers.end(), [&](const HelperNeed& o) { return o.key == h.key; });
    if (!dup && !model_.scope(0).bindings.count(h.key)) uhelpers.push_back(std::move(h));
  }

  std::string block;
  for (const ImportNeed& n : uniq) {
    // Already present at module level (a previous fix in this pass may have been rolled back
    // and retried: never add the same import twice).
    bool present = false;
    std::string qual = n.name.empty() ? n.module : n.module + "." + n.name;
    std::string local = !n.alias.empty() ? n.alias : n.name.empty() ? n.module.substr(0, n.module.find('.')) : n.name;
    auto it = model_.scope(0).bindings.find(local);
    if (it != model_.scope(0).bindings.end()) {
      for (const auto& b : it->second) {
        if (b.is_import() && (b.qualname == qual || (n.name.empty() && n.alias.empty() && b.qualname == local)))
          present = true;
      }
    }
    if (present && (n.name.empty() && n.alias.empty() && n.module.find('.') != std::string::npos)) present = false;
    if (present) continue;

    // `from m import x`: join an existing top-level `from m import ...`.
    if (!n.name.empty()) {
      bool joined = false;
      for (const auto& st : model_.imports()) {
        if (!st.module_level || !st.is_from || st.is_future || st.module != n.module) continue;
        if (!syntax::child_of_kind(st.node, "wildcard_import").id && !st.bindings.empty()) {
          TSNode last{};
          syntax::TreeCursor c(st.node);
          if (c.first_child()) {
            do {
              const char* f = c.field_name();
              if (f && std::string_view(f) == "name") last = c.node();
            } while (c.next_sibling());
          }
          if (ts_node_is_null(last)) continue;
          std::string add = ", " + n.name + (n.alias.empty() ? "" : " as " + n.alias);
          edits.push_back(Edit{syntax::end(last), syntax::end(last), add});
          joined = true;
          break;
        }
      }
      if (joined) continue;
    }
    block += n.statement() + "\n";
  }
  if (block.empty() && uhelpers.empty()) return edits;

  bool after_statement = false, before_code = false;
  uint32_t at = insertion_offset(&after_statement, &before_code);
  std::string_view t = src_.text();
  std::string out;
  bool at_eof_without_newline = at == t.size() && !t.empty() && t.back() != '\n';
  if (at_eof_without_newline) out += "\n";
  out += block;
  for (const auto& h : uhelpers) {
    out += "\n";
    out += h.code;
    if (out.back() != '\n') out += "\n";
  }
  if (before_code) out += "\n";
  edits.push_back(Edit{at, at, out});
  return edits;
}

namespace {
bool in_dunder_all(const semantic::SemanticModel& model, std::string_view name) {
  auto it = model.scope(0).bindings.find("__all__");
  if (it == model.scope(0).bindings.end()) return false;
  std::string quoted1 = "\"" + std::string(name) + "\"", quoted2 = "'" + std::string(name) + "'";
  for (const auto& b : it->second) {
    std::string_view st = text(b.statement, model.source());
    if (st.find(quoted1) != std::string_view::npos || st.find(quoted2) != std::string_view::npos) return true;
  }
  return false;
}
}  // namespace

bool ImportPlanner::is_import_used(std::string_view qualname) const {
  for (const auto& st : model_.imports()) {
    if (!st.module_level) continue;
    for (const auto& b : st.bindings) {
      if (b.qualname == qualname && model_.count_references(b) > 0) return true;
    }
  }
  return false;
}

std::vector<Edit> ImportPlanner::removal_edits(const std::vector<std::string>& qualnames) const {
  std::vector<Edit> edits;
  std::string_view t = src_.text();
  for (const auto& st : model_.imports()) {
    if (!st.module_level || st.is_future) continue;
    // Which of this statement's names go?
    std::vector<size_t> drop;
    for (size_t i = 0; i < st.bindings.size(); ++i) {
      const auto& b = st.bindings[i];
      if (std::find(qualnames.begin(), qualnames.end(), b.qualname) == qualnames.end()) continue;
      std::string_view local = text(b.name, t);
      TSNode parent = syntax::parent(b.name);
      // `import x as x` / `from m import x as x` is an explicit re-export: keep it.
      if (is(parent, "aliased_import") && text(field(parent, "name"), t) == local) continue;
      if (model_.count_references(b) > 0 || in_dunder_all(model_, local)) continue;
      drop.push_back(i);
    }
    if (drop.empty()) continue;
    if (drop.size() == st.bindings.size()) {
      // The whole statement goes; with its line when nothing else is on it.
      uint32_t b = syntax::start(st.node), e = syntax::end(st.node);
      uint32_t ls = line_start_of(t, b);
      uint32_t le = next_line_start(t, e);
      std::string_view before = t.substr(ls, b - ls);
      std::string_view after = t.substr(e, le - e);
      bool blank_before = before.find_first_not_of(" \t") == std::string_view::npos;
      size_t after_code = after.find_first_not_of(" \t\r\n");
      bool blank_after = after_code == std::string_view::npos || after[after_code] == '#';
      if (blank_before && blank_after) {
        // At the top of the file, the blank lines that followed go too.
        if (ls == 0) {
          while (le < t.size() && (t[le] == '\n' || (t[le] == '\r' && le + 1 < t.size() && t[le + 1] == '\n'))) {
            le += t[le] == '\r' ? 2 : 1;
          }
        }
        edits.push_back(Edit{ls, le, ""});
      } else {
        // `import a; import b`: take the statement and one neighbouring ';'.
        size_t semi = t.find_first_not_of(" \t", e);
        if (semi != std::string_view::npos && t[semi] == ';') {
          size_t next = t.find_first_not_of(" \t", semi + 1);
          edits.push_back(Edit{b, static_cast<uint32_t>(next == std::string_view::npos ? semi + 1 : next), ""});
        } else {
          size_t prev = t.find_last_not_of(" \t", b == 0 ? 0 : b - 1);
          if (prev != std::string_view::npos && t[prev] == ';') edits.push_back(Edit{static_cast<uint32_t>(prev), e, ""});
        }
      }
      continue;
    }
    // Some names of a multi-name statement go: remove each with its comma (ranges of
    // neighbouring names can touch; they are merged below).
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    for (size_t i : drop) {
      TSNode nm = st.bindings[i].name;
      TSNode item = syntax::parent(nm);
      if (is(item, "dotted_name") || is(item, "aliased_import")) {
        if (is(item, "dotted_name") && is(syntax::parent(item), "aliased_import")) item = syntax::parent(item);
      }
      uint32_t b = syntax::start(item), e = syntax::end(item);
      size_t comma = t.find_first_not_of(" \t", e);
      if (comma != std::string_view::npos && t[comma] == ',') {
        size_t next = t.find_first_not_of(" \t", comma + 1);
        ranges.emplace_back(b, static_cast<uint32_t>(next == std::string_view::npos ? comma + 1 : next));
      } else {
        size_t prev = t.find_last_not_of(" \t\r\n", b == 0 ? 0 : b - 1);
        if (prev != std::string_view::npos && t[prev] == ',') ranges.emplace_back(static_cast<uint32_t>(prev), e);
      }
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (!edits.empty() && i > 0 && ranges[i].first <= edits.back().end) {
        edits.back().end = std::max(edits.back().end, ranges[i].second);
      } else {
        edits.push_back(Edit{ranges[i].first, ranges[i].second, ""});
      }
    }
  }
  return edits;
}

}  // namespace asyncfix

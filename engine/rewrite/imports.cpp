#include "engine/rewrite/imports.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "engine/syntax/node.h"

namespace asyncfix {

using syntax::field;
using syntax::is;
using syntax::kind;
using syntax::text;

std::vector<ImportNeed> referenced_imports(const std::vector<ImportNeed>& needs, const std::vector<Edit>& edits,
                                           const std::vector<HelperNeed>& helpers) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  auto writes = [&](std::string_view text, std::string_view word) {
    for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
      bool left = at == 0 || (!is_word(text[at - 1]) && text[at - 1] != '.');
      bool right = at + word.size() >= text.size() || !is_word(text[at + word.size()]);
      if (left && right) return true;
    }
    return false;
  };
  std::vector<ImportNeed> out;
  for (const ImportNeed& n : needs) {
    std::string local = !n.alias.empty() ? n.alias : !n.name.empty() ? n.name : n.module.substr(0, n.module.find('.'));
    bool used = std::any_of(edits.begin(), edits.end(), [&](const Edit& e) { return writes(e.text, local); }) ||
                std::any_of(helpers.begin(), helpers.end(), [&](const HelperNeed& h) { return writes(h.code, local); });
    if (used) out.push_back(n);
  }
  return out;
}

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

// The needs deduplicated (first-requested order kept), without those another one implies,
// in the order new imports are written.
std::vector<ImportNeed> unique_needs(std::vector<ImportNeed> needs) {
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
  return uniq;
}

// The helpers deduplicated by key, without those whose key the module already binds.
std::vector<HelperNeed> unique_helpers(const semantic::SemanticModel& model, std::vector<HelperNeed> helpers) {
  std::vector<HelperNeed> uhelpers;
  for (auto& h : helpers) {
    bool dup = std::any_of(uhelpers.begin(), uhelpers.end(), [&](const HelperNeed& o) { return o.key == h.key; });
    if (!dup && !model.scope(0).bindings.count(h.key)) uhelpers.push_back(std::move(h));
  }
  return uhelpers;
}

// Already present at module level (a previous fix in this pass may have been rolled back
// and retried: never add the same import twice).
bool already_imported(const semantic::SemanticModel& model, const ImportNeed& n) {
  bool present = false;
  std::string qual = n.name.empty() ? n.module : n.module + "." + n.name;
  std::string local = !n.alias.empty() ? n.alias : n.name.empty() ? n.module.substr(0, n.module.find('.')) : n.name;
  auto it = model.scope(0).bindings.find(local);
  if (it != model.scope(0).bindings.end()) {
    for (const auto& b : it->second) {
      if (b.is_import() && (b.qualname == qual || (n.name.empty() && n.alias.empty() && b.qualname == local)))
        present = true;
    }
  }
  if (present && (n.name.empty() && n.alias.empty() && n.module.find('.') != std::string::npos)) present = false;
  return present;
}

// The last name an import statement imports (null when it has none).
TSNode last_imported_name(TSNode statement) {
  TSNode last{};
  syntax::TreeCursor c(statement);
  if (c.first_child()) {
    do {
      const char* f = c.field_name();
      if (f && std::string_view(f) == "name") last = c.node();
    } while (c.next_sibling());
  }
  return last;
}

// `from m import x`: join an existing top-level `from m import ...` (the edit goes to
// `edits`). False when the file has none to join.
bool join_existing_from(const semantic::SemanticModel& model, const ImportNeed& n, std::vector<Edit>* edits) {
  for (const auto& st : model.imports()) {
    if (!st.module_level || !st.is_from || st.is_future || st.module != n.module) continue;
    if (!syntax::child_of_kind(st.node, "wildcard_import").id && !st.bindings.empty()) {
      TSNode last = last_imported_name(st.node);
      if (ts_node_is_null(last)) continue;
      std::string add = ", " + n.name + (n.alias.empty() ? "" : " as " + n.alias);
      edits->push_back(Edit{syntax::end(last), syntax::end(last), add});
      return true;
    }
  }
  return false;
}

// The statements that make the new imports, each with the first need it serves.
std::vector<std::pair<const ImportNeed*, std::string>> new_statements(const std::vector<const ImportNeed*>& fresh) {
  // `from m import a` and `from m import b` become one statement.
  std::vector<std::pair<const ImportNeed*, std::string>> statements;
  for (size_t i = 0; i < fresh.size(); ++i) {
    const ImportNeed& n = *fresh[i];
    if (!n.name.empty() && i > 0 && !statements.empty() && !statements.back().first->name.empty() &&
        statements.back().first->module == n.module) {
      statements.back().second += ", " + n.name + (n.alias.empty() ? "" : " as " + n.alias);
      continue;
    }
    statements.emplace_back(&n, n.statement());
  }
  return statements;
}

// The helpers' text, to insert at `at` of text `t`.
std::string helper_block(const std::vector<HelperNeed>& uhelpers, std::string_view t, uint32_t at) {
  // The helpers: top-level functions after the imports, two blank lines around them.
  std::string helper_text;
  for (const auto& h : uhelpers) {
    helper_text += h.code;
    if (helper_text.back() != '\n') helper_text += "\n";
    helper_text += "\n\n";
  }
  if (!helper_text.empty()) {
    helper_text.resize(helper_text.size() - 2);
    bool has_before = at > 0;
    if (has_before) {
      // Two blank lines before the first helper (the insertion point follows a line end).
      helper_text = "\n\n" + helper_text;
    }
    // ...and two after it when code follows.
    size_t blank_after = 0;
    for (uint32_t i = at; i < t.size();) {
      size_t nl = t.find('\n', i);
      std::string_view line = t.substr(i, (nl == std::string_view::npos ? t.size() : nl) - i);
      if (line.find_first_not_of(" \t\r") != std::string_view::npos || nl == std::string_view::npos) break;
      ++blank_after;
      i = static_cast<uint32_t>(nl + 1);
    }
    if (at < t.size()) helper_text += std::string(blank_after >= 2 ? 0 : 2 - blank_after, '\n');
  }
  return helper_text;
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
  std::vector<ImportNeed> uniq = unique_needs(std::move(needs));
  std::vector<HelperNeed> uhelpers = unique_helpers(model_, std::move(helpers));

  std::vector<const ImportNeed*> fresh;
  for (const ImportNeed& n : uniq) {
    if (already_imported(model_, n)) continue;
    if (!n.name.empty() && join_existing_from(model_, n, &edits)) continue;
    fresh.push_back(&n);
  }
  if (fresh.empty() && uhelpers.empty()) return edits;

  bool after_statement = false, before_code = false;
  uint32_t at = insertion_offset(&after_statement, &before_code);
  std::string_view t = src_.text();

  std::string tail = place_by_section(new_statements(fresh), at, &edits);  // goes at `at`
  std::string helper_text = helper_block(uhelpers, t, at);
  if (!helper_text.empty()) before_code = false;  // the helpers' blank lines part imports from code

  if (tail.empty() && helper_text.empty()) return edits;
  std::string out;
  bool at_eof_without_newline = at == t.size() && !t.empty() && t.back() != '\n';
  if (at_eof_without_newline) out += "\n";
  out += tail;
  out += helper_text;
  if (before_code && !tail.empty()) {
    // One blank line before code, two before a top-level def or class (as isort puts them).
    std::string_view next = t.substr(at);
    next.remove_prefix(std::min(next.size(), next.find_first_not_of(" \t\r\n")));
    bool def = next.rfind("def ", 0) == 0 || next.rfind("async def ", 0) == 0 || next.rfind("class ", 0) == 0 ||
               next.rfind("@", 0) == 0;
    out += def ? "\n\n" : "\n";
  }
  if (!out.empty()) edits.push_back(Edit{at, at, out});
  return edits;
}

std::string ImportPlanner::place_by_section(const std::vector<std::pair<const ImportNeed*, std::string>>& statements,
                                            uint32_t at, std::vector<Edit>* edits) const {
  // Each new import goes to its isort section: beside the imports of its package, else in
  // sorted place among its section's imports, else before the first import of a later
  // section (stdlib < third-party < first-party), else after the last import.
  std::vector<Existing> existing = header_imports(at);
  std::map<uint32_t, std::string> placed;  // offset -> text, in offset order
  std::string tail;                        // goes at `at`
  std::map<uint32_t, std::string> new_sections;  // a section the file lacks, before a later one
  int last_section = existing.empty() ? -1 : existing.back().section;
  for (const auto& [need, stmt] : statements) {
    int section = section_of(need->module);
    const Existing* after = nullptr;
    const Existing* before = nullptr;
    neighbours_in_section(existing, *need, section, &after, &before);
    if (!after && !before) {
      for (const Existing& e : existing) {
        if (e.section > section) {
          before = &e;
          break;
        }
      }
      if (before) {
        new_sections[before->line_begin] += stmt + "\n";
        continue;
      }
      if (last_section >= 0 && last_section < section && tail.empty()) tail += "\n";
      tail += stmt + "\n";
      continue;
    }
    if (after) placed[after->line_end] += stmt + "\n";
    else placed[before->line_begin] += stmt + "\n";
  }

  for (auto& [offset, txt] : new_sections) placed[offset] += txt + "\n";
  for (auto& [offset, txt] : placed) {
    if (offset == at) {
      tail = txt + tail;
      continue;
    }
    edits->push_back(Edit{offset, offset, txt});
  }
  return tail;
}

void ImportPlanner::neighbours_in_section(const std::vector<Existing>& existing, const ImportNeed& need, int section,
                                          const Existing** after_out, const Existing** before_out) {
  std::string top = need.module.substr(0, need.module.find('.'));
  bool is_from = !need.name.empty();
  const Existing* after = nullptr;
  const Existing* before = nullptr;
  for (const Existing& e : existing) {  // beside its package, in sorted place
    if (e.section != section || e.top != top) continue;
    if (!before && e.is_from == is_from && e.module > need.module) before = &e;
    after = &e;
  }
  if (before) after = nullptr;
  if (!after && !before) {
    const Existing* last_same_kind = nullptr;
    const Existing* first_from = nullptr;
    const Existing* last_in_section = nullptr;
    for (const Existing& e : existing) {
      if (e.section != section) continue;
      last_in_section = &e;
      if (e.is_from && !first_from) first_from = &e;
      if (e.is_from != is_from) continue;
      if (!before && e.module > need.module) before = &e;
      last_same_kind = &e;
    }
    if (!before) {
      if (last_same_kind) after = last_same_kind;
      else if (!is_from && first_from) before = first_from;  // `import x` lines come first
      else after = last_in_section;
    }
  }
  *after_out = after;
  *before_out = before;
}

int ImportPlanner::section_of(std::string_view module) const {
  if (module.empty() || module[0] == '.') return 3;
  if (module == "__future__") return 0;
  if (is_stdlib_module(module)) return 1;
  std::string_view own = model_.module_name();
  std::string_view own_top = own.substr(0, own.find('.'));
  if (!own_top.empty() && module.substr(0, module.find('.')) == own_top) return 3;
  return 2;
}

std::vector<ImportPlanner::Existing> ImportPlanner::header_imports(uint32_t limit) const {
  std::vector<Existing> out;
  std::string_view t = src_.text();
  for (TSNode st : syntax::code_children(root_)) {
    if (syntax::start(st) >= limit) break;
    if (!is_import(st)) continue;
    Existing e;
    e.begin = syntax::start(st);
    e.line_begin = line_start_of(t, e.begin);
    e.line_end = next_line_start(t, syntax::end(st));
    e.is_from = is(st, "import_from_statement");
    TSNode m = e.is_from ? field(st, "module_name") : field(st, "name");
    if (is(m, "aliased_import")) m = field(m, "name");
    e.module = std::string(text(m, t));
    e.top = e.module.substr(0, e.module.find('.'));
    e.section = section_of(e.module);
    out.push_back(std::move(e));
  }
  return out;
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

// Is `name` a word of a string annotation (`-> "Callable[[str], Session]"`)? Python reads it
// when the annotation is evaluated, pyflakes checks it: it is a use.
bool in_string_annotation(const semantic::SemanticModel& model, std::string_view name) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  auto has_word = [&](std::string_view s) {
    for (size_t at = s.find(name); at != std::string_view::npos; at = s.find(name, at + 1)) {
      size_t end = at + name.size();
      if ((at == 0 || (!is_word(s[at - 1]) && s[at - 1] != '.')) && (end == s.size() || !is_word(s[end]))) return true;
    }
    return false;
  };
  bool found = false;
  syntax::walk(model.scope(0).node, [&](TSNode n) {
    if (found) return false;
    if (!is(n, "type")) return true;
    syntax::walk(n, [&](TSNode str) {
      if (is(str, "string") && has_word(text(str, model.source()))) found = true;
      return !found;
    });
    return false;
  });
  return found;
}

// The indexes of the statement's bindings that go: those of `qualnames` that nothing uses or re-exports.
std::vector<size_t> unused_bindings(const semantic::SemanticModel& model, std::string_view t,
                                    const semantic::ImportStatement& st, const std::vector<std::string>& qualnames,
                                    bool keep_used = true) {
  std::vector<size_t> drop;
  for (size_t i = 0; i < st.bindings.size(); ++i) {
    const auto& b = st.bindings[i];
    if (std::find(qualnames.begin(), qualnames.end(), b.qualname) == qualnames.end()) continue;
    std::string_view local = text(b.name, t);
    TSNode parent = syntax::parent(b.name);
    // `import x as x` / `from m import x as x` at module level is an explicit re-export: keep
    // it (in a function it re-exports nothing).
    if (st.module_level && is(parent, "aliased_import") && text(field(parent, "name"), t) == local) continue;
    if ((keep_used && (model.count_references(b) > 0 || in_string_annotation(model, local))) || in_dunder_all(model, local))
      continue;
    drop.push_back(i);
  }
  return drop;
}

// Where removing the line [ls, le) of text `t` ends, with the blank lines that go with it.
uint32_t line_removal_end(std::string_view t, uint32_t ls, uint32_t le, bool first_in_block = false) {
  // At the top of the file, or of a block (black allows no blank line there), the blank lines
  // that followed go too.
  auto blank_line_at = [&](uint32_t p) {
    return p < t.size() && (t[p] == '\n' || (t[p] == '\r' && p + 1 < t.size() && t[p + 1] == '\n'));
  };
  if (ls == 0 || first_in_block) {
    while (blank_line_at(le)) le += t[le] == '\r' ? 2 : 1;
  } else if (blank_line_at(le)) {
    // A line alone between blank lines (a section of its own): one of them goes too.
    uint32_t prev = line_start_of(t, ls - 1);
    std::string_view prev_line = t.substr(prev, ls - prev);
    if (prev_line.find_first_not_of(" \t\r\n") == std::string_view::npos) le += t[le] == '\r' ? 2 : 1;
  }
  return le;
}

// Removes the import statement `node` of text `t` whole.
void remove_statement(std::string_view t, TSNode node, std::vector<Edit>* edits) {
  // The whole statement goes; with its line when nothing else is on it.
  uint32_t b = syntax::start(node), e = syntax::end(node);
  uint32_t ls = line_start_of(t, b);
  uint32_t le = next_line_start(t, e);
  std::string_view before = t.substr(ls, b - ls);
  std::string_view after = t.substr(e, le - e);
  bool blank_before = before.find_first_not_of(" \t") == std::string_view::npos;
  size_t after_code = after.find_first_not_of(" \t\r\n");
  bool blank_after = after_code == std::string_view::npos || after[after_code] == '#';
  if (blank_before && blank_after) {
    TSNode block = syntax::parent(node);
    bool first_in_block = is(block, "block") && ts_node_named_child_count(block) > 1 &&
                          syntax::same(ts_node_named_child(block, 0), node);
    edits->push_back(Edit{ls, line_removal_end(t, ls, le, first_in_block), ""});
  } else {
    // `import a; import b`: take the statement and one neighbouring ';'.
    size_t semi = t.find_first_not_of(" \t", e);
    if (semi != std::string_view::npos && t[semi] == ';') {
      size_t next = t.find_first_not_of(" \t", semi + 1);
      edits->push_back(Edit{b, static_cast<uint32_t>(next == std::string_view::npos ? semi + 1 : next), ""});
    } else {
      size_t prev = t.find_last_not_of(" \t", b == 0 ? 0 : b - 1);
      if (prev != std::string_view::npos && t[prev] == ';') edits->push_back(Edit{static_cast<uint32_t>(prev), e, ""});
    }
  }
}

// Removes the bindings `drop` of the multi-name statement `st` (text `t`).
void remove_names(std::string_view t, const semantic::ImportStatement& st, const std::vector<size_t>& drop,
                  std::vector<Edit>* edits) {
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
    if (!edits->empty() && i > 0 && ranges[i].first <= edits->back().end) {
      edits->back().end = std::max(edits->back().end, ranges[i].second);
    } else {
      edits->push_back(Edit{ranges[i].first, ranges[i].second, ""});
    }
  }
}
}  // namespace

bool ImportPlanner::is_import_used(std::string_view qualname) const {
  for (const auto& st : model_.imports()) {
    for (const auto& b : st.bindings) {
      if (b.qualname == qualname && model_.count_references(b) > 0) return true;
    }
  }
  return false;
}

std::vector<Edit> ImportPlanner::removal_edits(const std::vector<std::string>& qualnames, bool keep_used) const {
  std::vector<Edit> edits;
  std::string_view t = src_.text();
  for (const auto& st : model_.imports()) {
    if (st.is_future) continue;
    // An import in a function or class goes too, unless it is all its block holds.
    if (!st.module_level && ts_node_named_child_count(syntax::parent(st.node)) < 2) continue;
    // Which of this statement's names go?
    std::vector<size_t> drop = unused_bindings(model_, t, st, qualnames, keep_used);
    if (drop.empty()) continue;
    if (drop.size() == st.bindings.size()) {
      remove_statement(t, st.node, &edits);
      continue;
    }
    remove_names(t, st, drop, &edits);
  }
  return edits;
}

}  // namespace asyncfix

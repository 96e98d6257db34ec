#include "engine/project/import_order.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace asyncfix::project {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f'; }

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Reads the statement that starts at pos up to its end: the end of the line, past backslash
// continuations, and past the closing parenthesis of a parenthesized list. Comments are left
// out. Returns where the next line starts.
size_t statement_text(std::string_view t, size_t pos, std::string* out) {
  out->clear();
  int depth = 0;
  size_t i = pos;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c == '#') {
      while (i < t.size() && t[i] != '\n') ++i;
      if (i >= t.size()) break;
      c = '\n';
    }
    if (c == '\\' && i + 1 < t.size() && (t[i + 1] == '\n' || t[i + 1] == '\r')) {
      i += (t[i + 1] == '\r' && i + 2 < t.size() && t[i + 2] == '\n') ? 2 : 1;
      out->push_back(' ');
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == '\n' || c == ';' || (c == '\r' && depth <= 0)) {
      if (depth > 0 && c == '\n') {
        out->push_back(' ');
        continue;
      }
      break;
    }
    out->push_back(c);
  }
  while (i < t.size() && t[i] != '\n') ++i;
  return i < t.size() ? i + 1 : i;
}

// Whether s starts with the keyword w followed by a blank (or, for "import", a parenthesis).
bool starts_with_word(std::string_view s, std::string_view w) {
  return s.size() > w.size() && s.substr(0, w.size()) == w && (is_space(s[w.size()]) || s[w.size()] == '(');
}

// The dotted name (with leading dots when allowed) at the start of s, after blanks.
std::string_view dotted(std::string_view& s, bool leading_dots) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  size_t i = 0;
  if (leading_dots) {
    while (i < s.size() && s[i] == '.') ++i;
  }
  while (i < s.size() && (is_name_char(s[i]) || (s[i] == '.' && i > 0 && s[i - 1] != '.'))) ++i;
  while (i > 0 && s[i - 1] == '.' && !std::all_of(s.begin(), s.begin() + static_cast<long>(i), [](char c) { return c == '.'; }))
    --i;  // `import a.` is not a name; a trailing dot is left
  std::string_view name = s.substr(0, i);
  s.remove_prefix(i);
  return name;
}

// The comma-separated items of s, each the first dotted name it holds (`a.b as c` -> "a.b").
std::vector<std::string_view> items(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != ',') continue;
    std::string_view part = s.substr(start, i - start);
    while (!part.empty() && (is_space(part.front()) || part.front() == '(')) part.remove_prefix(1);
    std::string_view name = dotted(part, false);
    if (!name.empty()) out.push_back(name);
    start = i + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> imported_names(std::string_view t) {
  std::vector<std::string> out;
  std::string stmt;
  for (size_t pos = 0; pos < t.size();) {
    size_t s = pos;
    while (s < t.size() && is_space(t[s])) ++s;
    std::string_view rest = t.substr(s);
    bool is_import = starts_with_word(rest, "import");
    bool is_from = !is_import && starts_with_word(rest, "from");
    if (!is_import && !is_from) {
      size_t nl = t.find('\n', s);
      pos = nl == std::string_view::npos ? t.size() : nl + 1;
      continue;
    }
    pos = statement_text(t, s, &stmt);
    std::string_view st = stmt;
    if (is_import) {
      st.remove_prefix(6);
      for (auto name : items(st)) out.emplace_back(name);
      continue;
    }
    st.remove_prefix(4);
    std::string_view base = dotted(st, true);
    while (!st.empty() && is_space(st.front())) st.remove_prefix(1);
    if (base.empty() || !starts_with_word(st, "import")) continue;
    st.remove_prefix(6);
    out.emplace_back(base);
    bool only_dots = std::all_of(base.begin(), base.end(), [](char c) { return c == '.'; });
    for (auto name : items(st)) {
      std::string full(base);
      if (!only_dots) full += '.';
      full += name;
      out.push_back(std::move(full));
    }
  }
  return out;
}

std::string absolute_import(std::string_view written, std::string_view module, bool is_package) {
  size_t dots = 0;
  while (dots < written.size() && written[dots] == '.') ++dots;
  if (dots == 0) return std::string(written);
  std::string_view pkg = module;
  // The package of a plain module is its parent; each dot after the first climbs one more.
  size_t climbs = dots - 1 + (is_package ? 0 : 1);
  for (size_t k = 0; k < climbs; ++k) {
    if (pkg.empty()) return {};
    size_t dot = pkg.rfind('.');
    pkg = dot == std::string_view::npos ? std::string_view() : pkg.substr(0, dot);
  }
  std::string_view rest = written.substr(dots);
  if (pkg.empty()) return std::string(rest);
  std::string out(pkg);
  if (!rest.empty()) out.append(".").append(rest);
  return out;
}

std::vector<std::vector<size_t>> dependency_levels(const std::vector<std::vector<size_t>>& deps) {
  // Tarjan's strongly connected components, without recursion (import chains run deep). A
  // component is complete only after every component it reaches, so levels are known as
  // components complete.
  const size_t n = deps.size();
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::vector<size_t> index(n, kNone), low(n, 0), comp(n, kNone), comp_level;
  std::vector<size_t> stack;
  std::vector<char> on_stack(n, 0);
  size_t counter = 0;
  struct Frame {
    size_t node, next;
  };
  std::vector<Frame> frames;
  for (size_t root = 0; root < n; ++root) {
    if (index[root] != kNone) continue;
    frames.push_back({root, 0});
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!frames.empty()) {
      Frame& f = frames.back();
      size_t v = f.node;
      if (f.next < deps[v].size()) {
        size_t w = deps[v][f.next++];
        if (w >= n || w == v) continue;
        if (index[w] == kNone) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = 1;
          frames.push_back({w, 0});
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        size_t c = comp_level.size();
        size_t level = 0;
        size_t first = stack.size();
        do {
          --first;
        } while (stack[first] != v);
        for (size_t k = first; k < stack.size(); ++k) comp[stack[k]] = c;
        for (size_t k = first; k < stack.size(); ++k) {
          for (size_t w : deps[stack[k]]) {
            if (w < n && comp[w] != c && comp[w] != kNone) level = std::max(level, comp_level[comp[w]] + 1);
          }
        }
        for (size_t k = first; k < stack.size(); ++k) on_stack[stack[k]] = 0;
        stack.resize(first);
        comp_level.push_back(level);
      }
      frames.pop_back();
      if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[v]);
    }
  }
  std::vector<std::vector<size_t>> levels;
  for (size_t v = 0; v < n; ++v) {
    size_t l = comp_level[comp[v]];
    if (levels.size() <= l) levels.resize(l + 1);
    levels[l].push_back(v);
  }
  return levels;
}

}  // namespace asyncfix::project

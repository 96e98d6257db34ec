#include "engine/project/module_names.h"

#include <filesystem>
#include <map>
#include <set>

namespace asyncfix::project {

namespace fs = std::filesystem;

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (unsigned char c : s) {
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80))
      return false;
  }
  return true;
}

// What the naming asks of a folder, asked once per folder.
class Folders {
 public:
  bool has_init(const fs::path& d) { return info(d).init; }
  bool is_project(const fs::path& d) { return info(d).project; }
  bool has_src(const fs::path& d) { return info(d).src; }

 private:
  struct Info {
    bool init = false, project = false, src = false;
  };
  const Info& info(const fs::path& d) {
    auto [it, fresh] = cache_.try_emplace(d.string());
    if (fresh) {
      std::error_code ec;
      it->second.init = fs::exists(d / "__init__.py", ec);
      it->second.project = fs::exists(d / "pyproject.toml", ec) || fs::exists(d / "setup.py", ec) ||
                           fs::exists(d / "setup.cfg", ec);
      it->second.src = it->second.project && fs::is_directory(d / "src", ec);
    }
    return it->second;
  }
  std::map<std::string, Info> cache_;
};

fs::path absolute_normal(const fs::path& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  return (ec ? p : a).lexically_normal();
}

fs::path without_trailing_slash(fs::path p) {
  if (p.has_filename() || p == p.root_path()) return p;
  return p.parent_path();
}

}  // namespace

std::string package_chain_name(const std::string& path, bool* is_package) {
  fs::path p(path);
  std::string stem = p.stem().string();
  *is_package = stem == "__init__";
  std::error_code ec;
  fs::path dir = fs::absolute(p, ec).parent_path().lexically_normal();
  // The topmost package folder above the file, through single namespace folders inside a
  // package (`app/api/v2/items.py` with no __init__.py in v2/ is app.api.v2.items); two
  // folders in a row without __init__.py end the climb.
  std::vector<std::string> parts, pending;
  if (!*is_package) pending.push_back(stem);
  int gap = 0;
  for (int depth = 0; depth < 64 && dir.has_relative_path(); ++depth, dir = dir.parent_path()) {
    if (fs::exists(dir / "__init__.py", ec)) {
      gap = 0;
      parts.insert(parts.end(), pending.begin(), pending.end());
      pending.clear();
      parts.push_back(dir.filename().string());
      continue;
    }
    if (++gap == 2) break;
    pending.push_back(dir.filename().string());
  }
  if (parts.empty()) parts.assign(pending.begin(), pending.begin() + (pending.empty() ? 0 : 1));
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += '.';
    out += *it;
  }
  return out;
}

void name_modules(std::vector<DiscoveredFile>& files, const std::vector<std::string>& run_paths) {
  Folders folders;
  std::set<std::string> roots;
  auto add_root = [&](const fs::path& d) {
    // A folder in a regular package is not a root: its modules are the package's.
    fs::path n = without_trailing_slash(d);
    if (!folders.has_init(n) && !(n.has_relative_path() && folders.has_init(n.parent_path()))) roots.insert(n.string());
  };
  std::error_code ec;
  add_root(absolute_normal(fs::current_path(ec)));
  for (const auto& given : run_paths) {
    fs::path a = absolute_normal(given);
    add_root(fs::is_directory(a, ec) ? a : a.parent_path());
  }
  // Project files and src/ folders above the files (each folder looked at once).
  std::set<std::string> seen;
  for (const auto& f : files) {
    for (fs::path d = absolute_normal(f.path).parent_path(); d.has_relative_path(); d = d.parent_path()) {
      if (!seen.insert(d.string()).second) break;
      if (folders.is_project(d)) {
        add_root(d);
        if (folders.has_src(d)) add_root(d / "src");
      }
      if (d.filename() == "src") add_root(d);
    }
  }

  for (auto& f : files) {
    fs::path a = absolute_normal(f.path);
    std::string stem = a.stem().string();
    f.is_package = stem == "__init__";
    std::vector<std::string> parts;
    if (!f.is_package) parts.push_back(stem);
    bool named = false;
    for (fs::path d = a.parent_path(); !d.empty(); d = d.parent_path()) {
      if (roots.count(d.string())) {
        named = true;
        break;
      }
      if (!d.has_relative_path()) break;
      parts.push_back(d.filename().string());
    }
    bool valid = named && !parts.empty();
    for (const auto& p : parts) valid = valid && is_identifier(p);
    if (!valid) {
      f.module = package_chain_name(f.path, &f.is_package);
      continue;
    }
    std::string out;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      if (!out.empty()) out += '.';
      out += *it;
    }
    f.module = std::move(out);
  }
}

}  // namespace asyncfix::project

#include "engine/run/discover.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

namespace fs = std::filesystem;

namespace asyncfix {

bool is_default_excluded_dir(const std::string& name) {
  static const char* const kDirs[] = {".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg",
                                      ".mypy_cache", ".nox", ".pants.d", ".pytype", ".ruff_cache",
                                      ".svn", ".tox", ".venv", "__pypackages__", "_build",
                                      "buck-out", "node_modules", "venv", "__pycache__",
                                      ".pytest_cache"};
  return std::any_of(std::begin(kDirs), std::end(kDirs), [&](const char* d) { return name == d; });
}

bool glob_match(std::string_view p, std::string_view s) {
  if (p.empty()) return s.empty();
  if (p.substr(0, 2) == "**") {
    std::string_view rest = p.substr(2);
    if (!rest.empty() && rest[0] == '/') {
      // "**/x": x here, or after any '/'.
      rest.remove_prefix(1);
      if (glob_match(rest, s)) return true;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '/' && glob_match(rest, s.substr(i + 1))) return true;
      }
      return false;
    }
    for (size_t i = 0; i <= s.size(); ++i) {
      if (glob_match(rest, s.substr(i))) return true;
    }
    return false;
  }
  if (p[0] == '*') {
    for (size_t i = 0; i <= s.size(); ++i) {
      if (glob_match(p.substr(1), s.substr(i))) return true;
      if (i < s.size() && s[i] == '/') break;  // '*' stays within one path component
    }
    return false;
  }
  if (s.empty()) return false;
  if (p[0] == '?') return s[0] != '/' && glob_match(p.substr(1), s.substr(1));
  if (p[0] == '[') {
    size_t close = p.find(']', 2);
    if (close != std::string_view::npos) {
      bool neg = p[1] == '!' || p[1] == '^';
      bool hit = false;
      for (size_t k = neg ? 2 : 1; k < close; ++k) {
        if (k + 2 < close && p[k + 1] == '-') {
          hit |= s[0] >= p[k] && s[0] <= p[k + 2];
          k += 2;
        } else {
          hit |= p[k] == s[0];
        }
      }
      return hit != neg && s[0] != '/' && glob_match(p.substr(close + 1), s.substr(1));
    }
  }
  if (p[0] == '\\' && p.size() > 1) return p[1] == s[0] && glob_match(p.substr(2), s.substr(1));
  return p[0] == s[0] && glob_match(p.substr(1), s.substr(1));
}

std::string module_name_for(const std::string& path, bool* is_package) {
  fs::path p(path);
  std::string stem = p.stem().string();
  *is_package = stem == "__init__";
  std::vector<std::string> parts;
  if (!*is_package) parts.push_back(stem);
  std::error_code ec;
  fs::path dir = fs::absolute(p, ec).parent_path();
  // Climb while the directory is a package.
  for (int depth = 0; depth < 64; ++depth) {
    if (!fs::exists(dir / "__init__.py", ec)) break;
    parts.push_back(dir.filename().string());
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += '.';
    out += *it;
  }
  return out;
}

namespace {

std::string display(const fs::path& p) {
  std::string s = p.lexically_normal().generic_string();
  if (s.rfind("./", 0) == 0) s = s.substr(2);
  return s;
}

bool excluded(const std::vector<std::string>& globs, const std::string& path, const std::string& name) {
  for (const auto& g : globs) {
    if (glob_match(g, name) || glob_match(g, path)) return true;
    // A pattern without '/' also matches any trailing part of the path.
    std::string gg = g;
    while (!gg.empty() && gg.back() == '/') gg.pop_back();
    if (gg.find('/') == std::string::npos && glob_match(gg, name)) return true;
  }
  return false;
}

bool is_python_name(const std::string& name) {
  auto ends = [&](const char* suf) {
    size_t n = std::char_traits<char>::length(suf);
    return name.size() >= n && name.compare(name.size() - n, n, suf) == 0;
  };
  return ends(".py") || ends(".pyi");
}

}  // namespace

Expected<Discovery> discover(const DiscoverOptions& options) {
  Discovery out;
  std::map<std::string, bool> seen;
  auto add_file = [&](const fs::path& p, bool explicit_) {
    std::string shown = display(p);
    if (seen.count(shown)) return;
    seen[shown] = true;
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (!ec && size > options.max_file_size) {
      out.skipped.push_back({shown, "larger than " + std::to_string(options.max_file_size >> 20) + " MB"});
      return;
    }
    DiscoveredFile f;
    f.path = shown;
    f.module = module_name_for(shown, &f.is_package);
    (void)explicit_;
    out.files.push_back(std::move(f));
  };

  for (const std::string& given : options.paths) {
    fs::path root(given);
    std::error_code ec;
    auto st = fs::status(root, ec);
    if (ec || !fs::exists(st)) {
      return make_error(Error::Kind::Usage, "no such file or directory", {given});
    }
    if (fs::is_regular_file(st)) {
      add_file(root, true);
      continue;
    }
    if (!fs::is_directory(st)) {
      out.skipped.push_back({display(root), "not a regular file"});
      continue;
    }
    // Walk in sorted order, so the output is the same on every machine.
    std::vector<fs::path> stack{root};
    std::vector<fs::path> files;
    while (!stack.empty()) {
      fs::path dir = stack.back();
      stack.pop_back();
      std::vector<fs::directory_entry> entries;
      for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        entries.push_back(*it);
      }
      if (ec) {
        out.skipped.push_back({display(dir), "cannot list directory: " + ec.message()});
        ec.clear();
        continue;
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
      std::vector<fs::path> subdirs;
      for (const auto& e : entries) {
        std::string name = e.path().filename().string();
        std::string shown = display(e.path());
        // Symlinks are not followed: they could lead out of the given roots or loop.
        if (e.is_symlink(ec)) continue;
        if (e.is_directory(ec)) {
          if (is_default_excluded_dir(name) || excluded(options.exclude, shown, name)) continue;
          subdirs.push_back(e.path());
        } else if (e.is_regular_file(ec) && is_python_name(name)) {
          if (excluded(options.exclude, shown, name)) continue;
          files.push_back(e.path());
        }
      }
      // Depth-first, files of a directory before its subdirectories, all sorted.
      for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) stack.push_back(*it);
      for (const auto& f : files) add_file(f, false);
      files.clear();
    }
  }
  return out;
}

}  // namespace asyncfix

#include "engine/run/project_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace asyncfix {

namespace fs = std::filesystem;

std::string normalize_package(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '.') out += '_';
    else out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<Version> parse_version(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && !std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == t.size()) return std::nullopt;
  Version v;
  size_t j = i;
  while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
  v.major = std::stoi(std::string(t.substr(i, j - i)));
  if (j < t.size() && t[j] == '.') {
    size_t k = j + 1;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k;
    if (k > j + 1) v.minor = std::stoi(std::string(t.substr(j + 1, k - j - 1)));
  }
  return v;
}

std::optional<std::pair<std::string, Version>> parse_requirement(std::string_view line) {
  size_t hash = line.find('#');
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
  if (line.empty() || line[0] == '-') return std::nullopt;  // options like -r, -e
  size_t n = 0;
  while (n < line.size() && (std::isalnum(static_cast<unsigned char>(line[n])) || line[n] == '-' || line[n] == '_' || line[n] == '.')) ++n;
  if (n == 0) return std::nullopt;
  std::string name = normalize_package(line.substr(0, n));
  std::string_view rest = line.substr(n);
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    rest = close == std::string_view::npos ? std::string_view() : rest.substr(close + 1);
  }
  Version v;
  // The first version after ==, ~=, >= (a lower bound or a pin is what the code must work with).
  for (const char* op : {"==", "~=", ">=", "===", ">"}) {
    size_t at = rest.find(op);
    if (at != std::string_view::npos) {
      if (auto pv = parse_version(rest.substr(at + std::string_view(op).size()))) {
        v = *pv;
        break;
      }
    }
  }
  return std::make_pair(name, v);
}

std::string project_root_for(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  for (fs::path d = p; !d.empty(); d = d.parent_path()) {
    for (const char* marker : {"pyproject.toml", "setup.cfg", "setup.py", "requirements.txt", "poetry.lock", "uv.lock",
                               "pytest.ini", "tox.ini", ".venv", ".git"}) {
      if (fs::exists(d / marker, ec)) return d.string();
    }
    if (d == d.parent_path()) break;
  }
  return p.string();
}

namespace {

bool versioned(const Version& v) { return v.major || v.minor; }

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// `where`: the file and the requirement as written, for the user ("requirements.txt: SQLAlchemy==1.4.46").
void add(ProjectDependencies& deps, const std::pair<std::string, Version>& r, const std::string& where) {
  auto it = deps.packages.find(r.first);
  if (it == deps.packages.end() || !versioned(it->second)) {
    deps.packages[r.first] = r.second;
    if (versioned(r.second)) deps.origins[r.first] = where;
  }
}

void read_requirements(const fs::path& file, ProjectDependencies& deps) {
  std::ifstream in(file);
  if (!in) return;
  deps.sources.push_back(file.string());
  std::string line;
  while (std::getline(in, line)) {
    if (auto r = parse_requirement(line)) add(deps, *r, file.filename().string() + ": " + trimmed(line.substr(0, line.find('#'))));
  }
}

// poetry.lock and uv.lock: `[[package]]` tables with a name and the exact version.
void read_lock(const fs::path& file, ProjectDependencies& deps) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return;
  try {
    toml::table t = toml::parse_file(file.string());
    auto* packages = t["package"].as_array();
    if (!packages) return;
    deps.sources.push_back(file.string());
    for (const auto& p : *packages) {
      const toml::table* pt = p.as_table();
      if (!pt) continue;
      auto name = (*pt)["name"].value<std::string>();
      auto version = (*pt)["version"].value<std::string>();
      if (!name || !version) continue;
      auto v = parse_version(*version);
      if (!v) continue;
      std::string n = normalize_package(*name);
      deps.packages[n] = *v;
      deps.origins[n] = file.filename().string() + ": " + *name + " " + *version;
    }
  } catch (const toml::parse_error&) {
    // A lock file that does not parse pins nothing.
  }
}

}  // namespace

void apply_dependencies(const ProjectDependencies& deps, RuleSettings& settings) {
  for (const auto& [name, version] : deps.packages) settings.project_packages.insert(name);
  auto pinned = [&](const char* name, Version& target, std::string* from) {
    auto it = deps.packages.find(name);
    if (it == deps.packages.end() || !versioned(it->second)) return;
    target = it->second;
    if (from) {
      auto o = deps.origins.find(name);
      *from = o != deps.origins.end() ? o->second : std::string(name) + " " + it->second.to_string();
    }
  };
  pinned("sqlalchemy", settings.target_sqlalchemy, &settings.sqlalchemy_from);
  pinned("fastapi", settings.target_fastapi, &settings.fastapi_from);
  pinned("python", settings.target_python, nullptr);
}

ProjectDependencies read_dependencies(const std::string& root_s) {
  ProjectDependencies deps;
  fs::path root(root_s);
  std::error_code ec;
  std::vector<fs::path> req_files;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind("requirements", 0) == 0 && e.path().extension() == ".txt") req_files.push_back(e.path());
  }
  if (fs::is_directory(root / "requirements", ec)) {
    for (const auto& e : fs::directory_iterator(root / "requirements", ec)) {
      if (e.path().extension() == ".txt") req_files.push_back(e.path());
    }
  }
  // What is deployed first: a lock file's versions are exact.
  read_lock(root / "poetry.lock", deps);
  read_lock(root / "uv.lock", deps);
  std::sort(req_files.begin(), req_files.end());
  for (const auto& f : req_files) read_requirements(f, deps);

  fs::path py = root / "pyproject.toml";
  if (fs::exists(py, ec)) {
    try {
      toml::table t = toml::parse_file(py.string());
      deps.sources.push_back(py.string());
      auto take_list = [&](const toml::array* arr) {
        if (!arr) return;
        for (const auto& v : *arr) {
          if (auto s = v.value<std::string>()) {
            if (auto r = parse_requirement(*s)) add(deps, *r, "pyproject.toml: " + *s);
          }
        }
      };
      take_list(t["project"]["dependencies"].as_array());
      if (auto opt = t["project"]["optional-dependencies"].as_table()) {
        for (const auto& [k, v] : *opt) take_list(v.as_array());
      }
      if (auto poetry = t["tool"]["poetry"]["dependencies"].as_table()) {
        for (const auto& [k, v] : *poetry) {
          Version ver;
          std::string spec;
          if (auto s = v.value<std::string>()) {
            spec = *s;
          } else if (auto tv = v.as_table()) {
            spec = (*tv)["version"].value_or(std::string());  // { version = "^1.4", extras = [...] }
          }
          if (auto pv = parse_version(spec)) ver = *pv;
          add(deps, {normalize_package(k.str()), ver}, "pyproject.toml: " + std::string(k.str()) + " = \"" + spec + "\"");
        }
      }
    } catch (const toml::parse_error&) {
      // A broken pyproject.toml is reported by the configuration reader; here it declares nothing.
    }
  }
  return deps;
}

}  // namespace asyncfix

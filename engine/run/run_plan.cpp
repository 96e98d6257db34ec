#include "engine/run/run_plan.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>
#include <utility>

#include "engine/run/installed_versions.h"
#include "engine/run/project_config.h"
#include "engine/run/rule_selectors.h"
#include "engine/run/runner.h"

namespace asyncfix {

namespace fs = std::filesystem;

namespace {

bool excluded_by_config(const Config& c, const std::string& path) {
  if (!c.exclude) return false;
  std::error_code ec;
  std::string rel = fs::absolute(path, ec).lexically_normal().lexically_relative(c.root).generic_string();
  for (const auto& g : *c.exclude) {
    if (glob_match(g, rel)) return true;
    // A pattern for a directory excludes what is under it.
    std::string dir = g;
    while (!dir.empty() && dir.back() == '/') dir.pop_back();
    if (rel.rfind(dir + "/", 0) == 0 && dir.find_first_of("*?[") == std::string::npos) return true;
    for (size_t i = rel.find('/'); i != std::string::npos; i = rel.find('/', i + 1)) {
      if (glob_match(dir, rel.substr(0, i))) return true;
    }
  }
  return false;
}

// The root of the project a group's files belong to: the directory of their configuration,
// else the repository's root, else the working directory when the first file is under it,
// else that file's directory.
fs::path project_root_of(const RunGroup& g) {
  if (g.config) return g.config->root;
  std::error_code ec;
  fs::path file = fs::absolute(g.files.front().path, ec).lexically_normal();
  for (fs::path d = file.parent_path(); !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / ".git", ec)) return d;
    if (d == d.parent_path()) break;
  }
  fs::path cwd = fs::current_path(ec);
  fs::path rel = file.lexically_relative(cwd);
  if (!rel.empty() && *rel.begin() != "..") return cwd;
  return file.parent_path();
}

// Does a file of the group import FastAPI? (Asked only when its version is known from nowhere.)
bool imports_fastapi(const RunGroup& g) {
  for (const auto& f : g.files) {
    std::ifstream in(f.path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("fastapi") == std::string::npos) continue;
      if (line.find("import fastapi") != std::string::npos || line.find("from fastapi") != std::string::npos) return true;
    }
  }
  return false;
}

// The targets no pin, configuration or flag gave: the versions installed for the project
// (its .venv, else python3's search path). A migration refuses to guess: with SQLAlchemy's
// version unknown, or FastAPI's in an app that imports it, it stops and says how to tell.
// A target the project's dependencies declared (`declared`) is lowered to an older installed
// version: the code must run where it is run now as well as where the pin says (forms written
// for SQLAlchemy 1.4 work on 2.0, `on_event` works on every FastAPI; not the other way).
Status targets_from_installed(RunGroup& g, const std::string& root, const ProjectDependencies& deps,
                              const std::set<std::string>& declared) {
  std::string source;
  auto installed = installed_for_project(root, &source);
  for (auto [name, target, from] : {std::tuple{"sqlalchemy", &g.settings.target_sqlalchemy, &g.settings.sqlalchemy_from},
                                    std::tuple{"fastapi", &g.settings.target_fastapi, &g.settings.fastapi_from}}) {
    auto it = installed.find(name);
    if (it == installed.end()) continue;
    if (from->empty()) {
      *target = it->second.version;
      *from = "installed: " + it->second.where;
    } else if (declared.count(name) && it->second.version < *target) {
      *target = it->second.version;
      *from = "installed: " + it->second.where + ", older than " + *from + ": the code must run on both";
    }
  }
  if (!g.settings.migrate_async_sqlalchemy) return Ok{};
  std::vector<std::string> missing;
  if (g.settings.sqlalchemy_from.empty()) missing.push_back("SQLAlchemy");
  if (g.settings.fastapi_from.empty() && (deps.has("fastapi") || imports_fastapi(g))) missing.push_back("FastAPI");
  if (missing.empty()) return Ok{};
  std::string what = missing.size() == 2 ? "SQLAlchemy and FastAPI" : missing.front();
  std::string read;
  for (const auto& s : deps.sources) read += (read.empty() ? "" : ", ") + fs::path(s).filename().string();
  return make_error(
      Error::Kind::Usage,
      "migrate async-sqlalchemy: which " + what + " the code runs on is not known, and the migration writes "
      "different code for each (async_sessionmaker needs SQLAlchemy 2.0, lifespan= FastAPI 0.93): " + root +
      (read.empty() ? " has no requirements file, pyproject.toml or lock file"
                    : " pins no version of it (read: " + read + ")") +
      ", and " + (source.empty() ? std::string("there is no python3 on PATH") : "none is installed for " + source) +
      "; give --target-sqlalchemy 1.4|2.0 and --target-fastapi X.Y (or pin them)");
}

// A group's settings: the setup's (or its project's dependencies), then its configuration,
// then the setup's target versions and migration mode; what none of them gives, from the
// versions installed for the project.
Status make_settings(RunGroup& g, const GroupSetup& setup) {
  const Config* c = g.config;
  std::string root = c ? c->root : project_root_for(g.files.front().path);
  ProjectDependencies deps;
  if (setup.settings) {
    g.settings = *setup.settings;
  } else {
    deps = read_dependencies(root);
    apply_dependencies(deps, g.settings);
  }
  std::set<std::string> declared;  // targets the dependencies gave (not a flag or the configuration)
  if (!g.settings.sqlalchemy_from.empty()) declared.insert("sqlalchemy");
  if (!g.settings.fastapi_from.empty()) declared.insert("fastapi");
  if (c) {
    c->apply(g.settings);
    if (c->target_sqlalchemy) declared.erase("sqlalchemy");
    if (c->target_fastapi) declared.erase("fastapi");
    if (c->target_sqlalchemy) g.settings.sqlalchemy_from = "target-sqlalchemy in " + c->path;
    if (c->target_fastapi) g.settings.fastapi_from = "target-fastapi in " + c->path;
  }
  for (auto [flag, target, from, name] :
       {std::tuple{&setup.target_sqlalchemy, &g.settings.target_sqlalchemy, &g.settings.sqlalchemy_from, "--target-sqlalchemy"},
        std::tuple{&setup.target_fastapi, &g.settings.target_fastapi, &g.settings.fastapi_from, "--target-fastapi"}}) {
    if (flag->empty()) continue;
    auto v = parse_version(*flag);
    if (!v) return make_error(Error::Kind::Usage, "`" + *flag + "` is not a version (expected X.Y, e.g. 2.0)");
    *target = *v;
    *from = name;
    declared.erase(from == &g.settings.sqlalchemy_from ? "sqlalchemy" : "fastapi");
  }
  g.settings.migrate_async_sqlalchemy = setup.migrate_async_sqlalchemy;
  // Asking python3 costs a process (a pyenv shim: 0.4 s), so only the migration, whose output
  // depends on the versions, asks; `check` keeps the declared ones, else the newest.
  if (!setup.settings && setup.migrate_async_sqlalchemy &&
      (g.settings.sqlalchemy_from.empty() || g.settings.fastapi_from.empty() || !declared.empty())) {
    return targets_from_installed(g, root, deps, declared);
  }
  return Ok{};
}

// One group: settings, rules, engine, per-file ignores, project index.
Status prepare_group(RunGroup& g, const GroupSetup& setup) {
  Status settings = make_settings(g, setup);
  if (!settings) return settings;
  auto rules = setup.rules(g);
  if (!rules) return rules.error();
  auto engine = Engine::create(std::move(rules).value(), g.settings);
  if (!engine) return engine.error();
  g.engine = std::move(engine).value();
  const Config* c = g.config;
  g.unsafe = setup.unsafe_fixes || (c && c->unsafe_fixes && *c->unsafe_fixes);
  if (c) {
    for (const auto& f : g.files) {
      auto codes = c->ignores_for(f.path);
      if (!codes.empty()) g.ignores[f.path] = expand_selectors(g.engine->rules(), codes);
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  SummaryStore* store = setup.store ? setup.store(g) : nullptr;
  if (setup.index_needed && g.engine->needs_project() && !setup.index_needed(g)) return Ok{};
  g.project = prepare_project(*g.engine, g.project_files.empty() ? g.files : g.project_files,
                              setup.classifier(g.settings), setup.jobs, store);
  g.index_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return Ok{};
}

}  // namespace

Status RunPlan::use_config(const std::string& path) {
  bool whole = fs::path(path).filename() != "pyproject.toml";
  auto c = load_config(path, whole);
  if (!c) return c.error();
  if (!*c) return make_error(Error::Kind::Config, path + ": no [tool.asyncfix] table");
  explicit_config_ = std::make_unique<Config>(std::move(**c));
  return Ok{};
}

Expected<const Config*> RunPlan::config_for(const std::string& path) {
  if (explicit_config_) return static_cast<const Config*>(explicit_config_.get());
  return finder_.for_path(path);
}

Expected<Discovery> RunPlan::discover(DiscoverOptions d) {
  auto first = config_for(d.paths.empty() ? (d.listed.empty() ? "." : d.listed.front()) : d.paths.front());
  if (!first) return first.error();
  const Config* c = *first;
  if (c && c->respect_gitignore && !*c->respect_gitignore) d.respect_ignore_files = false;
  if (c && c->max_file_size) d.max_file_size = *c->max_file_size;
  // Each file's own configuration sets its limit (a nested pyproject.toml's max-file-size
  // holds when the run starts above it).
  uint64_t fallback = d.max_file_size;
  d.max_file_size_for = [this, fallback](const std::string& path) {
    auto cfg = config_for(path);
    return cfg && *cfg && (*cfg)->max_file_size ? *(*cfg)->max_file_size : fallback;
  };
  return asyncfix::discover(d);
}

Status RunPlan::group(std::vector<DiscoveredFile> files) {
  std::map<const Config*, size_t> by_config;  // -> index in groups_
  for (auto& f : files) {
    auto c = config_for(f.path);
    if (!c) return c.error();
    if (*c && excluded_by_config(**c, f.path)) {
      ++excluded_;
      continue;
    }
    auto it = by_config.find(*c);
    if (it == by_config.end()) {
      groups_.emplace_back();
      groups_.back().config = *c;
      it = by_config.emplace(*c, groups_.size() - 1).first;
    }
    groups_[it->second].files.push_back(std::move(f));
  }
  return Ok{};
}

Status RunPlan::add_project_files(DiscoverOptions options) {
  for (RunGroup& g : groups_) {
    if (g.files.empty()) continue;
    // Spelled as the checked files are (relative when under the working directory).
    std::error_code cwd_ec;
    fs::path root = project_root_of(g);
    fs::path rel = root.lexically_relative(fs::current_path(cwd_ec));
    bool under = !rel.empty() && *rel.begin() != "..";
    options.paths = {under ? rel.string() : root.string()};
    options.listed.clear();
    auto found = discover(options);
    if (!found) return found.error();
    // The checked files as they were named (a file outside the root, or one the walk would
    // skip, stays in).
    std::map<std::string, const DiscoveredFile*> checked;
    std::error_code ec;
    for (const auto& f : g.files) checked.emplace(fs::absolute(f.path, ec).lexically_normal().string(), &f);
    for (auto& f : found->files) {
      // A file with another configuration (or a broken one: the run checks none of its
      // files) is another project's.
      auto c = config_for(f.path);
      if (!c || *c != g.config || (*c && excluded_by_config(**c, f.path))) continue;
      auto it = checked.find(fs::absolute(f.path, ec).lexically_normal().string());
      if (it == checked.end()) {
        g.project_files.push_back(std::move(f));
      } else {
        g.project_files.push_back(*it->second);
        checked.erase(it);
      }
    }
    for (const auto& [abs, f] : checked) g.project_files.push_back(*f);
  }
  return Ok{};
}

Status RunPlan::prepare(const GroupSetup& setup, const std::function<void(const RunGroup&)>& on_prepared) {
  for (RunGroup& g : groups_) {
    Status st = prepare_group(g, setup);
    if (!st) return st;
    if (on_prepared) on_prepared(g);
  }
  return Ok{};
}

}  // namespace asyncfix

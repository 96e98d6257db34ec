// [tool.asyncfix] in pyproject.toml: what a project says about how asyncfix runs on it.
//
//   [tool.asyncfix]
//   select = ["AF1", "AF2"]            # ids, id prefixes or names
//   ignore = ["AF403"]
//   exclude = ["migrations/**"]        # globs, relative to the pyproject.toml's directory
//   rules = ["asyncfix-rules"]         # directories of rule files
//   unsafe-fixes = false
//   target-python = "3.11"
//   target-fastapi = "0.110"
//   target-sqlalchemy = "2.0"
//   gather-limit = 10
//   client-timeout = 10.0
//   extra-blocking-calls = ["mylib.crunch"]
//   session-names = ["session", "self.db"]
//   slow-side-effects = ["app.audit.record"]
//   respect-gitignore = true
//   max-file-size = 16777216
//   [tool.asyncfix.per-file-ignores]
//   "tests/**" = ["AF403"]
//
// Unknown keys and wrong types are errors that name the key, the file and the line.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/rule/settings.h"

namespace asyncfix {

struct Config {
  std::string path;  // the pyproject.toml (or the file given with --config)
  std::string root;  // its directory: globs are relative to it
  std::optional<std::vector<std::string>> select, ignore, exclude, rules_dirs;
  std::optional<std::vector<std::string>> library_models;  // library-model = [...] (files)
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;  // in file order
  std::optional<bool> unsafe_fixes, respect_gitignore;
  std::optional<Version> target_python, target_fastapi, target_sqlalchemy;
  std::optional<int> gather_limit;
  std::optional<double> client_timeout;
  std::optional<uint64_t> max_file_size;
  std::optional<std::string> cache_dir;  // cache-dir = "..." (relative to root)
  std::optional<std::vector<std::string>> extra_blocking_calls, session_names, slow_side_effects;

  // The settings the configuration sets (on top of `base`).
  void apply(RuleSettings& settings) const;
  // The per-file ignores that apply to `path` (codes, prefixes or names).
  std::vector<std::string> ignores_for(const std::string& file) const;
};

// Reads [tool.asyncfix] of a pyproject.toml (or a file whose top level is the table, when
// `whole_file` — an asyncfix.toml). nullopt when the file has no such table.
Expected<std::optional<Config>> load_config(const std::string& path, bool whole_file = false);

// The formatter of the project `path` belongs to: the line length (`line-length` of
// [tool.black] or [tool.ruff] in the nearest pyproject.toml above it, else 88), and whether
// the project says it uses black or ruff's formatter (such a table, a ruff.toml, or a
// black / ruff-format hook in .pre-commit-config.yaml, in the directories from the file up
// to the repository root). Cached per directory; thread-safe.
struct FormatterConfig {
  int line_length = 88;
  bool declared = false;
};
FormatterConfig project_formatter(const std::string& path);

// Finds the configuration of each file: the nearest pyproject.toml above it with a
// [tool.asyncfix] table. Caches per directory; not thread-safe.
class ConfigFinder {
 public:
  // Errors of broken files are kept and returned by the first lookup that meets them.
  Expected<const Config*> for_path(const std::string& path);

 private:
  std::map<std::string, const Config*> by_dir_;  // absolute dir -> its config (or null)
  std::map<std::string, std::unique_ptr<Config>> loaded_;  // by pyproject path
};

}  // namespace asyncfix

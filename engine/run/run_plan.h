// A run's plan: the files it looks at, grouped by their configuration ([tool.asyncfix] of
// the nearest pyproject.toml, or one given for all), and per group what its run needs: the
// settings, the rules, the engine, the project index, the per-file ignores. `asyncfix check`
// (and `migrate`) and the rule fixture tests build their runs with it; the command line adds
// its options, its reports and the reviewer on top.
//
// Built in steps, so that a caller can report between them:
//
//   RunPlan plan;
//   plan.use_config(path);                  optional (--config): one configuration for all
//   auto found = plan.discover(options);    the files, and the ones skipped
//   plan.group(std::move(found->files));    by configuration, its excludes left out
//   plan.prepare(setup, on_prepared);       each group's settings, rules, engine, index
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/project/project.h"
#include "engine/rule/rule.h"
#include "engine/rule/settings.h"
#include "engine/run/config.h"
#include "engine/run/discover.h"
#include "engine/run/pipeline.h"

namespace asyncfix {

// The files of one configuration, and everything their run needs.
struct RunGroup {
  const Config* config = nullptr;  // null: the files have no configuration
  std::vector<DiscoveredFile> files;
  // The files of the whole project the checked files belong to, when they are only part of it
  // (add_project_files): the index covers these; empty: the checked files are the project.
  std::vector<DiscoveredFile> project_files;
  RuleSettings settings;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<ProjectIndex> project;  // null when no rule of the engine needs one
  bool unsafe = false;                    // unsafe fixes allowed (by the run or the configuration)
  std::map<std::string, std::vector<std::string>> ignores;  // path -> rule ids (per-file-ignores)
  double index_seconds = 0;  // the time the project index took
};

// How RunPlan::prepare builds each group.
struct GroupSetup {
  // The settings to start from; none: what the dependencies of the group's project declare
  // (in its configuration's directory, or the project around its first file).
  std::optional<RuleSettings> settings;
  // Target versions ("2.0") over the configuration's; empty: the configuration's.
  std::string target_sqlalchemy, target_fastapi;
  bool migrate_async_sqlalchemy = false;
  bool unsafe_fixes = false;  // allowed, whatever the configuration says
  int jobs = 0;               // threads of the project index; 0 = all cores
  // The rules of a group, whose configuration and settings are set.
  std::function<Expected<std::vector<RulePtr>>(const RunGroup&)> rules;
  // Which calls block, for the project index.
  std::function<BlockingClassifier(const RuleSettings&)> classifier;
  // Where the group's index keeps its summaries across runs (none: nowhere). Asked once its
  // settings, rules and engine are made.
  std::function<SummaryStore*(const RunGroup&)> store;
  // Asked before the group's index is built (when a rule needs one): false when the run knows
  // it will not need it (every file's result is in the cache).
  std::function<bool(const RunGroup&)> index_needed;
};

class RunPlan {
 public:
  // One configuration for every file: a pyproject.toml's [tool.asyncfix], or a whole file
  // of its own (asyncfix.toml). Without it each file has the nearest pyproject.toml's.
  Status use_config(const std::string& path);
  // The files of `options`, with what the configuration of its first path says about ignore
  // files and the largest file.
  Expected<Discovery> discover(DiscoverOptions options);
  // Groups `files` by their configuration, in the order met, leaving out those its excludes
  // name.
  Status group(std::vector<DiscoveredFile> files);
  // The checked files are part of a project (files named one by one, --files-from): each
  // group's index covers the whole project, every file below its root (the directory of its
  // configuration, else the repository's root, else the working directory) that has the same
  // configuration, walked with `options` (their paths are ignored).
  Status add_project_files(DiscoverOptions options);
  // Builds each group in order (settings, rules, engine, per-file ignores, project index),
  // and calls on_prepared (when given) on it before the next. Stops at the first error.
  Status prepare(const GroupSetup& setup, const std::function<void(const RunGroup&)>& on_prepared = {});

  std::vector<RunGroup>& groups() { return groups_; }
  const std::vector<RunGroup>& groups() const { return groups_; }
  // How many files group() left out because their configuration excludes them.
  size_t excluded() const { return excluded_; }

 private:
  Expected<const Config*> config_for(const std::string& path);

  std::unique_ptr<Config> explicit_config_;
  ConfigFinder finder_;
  std::vector<RunGroup> groups_;  // they point into the configurations above
  size_t excluded_ = 0;
};

}  // namespace asyncfix

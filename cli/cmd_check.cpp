// asyncfix check PATHS... : findings, the diff of their fixes (--diff), the fixes written in
// place (--fix, optionally --interactive), or exported (--export-fixes); also the engine of
// `asyncfix migrate`.
//
// A run: discover the files (ignore files, excludes, --files-from); find each file's
// configuration ([tool.asyncfix] of the nearest pyproject.toml, or --config) and group the
// files by it; per group, build the rules, the engine and the project index (the run plan,
// engine/run/run_plan.h); run the files (of this shard) in order, report, write.
#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "cli/baseline.h"
#include "cli/export.h"
#include "cli/interactive.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/rules_loader.h"
#include "cli/run_cache.h"
#include "engine/diff/unified.h"
#include "engine/base/files.h"
#include "engine/base/stage_times.h"
#include "engine/run/change_set.h"
#include "engine/run/config.h"
#include "engine/run/run_plan.h"
#include "engine/run/runner.h"
#include "engine/run/write.h"
#include "engine/semantic/library_model.h"
#include "transforms/blocking_catalog.h"
#include "transforms/registry.h"

namespace asyncfix::cli {

namespace fs = std::filesystem;

namespace {

int usage_error(const std::string& message) {
  fmt::print(stderr, "asyncfix: error: {}\n", message);
  return 2;
}

// The error a step of the run fails with: run_check prints it as a usage error.
Error usage(std::string message) { return make_error(Error::Kind::Usage, std::move(message)); }

// FNV-1a of the path: which shard a file belongs to, the same on every machine.
uint64_t path_hash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::vector<std::string> resolve_dirs(const std::vector<std::string>& dirs, const std::string& root) {
  std::vector<std::string> out;
  for (const auto& d : dirs) out.push_back(fs::path(d).is_absolute() ? d : (fs::path(root) / d).lexically_normal().string());
  return out;
}

// The options `asyncfix migrate async-sqlalchemy` runs with.
CheckOptions with_migration(CheckOptions o) {
  if (o.migrate_async_sqlalchemy) {
    // The migration's rules, every fix of them: its parts only make sense together.
    o.rules.select = rules::async_sqlalchemy_migration_rules();
    o.rules.ignore.clear();
    o.unsafe_fixes = true;
  }
  return o;
}

// --files-from FILE ("-": stdin): one path a line, trailing blanks and CRs dropped.
Status read_file_list(const std::string& from, std::vector<std::string>& listed) {
  std::istream* in = &std::cin;
  std::ifstream file;
  if (from != "-") {
    file.open(from);
    if (!file) return usage(from + ": cannot read the list of files");
    in = &file;
  }
  std::ostringstream all;
  all << in->rdbuf();
  std::string text = std::move(all).str();
  // `git ls-files -z` / `find -print0`: names end with NUL, and may hold any other byte.
  char sep = text.find('\0') != std::string::npos ? '\0' : '\n';
  std::istringstream names(text);
  for (std::string line; std::getline(names, line, sep);) {
    if (sep == '\n') {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    }
    if (!line.empty()) listed.push_back(line);
  }
  return Ok{};
}

// The rules of a group: its configuration's rule directories before the command line's;
// the command line's selection, or else its configuration's.
Expected<std::vector<RulePtr>> group_rules(const CheckOptions& o, const RunGroup& g) {
  const Config* c = g.config;
  RuleOptions ro = o.rules;
  if (c && c->rules_dirs) {
    auto dirs = resolve_dirs(*c->rules_dirs, c->root);
    ro.rules_dirs.insert(ro.rules_dirs.begin(), dirs.begin(), dirs.end());
  }
  if (!o.migrate_async_sqlalchemy && c) {
    // The command line wins: its --select replaces the file's select and ignore.
    if (ro.select.empty()) {
      if (c->select) ro.select = *c->select;
      if (c->ignore) ro.ignore.insert(ro.ignore.end(), c->ignore->begin(), c->ignore->end());
    }
  }
  auto loaded = load_all_rules(ro, g.settings);
  if (!loaded) return loaded.error();
  auto rules = select_rules(std::move(loaded).value(), ro);
  if (!rules) return usage((c ? c->path + ": " : std::string()) + rules.error().to_string());
  return rules;
}

// --debug-index: the modules of a project index, their functions, globals and calls.
void print_index(const ProjectIndex& project) {
  for (const auto& [name, m] : project.modules()) {
    fmt::print(stderr, "module {} ({})\n", name, m.path);
    for (const auto& [fname, f] : m.functions) {
      fmt::print(stderr, "  {} {}{}{}\n", f.is_async ? "async def" : "def", f.qualname,
                 f.sync_with_await ? " [await in sync def]" : "", f.result_type ? " -> " + *f.result_type : "");
      for (const auto& b : f.blocking) fmt::print(stderr, "    blocks: {} ({}) at {}\n", b.api, b.rule_id, b.pos.line);
      for (const auto& call : f.calls)
        fmt::print(stderr, "    calls: {}{} at {}\n", call.callee, call.awaited ? " (awaited)" : "", call.pos.line);
    }
    for (const auto& [gname, t] : m.globals) fmt::print(stderr, "  global {}: {}\n", gname, t);
    for (const auto& call : m.module_calls) fmt::print(stderr, "  module-level call: {} at {}\n", call.callee, call.pos.line);
  }
}

// --debug-index: what the engine's rules planned for the project (the async plans).
void print_plans(const Engine& engine) {
  for (size_t i = 0; i < engine.rules().size(); ++i) {
    const auto* plan = dynamic_cast<const AsyncPlan*>(engine.plan(i));
    if (!plan) continue;
    for (const auto& [q, why] : plan->make_async) fmt::print(stderr, "plan: {} becomes async: {}\n", q, why);
    for (const auto& st : plan->stuck)
      fmt::print(stderr, "plan: {}:{}:{}: `{}` cannot be awaited there\n", st.path, st.pos.line, st.pos.col, st.callee);
    for (const auto& [q, why] : plan->blocked) {
      for (const auto& w : why) fmt::print(stderr, "plan: {} blocked: {}\n", q, w);
    }
  }
}

// --shard: keeps the files whose path hash falls in shard k (0-based) of n.
void keep_shard(std::vector<DiscoveredFile>& files, uint64_t k, uint64_t n) {
  std::vector<DiscoveredFile> mine;
  for (auto& f : files) {
    if (path_hash(f.path) % n == k) mine.push_back(f);
  }
  files = std::move(mine);
}

// Each file's path and the hash of its bytes.
Expected<std::vector<std::pair<std::string, Hash128>>> hash_files(const std::vector<DiscoveredFile>& files) {
  std::vector<std::pair<std::string, Hash128>> out;
  for (const auto& f : files) {
    auto bytes = read_whole_file(f.path);
    if (!bytes) return make_error(Error::Kind::Io, "cannot read " + f.path + ": " + bytes.error().message);
    out.emplace_back(f.path, hash_bytes(*bytes));
  }
  return out;
}

// The first file of `files` whose bytes differ from the index's, or that one of them lacks.
std::optional<std::string> first_difference(const std::vector<DiscoveredFile>& files,
                                            const std::vector<std::pair<std::string, Hash128>>& indexed) {
  auto now = hash_files(files);
  if (!now) return now.error().message;
  std::map<std::string, Hash128> known(indexed.begin(), indexed.end());
  for (const auto& [path, hash] : *now) {
    auto it = known.find(path);
    if (it == known.end()) return path + " is not in the index";
    if (hash != it->second) return path + " has changed since";
    known.erase(it);
  }
  if (!known.empty()) return known.begin()->first + " is in the index, not in this run";
  return std::nullopt;
}

// One run of `asyncfix check`: the steps run_check takes, in order. A step fails with the
// message of a usage error.
class CheckRun {
 public:
  explicit CheckRun(CheckOptions options) : o_(std::move(options)) {}
  // The output format, the colours, the shard; options that do not go together.
  Status read_options();
  // The run plan: the files, grouped by configuration, each group with its engine and index.
  Status plan();
  // `asyncfix index --export FILE`: writes the index, instead of checking.
  Status write_index_export() const;
  // The baseline, the reviewer, the reporter, this shard's files and the progress line.
  Status open_outputs();
  // Runs the files, group by group, until done or the reviewer quits.
  void process_files();
  // Writes the baseline and the export; the reporter's summary, the reviewer's.
  Status report();
  int exit_code() const;

 private:
  Status discover_files();
  Status prepare_groups();
  Status load_library_model();
  void group_prepared(const RunGroup& g, std::set<std::string>& rule_ids);
  RunOptions run_options(const RunGroup& g) const;
  bool on_result(FileResult&& r);
  void count(const FileResult& r);
  void output(FileResult& r);
  void write_fixed(FileResult& r);
  void report_file(const FileResult& r);
  void record_in_baseline(const FileResult& r);
  void print_notes(const FileResult& r) const;
  Status write_baseline();
  void write_change_set();
  bool linked(const FileResult& r) const;
  void unwrite(FileResult& r);
  Status check_something_left(size_t excluded, size_t skipped);
  Status write_export() const;

  CheckOptions o_;
  OutputFormat format_ = OutputFormat::Text;
  bool color_ = false;
  uint64_t shard_k_ = 0, shard_n_ = 1;
  RunPlan plan_;
  std::vector<RulePtr> all_rules_;  // for SARIF's rule table
  RunSummary summary_;
  std::optional<Baseline> baseline_;
  // Workers look files up in the baseline as it was loaded while results (on this thread)
  // update the one to be written: a lookup must never see the maps being rebuilt.
  std::optional<Baseline> known_baseline_;
  std::unique_ptr<TerminalReviewer> reviewer_;
  FixExport exported_;
  std::unique_ptr<Reporter> reporter_;
  // --fix (not interactive): every result is held until the run's end, when the change set is
  // written whole or not at all (fixes depend on each other across files: a function made
  // async and its callers awaiting it), then reported in file order.
  bool change_set_ = false;
  std::vector<FileResult> held_;
  std::set<std::string> planned_rules_;  // rules that made a plan of the whole project
  // --diff: what would remain after the diff, on stderr (stdout holds the patch alone).
  std::unique_ptr<Reporter> remaining_reporter_;
  bool remaining_heading_ = false;
  std::optional<Progress> progress_;
  // The cache of each group (none with --no-cache, or when it cannot be made), the key of its
  // entries, and what the library-model files read hash to.
  std::map<const RunGroup*, std::unique_ptr<RunCache>> caches_;
  std::map<const RunGroup*, Hash128> group_keys_;
  // index --export without a cache, and check --index: the summaries in memory.
  std::map<const RunGroup*, std::unique_ptr<RunCache>> exporting_;
  std::optional<std::vector<IndexGroup>> imported_;
  std::string index_error_;
  SummaryStore* imported_index(const RunGroup& g, const Hash128& key);
  // Per group, the hash of its files and their bytes, and the project's digest when the index
  // was not built (the cache knew it and every file's result).
  std::map<const RunGroup*, Hash128> snapshots_, known_digests_;
  // Per group checked over part of its project: the planned rules whose fixes also edit files
  // outside the checked ones, and why (their fixes are shown, not applied).
  std::map<const RunGroup*, std::map<std::string, std::string>> withheld_;
  void withhold_outside_fixes(const RunGroup& g);
  bool index_needed(const RunGroup& g);
  bool needs_sources() const;
  Hash128 library_hash_;
  SummaryStore* open_cache(const RunGroup& g);
  void save_caches();
  bool internal_error_ = false, quit_ = false, baseline_written_ = false;
  size_t done_ = 0;
};

Status CheckRun::read_options() {
  auto format = parse_output_format(o_.output_format);
  if (!format) return usage("unknown output format '" + o_.output_format + "' (text, json, sarif, github, review)");
  format_ = *format;
  color_ = o_.color == "always" || (o_.color == "auto" && want_color(stdout));
  if (o_.interactive && !o_.fix) return usage("--interactive reviews fixes: use it with --fix");
  if (o_.update_baseline && o_.baseline.empty()) return usage("--update-baseline rewrites a baseline: name it with --baseline FILE");
  if (o_.interactive && !o_.export_fixes.empty()) return usage("--interactive and --export-fixes: use one or the other");
  if (!o_.export_fixes.empty() && (o_.fix || o_.diff))
    return usage("--export-fixes computes the fixes and writes them to a file: not with --fix or --diff");
  if (!o_.shard.empty()) {
    unsigned long long k = 0, n = 0;
    char extra;
    if (std::sscanf(o_.shard.c_str(), "%llu/%llu%c", &k, &n, &extra) != 2 || n == 0 || k == 0 || k > n)
      return usage("--shard takes K/N with 1 <= K <= N (e.g. 2/8), not '" + o_.shard + "'");
    shard_k_ = k - 1;
    shard_n_ = n;
  }
  summary_.diff_mode = o_.diff || !o_.export_fixes.empty();
  summary_.fix_mode = o_.fix;
  summary_.interactive = o_.interactive;
  return Ok{};
}

Status CheckRun::plan() {
  // Configuration given explicitly.
  Status st = o_.config.empty() ? Status(Ok{}) : plan_.use_config(o_.config);
  if (st) st = discover_files();
  if (st) st = prepare_groups();
  if (st && o_.debug_index) {
    for (const RunGroup& g : plan_.groups()) {
      if (!g.project) continue;
      print_index(*g.project);
      print_plans(*g.engine);
    }
  }
  return st;
}

// 1. The files (the skipped ones said), 2. grouped by their configuration.
Status CheckRun::discover_files() {
  DiscoverOptions d;
  d.paths = o_.paths;
  if (!o_.files_from.empty()) {
    Status st = read_file_list(o_.files_from, d.listed);
    if (!st) return st;
  } else if (d.paths.empty()) {
    d.paths = {"."};
  }
  d.exclude = o_.exclude;
  d.jobs = o_.jobs;
  d.respect_ignore_files = !o_.no_ignore_files;
  auto disc = plan_.discover(d);
  if (!disc) return disc.error();
  summary_.skipped = disc->skipped;
  for (const auto& n : disc->notes) fmt::print(stderr, "asyncfix: {}\n", n);
  for (const auto& s : disc->skipped) fmt::print(stderr, "{}: skipped: {}\n", s.path, s.reason);
  Status st = plan_.group(std::move(disc->files));
  if (!st) return st;
  st = check_something_left(disc->excluded + plan_.excluded(), disc->skipped.size());
  // Files named one by one (pre-commit, an editor, --files-from) are part of a project: its
  // index covers the whole of it, so that they get the findings a run over it gives them.
  bool partial = !o_.files_from.empty();
  std::error_code ec;
  for (const auto& p : o_.paths) partial = partial || !fs::is_directory(p, ec);
  if (st && partial) st = plan_.add_project_files(d);
  return st;
}

// No false green: a run that checks nothing says so. Everything named was excluded by the
// user's configuration: a note, and the run passes (pre-commit on an excluded file). Nothing
// found at all, or every file skipped: an error.
Status CheckRun::check_something_left(size_t excluded, size_t skipped) {
  size_t kept = 0;
  for (const auto& g : plan_.groups()) kept += g.files.size();
  if (kept > 0) return Ok{};
  if (excluded > 0 && skipped == 0) {
    fmt::print(stderr, "asyncfix: nothing to check: {} excluded by the configuration.\n",
               plural(excluded, "file", "files"));
    return Ok{};
  }
  if (skipped > 0) return usage("No Python files checked: " + plural(skipped, "file was", "files were") + " skipped");
  return usage("No Python files found");
}

// The library model of the run: the built-in one, then every configuration's `library-model`
// files, then the command line's --library-model files.
Status CheckRun::load_library_model() {
  std::vector<std::string> files;
  for (const RunGroup& g : plan_.groups()) {
    if (g.config && g.config->library_models) {
      for (const auto& f : resolve_dirs(*g.config->library_models, g.config->root)) {
        if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
      }
    }
  }
  files.insert(files.end(), o_.library_models.begin(), o_.library_models.end());
  if (files.empty()) return Ok{};
  semantic::LibraryModel model = semantic::LibraryModel::builtin();
  Hasher library;
  for (const auto& f : files) {
    auto text = read_whole_file(f);
    if (!text) return usage("cannot read the library model " + f + ": " + text.error().message);
    library.add(f).add(*text);
    auto one = semantic::LibraryModel::parse(*text, f);
    if (!one) return usage(one.error().to_string());
    model.merge(*one);
  }
  semantic::LibraryModel::set_current(std::move(model));
  library_hash_ = library.finish();
  return Ok{};
}

// The group's cache, opened now that its settings and rules are known; a cache that cannot be
// made is said once, and the run goes on without it.
SummaryStore* CheckRun::open_cache(const RunGroup& g) {
  Hash128 key = group_key(g, library_hash_);
  group_keys_[&g] = key;
  SummaryStore* summaries = nullptr;
  if (!o_.no_cache) {
    auto cache = open_group_cache(g, key, o_.cache_dir, o_.paths.empty() ? "." : o_.paths.front());
    if (cache) summaries = (caches_[&g] = std::move(cache).value()).get();
    else fmt::print(stderr, "asyncfix: warning: no cache: {}\n", cache.error().message);
  }
  if (!o_.index_file.empty()) return imported_index(g, key);
  if (!o_.index_export.empty() && !summaries) summaries = (exporting_[&g] = std::make_unique<RunCache>()).get();
  return summaries;
}

// check --index FILE: the summaries of the group of the same key, once every file of the
// project is what it was when the index was made.
SummaryStore* CheckRun::imported_index(const RunGroup& g, const Hash128& key) {
  if (!imported_) {
    auto groups = read_index_file(o_.index_file);
    if (!groups) {
      index_error_ = groups.error().message;
      return nullptr;
    }
    imported_ = std::move(groups).value();
  }
  auto it = std::find_if(imported_->begin(), imported_->end(), [&](const IndexGroup& i) { return i.key == key; });
  if (it == imported_->end()) {
    index_error_ = o_.index_file + " was made with other options, rules, settings or configuration than this run (or "
                   "by another build of asyncfix): make it with the same ones";
    return nullptr;
  }
  if (auto differs = first_difference(g.project_files.empty() ? g.files : g.project_files, it->files)) {
    index_error_ = o_.index_file + " was made from other file contents: " + *differs;
    return nullptr;
  }
  auto store = std::make_unique<RunCache>();
  store->preload(it->summaries);
  return (exporting_[&g] = std::move(store)).get();
}

// Over part of a project, a fix that must also edit files outside the part is reported, not
// half-applied: the whole-project plan of a rule (AF202 making a function async and its
// callers await it) is applied only when every file it edits is checked.
void CheckRun::withhold_outside_fixes(const RunGroup& g) {
  if (g.project_files.empty() || !g.project) return;
  std::set<std::string> checked;
  std::error_code ec;
  for (const auto& f : g.files) checked.insert(fs::absolute(f.path, ec).lexically_normal().string());
  for (size_t i = 0; i < g.engine->rules().size(); ++i) {
    const ProjectPlan* plan = g.engine->plan(i);
    if (!plan) continue;
    auto files = plan->edited_files(*g.project);
    std::vector<std::string> outside;
    if (files) {
      for (const auto& f : *files) {
        if (!checked.count(fs::absolute(f, ec).lexically_normal().string())) outside.push_back(f);
      }
      if (outside.empty()) continue;
    }
    std::string why = "not applied: the fix also changes ";
    if (!files) {
      why += "files outside the ones given (a whole-project change)";
    } else {
      why += outside.size() == 1 ? "a file outside the ones given: " : "files outside the ones given: ";
      for (size_t k = 0; k < outside.size() && k < 3; ++k) why += (k ? ", " : "") + outside[k];
      if (outside.size() > 3) why += fmt::format(" and {} more", outside.size() - 3);
    }
    withheld_[&g][g.engine->rules()[i]->info().id] = why + "; run asyncfix on the whole project to apply it";
  }
}

// A run over files that have not changed since the cache last saw them all, whose every result
// it knows, needs no index: the project's digest is the one computed then. (Not with a
// baseline or a reviewer, which come later; nor for --debug-index, which prints it.)
bool CheckRun::index_needed(const RunGroup& g) {
  if (!index_error_.empty()) return false;  // the run stops with it
  auto cache = caches_.find(&g);
  if (cache == caches_.end() || !o_.baseline.empty() || o_.interactive || o_.debug_index || !o_.index_export.empty())
    return true;
  Hasher snapshot;
  snapshot.add(group_keys_.at(&g));
  // The files the index would read (the whole project, for part of one), then those checked.
  std::map<std::string, Hash128> contents;
  for (const auto* files : {&g.project_files, &g.files}) {
    for (const auto& f : *files) {
      if (contents.count(f.path)) continue;
      auto bytes = read_whole_file(f.path);
      if (!bytes) return true;
      Hash128 h = contents[f.path] = hash_bytes(*bytes);
      if (files == &g.project_files || g.project_files.empty()) snapshot.add(f.path).add(f.module).add(f.is_package ? 1 : 0).add(h);
    }
  }
  Hash128 s = snapshots_[&g] = snapshot.finish();
  auto digest = cache->second->digest_of(s);
  if (!digest) return true;
  known_digests_[&g] = *digest;
  RunOptions ro = run_options(g);
  for (const auto& f : g.files) {
    if (!result_known(f, contents.at(f.path), ro)) {
      known_digests_.erase(&g);
      return true;
    }
  }
  return false;
}

// The caches written, what they held said (--verbose).
void CheckRun::save_caches() {
  for (const auto& [g, cache] : caches_) {
    if (auto s = snapshots_.find(g); s != snapshots_.end() && g->project) cache->set_digest(s->second, g->project->digest());
    for (const auto& d : cache->discarded()) {
      fmt::print(stderr, "asyncfix: warning: the cache file {} is damaged: ignored, written again\n", d);
    }
    Status st = cache->save();
    if (!st) fmt::print(stderr, "asyncfix: warning: {}\n", st.error().message);
    if (!o_.verbose) continue;
    size_t from_store = g->project ? g->project->summaries_from_store() : 0;
    size_t made = g->project ? g->project->summaries_made() : 0;
    fmt::print(stderr, "cache: {}: {} of {} files' results from the cache, {} of {} summaries\n", cache->dir(),
               cache->results_found(), g->files.size(), from_store, made);
  }
}

// 3. Per group: settings, rules, engine, project.
Status CheckRun::prepare_groups() {
  if (Status st = load_library_model(); !st) return st;
  GroupSetup setup;
  setup.target_sqlalchemy = o_.target_sqlalchemy;
  setup.target_fastapi = o_.target_fastapi;
  setup.migrate_async_sqlalchemy = o_.migrate_async_sqlalchemy;
  setup.unsafe_fixes = o_.unsafe_fixes;
  setup.jobs = o_.jobs;
  setup.rules = [this](const RunGroup& g) { return group_rules(o_, g); };
  setup.classifier = rules::index_classifier;
  setup.store = [this](const RunGroup& g) { return open_cache(g); };
  setup.index_needed = [this](const RunGroup& g) { return index_needed(g); };
  std::set<std::string> rule_ids;
  Status st = plan_.prepare(setup, [&](const RunGroup& g) { group_prepared(g, rule_ids); });
  if (st && !index_error_.empty()) return usage(index_error_);
  return st;
}

// `asyncfix index --export FILE`: each group's summaries and the files they were made from.
Status CheckRun::write_index_export() const {
  std::vector<IndexGroup> groups;
  for (const RunGroup& g : plan_.groups()) {
    IndexGroup ig;
    ig.key = group_keys_.at(&g);
    auto files = hash_files(g.project_files.empty() ? g.files : g.project_files);
    if (!files) return usage(files.error().message);
    ig.files = std::move(files).value();
    const RunCache* store = caches_.count(&g) ? caches_.at(&g).get() : exporting_.count(&g) ? exporting_.at(&g).get() : nullptr;
    if (store) ig.summaries = store->used_summaries();
    groups.push_back(std::move(ig));
  }
  if (Status st = write_index_file(o_.index_export, groups); !st) return usage(st.error().message);
  size_t summaries = 0, files = 0;
  for (const auto& g : groups) summaries += g.summaries.size(), files += g.files.size();
  fmt::print(stderr, "Wrote {}: {} summaries of {} files.\n", o_.index_export, summaries, files);
  return Ok{};
}

// A group is ready: its new rules join the run's (for the reporter), its index time is said
// (--verbose).
void CheckRun::group_prepared(const RunGroup& g, std::set<std::string>& rule_ids) {
  for (const auto& r : g.engine->rules()) {
    if (rule_ids.insert(r->info().id).second) all_rules_.push_back(r);
  }
  if (o_.verbose && g.project) {
    size_t taken = g.project->summaries_from_store();
    std::string source = !o_.index_file.empty() ? o_.index_file : "the cache";
    std::string reused = taken ? fmt::format(", {} of them taken from {}", taken, source) : std::string();
    fmt::print(stderr, "project index: {:.3f} s, {} modules summarized ({} summaries{})\n", g.index_seconds,
               g.project->modules().size(), g.project->summaries_made(), reused);
  }
  // The versions the migration writes for, and why: never a guess (run_plan.cpp refuses).
  if (o_.migrate_async_sqlalchemy) {
    const RuleSettings& s = g.settings;
    std::string fastapi = s.fastapi_from.empty() ? std::string()
                                                 : ", FastAPI " + s.target_fastapi.to_string() + " (" + s.fastapi_from + ")";
    fmt::print(stderr, "Migrating for SQLAlchemy {} ({}){}\n", s.target_sqlalchemy.to_string(), s.sqlalchemy_from, fastapi);
  }
}

// 4. Baseline, reviewer, export, reporter.
Status CheckRun::open_outputs() {
  if (!o_.baseline.empty()) {
    auto b = Baseline::load(o_.baseline, /*may_create=*/o_.update_baseline);
    if (!b) return b.error();
    baseline_ = std::move(b).value();
  }
  known_baseline_ = baseline_;
  if (o_.interactive) {
    std::string why;
    reviewer_ = TerminalReviewer::open(color_ || (o_.color == "auto" && want_color(stderr)), &why);
    if (!reviewer_) return usage(why);
  }
  reporter_ = make_reporter(format_, color_, stdout, all_rules_);
  if (o_.diff) {
    bool color = o_.color == "always" || (o_.color == "auto" && want_color(stderr));
    remaining_reporter_ = make_reporter(OutputFormat::Text, color, stderr, all_rules_);
  }

  size_t total = 0;
  for (RunGroup& g : plan_.groups()) {
    if (shard_n_ > 1) keep_shard(g.files, shard_k_, shard_n_);
    total += g.files.size();
  }
  progress_.emplace(total, !o_.no_progress && !o_.interactive && progress_wanted());
  return Ok{};
}

void CheckRun::process_files() {
  change_set_ = o_.fix && !o_.interactive;
  for (const RunGroup& g : plan_.groups()) {
    for (size_t i = 0; i < g.engine->rules().size(); ++i) {
      if (g.engine->plan(i)) planned_rules_.insert(g.engine->rules()[i]->info().id);
    }
    withhold_outside_fixes(g);
  }
  for (const RunGroup& g : plan_.groups()) {
    run_files(*g.engine, g.files, run_options(g), g.project.get(),
              [this](size_t, FileResult&& r) { return on_result(std::move(r)); });
  }
  progress_->clear();
  if (change_set_) write_change_set();
  save_caches();
}

// Is the fixed file part of the run's change set: its fixes depend on fixes in other files
// (a migration; a fix of a rule that planned the whole project, such as AF202 making a
// function async and its callers await it)?
bool CheckRun::linked(const FileResult& r) const {
  if (o_.migrate_async_sqlalchemy) return true;
  for (const AppliedFix& a : r.applied) {
    if (planned_rules_.count(a.rule_id)) return true;
  }
  return false;
}

// The held results of --fix: every file of the change set is checked first (writable,
// unchanged since it was read); if one fails, none of them is written and each says why.
// A file whose fixes stand alone is written on its own. Then each is reported, in file order.
void CheckRun::write_change_set() {
  std::string blocker;
  std::vector<PlannedWrite> writes;
  for (const FileResult& r : held_) {
    if (!r.changed() || !linked(r)) continue;
    if (Status st = check_writable(r.path, r.original); !st) {
      fmt::print(stderr, "{}: error: {}\n", r.path, st.error().message);
      if (blocker.empty()) blocker = r.path;
    }
    writes.push_back(PlannedWrite{r.path, r.original, r.fixed});
  }
  // One transaction (engine/run/change_set.h): an interrupted run is finished by the next.
  if (blocker.empty()) {
    if (Status st = asyncfix::write_change_set(writes); !st) {
      fmt::print(stderr, "{}\n", st.error().to_string());
      blocker = st.error().location.path;
    }
  }
  for (FileResult& r : held_) {
    if (!r.changed()) continue;
    if (!linked(r)) {
      write_fixed(r);
    } else if (!blocker.empty()) {
      if (r.path != blocker)
        fmt::print(stderr, "{}: not written: the fixes of a run are written together or not at all, and {} cannot be written\n",
                   r.path, blocker);
      unwrite(r);
    }
  }
  for (FileResult& r : held_) {
    report_file(r);
    if (baseline_) record_in_baseline(r);
    print_notes(r);
  }
  held_.clear();
}

// How the files of a group run: fix mode, reviewer, per-file ignores, the baseline.
// Does the report quote the code (and show each fix whole)? Known from the format alone,
// before the reporter is made.
bool CheckRun::needs_sources() const {
  if (reporter_) return reporter_->needs_sources();
  return make_reporter(format_, false, stdout, {})->needs_sources();
}

RunOptions CheckRun::run_options(const RunGroup& g) const {
  RunOptions ro;
  bool fixing = o_.fix || o_.diff || !o_.export_fixes.empty();
  ro.file.fix_mode = !fixing ? FixMode::None : g.unsafe ? FixMode::Unsafe : FixMode::Safe;
  ro.file.reviewer = reviewer_.get();
  ro.file.report_unused_suppressions = o_.report_unused_suppressions;
  ro.file.resolve_fix_edits = needs_sources();
  ro.keep_text = needs_sources();
  ro.jobs = o_.jobs;
  if (auto it = caches_.find(&g); it != caches_.end()) {
    ro.results = it->second.get();
    Hash128 digest = g.project ? g.project->digest() : Hash128{};
    if (auto known = known_digests_.find(&g); known != known_digests_.end()) {
      digest = known->second;
      ro.results_read_only = true;
    }
    ro.results_context = Hasher().add(group_keys_.at(&g)).add(digest).finish();
  }
  ro.customize = [this, &g](const DiscoveredFile& df, FileOptions& fo) {
    if (auto it = g.ignores.find(df.path); it != g.ignores.end()) fo.ignored_rules = &it->second;
    if (auto it = withheld_.find(&g); it != withheld_.end()) fo.fixes_withheld = &it->second;
    if (known_baseline_) fo.baseline = known_baseline_->for_file(df.path);
    if (quit_) {  // the reviewer quit: the files after it are checked, nothing more is fixed
      fo.reviewer = nullptr;
      fo.fix_mode = FixMode::None;
    }
  };
  return ro;
}

// One file's result, on this thread, in file order: counted, shown (or written, exported),
// recorded in the baseline. False stops the run.
bool CheckRun::on_result(FileResult&& r) {
  ++done_;
  if (r.error) {
    // The place, when the error has one (the line of a NUL byte, of bad UTF-8), then why.
    const SourceLocation& at = r.error->location;
    if (at.line && at.col)
      fmt::print(stderr, "{}:{}:{}: skipped: {}\n", r.path, at.line, at.col, r.error->message);
    else if (at.line)
      fmt::print(stderr, "{}:{}: skipped: {}\n", r.path, at.line, r.error->message);
    else
      fmt::print(stderr, "{}: skipped: {}\n", r.path, r.error->message);
    summary_.skipped.push_back({r.path, r.error->message});
    progress_->update(done_, summary_.findings);
    return true;
  }
  count(r);
  if (change_set_) {
    quit_ |= r.quit;
    held_.push_back(std::move(r));
    progress_->update(done_, summary_.findings);
    return true;
  }
  progress_->clear();
  output(r);
  if (baseline_) record_in_baseline(r);
  print_notes(r);
  std::fflush(stdout);
  progress_->update(done_, summary_.findings);
  return true;  // after `q`, the rest is checked, not reviewed: its findings remain, counted
}

// A file's result in the summary (and whether the run had an internal error, or must stop).
void CheckRun::count(const FileResult& r) {
  ++summary_.scanned;
  summary_.prefiltered += r.skipped_no_trigger;
  summary_.baselined += r.baselined;
  for (const auto& f : r.findings) {
    summary_.by_severity[f.severity]++;
    if (f.fix && f.fix->applicability == Applicability::Safe) ++summary_.fixable;
    if (f.fix && f.fix->applicability == Applicability::Unsafe) ++summary_.unsafe_fixable;
  }
  summary_.findings += r.findings.size();
  summary_.remaining += r.remaining.size();
  summary_.fixed += r.applied.size();
  if (r.changed()) ++summary_.files_changed;
  internal_error_ |= r.has_internal_error();
  quit_ |= r.quit;
}

// A file's result: its diff (--diff); into the export (--export-fixes) and reported (a CI
// job exports the fixes and annotates the findings in one run); or written (--fix) and
// reported.
void CheckRun::output(FileResult& r) {
  if (o_.diff) {
    if (r.changed())
      std::fputs(unified_diff(r.original, r.fixed, diff_label("a/", r.path), diff_label("b/", r.path)).c_str(), stdout);
    if (!r.remaining.empty()) {
      if (!remaining_heading_) fmt::print(stderr, "Would remain (lines as the diff leaves them):\n");
      remaining_heading_ = true;
      remaining_reporter_->file(FileReport{r.path, nullptr, &r.remaining});
    }
  } else if (!o_.export_fixes.empty()) {
    exported_.add(r, linked(r));
    report_file(r);
  } else {
    if (o_.fix && r.changed() && !change_set_) write_fixed(r);
    report_file(r);
  }
}

// --fix: writes the fixed file in place.
void CheckRun::write_fixed(FileResult& r) {
  auto st = write_file_atomically(r.path, r.fixed, r.original);
  if (st) return;
  fmt::print(stderr, "{}: error: {}\n", r.path, st.error().message);
  unwrite(r);
}

// A fixed file that was not written: its original findings still stand.
void CheckRun::unwrite(FileResult& r) {
  ++summary_.write_errors;
  summary_.remaining += r.findings.size() - r.remaining.size();
  summary_.fixed -= r.applied.size();
  if (r.changed()) --summary_.files_changed;
  r.remaining = r.findings;
}

// The findings of a file the reporter shows: what remains after --fix, else all.
void CheckRun::report_file(const FileResult& r) {
  std::unique_ptr<SourceFile> src;
  const std::vector<Finding>& shown = o_.fix ? r.remaining : r.findings;
  if (reporter_->needs_sources() && !shown.empty()) {
    auto s = SourceFile::from_bytes(r.path, o_.fix ? r.fixed : r.original);
    if (s) src = std::make_unique<SourceFile>(std::move(s).value());
  }
  reporter_->file(FileReport{r.path, src.get(), &shown});
}

// The baseline to write: the fixes declined in review; for a new baseline (or
// --update-baseline) also what the file holds now.
void CheckRun::record_in_baseline(const FileResult& r) {
  if (!o_.update_baseline) {
    for (const auto& f : r.rejected) baseline_->add(r.path, f, "rejected");
    return;
  }
  // What the file on disk holds after this run: fixed only when it was written; the findings
  // the baseline hid are still there (a known finding is never fixed).
  bool written = o_.fix && r.changed();
  baseline_->replace_file(r.path, r.hidden, written ? r.remaining : r.findings, r.rejected);
}

// The notes of a file's rules and fixes (the verbose ones with --verbose), on stderr.
void CheckRun::print_notes(const FileResult& r) const {
  for (const Note& n : r.notes) {
    if (n.verbose && !o_.verbose) continue;
    if (n.pos.line)
      fmt::print(stderr, "{}:{}:{}: {}{}{}\n", r.path, n.pos.line, n.pos.col, n.rule_id, n.rule_id.empty() ? "" : ": ",
                 n.message);
    else
      fmt::print(stderr, "{}: {}{}{}\n", r.path, n.rule_id, n.rule_id.empty() ? "" : ": ", n.message);
  }
}

Status CheckRun::report() {
  Status st = write_baseline();
  if (st) st = write_export();
  if (!st) return st;
  reporter_->finish(summary_);
  if (reviewer_) {
    fmt::print(stderr, "Reviewed: {} applied, {} declined{}.\n", reviewer_->applied(), reviewer_->skipped(),
               quit_ ? " (stopped early)" : "");
  }
  return Ok{};
}

// A new baseline, or one updated (--update-baseline) or reviewed.
Status CheckRun::write_baseline() {
  if (!baseline_ || !(o_.update_baseline || reviewer_)) return Ok{};
  auto st = baseline_->write(o_.baseline);
  if (!st) return usage(o_.baseline + ": " + st.error().message);
  baseline_written_ = o_.update_baseline;
  fmt::print(stderr, "{} the baseline {} ({}).\n", baseline_->existed() ? "Updated" : "Wrote", o_.baseline,
             plural(baseline_->size(), "finding", "findings"));
  return Ok{};
}

// --export-fixes FILE.json.
Status CheckRun::write_export() const {
  if (o_.export_fixes.empty()) return Ok{};
  auto st = exported_.write(o_.export_fixes);
  if (!st) return usage(o_.export_fixes + ": " + st.error().message);
  fmt::print(stderr, "Exported the fixes of {} to {} (apply them with `asyncfix apply {}`).\n",
             plural(exported_.files(), "file", "files"), o_.export_fixes, o_.export_fixes);
  return Ok{};
}

int CheckRun::exit_code() const {
  if (internal_error_ || summary_.write_errors) return 2;
  if (summary_.scanned == 0 && !summary_.skipped.empty()) return 2;  // no false green: nothing was checked
  if (baseline_written_) return 0;  // everything found is now known
  if (o_.fix) return summary_.remaining ? 1 : 0;
  if (summary_.diff_mode) return (summary_.fixed || summary_.remaining) ? 1 : 0;
  return summary_.findings ? 1 : 0;
}

}  // namespace

// --verbose: where the run's time went, wall time by phase and thread time by stage.
void print_times(double plan_s, double check_s, int jobs) {
  fmt::print(stderr, "time: plan (discovery, configuration, project index) {:.3f} s, check {:.3f} s (wall, -j {})\n",
             plan_s, check_s, jobs);
  auto secs = stage_seconds();
  std::string line;
  for (size_t i = 0; i < secs.size(); ++i) {
    if (secs[i] <= 0) continue;
    line += fmt::format("{}{} {:.3f} s", line.empty() ? "" : ", ", stage_name(static_cast<Stage>(i)), secs[i]);
  }
  if (!line.empty()) fmt::print(stderr, "time by stage (summed over threads): {}\n", line);
}

int run_check(const CheckOptions& options) {
  int jobs = options.jobs > 0 ? options.jobs : default_jobs();
  limit_heap_arenas(jobs);
  auto t0 = std::chrono::steady_clock::now();
  CheckRun run(with_migration(options));
  Status st = run.read_options();
  if (st) st = run.plan();
  if (st && !options.index_export.empty()) {
    st = run.write_index_export();
    return st ? 0 : usage_error(st.error().to_string());
  }
  if (st) st = run.open_outputs();
  auto t1 = std::chrono::steady_clock::now();
  if (st) {
    run.process_files();
    st = run.report();
  }
  if (!st) return usage_error(st.error().to_string());
  if (options.verbose) {
    std::chrono::duration<double> plan_s = t1 - t0, check_s = std::chrono::steady_clock::now() - t1;
    print_times(plan_s.count(), check_s.count(), jobs);
  }
  return run.exit_code();
}

}  // namespace asyncfix::cli

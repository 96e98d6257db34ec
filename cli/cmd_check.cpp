// asyncfix check PATHS... : findings, the diff of their fixes (--diff), the fixes written in
// place (--fix, optionally --interactive), or exported (--export-fixes); also the engine of
// `asyncfix migrate`.
//
// A run: discover the files (ignore files, excludes, --files-from); find each file's
// configuration ([tool.asyncfix] of the nearest pyproject.toml, or --config) and group the
// files by it; per group, build the rules, the engine and the project index; run the files
// (of this shard) in order, report, write.
#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/baseline.h"
#include "cli/export.h"
#include "cli/interactive.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/rules_loader.h"
#include "engine/diff/unified.h"
#include "engine/run/config.h"
#include "engine/run/project_config.h"
#include "engine/run/runner.h"
#include "engine/run/write.h"
#include "transforms/blocking_catalog.h"

namespace asyncfix::cli {

namespace fs = std::filesystem;

namespace {

int usage_error(const std::string& message) {
  fmt::print(stderr, "asyncfix: error: {}\n", message);
  return 2;
}

// FNV-1a of the path: which shard a file belongs to, the same on every machine.
uint64_t path_hash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// The files of one configuration, and everything their run needs.
struct Group {
  const Config* config = nullptr;
  std::vector<DiscoveredFile> files;
  RuleSettings settings;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<ProjectIndex> project;
  bool unsafe = false;
  std::map<std::string, std::vector<std::string>> ignores;  // path -> rule ids (per-file-ignores)
};

std::vector<std::string> resolve_dirs(const std::vector<std::string>& dirs, const std::string& root) {
  std::vector<std::string> out;
  for (const auto& d : dirs) out.push_back(fs::path(d).is_absolute() ? d : (fs::path(root) / d).lexically_normal().string());
  return out;
}

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

}  // namespace

int run_check(const CheckOptions& o_in) {
  CheckOptions o = o_in;
  limit_heap_arenas(o.jobs > 0 ? o.jobs : default_jobs());
  if (o.migrate_async_sqlalchemy) {
    // The migration's rules, every fix of them: its parts only make sense together.
    o.rules.select = {"AF601", "AF602", "AF303"};
    o.rules.ignore.clear();
    o.unsafe_fixes = true;
  }
  auto format = parse_output_format(o.output_format);
  if (!format) return usage_error("unknown output format '" + o.output_format + "' (text, json, sarif, github, review)");
  bool color = o.color == "always" || (o.color == "auto" && want_color(stdout));
  if (o.interactive && !o.fix) return usage_error("--interactive reviews fixes: use it with --fix");
  if (o.interactive && !o.export_fixes.empty()) return usage_error("--interactive and --export-fixes: use one or the other");
  if (!o.export_fixes.empty() && (o.fix || o.diff)) return usage_error("--export-fixes computes the fixes and writes them to a file: not with --fix or --diff");
  uint64_t shard_k = 0, shard_n = 1;
  if (!o.shard.empty()) {
    unsigned long long k = 0, n = 0;
    char extra;
    if (std::sscanf(o.shard.c_str(), "%llu/%llu%c", &k, &n, &extra) != 2 || n == 0 || k == 0 || k > n)
      return usage_error("--shard takes K/N with 1 <= K <= N (e.g. 2/8), not '" + o.shard + "'");
    shard_k = k - 1;
    shard_n = n;
  }

  // Configuration given explicitly.
  std::unique_ptr<Config> explicit_config;
  if (!o.config.empty()) {
    bool whole = fs::path(o.config).filename() != "pyproject.toml";
    auto c = load_config(o.config, whole);
    if (!c) return usage_error(c.error().to_string());
    if (!*c) return usage_error(o.config + ": no [tool.asyncfix] table");
    explicit_config = std::make_unique<Config>(std::move(**c));
  }
  ConfigFinder finder;
  auto config_for = [&](const std::string& path) -> Expected<const Config*> {
    if (explicit_config) return static_cast<const Config*>(explicit_config.get());
    return finder.for_path(path);
  };

  // 1. The files.
  DiscoverOptions d;
  d.paths = o.paths;
  if (!o.files_from.empty()) {
    std::istream* in = &std::cin;
    std::ifstream file;
    if (o.files_from != "-") {
      file.open(o.files_from);
      if (!file) return usage_error(o.files_from + ": cannot read the list of files");
      in = &file;
    }
    for (std::string line; std::getline(*in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty()) d.listed.push_back(line);
    }
  } else if (d.paths.empty()) {
    d.paths = {"."};
  }
  d.exclude = o.exclude;
  d.jobs = o.jobs;
  {
    auto first = config_for(d.paths.empty() ? (d.listed.empty() ? "." : d.listed.front()) : d.paths.front());
    if (!first) return usage_error(first.error().to_string());
    const Config* c = *first;
    d.respect_ignore_files = !o.no_ignore_files && !(c && c->respect_gitignore && !*c->respect_gitignore);
    if (c && c->max_file_size) d.max_file_size = *c->max_file_size;
  }
  auto disc = discover(d);
  if (!disc) return usage_error(disc.error().to_string());
  RunSummary summary;
  summary.skipped = disc->skipped;
  summary.diff_mode = o.diff || !o.export_fixes.empty();
  summary.fix_mode = o.fix;
  summary.interactive = o.interactive;
  for (const auto& s : disc->skipped) fmt::print(stderr, "{}: skipped: {}\n", s.path, s.reason);

  // 2. Group the files by their configuration.
  std::vector<std::unique_ptr<Group>> groups;
  std::map<const Config*, Group*> by_config;
  for (auto& f : disc->files) {
    auto c = config_for(f.path);
    if (!c) return usage_error(c.error().to_string());
    if (*c && excluded_by_config(**c, f.path)) continue;
    auto it = by_config.find(*c);
    if (it == by_config.end()) {
      groups.push_back(std::make_unique<Group>());
      groups.back()->config = *c;
      it = by_config.emplace(*c, groups.back().get()).first;
    }
    it->second->files.push_back(std::move(f));
  }

  // 3. Per group: settings, rules, engine, project.
  std::vector<RulePtr> all_rules;  // for SARIF's rule table
  std::set<std::string> rule_ids;
  for (auto& gp : groups) {
    Group& g = *gp;
    const Config* c = g.config;
    std::string root = c ? c->root : project_root_for(g.files.front().path);
    apply_dependencies(read_dependencies(root), g.settings);
    if (c) c->apply(g.settings);
    for (auto [flag, target] : {std::pair{&o.target_sqlalchemy, &g.settings.target_sqlalchemy},
                                std::pair{&o.target_fastapi, &g.settings.target_fastapi}}) {
      if (flag->empty()) continue;
      auto v = parse_version(*flag);
      if (!v) return usage_error("`" + *flag + "` is not a version (expected X.Y, e.g. 2.0)");
      *target = *v;
    }
    g.settings.migrate_async_sqlalchemy = o.migrate_async_sqlalchemy;
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
    if (!loaded) return usage_error(loaded.error().to_string());
    auto rules = select_rules(std::move(loaded).value(), ro);
    if (!rules) return usage_error((c ? c->path + ": " : std::string()) + rules.error().to_string());
    for (const auto& r : *rules) {
      if (rule_ids.insert(r->info().id).second) all_rules.push_back(r);
    }
    auto engine = Engine::create(std::move(rules).value(), g.settings);
    if (!engine) return usage_error(engine.error().to_string());
    g.engine = std::move(engine).value();
    g.unsafe = o.unsafe_fixes || (c && c->unsafe_fixes && *c->unsafe_fixes);
    if (c) {
      for (const auto& f : g.files) {
        auto codes = c->ignores_for(f.path);
        if (!codes.empty()) g.ignores[f.path] = expand_selectors(g.engine->rules(), codes);
      }
    }
    auto t0 = std::chrono::steady_clock::now();
    g.project = prepare_project(*g.engine, g.files, rules::index_classifier(g.settings), o.jobs);
    if (o.verbose && g.project) {
      fmt::print(stderr, "project index: {:.3f} s, {} modules summarized ({} summaries made)\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                 g.project->modules().size(), g.project->summaries_made());
    }
  }

  if (o.debug_index) {
    for (const auto& gp : groups) {
      if (!gp->project) continue;
      const ProjectIndex& project = *gp->project;
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
      for (size_t i = 0; i < gp->engine->rules().size(); ++i) {
        const auto* plan = dynamic_cast<const AsyncPlan*>(gp->engine->plan(i));
        if (!plan) continue;
        for (const auto& [q, why] : plan->make_async) fmt::print(stderr, "plan: {} becomes async: {}\n", q, why);
        for (const auto& st : plan->stuck)
          fmt::print(stderr, "plan: {}:{}:{}: `{}` cannot be awaited there\n", st.path, st.pos.line, st.pos.col, st.callee);
        for (const auto& [q, why] : plan->blocked) {
          for (const auto& w : why) fmt::print(stderr, "plan: {} blocked: {}\n", q, w);
        }
      }
    }
  }

  // 4. Baseline, reviewer, export, reporter.
  std::optional<Baseline> baseline;
  if (!o.baseline.empty()) {
    auto b = Baseline::load(o.baseline);
    if (!b) return usage_error(b.error().to_string());
    baseline = std::move(b).value();
  }
  // Workers look files up in the baseline as it was loaded while results (on this thread)
  // update the one to be written: a lookup must never see the maps being rebuilt.
  const std::optional<Baseline> known_baseline = baseline;
  std::unique_ptr<TerminalReviewer> reviewer;
  if (o.interactive) {
    std::string why;
    reviewer = TerminalReviewer::open(color || (o.color == "auto" && want_color(stderr)), &why);
    if (!reviewer) return usage_error(why);
  }
  FixExport exported;
  auto reporter = make_reporter(*format, color, stdout, all_rules);

  size_t total = 0;
  for (auto& gp : groups) {
    if (shard_n > 1) {
      std::vector<DiscoveredFile> mine;
      for (auto& f : gp->files) {
        if (path_hash(f.path) % shard_n == shard_k) mine.push_back(f);
      }
      gp->files = std::move(mine);
    }
    total += gp->files.size();
  }
  Progress progress(total, !o.no_progress && !o.interactive && progress_wanted());

  bool internal_error = false, quit = false;
  size_t done = 0;
  for (auto& gp : groups) {
    if (quit) break;
    Group& g = *gp;
    RunOptions ro;
    bool fixing = o.fix || o.diff || !o.export_fixes.empty();
    ro.file.fix_mode = !fixing ? FixMode::None : g.unsafe ? FixMode::Unsafe : FixMode::Safe;
    ro.file.reviewer = reviewer.get();
    ro.file.report_unused_suppressions = o.report_unused_suppressions;
    ro.file.resolve_fix_edits = reporter->needs_sources();
    ro.keep_text = reporter->needs_sources();
    ro.jobs = o.jobs;
    ro.customize = [&](const DiscoveredFile& df, FileOptions& fo) {
      if (auto it = g.ignores.find(df.path); it != g.ignores.end()) fo.ignored_rules = &it->second;
      if (known_baseline) fo.baseline = known_baseline->for_file(df.path);
    };
    run_files(*g.engine, g.files, ro, g.project.get(), [&](size_t, FileResult&& r) {
      ++done;
      if (r.error) {
        fmt::print(stderr, "{}: skipped: {}\n", r.path, r.error->to_string());
        summary.skipped.push_back({r.path, r.error->message});
        progress.update(done, summary.findings);
        return true;
      }
      ++summary.scanned;
      summary.prefiltered += r.skipped_no_trigger;
      summary.baselined += r.baselined;
      for (const auto& f : r.findings) {
        summary.by_severity[f.severity]++;
        if (f.fix && f.fix->applicability == Applicability::Safe) ++summary.fixable;
        if (f.fix && f.fix->applicability == Applicability::Unsafe) ++summary.unsafe_fixable;
      }
      summary.findings += r.findings.size();
      summary.remaining += r.remaining.size();
      summary.fixed += r.applied.size();
      if (r.changed()) ++summary.files_changed;
      internal_error |= r.has_internal_error();
      quit |= r.quit;

      progress.clear();
      if (o.diff) {
        if (r.changed())
          std::fputs(unified_diff(r.original, r.fixed, diff_label("a/", r.path), diff_label("b/", r.path)).c_str(), stdout);
      } else if (!o.export_fixes.empty()) {
        exported.add(r);
      } else {
        if (o.fix && r.changed()) {
          auto st = write_file_atomically(r.path, r.fixed, r.original);
          if (!st) {
            fmt::print(stderr, "{}: error: {}\n", r.path, st.error().message);
            ++summary.write_errors;
            // Nothing was written: the original findings still stand.
            summary.remaining += r.findings.size() - r.remaining.size();
            summary.fixed -= r.applied.size();
            if (r.changed()) --summary.files_changed;
            r.remaining = r.findings;
          }
        }
        std::unique_ptr<SourceFile> src;
        const std::vector<Finding>& shown = o.fix ? r.remaining : r.findings;
        if (reporter->needs_sources() && !shown.empty()) {
          auto s = SourceFile::from_bytes(r.path, o.fix ? r.fixed : r.original);
          if (s) src = std::make_unique<SourceFile>(std::move(s).value());
        }
        reporter->file(FileReport{r.path, src.get(), &shown});
      }
      if (baseline) {
        for (const auto& f : r.rejected) baseline->add(r.path, f, "rejected");
        if (!baseline->existed() || o.update_baseline) {
          baseline->forget_file(r.path);
          // What the file on disk holds after this run: fixed only when it was written.
          bool written = o.fix && r.changed();
          for (const auto& f : written ? r.remaining : r.findings) baseline->add(r.path, f, "existing");
          for (const auto& f : r.rejected) baseline->add(r.path, f, "rejected");
        }
      }
      for (const Note& n : r.notes) {
        if (n.verbose && !o.verbose) continue;
        if (n.pos.line)
          fmt::print(stderr, "{}:{}:{}: {}{}{}\n", r.path, n.pos.line, n.pos.col, n.rule_id, n.rule_id.empty() ? "" : ": ",
                     n.message);
        else
          fmt::print(stderr, "{}: {}{}{}\n", r.path, n.rule_id, n.rule_id.empty() ? "" : ": ", n.message);
      }
      std::fflush(stdout);
      progress.update(done, summary.findings);
      return !r.quit;
    });
  }
  progress.clear();

  bool baseline_written = false;
  if (baseline && (!baseline->existed() || o.update_baseline || reviewer)) {
    auto st = baseline->write(o.baseline);
    if (!st) return usage_error(o.baseline + ": " + st.error().message);
    baseline_written = !baseline->existed() || o.update_baseline;
    fmt::print(stderr, "{} the baseline {} ({}).\n", baseline->existed() ? "Updated" : "Wrote", o.baseline,
               plural(baseline->size(), "finding", "findings"));
  }
  if (!o.export_fixes.empty()) {
    auto st = exported.write(o.export_fixes);
    if (!st) return usage_error(o.export_fixes + ": " + st.error().message);
    fmt::print(stderr, "Exported the fixes of {} to {} (apply them with `asyncfix apply {}`).\n",
               plural(exported.files(), "file", "files"), o.export_fixes, o.export_fixes);
  }
  reporter->finish(summary);
  if (reviewer) {
    fmt::print(stderr, "Reviewed: {} applied, {} declined{}.\n", reviewer->applied(), reviewer->skipped(),
               quit ? " (stopped early)" : "");
  }

  if (internal_error || summary.write_errors) return 2;
  if (baseline_written) return 0;  // everything found is now known
  if (o.fix) return summary.remaining ? 1 : 0;
  if (summary.diff_mode) return (summary.fixed || summary.remaining) ? 1 : 0;
  return summary.findings ? 1 : 0;
}

}  // namespace asyncfix::cli

// asyncfix check PATHS... [--diff | --fix] : findings, the diff of their fixes, or the fixes
// written in place.
#include <fmt/core.h>

#include <cstdio>
#include <map>

#include "cli/options.h"
#include "cli/rules_loader.h"
#include "engine/diff/unified.h"
#include "engine/run/runner.h"
#include "engine/run/project_config.h"
#include "engine/run/write.h"
#include "transforms/blocking_catalog.h"

namespace asyncfix::cli {

namespace {

std::string diff_label(const std::string& prefix, const std::string& path) {
  std::string p = path;
  while (!p.empty() && p.front() == '/') p.erase(0, 1);
  return prefix + p;
}

void print_finding(const std::string& path, const Finding& f) {
  fmt::print("{}:{}:{}: {} [{}] {}\n", path, f.start_pos.line, f.start_pos.col, f.rule_id,
             to_string(f.severity), f.message);
  for (const auto& t : f.trace) fmt::print("  | {}\n", t);
  if (!f.note.empty()) fmt::print("  = note: {}\n", f.note);
  if (f.fix) {
    const char* how = f.fix->applicability == Applicability::Safe     ? ""
                      : f.fix->applicability == Applicability::Unsafe ? " (unsafe: --unsafe-fixes)"
                                                                      : " (shown, not applied)";
    fmt::print("  = fix: {}{}\n", f.fix->title, how);
  }
}

}  // namespace

int run_check(const CheckOptions& o_in) {
  CheckOptions o = o_in;
  if (o.migrate_async_sqlalchemy) {
    // The migration's rules, every fix of them: its parts only make sense together.
    o.rules.select = {"AF601", "AF602", "AF303"};
    o.unsafe_fixes = true;
  }
  RuleSettings settings;
  {
    std::string root = project_root_for(o.paths.empty() ? "." : o.paths.front());
    apply_dependencies(read_dependencies(root), settings);
    for (auto [flag, target] : {std::pair{&o.target_sqlalchemy, &settings.target_sqlalchemy},
                                std::pair{&o.target_fastapi, &settings.target_fastapi}}) {
      if (flag->empty()) continue;
      auto v = parse_version(*flag);
      if (!v) {
        fmt::print(stderr, "asyncfix: error: `{}` is not a version (expected X.Y, e.g. 2.0)\n", *flag);
        return 2;
      }
      *target = *v;
    }
    settings.migrate_async_sqlalchemy = o.migrate_async_sqlalchemy;
  }
  auto all = load_all_rules(o.rules, settings);
  if (!all) {
    fmt::print(stderr, "asyncfix: error: {}\n", all.error().to_string());
    return 2;
  }
  auto rules = select_rules(std::move(all).value(), o.rules);
  if (!rules) {
    fmt::print(stderr, "asyncfix: error: {}\n", rules.error().to_string());
    return 2;
  }
  auto engine = Engine::create(std::move(rules).value(), settings);
  if (!engine) {
    fmt::print(stderr, "asyncfix: error: {}\n", engine.error().to_string());
    return 2;
  }

  DiscoverOptions d;
  d.paths = o.paths.empty() ? std::vector<std::string>{"."} : o.paths;
  d.exclude = o.exclude;
  auto disc = discover(d);
  if (!disc) {
    fmt::print(stderr, "asyncfix: error: {}\n", disc.error().to_string());
    return 2;
  }
  for (const auto& s : disc->skipped) fmt::print(stderr, "{}: skipped: {}\n", s.path, s.reason);

  RunOptions ro;
  bool fixing = o.fix || o.diff;
  ro.file.fix_mode = !fixing ? FixMode::None : o.unsafe_fixes ? FixMode::Unsafe : FixMode::Safe;
  ro.jobs = o.jobs;

  size_t found = 0, remaining = 0, fixed = 0, files_changed = 0, unreadable = 0, write_errors = 0;
  size_t fixable = 0, unsafe_fixable = 0;
  bool internal_error = false;
  std::map<Severity, size_t> by_severity;

  auto project = prepare_project(**engine, disc->files, rules::index_classifier(settings), o.jobs);
  if (o.debug_index && project) {
    for (const auto& [name, m] : project->modules()) {
      fmt::print(stderr, "module {} ({})\n", name, m.path);
      for (const auto& [fname, f] : m.functions) {
        fmt::print(stderr, "  {} {}{}{}\n", f.is_async ? "async def" : "def", f.qualname,
                   f.sync_with_await ? " [await in sync def]" : "", f.result_type ? " -> " + *f.result_type : "");
        for (const auto& b : f.blocking) fmt::print(stderr, "    blocks: {} ({}) at {}\n", b.api, b.rule_id, b.pos.line);
        for (const auto& c : f.calls) fmt::print(stderr, "    calls: {}{} at {}\n", c.callee, c.awaited ? " (awaited)" : "", c.pos.line);
      }
      for (const auto& [g, t] : m.globals) fmt::print(stderr, "  global {}: {}\n", g, t);
      for (const auto& c : m.module_calls) fmt::print(stderr, "  module-level call: {} at {}\n", c.callee, c.pos.line);
    }
    for (const auto& [q, why] : project->plan().make_async) fmt::print(stderr, "plan: {} becomes async: {}\n", q, why);
    for (const auto& st : project->plan().stuck)
      fmt::print(stderr, "plan: {}:{}:{}: `{}` cannot be awaited there\n", st.path, st.pos.line, st.pos.col, st.callee);
    for (const auto& [q, why] : project->plan().blocked) {
      for (const auto& w : why) fmt::print(stderr, "plan: {} blocked: {}\n", q, w);
    }
  }

  run_files(**engine, disc->files, ro, project.get(), [&](size_t, FileResult&& r) {
    if (r.error) {
      fmt::print(stderr, "{}: skipped: {}\n", r.path, r.error->to_string().substr(
          r.error->location.path.empty() ? 0 : 0));
      ++unreadable;
      return true;
    }
    found += r.findings.size();
    for (const auto& f : r.findings) {
      by_severity[f.severity]++;
      if (f.fix && f.fix->applicability == Applicability::Safe) ++fixable;
      if (f.fix && f.fix->applicability == Applicability::Unsafe) ++unsafe_fixable;
    }
    remaining += r.remaining.size();
    fixed += r.applied.size();
    if (r.changed()) ++files_changed;
    internal_error |= r.has_internal_error();

    if (o.diff) {
      if (r.changed()) {
        std::fputs(unified_diff(r.original, r.fixed, diff_label("a/", r.path), diff_label("b/", r.path)).c_str(),
                   stdout);
      }
    } else {
      if (o.fix && r.changed()) {
        auto st = write_file_atomically(r.path, r.fixed, r.original);
        if (!st) {
          fmt::print(stderr, "{}: error: {}\n", r.path, st.error().message);
          ++write_errors;
          // Nothing was written: the original findings still stand.
          remaining += r.findings.size() - r.remaining.size();
          fixed -= r.applied.size();
          r.remaining = r.findings;
        }
      }
      for (const Finding& f : (o.fix ? r.remaining : r.findings)) print_finding(r.path, f);
    }
    for (const Note& n : r.notes) {
      if (n.verbose && !o.verbose) continue;
      if (n.pos.line)
        fmt::print(stderr, "{}:{}:{}: {}{}{}\n", r.path, n.pos.line, n.pos.col, n.rule_id,
                   n.rule_id.empty() ? "" : ": ", n.message);
      else
        fmt::print(stderr, "{}: {}{}{}\n", r.path, n.rule_id, n.rule_id.empty() ? "" : ": ", n.message);
    }
    std::fflush(stdout);
    return true;
  });

  auto plural = [](size_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); };
  std::string sev;
  for (auto s : {Severity::P1, Severity::P2, Severity::P3}) {
    if (by_severity[s]) sev += fmt::format("{}{}: {}", sev.empty() ? "" : ", ", to_string(s), by_severity[s]);
  }
  std::FILE* summary = o.diff ? stderr : stdout;
  if (o.diff) {
    fmt::print(summary, "Would fix {} in {}", plural(fixed, "finding", "findings"), plural(files_changed, "file", "files"));
    if (remaining) fmt::print(summary, "; {} would remain", remaining);
    fmt::print(summary, ".\n");
  } else if (o.fix) {
    fmt::print(summary, "Fixed {} in {}", plural(fixed, "finding", "findings"), plural(files_changed, "file", "files"));
    fmt::print(summary, "; {} remaining.\n", remaining);
  } else if (found == 0) {
    fmt::print(summary, "All checks passed ({} scanned).\n", plural(disc->files.size(), "file", "files"));
  } else {
    fmt::print(summary, "Found {} ({}).\n", plural(found, "finding", "findings"), sev);
    if (fixable) fmt::print(summary, "{} fixable with --fix", fixable);
    if (unsafe_fixable) fmt::print(summary, "{}{} more with --unsafe-fixes", fixable ? "; " : "", unsafe_fixable);
    if (fixable || unsafe_fixable) fmt::print(summary, ".\n");
  }
  if (unreadable) fmt::print(stderr, "{} skipped (see above).\n", plural(unreadable, "file", "files"));

  if (internal_error || write_errors) return 2;
  if (o.fix) return remaining ? 1 : 0;
  if (o.diff) return (fixed || remaining) ? 1 : 0;
  return found ? 1 : 0;
}

}  // namespace asyncfix::cli

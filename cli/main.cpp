// The command line. The only translation unit that includes CLI11; it fills the option
// structs of cli/options.h and calls the subcommand.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>

#include "cli/options.h"

namespace {

void add_rule_options(CLI::App* cmd, asyncfix::cli::RuleOptions& r) {
  cmd->add_option("--rules", r.rules_dirs, "Also load the rule files (*.yml) in DIR (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
  cmd->add_option("--select", r.select, "Only these rules: ids, id prefixes (AF1) or names")
      ->delimiter(',')
      ->type_name("RULE")
      ->allow_extra_args(false);
  cmd->add_option("--ignore", r.ignore, "Not these rules: ids, id prefixes or names")
      ->delimiter(',')
      ->type_name("RULE")
      ->allow_extra_args(false);
}

// Options of the commands that run rules over files (check, migrate).
void add_run_options(CLI::App* cmd, asyncfix::cli::CheckOptions& o) {
  cmd->add_option("--exclude", o.exclude, "Skip paths matching these globs")
      ->delimiter(',')
      ->type_name("GLOB")
      ->allow_extra_args(false);
  cmd->add_option("--files-from", o.files_from, "Read the files (and directories) to check from FILE, one per line or NUL-separated as `git ls-files -z` writes them ('-': stdin)")
      ->type_name("FILE");
  cmd->add_flag("--no-ignore-files", o.no_ignore_files, "Do not honour .gitignore and .ignore files");
  cmd->add_option("--library-model", o.library_models,
                  "Also read these library-model files: what your own wrappers return, block on or await (repeatable; docs/library-model.md)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--config", o.config, "Use this configuration (a pyproject.toml or an asyncfix.toml) for every file")
      ->type_name("FILE");
  cmd->add_flag("-i,--interactive", o.interactive, "Review each fix before it is applied (with --fix)");
  cmd->add_option("--baseline", o.baseline,
                  "Known findings and declined fixes: report and propose only new ones (the file must exist)")
      ->type_name("FILE");
  cmd->add_flag("--update-baseline", o.update_baseline, "Write the baseline (created when missing) with what this run finds, known findings included");
  cmd->add_option("--color", o.color, "auto, always or never (default: auto; NO_COLOR is honoured)")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--no-progress", o.no_progress, "No progress line on stderr");
  cmd->add_flag("--no-cache", o.no_cache, "Neither read nor write the cache (.asyncfix_cache/ at the project root)");
  cmd->add_option("--cache-dir", o.cache_dir, "Keep the cache in DIR (default: cache-dir of the configuration, $ASYNCFIX_CACHE_DIR, else .asyncfix_cache/ at the project root)")
      ->type_name("DIR");
  cmd->add_flag("--debug-index", o.debug_index, "Print the project index and the async plan")->group("");
  cmd->add_flag("-v,--verbose", o.verbose, "Also say which fixes waited a pass for an overlapping fix, and where the time went: the phases (wall time) and the stages (read, parse, rules, fixes, the index's summaries; thread time)");
  cmd->add_option("-j,--jobs", o.jobs, "Worker threads, 1 to 1024 (default, or 0: all cores)")
      ->type_name("N")
      ->check(CLI::Range(0, 1024));
}

// `asyncfix migrate async-sqlalchemy`: its options go to `migrate`; returns the subcommand.
CLI::App* add_migrate_command(CLI::App& app, asyncfix::cli::CheckOptions& migrate) {
  migrate.migrate_async_sqlalchemy = true;
  auto* m = app.add_subcommand("migrate", "Whole-project migrations, shown as one diff (--fix applies it)");
  auto* ms = m->add_subcommand("async-sqlalchemy",
                               "Move a sync SQLAlchemy (+ FastAPI) app to AsyncSession: engine, session factory, "
                               "dependency, queries, awaits and their callers");
  m->require_subcommand(1);
  ms->add_option("paths", migrate.paths, "The app's files or directories (default: .)")->type_name("PATH");
  ms->add_flag("--diff", migrate.diff, "Print the unified diff of the migration (the default)");
  ms->add_flag("--fix", migrate.fix, "Apply it in place (atomic writes)");
  ms->add_option("--target-sqlalchemy", migrate.target_sqlalchemy,
                 "SQLAlchemy version to write for (1.4, 2.0; default: the project's pin, else 2.0)")
      ->type_name("X.Y");
  ms->add_option("--target-fastapi", migrate.target_fastapi,
                 "FastAPI version to write for (lifespan from 0.93; default: the project's pin, else newest)")
      ->type_name("X.Y");
  add_run_options(ms, migrate);
  ms->add_option("--export-fixes", migrate.export_fixes, "Write the migration to FILE.json instead of applying it")
      ->type_name("FILE");
  auto* mformat = ms->add_option("--output-format", migrate.output_format,
                                 "Report the migration's findings as text, json, sarif, github or review instead of "
                                 "printing its diff (with --fix: what remains)")
                      ->type_name("FORMAT");
  ms->callback([&, mformat] {
    if (migrate.diff && migrate.fix) throw CLI::ValidationError("--diff and --fix", "use one or the other");
    if (migrate.diff && mformat->count()) throw CLI::ValidationError("--diff and --output-format", "use one or the other");
    if (!migrate.fix && migrate.export_fixes.empty() && !mformat->count()) migrate.diff = true;
  });

  return ms;
}

// `asyncfix bogus`: an error naming the commands (CLI11 would say "A subcommand is required").
// True when argv[1] is not a command.
bool unknown_command(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  if (std::find(names.begin(), names.end(), argv[1]) != names.end()) return false;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  std::fprintf(stderr, "asyncfix: error: unknown command '%s' (the commands: %s; see asyncfix --help)\n", argv[1],
               known.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace asyncfix::cli;
  CLI::App app{
      "asyncfix: finds the async anti-patterns of asyncio / FastAPI / SQLAlchemy code and "
      "rewrites them, showing every change as a unified diff."};
  app.name("asyncfix");
  app.set_version_flag("-V,--version", std::string("asyncfix ") + ASYNCFIX_VERSION);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 nothing found (or all fixed), 1 findings remain, 2 usage or internal error.\n"
             "Run `asyncfix COMMAND --help` for a command's options.");

  CheckOptions check;
  auto* c = app.add_subcommand("check", "Report findings; --diff shows the fixes, --fix applies them");
  c->add_option("paths", check.paths, "Files or directories (default: .)")->type_name("PATH");
  c->add_flag("--diff", check.diff, "Print the unified diff of the fixes; write nothing");
  c->add_flag("--fix", check.fix, "Apply the fixes in place (atomic writes)");
  c->add_flag("--unsafe-fixes", check.unsafe_fixes, "Also apply fixes marked unsafe");
  add_run_options(c, check);
  add_rule_options(c, check.rules);
  c->add_option("--output-format", check.output_format, "text, json, sarif, github or review (default: text)")
      ->type_name("FORMAT");
  c->add_flag("--report-unused-suppressions", check.report_unused_suppressions,
              "Report suppression comments that suppress nothing (AF001)");
  c->add_option("--shard", check.shard, "Check only the K-th of N deterministic parts of the files (CI matrices)")
      ->type_name("K/N");
  c->add_option("--export-fixes", check.export_fixes,
                "Compute the fixes and write them to FILE.json instead of applying them (see `apply`)")
      ->type_name("FILE");
  c->add_option("--index", check.index_file,
                "Take the project index from FILE (written by `asyncfix index --export` over the same files, with the same options)")
      ->type_name("FILE");
  c->callback([&] {
    if (check.diff && check.fix) throw CLI::ValidationError("--diff and --fix", "use one or the other");
  });

  CheckOptions index;
  auto* ix = app.add_subcommand("index", "Build the project index once and write it to a file, for the shards of a CI matrix (check --index)");
  ix->add_option("paths", index.paths, "Files or directories (default: .)")->type_name("PATH");
  ix->add_option("--export", index.index_export, "Write the index to FILE")->required()->type_name("FILE");
  ix->add_flag("--unsafe-fixes", index.unsafe_fixes, "As the checks that will use it are run with it");
  add_run_options(ix, index);
  add_rule_options(ix, index.rules);

  CheckOptions migrate;
  migrate.migrate_async_sqlalchemy = true;
  CLI::App* ms = add_migrate_command(app, migrate);

  ApplyOptions apply;
  auto* ap = app.add_subcommand("apply", "Apply fixes exported with --export-fixes (from shards or other machines)");
  ap->add_option("exports", apply.exports, "FILE.json written by --export-fixes")->required()->type_name("FILE");
  ap->add_flag("--diff", apply.diff, "Print the diff instead of writing");

  RuleOptions list;
  auto* r = app.add_subcommand("rules", "List the rules");
  add_rule_options(r, list);

  ExplainOptions explain;
  auto* e = app.add_subcommand("explain", "Print a rule's documentation");
  e->add_option("rule", explain.rule, "Rule id or name (AF101, blocking-sleep)")->required();
  e->add_option("--rules", explain.rules.rules_dirs, "Also load the rule files in DIR")->type_name("DIR");

  TestRulesOptions test_rules;
  auto* t = app.add_subcommand("test-rules", "Run the rules' own valid/invalid cases (like `sg test`)");
  t->add_option("dirs", test_rules.dirs, "Rule directories or files (default: the built-in rules)")->type_name("DIR");
  t->add_flag("-U,--update", test_rules.update, "Rewrite the expected fixes (`fixed:`) with what the rules now produce");

  GenDocsOptions gen_docs;
  auto* g = app.add_subcommand("gen-docs", "Write docs/rules/<ID>.md from the rules' own documentation");
  g->add_option("dir", gen_docs.dir, "Output directory (default: docs/rules)")->type_name("DIR");
  g->add_flag("--check", gen_docs.check, "Write nothing; fail when a page differs from its rule");

  CleanOptions clean;
  auto* cl = app.add_subcommand("clean", "Remove the cache of the projects at PATH (default: .)");
  cl->add_option("paths", clean.paths, "A directory or file of each project (default: .)")->type_name("PATH");
  cl->add_option("--cache-dir", clean.cache_dir, "The cache is in DIR")->type_name("DIR");

  if (unknown_command(app, argc, argv)) return 2;

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& ex) {
    return app.exit(ex);
  } catch (const CLI::CallForAllHelp& ex) {
    return app.exit(ex);
  } catch (const CLI::CallForVersion& ex) {
    return app.exit(ex);
  } catch (const CLI::ParseError& ex) {
    app.exit(ex);
    return 2;
  }

  try {
    if (c->parsed()) return run_check(check);
    if (ix->parsed()) return run_check(index);
    if (ms->parsed()) return run_check(migrate);
    if (ap->parsed()) return run_apply(apply);
    if (r->parsed()) return run_rules(list);
    if (e->parsed()) return run_explain(explain);
    if (t->parsed()) return run_test_rules(test_rules);
    if (g->parsed()) return run_gen_docs(gen_docs);
    if (cl->parsed()) return run_clean(clean);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "asyncfix: internal error: %s\n", ex.what());
    return 2;
  }
  return 2;
}

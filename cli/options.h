// What each subcommand takes, as plain structs: CLI11 lives in main.cpp alone (it costs
// seconds of compile per translation unit), the cmd_*.cpp files only see these.
#pragma once

#include <string>
#include <vector>

namespace asyncfix::cli {

// Options shared by the commands that load rules.
struct RuleOptions {
  std::vector<std::string> rules_dirs;  // --rules DIR (repeatable)
  std::vector<std::string> select;      // ids or names
  std::vector<std::string> ignore;
};

struct CheckOptions {
  std::vector<std::string> paths;
  RuleOptions rules;
  bool diff = false;
  bool fix = false;
  bool unsafe_fixes = false;
  std::vector<std::string> exclude;
  std::vector<std::string> library_models;  // --library-model FILE (repeatable)
  int jobs = 0;
  std::string output_format = "text";
  bool no_color = false;
  bool verbose = false;  // also notes about fixes that waited a pass for a conflict, index timing
  bool debug_index = false;  // print the project index (hidden)
  std::string files_from;           // --files-from FILE ("-": stdin)
  std::string config;               // --config FILE
  bool no_ignore_files = false;     // --no-ignore-files: .gitignore / .ignore not honoured
  bool interactive = false;
  std::string baseline;             // --baseline FILE
  bool update_baseline = false;
  std::string shard;                // "K/N"
  std::string export_fixes;         // --export-fixes FILE.json
  bool report_unused_suppressions = false;
  std::string color = "auto";       // auto | always | never
  bool no_progress = false;
  bool no_cache = false;            // --no-cache: read and write no cache
  std::string cache_dir;            // --cache-dir DIR
  std::string index_file;           // check --index FILE: the summaries `index --export` wrote
  std::string index_export;         // `asyncfix index --export FILE`: write them, check nothing
  // `asyncfix migrate async-sqlalchemy`: the migration rules only, their fixes all applied
  // together; the diff unless --fix.
  bool migrate_async_sqlalchemy = false;
  std::string target_sqlalchemy;  // "1.4", "2.0"; empty: from the project's dependencies
  std::string target_fastapi;
};

struct ApplyOptions {
  std::vector<std::string> exports;  // FILE.json written by --export-fixes
  bool diff = false;                 // print the diff instead of writing
};

struct ExplainOptions {
  std::string rule;
  RuleOptions rules;
};

struct TestRulesOptions {
  std::vector<std::string> dirs;  // rule directories or files; none: the built-in rules
  bool update = false;            // rewrite the expected fixes
};

struct CleanOptions {
  std::vector<std::string> paths;  // projects whose cache goes; none: the working directory's
  std::string cache_dir;           // --cache-dir DIR
};

struct GenDocsOptions {
  std::string dir = "docs/rules";
  bool check = false;
};

int run_check(const CheckOptions& options);
int run_apply(const ApplyOptions& options);
int run_test_rules(const TestRulesOptions& options);
int run_gen_docs(const GenDocsOptions& options);
int run_rules(const RuleOptions& options);
int run_explain(const ExplainOptions& options);
int run_clean(const CleanOptions& options);

}  // namespace asyncfix::cli

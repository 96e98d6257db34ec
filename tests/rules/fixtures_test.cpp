// The rule fixture suite: every corpus/rules/<ID>/<case>.py, run with rule <ID> alone (a case
// named migrate_* runs with the migration's rules, AF601 + AF602 + AF303, in migration mode,
// as `asyncfix migrate async-sqlalchemy`; its markers still name only <ID>'s findings).
//
// Expectations sit beside the code: a comment `# AF101` on a line that must fire (several
// ids allowed: `# AF101 AF201`), `# ok` on lines that must not (any unmarked line must not
// either). <case>.findings holds each finding's line, column, message, note and fix title;
// the expected fixed file is <case>.fixed.py. Set ASYNCFIX_UPDATE_FIXTURES=1 to (re)write
// the expected files, then review their diff like code.
//
// Invariants checked for every case, whatever the rule:
//   findings == markers; fixed output == expected file; the fixed output parses (no syntax
//   error the input did not have); the fix loop settles with no internal error; a second run
//   over the fixed output finds nothing left to fix; every line the fixes removed or changed
//   lies inside a fixed finding or is an import; the BOM and the line endings are kept.
#include <gtest/gtest.h>

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/diff/unified.h"
#include "engine/base/files.h"
#include "engine/run/pipeline.h"
#include "engine/run/project_config.h"
#include "engine/semantic/library_model.h"
#include "engine/run/run_plan.h"
#include "engine/yaml/yaml_rule.h"
#include "transforms/blocking_catalog.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"

namespace asyncfix {
namespace {

namespace fs = std::filesystem;

struct FixtureCase {
  std::string rule_id;
  fs::path input;     // a .py file or a directory
  fs::path unused;
};

void PrintTo(const FixtureCase& c, std::ostream* os) { *os << c.input.string(); }

std::string read(const fs::path& p) {
  auto text = read_whole_file(p.string());
  return text ? *text : std::string();
}

// A case is a .py file (a one-file project) or a directory (a project of several modules,
// for rules that look across files); its expected outputs are <file>.fixed.py beside each file.
std::vector<FixtureCase> discover_fixtures() {
  std::vector<FixtureCase> out;
  fs::path root = fs::path(ASYNCFIX_SOURCE_DIR) / "corpus" / "rules";
  if (!fs::exists(root)) return out;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      std::string name = f.path().filename().string();
      bool py = f.path().extension() == ".py" && !(name.size() > 9 && name.substr(name.size() - 9) == ".fixed.py");
      if (!py && !f.is_directory()) continue;
      out.push_back(FixtureCase{dir.path().filename().string(), f.path(), {}});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.input < b.input; });
  return out;
}

fs::path expected_for(const std::string& file) {
  fs::path p(file);
  p.replace_extension(".fixed.py");
  return p;
}

std::vector<RulePtr> all_rules() {
  static const std::vector<RulePtr> rules = *rules::builtin_rules();
  return rules;
}

// A case named migrate_* runs as `asyncfix migrate async-sqlalchemy` does: the migration's
// rules together, in migration mode.
bool is_migration_case(const FixtureCase& c) { return c.input.stem().string().rfind("migrate", 0) == 0; }

// The settings a case runs with: what its own project declares (a requirements.txt or
// pyproject.toml in the case directory or the rule directory: packages, target versions).
// AF001's cases run as `check --report-unused-suppressions` does, with every rule (whether a
// suppression is used depends on what the other rules find).
bool reports_suppressions(const FixtureCase& c) { return c.rule_id == "AF001"; }

RuleSettings settings_for(const FixtureCase& c) {
  RuleSettings s;
  fs::path dir = fs::is_directory(c.input) ? c.input : c.input.parent_path();
  for (fs::path d : {dir, dir.parent_path()}) {
    if (fs::exists(d / "requirements.txt") || fs::exists(d / "pyproject.toml")) {
      apply_dependencies(read_dependencies(d.string()), s);
      break;
    }
  }
  s.migrate_async_sqlalchemy = is_migration_case(c);
  return s;
}

// (line, rule id) pairs marked in comments.
std::set<std::pair<uint32_t, std::string>> markers(const SourceFile& src, TSNode root) {
  std::set<std::pair<uint32_t, std::string>> out;
  static const RE2 kMarker(R"(^#\s*((?:AF\d{3}[\s,]*)+)(?::.*|\s+#.*)?$)");
  static const RE2 kId(R"((AF\d{3}))");
  syntax::walk(root, [&](TSNode n) {
    if (syntax::kind(n) == "comment") {
      // The marker is the comment, or a later `#` part of it (`# noqa: AF101  # AF001`).
      std::string_view t = syntax::text(n, src.text());
      uint32_t line = src.position(syntax::start(n)).line;
      for (size_t at = 0; at != std::string_view::npos; at = t.find('#', at + 1)) {
        std::string ids;
        if (!RE2::FullMatch(t.substr(at), kMarker, &ids)) continue;
        re2::StringPiece in(ids);
        std::string id;
        while (RE2::FindAndConsume(&in, kId, &id)) out.emplace(line, id);
        break;
      }
    }
    return true;
  });
  return out;
}

class RuleFixture : public ::testing::TestWithParam<FixtureCase> {};

void check_file(const FixtureCase& c, const Engine& engine, const FileResult& r, const SourceFile& src,
                syntax::Parser& parser, const ProjectIndex* project, const std::string& module) {
  const std::string path = src.path();
  const fs::path expected = expected_for(path);

  // 1. Findings are exactly the markers of this rule.
  auto tree = parser.parse(src.text());
  ASSERT_TRUE(tree.ok());
  std::set<std::pair<uint32_t, std::string>> want;
  for (const auto& m : markers(src, tree->root())) {
    if (m.second == c.rule_id) want.insert(m);
  }
  std::set<std::pair<uint32_t, std::string>> got;
  for (const auto& f : r.findings) {
    if (f.rule_id == c.rule_id) got.emplace(f.start_pos.line, f.rule_id);
  }
  for (const auto& w : want) {
    EXPECT_TRUE(got.count(w)) << path << ":" << w.first << ": Missing: marked " << w.second << " but it did not fire";
  }
  for (const auto& g : got) {
    EXPECT_TRUE(want.count(g)) << path << ":" << g.first << ": Noisy: " << g.second << " fired on a line not marked for it";
  }

  // 1b. Where each finding starts (line and column) and what it says: the findings snapshot
  // <file>.findings, one line per finding of this rule, compared whole (as clang-tidy's
  // CHECK-MESSAGES compares the column and the message).
  bool update = std::getenv("ASYNCFIX_UPDATE_FIXTURES") != nullptr;
  {
    std::string snapshot;
    for (const auto& f : r.findings) {
      if (f.rule_id != c.rule_id) continue;
      snapshot += std::to_string(f.start_pos.line) + ":" + std::to_string(f.start_pos.col) + ": " + f.rule_id + " " +
                  f.message + "\n";
      if (!f.note.empty()) snapshot += "  note: " + f.note + "\n";
      if (f.fix) snapshot += std::string("  fix: ") + f.fix->title + " (" + to_string(f.fix->applicability) + ")\n";
    }
    fs::path snap = fs::path(path).replace_extension(".findings");
    if (update) {
      if (snapshot.empty()) fs::remove(snap);
      else std::ofstream(snap, std::ios::binary) << snapshot;
    } else if (snapshot.empty()) {
      EXPECT_FALSE(fs::exists(snap)) << snap.string() << " exists but " << c.rule_id << " found nothing";
    } else {
      ASSERT_TRUE(fs::exists(snap)) << "missing findings snapshot " << snap.string()
                                    << " (run with ASYNCFIX_UPDATE_FIXTURES=1 and review it)";
      EXPECT_EQ(snapshot, read(snap)) << "Wrong findings: " << path << " differs from " << snap.string() << "\n"
                                      << unified_diff(read(snap), snapshot, "expected", "actual");
    }
  }

  // 2. No internal errors; the fix loop settled.
  for (const auto& n : r.notes) {
    EXPECT_FALSE(n.internal_error) << path << ":" << n.pos.line << ": " << n.message;
  }

  // 3. The fixed output is the expected file.
  if (r.changed()) {
    if (update) {
      std::ofstream(expected, std::ios::binary) << r.fixed;
    } else {
      ASSERT_TRUE(fs::exists(expected)) << "Wrong fix: missing expected file " << expected.string()
                                        << " (run with ASYNCFIX_UPDATE_FIXTURES=1 and review it)";
      EXPECT_EQ(r.fixed, read(expected)) << "Wrong fix: " << path << " fixed differs from " << expected.string() << "\n"
                                         << unified_diff(read(expected), r.fixed, "expected", "actual");
    }
  } else if (fs::exists(expected)) {
    if (update) {
      fs::remove(expected);
    } else {
      ADD_FAILURE() << "Wrong fix: nothing was fixed but " << expected.string() << " exists";
    }
  }
  if (!r.changed()) return;

  // 4. The fixed output parses, keeps BOM and line endings, and is a fixed point.
  auto fixed_src = SourceFile::from_bytes(path, r.fixed);
  ASSERT_TRUE(fixed_src.ok());
  EXPECT_EQ(fixed_src->has_bom(), src.has_bom());
  auto fixed_tree = parser.parse(fixed_src->text());
  ASSERT_TRUE(fixed_tree.ok());
  EXPECT_LE(error_ranges(fixed_tree->root()).size(), error_ranges(tree->root()).size())
      << path << ": the fixed output has syntax errors the input did not have";
  if (src.line_ending() == LineEnding::CrLf) {
    std::string_view t = fixed_src->text();
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '\n') {
        ASSERT_TRUE(i > 0 && t[i - 1] == '\r') << "a fix wrote a bare LF into a CRLF file at byte " << i;
      }
    }
  }
  FileOptions fo;
  fo.fix_mode = FixMode::Unsafe;
  fo.module_name = module;
  fo.report_unused_suppressions = reports_suppressions(c);
  fo.relayout_statements = true;
  FileResult again = engine.process(*fixed_src, fo, parser, project);
  EXPECT_TRUE(again.applied.empty()) << path << ": a second run still fixes " << again.applied.size()
                                     << " finding(s), first " << again.applied[0].rule_id << " at "
                                     << again.applied[0].pos.line;

  // 5. Lines the fixes removed or changed lie inside fixed findings (and the statements they
  // edit, which are laid out again as black would), or are imports.
  std::set<uint32_t> allowed;
  for (const auto& f : r.findings) {
    if (!f.fix || f.fix->applicability == Applicability::DisplayOnly) continue;
    for (uint32_t l = f.start_pos.line; l <= f.end_pos.line; ++l) allowed.insert(l);
    for (const Edit& e : f.fix->edits) {
      uint32_t b = e.begin, en = e.end;
      TSNode at = ts_node_descendant_for_byte_range(tree->root(), e.begin, e.end);
      TSNode stmt = syntax::is_null(at) ? at : syntax::enclosing_statement(at);
      if (!syntax::is_null(stmt) && !syntax::is(stmt, "module")) {
        // A compound statement's header only (its body is other statements).
        uint32_t stmt_end = ts_node_end_byte(stmt);
        TSNode body = syntax::child_of_kind(stmt, "block");
        if (!syntax::is_null(body)) stmt_end = ts_node_start_byte(body);
        b = std::min(b, ts_node_start_byte(stmt));
        en = std::max(en, stmt_end);
      }
      for (uint32_t l = src.position(b).line; l <= src.position(en).line; ++l) allowed.insert(l);
    }
  }
  std::vector<std::string_view> old_lines;
  {
    std::string_view t = src.text();
    size_t b = 0;
    while (b < t.size()) {
      size_t e = t.find('\n', b);
      e = e == std::string_view::npos ? t.size() : e + 1;
      old_lines.push_back(t.substr(b, e - b));
      b = e;
    }
  }
  std::istringstream diff(unified_diff(src.text(), fixed_src->text(), "a", "b"));
  std::string line;
  uint32_t old_no = 0;
  static const RE2 kHunk(R"(^@@ -(\d+)(?:,\d+)? \+)");
  while (std::getline(diff, line)) {
    uint32_t start;
    if (RE2::PartialMatch(line, kHunk, &start)) {
      old_no = start;
      continue;
    }
    if (line.rfind("---", 0) == 0 || line.rfind("+++", 0) == 0 || line.empty()) continue;
    if (line[0] == ' ') {
      ++old_no;
    } else if (line[0] == '-') {
      std::string_view content = old_lines[old_no - 1];
      size_t code = content.find_first_not_of(" \t\r\n");
      bool is_import = code != std::string_view::npos &&
                       (content.substr(code).rfind("import ", 0) == 0 || content.substr(code).rfind("from ", 0) == 0);
      bool blank = code == std::string_view::npos;
      // A variable the fixes left unread, holding a call the library model says is pure.
      static const RE2 kPureAssign(R"(^\s*\w+\s*=\s*([\w.]+)\(\)\s*$)");
      std::string callee;
      const semantic::CallFact* fact = nullptr;
      if (RE2::FullMatch(std::string(content), kPureAssign, &callee))
        fact = semantic::LibraryModel::current().function(callee);
      bool unread_pure = fact && fact->pure;
      EXPECT_TRUE(allowed.count(old_no) || is_import || blank || unread_pure)
          << path << ":" << old_no << ": changed by a fix but not part of any fixed finding: " << content;
      ++old_no;
    }
  }
}

TEST_P(RuleFixture, MatchesMarkersAndExpectedFix) {
  const FixtureCase& c = GetParam();
  RuleSettings settings = settings_for(c);
  std::vector<RulePtr> rules;
  bool found = false;
  auto builtin = rules::builtin_rules(settings);
  ASSERT_TRUE(builtin.ok()) << builtin.error().to_string();
  for (const auto& r : *builtin) {
    found |= r->info().id == c.rule_id;
    if (r->info().id == c.rule_id || (is_migration_case(c) && rules::in_async_sqlalchemy_migration(r->info().id)) ||
        reports_suppressions(c))
      rules.push_back(r);
  }
  ASSERT_TRUE(found) << "no rule " << c.rule_id << " for fixture directory corpus/rules/" << c.rule_id;

  // The run plan of the case, as `asyncfix check` would make it, with the case's settings and
  // rules.
  RunPlan plan;
  DiscoverOptions d;
  d.paths = {c.input.string()};
  d.exclude = {"*.fixed.py"};
  auto disc = plan.discover(d);
  ASSERT_TRUE(disc.ok()) << disc.error().to_string();
  ASSERT_FALSE(disc->files.empty());
  auto grouped = plan.group(std::move(disc->files));
  ASSERT_TRUE(grouped.ok()) << grouped.error().to_string();
  GroupSetup setup;
  setup.settings = settings;
  setup.migrate_async_sqlalchemy = settings.migrate_async_sqlalchemy;
  setup.jobs = 1;
  setup.rules = [&](const RunGroup&) -> Expected<std::vector<RulePtr>> { return rules; };
  setup.classifier = rules::index_classifier;
  auto prepared = plan.prepare(setup);
  ASSERT_TRUE(prepared.ok()) << prepared.error().to_string();

  syntax::Parser parser;
  for (const RunGroup& g : plan.groups()) {
    for (const DiscoveredFile& df : g.files) {
      auto src = SourceFile::from_bytes(df.path, read(df.path));
      ASSERT_TRUE(src.ok()) << src.error().to_string();
      FileOptions fo;
      fo.fix_mode = FixMode::Unsafe;
      fo.module_name = df.module;
      fo.is_package = df.is_package;
      fo.report_unused_suppressions = reports_suppressions(c);
      // The fixtures are laid out as a black-formatted project's would be
      // (tests/cli/black_accepts_the_fixes.sh holds the black-clean ones to black itself).
      fo.relayout_statements = true;
      FileResult r = g.engine->process(*src, fo, parser, g.project.get());
      ASSERT_FALSE(r.error) << r.error->to_string();
      check_file(c, *g.engine, r, *src, parser, g.project.get(), df.module);
    }
  }
}

std::string case_name(const ::testing::TestParamInfo<FixtureCase>& info) {
  std::string n = info.param.rule_id + "_" + info.param.input.stem().string();
  for (char& ch : n) {
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, RuleFixture, ::testing::ValuesIn(discover_fixtures()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RuleFixture);

// Every rule has fixtures.
TEST(RuleFixtures, EveryRuleHasAFixtureDirectory) {
  for (const auto& r : all_rules()) {
    fs::path dir = fs::path(ASYNCFIX_SOURCE_DIR) / "corpus" / "rules" / r->info().id;
    EXPECT_TRUE(fs::is_directory(dir)) << r->info().id << " has no corpus/rules/" << r->info().id << "/";
  }
}

// What every rule must have, whatever it is written in.
//   - all five documentation sections (what it does, why it is bad, an example, what to use
//     instead, how safe its fix is);
//   - at least one case that must fire (a fixture marker, or an invalid inline test) and one
//     that must not (a `# ok` marker, a fixture file it does not fire in, or a valid inline test);
//   - if it offers fixes, at least one expected fixed file (<case>.fixed.py).
std::vector<fs::path> fixture_files(const std::string& rule_id) {
  std::vector<fs::path> out;
  fs::path dir = fs::path(ASYNCFIX_SOURCE_DIR) / "corpus" / "rules" / rule_id;
  if (!fs::is_directory(dir)) return out;
  for (const auto& f : fs::recursive_directory_iterator(dir)) {
    if (f.is_regular_file() && f.path().extension() == ".py") out.push_back(f.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_fixed_file(const fs::path& p) {
  std::string n = p.filename().string();
  return n.size() > 9 && n.substr(n.size() - 9) == ".fixed.py";
}

const RuleTests* inline_tests(const RulePtr& r) {
  if (auto y = std::dynamic_pointer_cast<const YamlRule>(r)) return &y->tests();
  return &rules::builtin_sidecar(r->info().id).tests;
}

TEST(RuleFixtures, EveryRuleHasItsFiveDocSections) {
  for (const auto& r : all_rules()) {
    const RuleDocs& d = r->info().docs;
    for (auto [section, text] : std::initializer_list<std::pair<const char*, const std::string*>>{
             {"what-it-does", &d.what_it_does}, {"why-is-this-bad", &d.why_bad}, {"example", &d.example},
             {"use-instead", &d.use_instead}, {"fix-safety", &d.fix_safety}}) {
      EXPECT_FALSE(text->empty()) << r->info().id << " has no `" << section << "` documentation";
    }
  }
}

TEST(RuleFixtures, EveryRuleHasCasesThatMustFireAndMustNot) {
  static const RE2 kOk(R"((?m)#\s*ok\b)");
  for (const auto& r : all_rules()) {
    const std::string& id = r->info().id;
    const RuleTests* tests = inline_tests(r);
    bool fires = !tests->invalid.empty(), quiet = !tests->valid.empty();
    for (const fs::path& f : fixture_files(id)) {
      if (is_fixed_file(f)) continue;
      std::string text = read(f);
      bool marked = text.find("# " + id) != std::string::npos;
      fires |= marked;
      quiet |= !marked || RE2::PartialMatch(text, kOk);
    }
    EXPECT_TRUE(fires) << id << " has no case that must fire (a `# " << id << "` marker or an invalid test)";
    EXPECT_TRUE(quiet) << id << " has no case that must not fire (`# ok`, an unmarked fixture or a valid test)";
  }
}

TEST(RuleFixtures, EveryFixableRuleHasAnExpectedFixedFile) {
  for (const auto& r : all_rules()) {
    if (!r->info().fixable) continue;
    auto files = fixture_files(r->info().id);
    bool has_fixed = std::any_of(files.begin(), files.end(), is_fixed_file);
    EXPECT_TRUE(has_fixed) << r->info().id << " offers fixes but corpus/rules/" << r->info().id
                           << "/ has no <case>.fixed.py";
  }
}

}  // namespace
}  // namespace asyncfix

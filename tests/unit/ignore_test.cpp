// Ignore files (.ignore, and .gitignore in a git work tree) with gitignore semantics, the
// globs of excludes, and file discovery.
#include <gtest/gtest.h>

#include <cstdlib>

#include "engine/run/discover.h"
#include "engine/run/ignore.h"
#include "test_util.h"

namespace asyncfix {
namespace {

using testing::TempDir;
using Strings = std::vector<std::string>;

// One rule of `text` (which must hold exactly one), parsed at the walk root.
IgnoreRule only_rule(std::string_view text) {
  auto rules = parse_ignore_file(text, "");
  EXPECT_EQ(rules.size(), 1u) << text;
  return rules.empty() ? IgnoreRule{} : rules[0];
}

// What a stack of ignore files (base, text; outermost first) decides for `path`:
// "ignored", "kept" (a negation matched last) or "-" (no rule matched).
std::string decide(const std::vector<std::pair<std::string, std::string>>& files, const std::string& path,
                   bool is_dir = false) {
  std::vector<std::vector<IgnoreRule>> parsed;
  for (const auto& [base, text] : files) parsed.push_back(parse_ignore_file(text, base));
  std::vector<const IgnoreRule*> stack;
  for (const auto& f : parsed) {
    for (const auto& r : f) stack.push_back(&r);
  }
  auto d = ignore_decision(stack, path, is_dir);
  return !d ? "-" : *d ? "ignored" : "kept";
}

std::string decide(const std::string& text, const std::string& path, bool is_dir = false) {
  return decide({{"", text}}, path, is_dir);
}

TEST(IgnoreFile, ParsesPatterns) {
  auto rules = parse_ignore_file("# comment\n\n  \nbuild/\n/dist\ndocs/*.py\n!keep.py\n*.log   \n", "sub");
  ASSERT_EQ(rules.size(), 5u);
  EXPECT_EQ(rules[0].pattern, "build");
  EXPECT_TRUE(rules[0].dir_only);
  EXPECT_FALSE(rules[0].anchored);
  EXPECT_EQ(rules[1].pattern, "dist");
  EXPECT_TRUE(rules[1].anchored);
  EXPECT_FALSE(rules[1].dir_only);
  EXPECT_EQ(rules[2].pattern, "docs/*.py");
  EXPECT_TRUE(rules[2].anchored);  // a '/' in the middle anchors it
  EXPECT_EQ(rules[3].pattern, "keep.py");
  EXPECT_TRUE(rules[3].negate);
  EXPECT_EQ(rules[4].pattern, "*.log");  // trailing spaces go
  for (const auto& r : rules) EXPECT_EQ(r.base, "sub");
}

TEST(IgnoreFile, EscapesAndLineEndings) {
  IgnoreRule hash = only_rule("\\#literal\n");
  EXPECT_EQ(hash.pattern, "#literal");
  EXPECT_FALSE(hash.negate);
  IgnoreRule bang = only_rule("\\!x\n");
  EXPECT_EQ(bang.pattern, "!x");
  EXPECT_FALSE(bang.negate);
  EXPECT_EQ(only_rule("a.py\r\n").pattern, "a.py");
  EXPECT_EQ(only_rule("last.py").pattern, "last.py");  // no final newline
  EXPECT_EQ(decide("\\#literal\n", "#literal"), "ignored");
  EXPECT_EQ(decide("trailing\\ \n", "trailing "), "ignored");  // an escaped space stays
  EXPECT_EQ(decide("trailing\\ \n", "trailing"), "-");
}

TEST(IgnoreFile, UnanchoredPatternsMatchTheNameAtAnyDepth) {
  EXPECT_EQ(decide("*.gen.py\n", "a.gen.py"), "ignored");
  EXPECT_EQ(decide("*.gen.py\n", "pkg/sub/a.gen.py"), "ignored");
  EXPECT_EQ(decide("*.gen.py\n", "pkg/a.py"), "-");
  EXPECT_EQ(decide("secret.py\n", "pkg/secret.py"), "ignored");
}

TEST(IgnoreFile, AnchoredPatterns) {
  EXPECT_EQ(decide("/dist\n", "dist", true), "ignored");
  EXPECT_EQ(decide("/dist\n", "pkg/dist", true), "-");
  EXPECT_EQ(decide("docs/*.py\n", "docs/conf.py"), "ignored");
  EXPECT_EQ(decide("docs/*.py\n", "src/docs/conf.py"), "-");
  EXPECT_EQ(decide("docs/*.py\n", "docs/api/conf.py"), "-");  // '*' does not cross '/'
  EXPECT_EQ(decide("**/gen/*.py\n", "gen/a.py"), "ignored");
  EXPECT_EQ(decide("**/gen/*.py\n", "a/b/gen/a.py"), "ignored");
  EXPECT_EQ(decide("**/gen/*.py\n", "a/gen/b/a.py"), "-");
}

TEST(IgnoreFile, DirectoryOnlyPatterns) {
  EXPECT_EQ(decide("build/\n", "build", true), "ignored");
  EXPECT_EQ(decide("build/\n", "pkg/build", true), "ignored");  // at any depth
  EXPECT_EQ(decide("build/\n", "build", false), "-");          // a file named build
  EXPECT_EQ(decide("build\n", "build", false), "ignored");
}

TEST(IgnoreFile, NegationAndTheLastMatchWins) {
  std::string text = "*.py\n!keep.py\n";
  EXPECT_EQ(decide(text, "drop.py"), "ignored");
  EXPECT_EQ(decide(text, "keep.py"), "kept");
  EXPECT_EQ(decide(text, "pkg/keep.py"), "kept");
  EXPECT_EQ(decide("!keep.py\n*.py\n", "keep.py"), "ignored");  // the later pattern wins
  EXPECT_EQ(decide(text, "notes.txt"), "-");
}

TEST(IgnoreFile, NestedFilesAddToAndOverrideTheirParents) {
  std::vector<std::pair<std::string, std::string>> files{{"", "*.gen.py\n"}, {"pkg", "!api.gen.py\n/local.py\n"}};
  EXPECT_EQ(decide(files, "api.gen.py"), "ignored");      // the nested file does not reach up
  EXPECT_EQ(decide(files, "pkg/api.gen.py"), "kept");     // it overrides the parent below it
  EXPECT_EQ(decide(files, "pkg/sub/api.gen.py"), "kept");
  EXPECT_EQ(decide(files, "pkg/other.gen.py"), "ignored");
  // Anchored to the nested file's directory.
  EXPECT_EQ(decide(files, "pkg/local.py"), "ignored");
  EXPECT_EQ(decide(files, "pkg/sub/local.py"), "-");
  EXPECT_EQ(decide(files, "local.py"), "-");
  EXPECT_EQ(decide(files, "pkgx/local.py"), "-");  // a sibling whose name starts the same
}

TEST(IgnoreGlob, Wildcards) {
  EXPECT_TRUE(glob_match("*.py", "a.py"));
  EXPECT_FALSE(glob_match("*.py", "pkg/a.py"));
  EXPECT_TRUE(glob_match("**/*.py", "pkg/sub/a.py"));
  EXPECT_TRUE(glob_match("**/*.py", "a.py"));
  EXPECT_TRUE(glob_match("migrations/**", "migrations/versions/001.py"));
  EXPECT_FALSE(glob_match("migrations/**", "app/migrations/001.py"));
  EXPECT_TRUE(glob_match("a/**/b.py", "a/b.py"));
  EXPECT_TRUE(glob_match("a/**/b.py", "a/x/y/b.py"));
  EXPECT_TRUE(glob_match("?.py", "a.py"));
  EXPECT_FALSE(glob_match("?.py", "ab.py"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
  EXPECT_TRUE(glob_match("test_[abc].py", "test_b.py"));
  EXPECT_FALSE(glob_match("test_[abc].py", "test_d.py"));
  EXPECT_TRUE(glob_match("test_[a-c].py", "test_c.py"));
  EXPECT_TRUE(glob_match("test_[!a].py", "test_b.py"));
  EXPECT_FALSE(glob_match("test_[!a].py", "test_a.py"));
  EXPECT_TRUE(glob_match("\\*.py", "*.py"));
  EXPECT_FALSE(glob_match("\\*.py", "a.py"));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("a.py", "a.pyi"));
}

TEST(IgnoreDiscover, DefaultExcludedDirectories) {
  for (const char* d : {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", "_build"}) {
    EXPECT_TRUE(is_default_excluded_dir(d)) << d;
  }
  for (const char* d : {"src", "app", ".github", "build", "env", "tests"}) {
    EXPECT_FALSE(is_default_excluded_dir(d)) << d;
  }
}

// The relative paths of the files `o` discovers under `dir` (paths given as dir's own).
Strings found(const TempDir& dir, DiscoverOptions o) {
  if (o.paths.empty()) o.paths = {dir.path().string()};
  if (o.jobs == 0) o.jobs = 1;
  auto d = discover(o);
  EXPECT_TRUE(d.ok());
  Strings out;
  if (!d.ok()) return out;
  std::string prefix = dir.path().string() + "/";
  for (const auto& f : d->files) {
    out.push_back(f.path.rfind(prefix, 0) == 0 ? f.path.substr(prefix.size()) : f.path);
  }
  return out;
}

TEST(IgnoreDiscover, WalksInAStableOrderAndSkipsWhatIsNotPython) {
  TempDir dir;
  for (const char* f : {"b.py", "a.py", "stubs.pyi", "notes.txt", "pkg/__init__.py", "pkg/z.py", "pkg/sub/m.py",
                        "aa/x.py", ".venv/lib/site.py", "pkg/__pycache__/z.py", "node_modules/n.py"}) {
    dir.write(f, "");
  }
  Strings expected{"a.py", "b.py", "stubs.pyi", "aa/x.py", "pkg/__init__.py", "pkg/z.py", "pkg/sub/m.py"};
  EXPECT_EQ(found(dir, {}), expected);
  DiscoverOptions threads;
  threads.jobs = 4;
  EXPECT_EQ(found(dir, threads), expected);  // the same whatever the number of threads
}

// Module names as Python finds them below the import roots (issue 16, idiom 1): regular and
// namespace packages alike, a project's own folder (pyproject.toml) and its src/ layout.
TEST(IgnoreDiscover, ModuleNamesAsPythonFindsThem) {
  TempDir dir;
  dir.write("app/__init__.py", "");
  dir.write("app/api/__init__.py", "");
  dir.write("app/api/routes.py", "");
  dir.write("scripts/run.py", "");                        // a namespace package below the run's folder
  dir.write("app/features/build/session/lifecycle.py", "");  // namespace folders inside a package
  dir.write("libs/chat-server/pyproject.toml", "");       // a project of its own: a root
  dir.write("libs/chat-server/chat/__init__.py", "");
  dir.write("libs/chat-server/chat/server/db.py", "");    // no __init__.py in server/
  dir.write("libs/sdk/pyproject.toml", "");
  dir.write("libs/sdk/src/sdk/client.py", "");            // src layout
  dir.write("tools/my-tool.py", "");                      // not importable: the package chain names it
  DiscoverOptions o;
  o.paths = {dir.path().string()};
  o.jobs = 1;
  auto d = discover(o);
  ASSERT_TRUE(d.ok());
  std::map<std::string, std::pair<std::string, bool>> modules;
  for (const auto& f : d->files) modules[f.path.substr(dir.path().string().size() + 1)] = {f.module, f.is_package};
  auto mod = [](const char* m, bool pkg = false) { return std::make_pair(std::string(m), pkg); };
  EXPECT_EQ(modules["app/__init__.py"], mod("app", true));
  EXPECT_EQ(modules["app/api/__init__.py"], mod("app.api", true));
  EXPECT_EQ(modules["app/api/routes.py"], mod("app.api.routes"));
  EXPECT_EQ(modules["scripts/run.py"], mod("scripts.run"));
  EXPECT_EQ(modules["app/features/build/session/lifecycle.py"], mod("app.features.build.session.lifecycle"));
  EXPECT_EQ(modules["libs/chat-server/chat/__init__.py"], mod("chat", true));
  EXPECT_EQ(modules["libs/chat-server/chat/server/db.py"], mod("chat.server.db"));
  EXPECT_EQ(modules["libs/sdk/src/sdk/client.py"], mod("sdk.client"));
  EXPECT_EQ(modules["tools/my-tool.py"], mod("my-tool"));
}

// A run over a folder inside a package: the names are still the package's.
TEST(IgnoreDiscover, ModuleNamesOfARunInsideAPackage) {
  TempDir dir;
  dir.write("app/__init__.py", "");
  dir.write("app/api/__init__.py", "");
  dir.write("app/api/routes.py", "");
  dir.write("app/api/v2/items.py", "");  // a namespace folder in a regular package
  DiscoverOptions o;
  o.paths = {(dir.path() / "app" / "api").string()};
  o.jobs = 1;
  auto d = discover(o);
  ASSERT_TRUE(d.ok());
  std::map<std::string, std::string> modules;
  for (const auto& f : d->files) modules[f.path.substr(dir.path().string().size() + 1)] = f.module;
  EXPECT_EQ(modules["app/api/routes.py"], "app.api.routes");
  EXPECT_EQ(modules["app/api/v2/items.py"], "app.api.v2.items");
}

TEST(IgnoreDiscover, ExcludeGlobs) {
  TempDir dir;
  for (const char* f : {"app/api.py", "app/api_pb2.py", "migrations/versions/001.py", "app/migrations/002.py"}) {
    dir.write(f, "");
  }
  DiscoverOptions o;
  o.exclude = {"*_pb2.py", "migrations"};
  EXPECT_EQ(found(dir, o), Strings{"app/api.py"});  // a pattern without '/' matches the name anywhere
}

TEST(IgnoreDiscover, IgnoreFilesWhileWalking) {
  TempDir dir;
  dir.write(".ignore", "build/\n/dist\n*.gen.py\n!keep.gen.py\n!build/wanted.py\n");
  dir.write("pkg/.ignore", "!api.gen.py\nlocal.py\n");
  for (const char* f : {"main.py", "a.gen.py", "keep.gen.py", "build/wanted.py", "dist/d.py", "pkg/dist/d.py",
                        "pkg/api.gen.py", "pkg/other.gen.py", "pkg/local.py", "pkg/sub/local.py", "local.py"}) {
    dir.write(f, "");
  }
  // build/ is not walked, so build/wanted.py cannot be re-included.
  EXPECT_EQ(found(dir, {}), (Strings{"keep.gen.py", "local.py", "main.py", "pkg/api.gen.py", "pkg/dist/d.py"}));
  DiscoverOptions all;
  all.respect_ignore_files = false;
  EXPECT_EQ(found(dir, all).size(), 11u);
}

TEST(IgnoreDiscover, GitignoreInAWorkTree) {
  TempDir dir;
  std::string cd = "cd '" + dir.path().string() + "' && ";
  ASSERT_EQ(std::system((cd + "git init -q . >/dev/null 2>&1").c_str()), 0);
  dir.write(".gitignore", "secret.py\ngenerated/\n");
  dir.write("pkg/.gitignore", "*.tmp.py\n!keep.tmp.py\n");
  for (const char* f : {"main.py", "secret.py", "generated/g.py", "pkg/a.tmp.py", "pkg/keep.tmp.py", "pkg/b.py",
                        "other/x.tmp.py"}) {
    dir.write(f, "");
  }
  EXPECT_EQ(found(dir, {}), (Strings{"main.py", "other/x.tmp.py", "pkg/b.py", "pkg/keep.tmp.py"}));

  auto git = GitIgnores::open(dir.path().string());
  ASSERT_NE(git, nullptr);
  EXPECT_TRUE(git->ignored(dir.at("secret.py"), false));
  EXPECT_TRUE(git->ignored(dir.at("generated"), true));
  EXPECT_TRUE(git->ignored(dir.at("pkg/a.tmp.py"), false));
  EXPECT_FALSE(git->ignored(dir.at("pkg/keep.tmp.py"), false));
  EXPECT_FALSE(git->ignored(dir.at("main.py"), false));
  EXPECT_FALSE(git->ignored("/elsewhere/secret.py", false));  // outside the work tree

  DiscoverOptions all;
  all.respect_ignore_files = false;
  EXPECT_EQ(found(dir, all).size(), 7u);
}

TEST(IgnoreDiscover, NoWorkTreeNoGitIgnores) {
  TempDir dir;
  EXPECT_EQ(GitIgnores::open(dir.path().string()), nullptr);
}

TEST(IgnoreDiscover, FilesGivenByNameAreTakenAsGiven) {
  TempDir dir;
  dir.write(".ignore", "*.py\n");
  std::string script = dir.write("tool", "#!/usr/bin/env python\n");
  std::string ignored = dir.write("ignored.py", "");
  std::string in_venv = dir.write(".venv/x.py", "");
  DiscoverOptions o;
  o.paths = {script, ignored, in_venv, ignored};  // once each
  auto d = discover(o);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->files.size(), 3u);
  EXPECT_EQ(d->files[0].path, script);
  EXPECT_EQ(d->files[1].path, ignored);
  EXPECT_EQ(d->files[2].path, in_venv);
}

TEST(IgnoreDiscover, SizeLimitMissingPathsAndListedFiles) {
  TempDir dir;
  std::string big = dir.write("big.py", std::string(100, '#'));
  std::string small = dir.write("small.py", "x = 1\n");
  DiscoverOptions o;
  o.paths = {dir.path().string()};
  o.max_file_size = 50;
  auto d = discover(o);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->files.size(), 1u);
  EXPECT_EQ(d->files[0].path, small);
  ASSERT_EQ(d->skipped.size(), 1u);
  EXPECT_EQ(d->skipped[0].path, big);
  EXPECT_EQ(d->skipped[0].reason, "larger than the size limit (100 > 50 bytes)");

  DiscoverOptions missing;
  missing.paths = {dir.at("nope")};
  auto err = discover(missing);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().kind, Error::Kind::Usage);
  EXPECT_EQ(err.error().to_string(), dir.at("nope") + ": no such file or directory");

  // --files-from: Python files only, excludes apply, a missing one is skipped with a note.
  DiscoverOptions listed;
  listed.listed = {small, dir.write("README.md", ""), dir.write("gen_pb2.py", ""), dir.at("gone.py")};
  listed.exclude = {"*_pb2.py"};
  auto l = discover(listed);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->files.size(), 1u);
  EXPECT_EQ(l->files[0].path, small);
  ASSERT_EQ(l->skipped.size(), 1u);
  EXPECT_EQ(l->skipped[0].path, dir.at("gone.py"));
  EXPECT_EQ(l->skipped[0].reason, "no such file");
}

TEST(IgnoreDiscover, SymlinksAreNotFollowed) {
  TempDir dir;
  TempDir outside;
  outside.write("far.py", "");
  dir.write("near.py", "");
  std::filesystem::create_directory_symlink(outside.path(), dir.path() / "link");
  std::filesystem::create_symlink(outside.path() / "far.py", dir.path() / "alias.py");
  EXPECT_EQ(found(dir, {}), Strings{"near.py"});
}

}  // namespace
}  // namespace asyncfix

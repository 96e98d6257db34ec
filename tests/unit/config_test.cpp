// [tool.asyncfix] in pyproject.toml (docs/configuration.md), the nearest-pyproject lookup,
// and what a project's requirements and pyproject dependencies say about the settings.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/run/config.h"
#include "engine/run/installed_versions.h"
#include "engine/run/project_config.h"
#include "test_util.h"

namespace asyncfix {
namespace {

using testing::TempDir;
using Strings = std::vector<std::string>;

// The configuration of a pyproject.toml holding `text` (which must load and hold the table).
Config load_ok(const TempDir& dir, const std::string& text) {
  auto c = load_config(dir.write("pyproject.toml", text));
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().to_string());
  if (!c.ok() || !*c) {
    ADD_FAILURE() << "no configuration";
    return Config{};
  }
  return std::move(**c);
}

// The error (as printed: "path:line:col: message") of a pyproject.toml holding `text`.
std::string load_error(const TempDir& dir, const std::string& text) {
  auto c = load_config(dir.write("pyproject.toml", text));
  if (c.ok()) return "(loaded)";
  EXPECT_EQ(c.error().kind, Error::Kind::Config);
  return c.error().to_string();
}

// The documented example, every key.
const char kFullExample[] =
    "[project]\n"
    "name = \"app\"\n"
    "\n"
    "[tool.asyncfix]\n"
    "select = [\"AF1\", \"AF2\", \"AF401\"]\n"
    "ignore = [\"AF403\"]\n"
    "exclude = [\"migrations/**\", \"*_pb2.py\"]\n"
    "rules = [\"asyncfix-rules\"]\n"
    "unsafe-fixes = false\n"
    "target-python = \"3.11\"\n"
    "target-fastapi = \"0.110\"\n"
    "target-sqlalchemy = \"2.0\"\n"
    "gather-limit = 7\n"
    "client-timeout = 2.5\n"
    "extra-blocking-calls = [\"mylib.crunch\", \"pandas.read_csv\"]\n"
    "session-names = [\"session\", \"self.db\"]\n"
    "slow-side-effects = [\"app.mail.send_welcome\"]\n"
    "respect-gitignore = true\n"
    "max-file-size = 16777216\n"
    "\n"
    "[tool.asyncfix.per-file-ignores]\n"
    "\"tests/**\" = [\"AF403\", \"AF1\"]\n"
    "\"scripts/*.py\" = [\"blocking-sleep\"]\n";

TEST(Config, ReadsEveryDocumentedKey) {
  TempDir dir;
  Config c = load_ok(dir, kFullExample);
  EXPECT_EQ(c.path, dir.at("pyproject.toml"));
  EXPECT_EQ(c.root, dir.path().string());
  EXPECT_EQ(c.select, (Strings{"AF1", "AF2", "AF401"}));
  EXPECT_EQ(c.ignore, Strings{"AF403"});
  EXPECT_EQ(c.exclude, (Strings{"migrations/**", "*_pb2.py"}));
  EXPECT_EQ(c.rules_dirs, Strings{"asyncfix-rules"});
  EXPECT_EQ(c.unsafe_fixes, false);
  EXPECT_EQ(c.respect_gitignore, true);
  ASSERT_TRUE(c.target_python && c.target_fastapi && c.target_sqlalchemy);
  EXPECT_EQ(c.target_python->to_string(), "3.11");
  EXPECT_EQ(c.target_fastapi->to_string(), "0.110");
  EXPECT_EQ(c.target_sqlalchemy->to_string(), "2.0");
  EXPECT_EQ(c.gather_limit, 7);
  EXPECT_EQ(c.client_timeout, 2.5);
  EXPECT_EQ(c.max_file_size, 16777216u);
  EXPECT_EQ(c.extra_blocking_calls, (Strings{"mylib.crunch", "pandas.read_csv"}));
  EXPECT_EQ(c.session_names, (Strings{"session", "self.db"}));
  EXPECT_EQ(c.slow_side_effects, Strings{"app.mail.send_welcome"});
  std::map<std::string, Strings> per_file(c.per_file_ignores.begin(), c.per_file_ignores.end());
  EXPECT_EQ(per_file, (std::map<std::string, Strings>{{"tests/**", {"AF403", "AF1"}},
                                                      {"scripts/*.py", {"blocking-sleep"}}}));
}

TEST(Config, KeysNotGivenStayUnset) {
  TempDir dir;
  Config c = load_ok(dir, "[tool.asyncfix]\nselect = [\"AF1\"]\n");
  EXPECT_EQ(c.select, Strings{"AF1"});
  EXPECT_FALSE(c.ignore || c.exclude || c.rules_dirs || c.unsafe_fixes || c.respect_gitignore);
  EXPECT_FALSE(c.target_python || c.gather_limit || c.client_timeout || c.max_file_size || c.session_names);
  EXPECT_TRUE(c.per_file_ignores.empty());
}

TEST(Config, NoTableIsNoConfiguration) {
  TempDir dir;
  auto c = load_config(dir.write("pyproject.toml", "[project]\nname = \"x\"\n[tool.black]\nline-length = 100\n"));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
}

TEST(Config, UnknownKeyNamesTheKeyFileAndLine) {
  TempDir dir;
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\ngather_limit = 10\n"),
            dir.at("pyproject.toml") +
                ":2:16: unknown key `tool.asyncfix.gather_limit` (known: cache-dir, client-timeout, exclude, "
                "extra-blocking-calls, gather-limit, ignore, library-model, max-file-size, per-file-ignores, respect-gitignore, "
                "rules, select, session-names, slow-side-effects, target-fastapi, target-python, "
                "target-sqlalchemy, unsafe-fixes)");
}

TEST(Config, WrongTypesNameTheKeyFileAndLine) {
  TempDir dir;
  std::string at = dir.at("pyproject.toml") + ":";
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\nunsafe-fixes = 1\n"),
            at + "2:16: `tool.asyncfix.unsafe-fixes` must be true or false");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\nrespect-gitignore = \"yes\"\n"),
            at + "2:21: `tool.asyncfix.respect-gitignore` must be true or false");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\n\nselect = \"AF1\"\n"),
            at + "3:10: `tool.asyncfix.select` must be a list of strings");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\nsession-names = [\"db\", 2]\n"),
            at + "2:17: `tool.asyncfix.session-names` must be a list of strings");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\ngather-limit = 0\n"),
            at + "2:16: `tool.asyncfix.gather-limit` must be an integer from 1 to 100000");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\ngather-limit = 2.5\n"),
            at + "2:16: `tool.asyncfix.gather-limit` must be an integer from 1 to 100000");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\nclient-timeout = -1\n"),
            at + "2:18: `tool.asyncfix.client-timeout` must be a positive number of seconds");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\nmax-file-size = \"16M\"\n"),
            at + "2:17: `tool.asyncfix.max-file-size` must be a positive number of bytes");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\ntarget-python = 3.11\n"),
            at + "2:17: `tool.asyncfix.target-python` must be a version string such as \"3.11\"");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\ntarget-fastapi = \"latest\"\n"),
            at + "2:18: `tool.asyncfix.target-fastapi` must be a version string such as \"3.11\", not \"latest\"");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix]\nper-file-ignores = [\"tests/**\"]\n"),
            at + "2:20: `tool.asyncfix.per-file-ignores` must be a table of glob = [codes]");
  EXPECT_EQ(load_error(dir, "[tool.asyncfix.per-file-ignores]\n\"tests/**\" = \"AF403\"\n"),
            at + "2:14: `tool.asyncfix.per-file-ignores.\"tests/**\"` must be a list of rule codes");
  EXPECT_EQ(load_error(dir, "[tool]\nasyncfix = 1\n"), at + "2:12: `tool.asyncfix` must be a table");
}

TEST(Config, IntegerTimeoutIsANumberOfSeconds) {
  TempDir dir;
  EXPECT_EQ(load_ok(dir, "[tool.asyncfix]\nclient-timeout = 5\n").client_timeout, 5.0);
}

TEST(Config, TomlSyntaxErrorSaysWhere) {
  TempDir dir;
  auto c = load_config(dir.write("pyproject.toml", "[tool.asyncfix]\nselect = [\"AF1\"\n"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, Error::Kind::Config);
  EXPECT_EQ(c.error().location.path, dir.at("pyproject.toml"));
  EXPECT_GE(c.error().location.line, 2u);
}

TEST(Config, AsyncfixTomlIsTheTableItself) {
  TempDir dir;
  auto c = load_config(dir.write("asyncfix.toml", "ignore = [\"AF403\"]\ngather-limit = 3\n"), /*whole_file=*/true);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->ignore, Strings{"AF403"});
  EXPECT_EQ((*c)->gather_limit, 3);
  auto bad = load_config(dir.write("asyncfix.toml", "colour = true\n"), true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().location.line, 1u);
  EXPECT_EQ(bad.error().message.rfind("unknown key `colour` (known: ", 0), 0u);
}

TEST(Config, ApplySetsOnlyWhatTheFileSays) {
  TempDir dir;
  RuleSettings s;
  load_ok(dir, kFullExample).apply(s);
  EXPECT_EQ(s.target_python.to_string(), "3.11");
  EXPECT_EQ(s.target_fastapi.to_string(), "0.110");
  EXPECT_EQ(s.target_sqlalchemy.to_string(), "2.0");
  EXPECT_TRUE(s.explicit_python && s.explicit_fastapi && s.explicit_sqlalchemy);
  EXPECT_EQ(s.gather_limit, 7);
  EXPECT_EQ(s.client_timeout, std::optional<double>(2.5));
  EXPECT_EQ(s.extra_blocking_calls, (Strings{"mylib.crunch", "pandas.read_csv"}));
  EXPECT_EQ(s.session_names, (Strings{"session", "self.db"}));
  EXPECT_EQ(s.slow_side_effects, Strings{"app.mail.send_welcome"});

  RuleSettings only;
  load_ok(dir, "[tool.asyncfix]\ngather-limit = 4\n").apply(only);
  RuleSettings defaults;
  EXPECT_EQ(only.gather_limit, 4);
  EXPECT_EQ(only.client_timeout, defaults.client_timeout);
  EXPECT_FALSE(only.client_timeout.has_value());
  EXPECT_EQ(only.target_python.to_string(), defaults.target_python.to_string());
  EXPECT_FALSE(only.explicit_python || only.explicit_fastapi || only.explicit_sqlalchemy);
  EXPECT_TRUE(only.session_names.empty());
}

TEST(Config, PerFileIgnoresMatchRelativeToTheFile) {
  TempDir dir;
  Config c = load_ok(dir,
                     "[tool.asyncfix.per-file-ignores]\n"
                     "\"tests/**\" = [\"AF403\", \"AF1\"]\n"
                     "\"scripts/*.py\" = [\"blocking-sleep\"]\n"
                     "\"conftest.py\" = [\"AF2\"]\n");
  EXPECT_EQ(c.ignores_for(dir.at("tests/unit/test_api.py")), (Strings{"AF403", "AF1"}));
  EXPECT_EQ(c.ignores_for(dir.at("scripts/seed.py")), Strings{"blocking-sleep"});
  // `*` does not cross '/'.
  EXPECT_TRUE(c.ignores_for(dir.at("scripts/old/seed.py")).empty());
  // Without '/', the file name alone; several entries add up.
  EXPECT_EQ(c.ignores_for(dir.at("app/conftest.py")), Strings{"AF2"});
  Strings both = c.ignores_for(dir.at("tests/conftest.py"));
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, (Strings{"AF1", "AF2", "AF403"}));
  EXPECT_TRUE(c.ignores_for(dir.at("app/api.py")).empty());
  // Relative to the pyproject's directory, not to wherever the path is.
  EXPECT_TRUE(c.ignores_for(dir.at("app/tests/x.py")).empty());
}

TEST(ConfigFinder, NearestPyprojectWithTheTable) {
  TempDir dir;
  dir.write("pyproject.toml", "[tool.asyncfix]\ngather-limit = 1\n");
  dir.write("svc/pyproject.toml", "[tool.asyncfix]\ngather-limit = 2\n");
  dir.write("lib/pyproject.toml", "[project]\nname = \"lib\"\n");  // no table: look further up
  ConfigFinder finder;
  auto top = finder.for_path(dir.write("app/main.py", ""));
  auto svc = finder.for_path(dir.write("svc/deep/er/x.py", ""));
  auto lib = finder.for_path(dir.write("lib/y.py", ""));
  ASSERT_TRUE(top.ok() && svc.ok() && lib.ok());
  ASSERT_TRUE(*top && *svc && *lib);
  EXPECT_EQ((*top)->gather_limit, 1);
  EXPECT_EQ((*svc)->gather_limit, 2);
  EXPECT_EQ((*svc)->path, dir.at("svc/pyproject.toml"));
  EXPECT_EQ((*lib)->gather_limit, 1);
  EXPECT_EQ(*lib, *top);  // the same loaded configuration
  // A directory is looked up as itself.
  auto svc_dir = finder.for_path(dir.at("svc"));
  ASSERT_TRUE(svc_dir.ok());
  EXPECT_EQ(*svc_dir, *svc);
}

TEST(ConfigFinder, NoConfigurationAnywhere) {
  TempDir dir;
  dir.write("pyproject.toml", "[project]\nname = \"x\"\n");
  ConfigFinder finder;
  auto c = finder.for_path(dir.write("a/b.py", ""));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, nullptr);
}

TEST(ConfigFinder, BrokenFileIsAnError) {
  TempDir dir;
  dir.write("pyproject.toml", "[tool.asyncfix]\nunsafe-fixes = 1\n");
  ConfigFinder finder;
  auto c = finder.for_path(dir.write("a.py", ""));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().to_string(), dir.at("pyproject.toml") + ":2:16: `tool.asyncfix.unsafe-fixes` must be true or false");
}

TEST(ProjectConfig, ParseRequirement) {
  auto req = [](std::string_view line) {
    auto r = parse_requirement(line);
    return r ? r->first + " " + r->second.to_string() : std::string("-");
  };
  EXPECT_EQ(req("fastapi>=0.95,<1"), "fastapi 0.95");
  EXPECT_EQ(req("httpx==0.23.3"), "httpx 0.23");
  EXPECT_EQ(req("SQLAlchemy[asyncio]~=1.4.46  # pinned"), "sqlalchemy 1.4");
  EXPECT_EQ(req("python-multipart"), "python_multipart 0.0");
  EXPECT_EQ(req("  aiofiles <24"), "aiofiles 0.0");  // an upper bound gives no version
  EXPECT_EQ(req("sqlalchemy>1.3,<2"), "sqlalchemy 1.3");  // the lowest a range allows
  EXPECT_EQ(req("fastapi==0.92.*"), "fastapi 0.92");
  EXPECT_EQ(req("-r base.txt"), "-");
  EXPECT_EQ(req("-e ."), "-");
  EXPECT_EQ(req("# a comment"), "-");
  EXPECT_EQ(req(""), "-");
}

TEST(ProjectConfig, NormalizeAndParseVersion) {
  EXPECT_EQ(normalize_package("SQLAlchemy"), "sqlalchemy");
  EXPECT_EQ(normalize_package("python-multipart"), "python_multipart");
  EXPECT_EQ(normalize_package("zope.interface"), "zope_interface");
  EXPECT_EQ(parse_version("^3.10")->to_string(), "3.10");
  EXPECT_EQ(parse_version(">=2")->to_string(), "2.0");
  EXPECT_EQ(parse_version("0.110.2")->to_string(), "0.110");
  EXPECT_FALSE(parse_version("latest"));
}

TEST(ProjectConfig, ReadsRequirementsAndPyprojectDependencies) {
  TempDir dir;
  dir.write("requirements.txt", "-r requirements-dev.txt\nfastapi>=0.95,<1\nhttpx\naiofiles\n");
  dir.write("requirements-dev.txt", "pytest==8.0\nhttpx==0.27\n");
  dir.write("requirements/prod.txt", "gunicorn==21.2\n");
  dir.write("requirements.in", "ignored==1.0\n");  // not a .txt
  dir.write("pyproject.toml",
            "[project]\n"
            "dependencies = [\"SQLAlchemy[asyncio]>=2.0\", \"fastapi==0.110\"]\n"
            "[project.optional-dependencies]\n"
            "files = [\"aiofiles>=23.1\"]\n"
            "[tool.poetry.dependencies]\n"
            "python = \"^3.10\"\n"
            "Redis = \"*\"\n");
  ProjectDependencies deps = read_dependencies(dir.path().string());
  Strings sources = deps.sources;
  std::sort(sources.begin(), sources.end());
  EXPECT_EQ(sources, (Strings{dir.at("pyproject.toml"), dir.at("requirements-dev.txt"),
                              dir.at("requirements.txt"), dir.at("requirements/prod.txt")}));
  auto version = [&](const std::string& name) {
    auto it = deps.packages.find(name);
    return it == deps.packages.end() ? std::string("-") : it->second.to_string();
  };
  EXPECT_EQ(version("fastapi"), "0.95");     // the first versioned mention wins
  EXPECT_EQ(version("httpx"), "0.27");       // requirements-dev.txt is read first
  EXPECT_EQ(version("aiofiles"), "23.1");    // an unversioned mention gives way to a version
  EXPECT_EQ(version("pytest"), "8.0");
  EXPECT_EQ(version("gunicorn"), "21.2");
  EXPECT_EQ(version("sqlalchemy"), "2.0");
  EXPECT_EQ(version("python"), "3.10");
  EXPECT_EQ(version("redis"), "0.0");
  EXPECT_EQ(version("ignored"), "-");
  EXPECT_TRUE(deps.has("redis"));
  EXPECT_FALSE(deps.has("Redis"));
}

TEST(ProjectConfig, BrokenPyprojectDeclaresNothing) {
  TempDir dir;
  dir.write("pyproject.toml", "[project\n");
  dir.write("requirements.txt", "httpx==0.27\n");
  ProjectDependencies deps = read_dependencies(dir.path().string());
  EXPECT_EQ(deps.sources, Strings{dir.at("requirements.txt")});
  EXPECT_EQ(deps.packages.size(), 1u);
  EXPECT_TRUE(deps.has("httpx"));
}

TEST(ProjectConfig, ApplyDependenciesSetsPackagesAndPinnedTargets) {
  ProjectDependencies deps;
  deps.packages = {{"aiofiles", Version{0, 0}}, {"sqlalchemy", Version{1, 4}}, {"fastapi", Version{0, 95}},
                   {"python", Version{3, 9}}};
  RuleSettings s;
  apply_dependencies(deps, s);
  EXPECT_EQ(s.project_packages, (std::set<std::string>{"aiofiles", "fastapi", "python", "sqlalchemy"}));
  EXPECT_EQ(s.target_sqlalchemy.to_string(), "1.4");
  EXPECT_EQ(s.target_fastapi.to_string(), "0.95");
  EXPECT_EQ(s.target_python.to_string(), "3.9");

  // Unversioned: the targets stay the newest versions.
  ProjectDependencies loose;
  loose.packages = {{"sqlalchemy", Version{0, 0}}};
  RuleSettings t, defaults;
  apply_dependencies(loose, t);
  EXPECT_EQ(t.target_sqlalchemy.to_string(), defaults.target_sqlalchemy.to_string());
  EXPECT_EQ(t.target_fastapi.to_string(), defaults.target_fastapi.to_string());
  EXPECT_TRUE(t.project_packages.count("sqlalchemy"));
}

TEST(ProjectConfig, ProjectRootIsTheNearestMarkedDirectory) {
  TempDir dir;
  dir.write("repo/setup.cfg", "");
  dir.write("repo/svc/pyproject.toml", "");
  EXPECT_EQ(project_root_for(dir.write("repo/svc/app/main.py", "")), dir.at("repo/svc"));
  EXPECT_EQ(project_root_for(dir.write("repo/lib/util.py", "")), dir.at("repo"));
  EXPECT_EQ(project_root_for(dir.at("repo/svc")), dir.at("repo/svc"));
  std::filesystem::create_directories(dir.path() / "repo/tools/.git");
  EXPECT_EQ(project_root_for(dir.write("repo/tools/x.py", "")), dir.at("repo/tools"));
}

TEST(ProjectConfig, LockFilesPinAndEveryTargetSaysWhereItCameFrom) {
  TempDir dir;
  dir.write("requirements.txt", "SQLAlchemy>=1.4.46,<2  # range\nfastapi\n");
  dir.write("poetry.lock", "[[package]]\nname = \"FastAPI\"\nversion = \"0.92.0\"\n\n[[package]]\nname = \"anyio\"\nversion = \"3.6.2\"\n");
  ProjectDependencies deps = read_dependencies(dir.path().string());
  RuleSettings s;
  apply_dependencies(deps, s);
  EXPECT_EQ(s.target_sqlalchemy.to_string(), "1.4");
  EXPECT_EQ(s.sqlalchemy_from, "requirements.txt: SQLAlchemy>=1.4.46,<2");
  EXPECT_EQ(s.target_fastapi.to_string(), "0.92");
  EXPECT_EQ(s.fastapi_from, "poetry.lock: FastAPI 0.92.0");

  TempDir uv;
  uv.write("uv.lock", "version = 1\n[[package]]\nname = \"sqlalchemy\"\nversion = \"2.0.36\"\n");
  uv.write("pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"sqlalchemy>=1.4\"]\n");
  RuleSettings t;
  apply_dependencies(read_dependencies(uv.path().string()), t);
  EXPECT_EQ(t.target_sqlalchemy.to_string(), "2.0");  // what is deployed, before the range
  EXPECT_EQ(t.sqlalchemy_from, "uv.lock: sqlalchemy 2.0.36");

  RuleSettings none;
  apply_dependencies(ProjectDependencies{}, none);
  EXPECT_TRUE(none.sqlalchemy_from.empty() && none.fastapi_from.empty());
}

TEST(InstalledVersions, DistInfoAndEggInfoWithTheirMetadata) {
  TempDir dir;
  dir.write(".venv/lib/python3.11/site-packages/SQLAlchemy-1.4.46.dist-info/METADATA", "Name: SQLAlchemy\nVersion: 1.4.46\n");
  // Debian names some entries `name-0.dist-info`: the METADATA inside is right.
  dir.write(".venv/lib/python3.11/site-packages/sqlmodel-0.dist-info/METADATA", "Name: sqlmodel\nVersion: 0.0.8\n\nbody\n");
  dir.write(".venv/lib/python3.11/site-packages/fastapi-0.92.0.egg-info/PKG-INFO", "Metadata-Version: 2.1\n");
  dir.write(".venv/lib/python3.11/site-packages/other-1.0-py3.11.egg-info", "Version: 1.0\n");
  auto sites = venv_site_dirs(dir.path().string());
  ASSERT_EQ(sites.size(), 1u);
  auto got = installed_in(sites);
  ASSERT_TRUE(got.count("sqlalchemy") && got.count("sqlmodel") && got.count("fastapi") && got.count("other"));
  EXPECT_EQ(got["sqlalchemy"].version.to_string(), "1.4");
  EXPECT_EQ(got["sqlmodel"].version.to_string(), "0.0");
  EXPECT_EQ(got["fastapi"].version.to_string(), "0.92");  // no Version: in PKG-INFO: the name's
  EXPECT_EQ(got["other"].version.to_string(), "1.0");
  std::string source;
  auto project = installed_for_project(dir.path().string(), &source);
  EXPECT_EQ(source, dir.at(".venv"));
  EXPECT_EQ(project.size(), 4u);

  // The first directory of the search path that has a package wins.
  TempDir a, b;
  a.write("SQLAlchemy-2.0.1.dist-info/METADATA", "Version: 2.0.1\n");
  b.write("SQLAlchemy-1.4.46.egg-info/PKG-INFO", "Version: 1.4.46\n");
  EXPECT_EQ(installed_in({a.path().string(), b.path().string()})["sqlalchemy"].version.to_string(), "2.0");
  EXPECT_EQ(installed_in({b.path().string(), a.path().string()})["sqlalchemy"].version.to_string(), "1.4");
}

}  // namespace
}  // namespace asyncfix

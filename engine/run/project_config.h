// What a project declares about itself: its dependencies (requirements*.txt, pyproject.toml),
// with the versions they pin or require. Rules use it to pick a fix that needs no new
// dependency (aiofiles, httpx only when the project has them) and to know the target
// versions of FastAPI and SQLAlchemy.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/rule/settings.h"

namespace asyncfix {

struct ProjectDependencies {
  // Normalized names ("aiofiles", "sqlalchemy") -> version (0.0 when unversioned).
  std::map<std::string, Version> packages;
  // ...and where each version came from ("requirements.txt: sqlalchemy==1.4.46").
  std::map<std::string, std::string> origins;
  std::vector<std::string> sources;  // files read
  bool has(const std::string& name) const { return packages.count(name) > 0; }
};

// The directory that holds a path's project files: the nearest ancestor (or the directory
// itself) with pyproject.toml, setup.cfg, setup.py, requirements.txt, poetry.lock, uv.lock,
// pytest.ini, tox.ini, .venv or .git.
std::string project_root_for(const std::string& path);

// Reads requirements*.txt (and requirements/*.txt) and pyproject.toml ([project]
// dependencies and optional-dependencies, [tool.poetry.dependencies]) in `root`: a pin is
// the version, a range its lowest (`>=1.4,<2` is 1.4; `<2` alone says nothing). The
// versions of poetry.lock and uv.lock (what is deployed) come before them.
ProjectDependencies read_dependencies(const std::string& root);

// "SQLAlchemy" -> "sqlalchemy", "python-multipart" -> "python_multipart".
std::string normalize_package(std::string_view name);

// A requirement specifier line ("fastapi>=0.95,<1", "httpx==0.23.3") -> (name, version).
std::optional<std::pair<std::string, Version>> parse_requirement(std::string_view line);

std::optional<Version> parse_version(std::string_view text);

// What the project's dependencies say about the settings: the packages it has, and the
// targets its pins (or lower bounds) give for Python, FastAPI and SQLAlchemy.
void apply_dependencies(const ProjectDependencies& deps, RuleSettings& settings);

}  // namespace asyncfix

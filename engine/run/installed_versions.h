// The versions of packages installed for a project, read from their metadata: the
// `*.dist-info` / `*.egg-info` entries of the project's virtual environment (`.venv` or
// `venv` in its root), else of the search path of the `python3` on PATH. Nothing is
// imported and no project code runs: the interpreter is asked only for `sys.path`, in
// isolated mode (`python3 -I`).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/rule/settings.h"

namespace asyncfix {

struct InstalledPackage {
  Version version;
  std::string where;  // the metadata entry it was read from
};

// Normalized name ("sqlalchemy") -> what is installed, for the distributions in `dirs`
// (the first directory that has a package wins, as on sys.path).
std::map<std::string, InstalledPackage> installed_in(const std::vector<std::string>& dirs);

// The site-packages directories of a virtual environment in `root` (.venv, venv).
std::vector<std::string> venv_site_dirs(const std::string& root);

// sys.path of `python3` found on PATH (none when there is none, it fails, or it takes
// over 10 s); `python` receives the interpreter's path.
std::vector<std::string> python_search_path(std::string* python = nullptr);

// What is installed for the project in `root`: its virtual environment's packages, else
// those of python3's search path. `source` says which ("<root>/.venv", "python3 (/usr/bin/python3)").
std::map<std::string, InstalledPackage> installed_for_project(const std::string& root, std::string* source);

}  // namespace asyncfix

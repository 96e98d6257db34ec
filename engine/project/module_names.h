// Python's module names for the files of a run, the way the interpreter finds them: a file is
// the module its path spells below an import root (a `sys.path` entry), through regular
// packages (with `__init__.py`) and namespace packages (PEP 420: folders without one) alike.
//
// The import roots, none of which is itself a package folder:
//   - the folders of the run's paths (a file's folder, for a file given by name) and the
//     current directory;
//   - every folder above a file that holds a pyproject.toml, setup.py or setup.cfg, and its
//     `src/` (a project's own package sits there, or in `src/`);
//   - every folder named `src` above a file.
// A file takes its name from the deepest root above it whose path down to the file is all
// identifiers: `backend/onyx/server/features/build/session/x.py` is
// `onyx.server.features.build.session.x` with `backend/` a root, whether or not its folders
// hold `__init__.py`; `libs/chatchat-server/chatchat/server/db.py` is `chatchat.server.db`
// (`libs/chatchat-server` has a pyproject.toml). A file under no such root is named by its
// chain of package folders, as before.
#pragma once

#include <string>
#include <vector>

#include "engine/source/discovered_file.h"

namespace asyncfix::project {

// Sets module (and is_package) of every file. run_paths: the paths the run was given.
void name_modules(std::vector<DiscoveredFile>& files, const std::vector<std::string>& run_paths);

// The module name from the package (__init__.py) folders above a file alone.
std::string package_chain_name(const std::string& path, bool* is_package);

}  // namespace asyncfix::project

// A Python file of the run and the module it is: what file discovery finds and the project
// index reads.
#pragma once

#include <string>

namespace asyncfix {

struct DiscoveredFile {
  std::string path;         // as it will be opened and shown (relative when under the cwd)
  std::string module;       // dotted module name from the __init__.py chain ("app.crud")
  bool is_package = false;  // an __init__.py
};

}  // namespace asyncfix

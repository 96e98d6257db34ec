// Which files a run looks at: the paths given, directories walked in a stable order,
// default excludes (virtualenvs, caches, VCS folders), non-Python files skipped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/source/discovered_file.h"

namespace asyncfix {

struct DiscoverOptions {
  std::vector<std::string> paths;       // files (taken as given) and directories (walked)
  std::vector<std::string> listed;      // --files-from: files (Python ones kept, excludes applied) and directories (walked)
  int jobs = 0;                         // walker threads; 0 = all cores
  std::vector<std::string> exclude;     // extra glob patterns (fnmatch, matched on path and name)
  bool respect_ignore_files = true;     // .gitignore (in a git work tree), .ignore (see ignore.h)
  uint64_t max_file_size = 16u << 20;   // bytes; larger files are skipped with a note
  // The limit of each file, when it depends on the file (the nearest configuration's
  // max-file-size); unset: max_file_size.
  std::function<uint64_t(const std::string& path)> max_file_size_for;
};

struct SkippedFile {
  std::string path;
  std::string reason;
};

struct Discovery {
  std::vector<DiscoveredFile> files;
  std::vector<SkippedFile> skipped;
  size_t excluded = 0;  // listed files (--files-from) that an exclude pattern left out
  std::vector<std::string> notes;  // what was done to finish an interrupted run's change set
};

// Fails when a given path does not exist, or an interrupted change set cannot be finished.
Expected<Discovery> discover(const DiscoverOptions& options);

// Directory names never walked into (unless given explicitly).
bool is_default_excluded_dir(const std::string& name);

// Shell-style glob: '*' and '?' do not cross '/', '**' does, [abc] classes.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace asyncfix

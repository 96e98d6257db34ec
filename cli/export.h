// --export-fixes FILE.json and `asyncfix apply FILE.json...`: fixes computed on one machine
// (or one shard of a CI matrix) and applied elsewhere, in one go.
//
//   {"schema": "asyncfix-fixes/1",
//    "files": [{"path": "app/x.py",
//               "hash": "<git blob id of the content the fixes were made for>",
//               "fixed-hash": "<git blob id of the content once they are made>",
//               "change-set": true,   (its fixes depend on fixes in other files)
//               "edits": [{"start": 120, "end": 180, "content": "..."}],   (bytes, in order)
//               "fixes": [{"rule": "AF101", "title": "...", "line": 7}]}]}
//
// `apply` writes the files of the exports' change sets (the entries marked "change-set",
// across every export given) as one transaction, or none of them when one was refused; a
// file that already holds its fixed content is accepted as applied (apply is idempotent).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "cli/options.h"
#include "engine/base/expected.h"
#include "engine/run/pipeline.h"

namespace asyncfix::cli {

class FixExport {
 public:
  // A fixed file; `linked`: part of the run's change set.
  void add(const FileResult& r, bool linked);
  size_t files() const { return files_.size(); }
  Status write(const std::string& path) const;

 private:
  std::vector<std::string> files_;  // one JSON object per file, serialized
};


}  // namespace asyncfix::cli

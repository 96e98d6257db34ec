// --export-fixes FILE.json and `asyncfix apply FILE.json...`: fixes computed on one machine
// (or one shard of a CI matrix) and applied elsewhere, in one go.
//
//   {"schema": "asyncfix-fixes/1",
//    "files": [{"path": "app/x.py",
//               "hash": "<git blob id of the content the fixes were made for>",
//               "edits": [{"start": 120, "end": 180, "content": "..."}],   (bytes, in order)
//               "fixes": [{"rule": "AF101", "title": "...", "line": 7}]}]}
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
  void add(const FileResult& r);
  size_t files() const { return files_.size(); }
  Status write(const std::string& path) const;

 private:
  std::vector<std::string> files_;  // one JSON object per file, serialized
};


}  // namespace asyncfix::cli

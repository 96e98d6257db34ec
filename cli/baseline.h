// --baseline FILE: findings the team already knows about (and fixes it declined in review),
// so that a run reports and proposes only what is new.
//
//   {"schema": "asyncfix-baseline/1",
//    "findings": [{"path": "app/x.py", "rule": "AF403", "fingerprint": "AF403:5f1c...:0",
//                  "status": "existing" | "rejected", "line": 12, "message": "..."}]}
//
// A finding's fingerprint is its rule, the text of its first line and its occurrence among
// identical pairs: it survives edits elsewhere in the file. Paths are relative to the
// baseline file's directory, so a baseline is a fact about the repository: it means the same
// from any working directory, and for files named by absolute paths.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/rule/rule.h"

namespace asyncfix::cli {

class Baseline {
 public:
  // The baseline at `path`. A missing file is an error unless `may_create` (--update-baseline):
  // then it is an empty baseline, created on write.
  static Expected<Baseline> load(const std::string& path, bool may_create = false);
  // The fingerprints known for a file, named as the run names it (relative to the working
  // directory, or absolute).
  const std::set<std::string>* for_file(const std::string& path) const;
  void add(const std::string& path, const Finding& f, const std::string& status);
  // Replaces a scanned file's entries with what it holds now: `hidden` are the findings the
  // baseline hid this run (still there: kept, with the status they had), `found` and
  // `rejected` the others. Entries of findings that are gone are dropped.
  void replace_file(const std::string& path, const std::vector<Finding>& hidden, const std::vector<Finding>& found,
                    const std::vector<Finding>& rejected);
  size_t size() const { return size_; }
  bool existed() const { return existed_; }
  Status write(const std::string& path) const;

 private:
  struct Entry {
    std::string rule, status, message;
    uint32_t line = 0;
  };
  // The key of a file: its path relative to the baseline's directory, '/'-separated.
  std::string key(const std::string& path) const;
  std::string dir_;  // the baseline file's directory, absolute
  std::map<std::string, std::map<std::string, Entry>> entries_by_path_;  // key -> fingerprint -> entry
  std::map<std::string, std::set<std::string>> fingerprints_;             // key -> fingerprints
  size_t size_ = 0;
  bool existed_ = false;
  void index();
};

}  // namespace asyncfix::cli

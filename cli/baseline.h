// --baseline FILE: findings the team already knows about (and fixes it declined in review),
// so that a run reports and proposes only what is new.
//
//   {"schema": "asyncfix-baseline/1",
//    "findings": [{"path": "app/x.py", "rule": "AF403", "fingerprint": "AF403:5f1c...:0",
//                  "status": "existing" | "rejected", "line": 12, "message": "..."}]}
//
// A finding's fingerprint is its rule, the text of its first line and its occurrence among
// identical pairs: it survives edits elsewhere in the file.
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
  // A missing file is an empty baseline (it is created on write).
  static Expected<Baseline> load(const std::string& path);
  const std::set<std::string>* for_file(const std::string& path) const;
  void add(const std::string& path, const Finding& f, const std::string& status);
  // Forgets the entries of a file that the run scanned (before adding what it found).
  void forget_file(const std::string& path);
  size_t size() const { return entries_.size(); }
  bool existed() const { return existed_; }
  Status write(const std::string& path) const;

 private:
  struct Entry {
    std::string rule, status, message;
    uint32_t line = 0;
  };
  std::map<std::string, std::map<std::string, Entry>> entries_by_path_;  // path -> fingerprint -> entry
  std::map<std::string, std::set<std::string>> fingerprints_;
  std::map<std::string, int> entries_;
  bool existed_ = false;
  void index();
};

}  // namespace asyncfix::cli

// A change set: the fixed files of a run whose fixes depend on each other across files (a
// function made async and its callers awaiting it), written as one transaction.
//
// Before the first write, every target is checked writable and unchanged, and an intent
// record is made in the targets' common directory, `.asyncfix-change-set/`: a lock file held
// while the set is written, each file's old and new content, and last `intent`, which lists
// the targets with the git blob ids of their old and new content. Only once `intent` is
// complete is a target written; the record is removed when all are. A run that finds a record
// whose lock nobody holds (the run that made it died) finishes it: a record without `intent`
// wrote nothing and is removed; with `intent`, every target still holding its old content is
// written (rolled forward), unless a target holds neither its old nor its new content (someone
// changed it since), and then every target already written goes back to its old content
// (rolled back). Either way the record is then removed, and the run says what it did.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/base/expected.h"

namespace asyncfix {

struct PlannedWrite {
  std::string path;       // as the user named it (a symlink is followed)
  std::string old_bytes;  // what was read
  std::string new_bytes;  // what to write
};

// The name of the record's directory.
inline constexpr const char* kChangeSetRecord = ".asyncfix-change-set";

// Writes every file of the set, or none: on a failure the files already written get their old
// content back, and the error names the file that failed and why.
Status write_change_set(const std::vector<PlannedWrite>& writes);

// Finishes the change set an interrupted run left in `dir` (see above), if there is one and
// its run is gone. `notes` gets one line per thing done; a record another run is writing now
// is left alone (and said).
Status recover_change_set(const std::string& dir, std::vector<std::string>& notes);

// Looks for records in `dir` and each directory above it (once per directory: `checked`
// remembers them) and recovers each.
Status recover_change_sets_above(const std::string& dir, std::set<std::string>& checked, std::vector<std::string>& notes);

}  // namespace asyncfix

// Writing fixed files the way editors do, and never over a file that changed on disk since it
// was read: through a symlink the file it names is written; owner, group and mode are kept;
// a file is replaced atomically (temp file beside it, fsync, rename), except a file with other
// hard links (or whose owner cannot be kept), which is written in place after a complete
// backup beside it, removed once the file is written.
#pragma once

#include <string>
#include <string_view>

#include "engine/base/expected.h"

namespace asyncfix {

// Replaces `path` with `bytes` if the file still holds `expected` (what was read). Fails with
// a message naming the path when it changed, is read-only, or cannot be written; the file is
// then untouched.
Status write_file_atomically(const std::string& path, std::string_view bytes, std::string_view expected);

// Would write_file_atomically write `path` now: it exists, is writable (mode bits included)
// and still holds `expected`? The error says why not, naming the path.
Status check_writable(const std::string& path, std::string_view expected);

// Where write_file_atomically keeps the backup of a file it writes in place.
std::string backup_path(const std::string& path);
// Restores a file whose in-place write was interrupted (its backup is still there), then
// removes the backup. Nothing to do: Ok.
Status recover_interrupted_write(const std::string& path);

// Removes the temporary files (`.NAME.asyncfix-XXXXXX`) that a killed run left beside the
// files of directory `dir`; only those older than a minute (a run going on now may be about
// to rename its own). Returns how many it removed.
size_t remove_stale_temp_files(const std::string& dir);

// Writes a file asyncfix owns (a baseline, an export): atomically, created when missing
// (mode from the umask), its mode kept when present, whatever it held before.
Status write_output_file(const std::string& path, std::string_view bytes);

// Removes every temporary file (`.NAME.asyncfix-XXXXXX`) left beside `path`, whatever its
// age: for a file whose writer is known to be gone (its change set's lock is free).
void remove_temp_files_of(const std::string& path);

// The file a path names, through symlinks.
Expected<std::string> real_path(const std::string& path);

// A test hook: with ASYNCFIX_TEST_FAULT=N in the environment, the N-th point at which a
// write reaches disk (a temporary file complete, a rename, a backup, an in-place write, a
// change set's intent record made or closed) ends the process at once (exit 86), as a
// `kill -9` would there. Unset or 0: nothing. Crash tests step N through every point.
void fault_point(const char* where);

// The git blob id of some bytes (what `git hash-object` prints): how exports name the
// content a fix was made for.
std::string content_hash(std::string_view bytes);

}  // namespace asyncfix

// Writing fixed files: atomically (temp file in the same directory, fsync, rename; mode
// kept), and never over a file that changed on disk since it was read.
#pragma once

#include <string>
#include <string_view>

#include "engine/base/expected.h"

namespace asyncfix {

// Replaces `path` with `bytes` if the file still holds `expected` (what was read). Fails with
// a message naming the path when it changed, is read-only, or cannot be written; the file is
// then untouched.
Status write_file_atomically(const std::string& path, std::string_view bytes, std::string_view expected);

// Writes a file asyncfix owns (a baseline, an export): atomically, created when missing
// (mode from the umask), its mode kept when present, whatever it held before.
Status write_output_file(const std::string& path, std::string_view bytes);

// The git blob id of some bytes (what `git hash-object` prints): how exports name the
// content a fix was made for.
std::string content_hash(std::string_view bytes);

}  // namespace asyncfix

// Writing fixed files: atomically (temp file in the same directory, fsync, rename; mode
// kept), and never over a file that changed on disk since it was read.
#pragma once

#include <string>
#include <string_view>

#include "engine/common/expected.h"

namespace asyncfix {

// Replaces `path` with `bytes` if the file still holds `expected` (what was read). Fails with
// a message naming the path when it changed, is read-only, or cannot be written; the file is
// then untouched.
Status write_file_atomically(const std::string& path, std::string_view bytes, std::string_view expected);

}  // namespace asyncfix

// Reading a whole file, the one way the code base does it.
#pragma once

#include <string>

#include "engine/base/expected.h"

namespace asyncfix {

// The bytes of the file at `path`. Errors (Io, at `path`): "cannot read file: <reason>" when
// it cannot be opened, "read error" when reading fails part way (a directory, say).
Expected<std::string> read_whole_file(const std::string& path);

}  // namespace asyncfix

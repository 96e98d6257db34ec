// A file's findings as bytes, for the cache (engine/run/cache.h): a `check` without fixes
// keeps each file's findings and notes, and a later run with the same key prints them again
// without parsing the file. Every field is written; result_io.cpp holds a size check per struct.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/run/pipeline.h"

namespace asyncfix {

// A result's findings, what remains of them, and its notes.
std::string encode_findings(const FileResult& r);
bool decode_findings(std::string_view bytes, FileResult* r);

}  // namespace asyncfix

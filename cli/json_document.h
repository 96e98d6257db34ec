// The JSON files asyncfix writes and reads back (baselines, fix exports): one document with a
// "schema" tag and one array of records.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "engine/base/expected.h"

namespace asyncfix::cli {

// Reads `path` and checks that it is a `schema` document whose `array_key` is an array.
// nullopt when the file does not exist; an error naming the file (and `what` it should be)
// when it is not such a document.
Expected<std::optional<nlohmann::ordered_json>> read_json_document(const std::string& path, const std::string& schema,
                                                                   const std::string& array_key,
                                                                   const std::string& what);

}  // namespace asyncfix::cli

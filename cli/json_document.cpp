#include "cli/json_document.h"

#include <fstream>
#include <sstream>

namespace asyncfix::cli {

Expected<std::optional<nlohmann::ordered_json>> read_json_document(const std::string& path, const std::string& schema,
                                                                   const std::string& array_key,
                                                                   const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<nlohmann::ordered_json>();
  std::ostringstream ss;
  ss << in.rdbuf();
  nlohmann::ordered_json doc;
  try {
    doc = nlohmann::ordered_json::parse(ss.str());
  } catch (const nlohmann::ordered_json::parse_error& e) {
    return make_error(Error::Kind::Config, "not " + what + ": " + e.what(), {path});
  }
  if (!doc.is_object() || doc.value("schema", "") != schema || !doc[array_key].is_array())
    return make_error(Error::Kind::Config, "not " + what + " (expected schema " + schema + ")", {path});
  return std::optional<nlohmann::ordered_json>(std::move(doc));
}

}  // namespace asyncfix::cli

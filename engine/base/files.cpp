#include "engine/base/files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace asyncfix {

Expected<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Error::Kind::Io, std::string("cannot read file: ") + std::strerror(errno), {path});
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return make_error(Error::Kind::Io, "read error", {path});
  return std::move(ss).str();
}

}  // namespace asyncfix

#include "engine/base/expected.h"

namespace asyncfix {

std::string Error::to_string() const {
  std::string out;
  if (!location.path.empty()) {
    out += location.path;
    if (location.line > 0) {
      out += ':' + std::to_string(location.line);
      if (location.col > 0) out += ':' + std::to_string(location.col);
    }
    out += ": ";
  }
  out += message;
  return out;
}

}  // namespace asyncfix

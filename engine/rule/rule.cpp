#include "engine/rule/rule.h"

#include "engine/project/project.h"

namespace asyncfix {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::P1: return "P1";
    case Severity::P2: return "P2";
    case Severity::P3: return "P3";
  }
  return "?";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "P1" || s == "p1") return Severity::P1;
  if (s == "P2" || s == "p2") return Severity::P2;
  if (s == "P3" || s == "p3") return Severity::P3;
  return std::nullopt;
}

std::vector<std::string> Rule::typed_triggers(const ProjectIndex& index) const {
  return index.names_typed_with(info().triggers);
}

}  // namespace asyncfix

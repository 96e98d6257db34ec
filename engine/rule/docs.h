// A rule's documentation page (docs/rules/<ID>.md, `asyncfix explain`), from its own docs.
#pragma once

#include <string>

#include "engine/rule/rule.h"

namespace asyncfix {

std::string render_rule_markdown(const RuleInfo& info);

}  // namespace asyncfix

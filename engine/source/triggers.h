// Prefilter triggers: literals a file must contain for a rule to possibly fire.
//
// A trigger is matched as written, except that a space in it stands for any run of
// whitespace and backslash line continuations, none included: "async def" matches
// `async def`, `async  def` and `async \<newline> def` (and, harmlessly, `asyncdef`);
// "query (" matches `query(` and `query (`. So a trigger can name two tokens in a row
// without missing code that spaces them differently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix {

// The trigger every rule that only fires inside `async def` requires.
inline constexpr const char* kAsyncDefTrigger = "async def";

// The RE2 pattern of a trigger.
std::string trigger_regex(std::string_view trigger);

// Several triggers compiled once into one automaton (a file is scanned once for all).
class TriggerScanner {
 public:
  explicit TriggerScanner(const std::vector<std::string>& triggers);
  ~TriggerScanner();
  TriggerScanner(TriggerScanner&&) noexcept;
  // Does `text` contain any of the triggers? (True when the scan itself fails: the safe side.)
  bool any(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace asyncfix

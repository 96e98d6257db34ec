#include "engine/source/triggers.h"

#include <re2/re2.h>
#include <re2/set.h>

namespace asyncfix {

std::string trigger_regex(std::string_view trigger) {
  std::string out;
  size_t i = 0;
  while (i < trigger.size()) {
    if (trigger[i] == ' ') {
      while (i < trigger.size() && trigger[i] == ' ') ++i;
      out += "[ \\t\\f\\r\\n\\\\]*";
      continue;
    }
    size_t j = trigger.find(' ', i);
    if (j == std::string_view::npos) j = trigger.size();
    out += RE2::QuoteMeta(re2::StringPiece(trigger.data() + i, j - i));
    i = j;
  }
  return out;
}

struct TriggerScanner::Impl {
  explicit Impl(const RE2::Options& o) : set(o, RE2::UNANCHORED) {}
  RE2::Set set;
  bool ok = false;
  bool empty = true;
};

TriggerScanner::TriggerScanner(const std::vector<std::string>& triggers) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  impl_ = std::make_unique<Impl>(o);
  bool ok = true;
  for (const auto& t : triggers) {
    if (t.empty()) continue;
    impl_->empty = false;
    std::string err;
    if (impl_->set.Add(trigger_regex(t), &err) < 0) ok = false;
  }
  impl_->ok = ok && !impl_->empty && impl_->set.Compile();
}

TriggerScanner::~TriggerScanner() = default;
TriggerScanner::TriggerScanner(TriggerScanner&&) noexcept = default;

bool TriggerScanner::any(std::string_view text) const {
  if (impl_->empty) return false;
  if (!impl_->ok) return true;
  std::vector<int> hits;
  re2::RE2::Set::ErrorInfo info;
  if (impl_->set.Match(re2::StringPiece(text.data(), text.size()), &hits, &info)) return true;
  return info.kind != re2::RE2::Set::kNoError;  // out of memory: the safe side
}

}  // namespace asyncfix

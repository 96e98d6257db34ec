#include "engine/base/stage_times.h"

#include <atomic>

namespace asyncfix {

namespace {

constexpr size_t kStages = static_cast<size_t>(Stage::kCount);
std::array<std::atomic<long long>, kStages> g_nanos{};

}  // namespace

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::IndexRead: return "index: read";
    case Stage::IndexParse: return "index: parse";
    case Stage::IndexSummarize: return "index: summarize";
    case Stage::Read: return "check: read";
    case Stage::Prefilter: return "check: prefilter";
    case Stage::Parse: return "check: parse";
    case Stage::Rules: return "check: rules";
    case Stage::Fixes: return "check: fixes";
    case Stage::Wrap: return "check: wrap";
    case Stage::kCount: break;
  }
  return "?";
}

void add_stage_time(Stage s, std::chrono::steady_clock::duration d) {
  g_nanos[static_cast<size_t>(s)].fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(),
                                            std::memory_order_relaxed);
}

std::array<double, kStages> stage_seconds() {
  std::array<double, kStages> out{};
  for (size_t i = 0; i < kStages; ++i) out[i] = static_cast<double>(g_nanos[i].load(std::memory_order_relaxed)) / 1e9;
  return out;
}

void reset_stage_times() {
  for (auto& n : g_nanos) n.store(0, std::memory_order_relaxed);
}

}  // namespace asyncfix

// Where a run's time goes, stage by stage, summed over the worker threads (`check -v` prints
// it; bench/RESULTS.md keeps the figures). A StageTimer adds the time between its creation and
// its end to its stage; the counters are atomic, so workers time their own work.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>

namespace asyncfix {

enum class Stage : size_t {
  IndexRead,       // the index reads a module
  IndexParse,      // ... parses it
  IndexSummarize,  // ... builds its model and summary (types, calls, blocking calls)
  Read,            // the check reads a file
  Prefilter,       // ... decides whether any rule may fire in it (triggers, tree checks)
  Parse,           // ... parses it (the first pass)
  Rules,           // ... runs the rules on it (with the semantic model they ask for)
  Fixes,           // ... applies, verifies and re-parses the fixes (passes after the first)
  Wrap,            // ... lays the written lines out as black would
  kCount
};

const char* stage_name(Stage s);
void add_stage_time(Stage s, std::chrono::steady_clock::duration d);
// Seconds per stage since the process started (or the last reset).
std::array<double, static_cast<size_t>(Stage::kCount)> stage_seconds();
void reset_stage_times();

class StageTimer {
 public:
  explicit StageTimer(Stage s) : stage_(s), start_(std::chrono::steady_clock::now()) {}
  ~StageTimer() { stop(); }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;
  // Ends the timing early (once).
  void stop() {
    if (done_) return;
    done_ = true;
    add_stage_time(stage_, std::chrono::steady_clock::now() - start_);
  }

 private:
  Stage stage_;
  std::chrono::steady_clock::time_point start_;
  bool done_ = false;
};

}  // namespace asyncfix

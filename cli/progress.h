// A progress line on stderr for long runs: files done / total, findings so far, rate. Only
// when stderr is a terminal, `CI` is unset, and the run has lasted half a second; erased at
// the end.
#pragma once

#include <chrono>
#include <cstddef>

namespace asyncfix::cli {

class Progress {
 public:
  Progress(size_t total, bool enabled);
  ~Progress();
  void update(size_t done, size_t findings);
  void clear();

 private:
  size_t total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

// Should a progress line be drawn at all?
bool progress_wanted();

}  // namespace asyncfix::cli

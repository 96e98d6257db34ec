#include "cli/progress.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace asyncfix::cli {

bool progress_wanted() {
  const char* ci = std::getenv("CI");
  if (ci && *ci) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  // Only for someone watching: not when the report goes to a file or a pipe (issue 15).
  return isatty(STDERR_FILENO) != 0 && isatty(STDOUT_FILENO) != 0;
}

Progress::Progress(size_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { clear(); }

void Progress::update(size_t done, size_t findings) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 0.5) return;
  if (shown_ && now - last_ < std::chrono::milliseconds(100) && done < total_) return;
  last_ = now;
  const int width = 24;
  int filled = total_ ? static_cast<int>(width * done / total_) : width;
  std::string bar(static_cast<size_t>(filled), '=');
  if (filled < width) bar += '>', bar += std::string(static_cast<size_t>(width - filled - 1), ' ');
  fmt::print(stderr, "\r\x1b[2K[{}] {}/{} files, {} findings, {:.0f} files/s", bar, done, total_, findings,
             elapsed > 0 ? done / elapsed : 0.0);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (!shown_) return;
  fmt::print(stderr, "\r\x1b[2K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace asyncfix::cli

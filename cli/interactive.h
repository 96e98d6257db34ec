// --interactive: each fix is shown (file, rule, severity, message, the coloured hunk) and
// the user decides with one key: y apply, n skip, a apply this and every later fix of this
// rule, s skip the rest of this file, q quit (keeping the decisions made), e edit the
// proposed result in $EDITOR, ? help. Keys are read from the terminal (/dev/tty), so the
// findings can still go to a pipe.
#pragma once

#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include "engine/run/pipeline.h"

namespace asyncfix::cli {

class TerminalReviewer : public FixReviewer {
 public:
  // Null, with a message in *why, when there is no terminal to talk to.
  static std::unique_ptr<TerminalReviewer> open(bool color, std::string* why);
  ~TerminalReviewer() override;

  Decision review(const SourceFile& current, const Finding& finding, std::string_view preview,
                  const std::function<std::string()>& full_preview) override;
  std::string edited_text() override { return edited_; }

  size_t applied() const { return applied_; }
  size_t skipped() const { return skipped_; }

 private:
  TerminalReviewer() = default;
  int read_key();
  void print(const std::string& s);
  std::string paint(const char* code, const std::string& s) const;

  int in_fd_ = -1;
  std::FILE* out_ = nullptr;
  bool color_ = false;
  std::set<std::string> all_of_rule_;
  std::string edited_;
  size_t applied_ = 0, skipped_ = 0;
};

}  // namespace asyncfix::cli

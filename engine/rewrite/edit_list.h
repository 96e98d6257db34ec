// Collects the edits of one fix. Several insertions at one offset (e.g. `async with ...:` at a
// statement start and `await ` at the call that starts it) are joined in the order they were
// added, since two separate insertions at one offset would conflict.
#pragma once

#include <string>
#include <vector>

#include "engine/rewrite/edit.h"

namespace asyncfix::rules {

class EditList {
 public:
  void insert(uint32_t at, std::string text) {
    for (Edit& e : edits_) {
      if (e.is_insertion() && e.begin == at) {
        e.text += text;
        return;
      }
    }
    edits_.push_back(Edit{at, at, std::move(text)});
  }
  void replace(uint32_t begin, uint32_t end, std::string text) { edits_.push_back(Edit{begin, end, std::move(text)}); }
  // Do any two edits of this list conflict (the fix could not apply)?
  bool consistent() const {
    for (size_t i = 0; i < edits_.size(); ++i) {
      for (size_t j = i + 1; j < edits_.size(); ++j) {
        if (edits_conflict(edits_[i], edits_[j])) return false;
      }
    }
    return true;
  }
  std::vector<Edit> take() { return std::move(edits_); }
  const std::vector<Edit>& edits() const { return edits_; }

 private:
  std::vector<Edit> edits_;
};

}  // namespace asyncfix::rules

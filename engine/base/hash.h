// A 128-bit content hash for the cache (engine/run/cache.h): fast, not cryptographic. Two
// independent 64-bit lanes over 8-byte words, the length mixed in, each lane finished with a
// full avalanche, so that one changed byte changes both halves. Keys of the cache are built by
// feeding a Hasher every input a result depends on, each delimited by its length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace asyncfix {

struct Hash128 {
  uint64_t hi = 0, lo = 0;
  bool operator==(const Hash128& o) const { return hi == o.hi && lo == o.lo; }
  bool operator!=(const Hash128& o) const { return !(*this == o); }
  bool operator<(const Hash128& o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
  std::string hex() const;  // 32 lowercase hex digits
};

class Hasher {
 public:
  // Adds a field: its length, then its bytes (so "ab","c" and "a","bc" differ).
  Hasher& add(std::string_view bytes);
  Hasher& add(uint64_t v);
  Hasher& add(const Hash128& h) { return add(h.hi).add(h.lo); }
  Hash128 finish() const;

 private:
  void word(uint64_t w);
  uint64_t a_ = 0x243f6a8885a308d3ull, b_ = 0x13198a2e03707344ull, n_ = 0;
};

// The hash of one buffer (a file's bytes).
Hash128 hash_bytes(std::string_view bytes);

}  // namespace asyncfix

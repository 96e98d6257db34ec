#include "engine/base/hash.h"

#include <cstring>

namespace asyncfix {

namespace {

constexpr uint64_t kP1 = 0x9e3779b97f4a7c15ull;
constexpr uint64_t kP2 = 0xc2b2ae3d27d4eb4full;

uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// splitmix64's finalizer: every input bit reaches every output bit.
uint64_t avalanche(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

}  // namespace

std::string Hash128::hex() const {
  static const char* digits = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = digits[(hi >> (4 * i)) & 15];
    out[31 - i] = digits[(lo >> (4 * i)) & 15];
  }
  return out;
}

void Hasher::word(uint64_t w) {
  a_ = rotl(a_ ^ (w * kP1), 31) * kP2;
  b_ = rotl(b_ + (w ^ (w >> 29)) * kP2, 27) * kP1 + 0x52dce729;
  ++n_;
}

Hasher& Hasher::add(uint64_t v) {
  word(v);
  return *this;
}

Hasher& Hasher::add(std::string_view bytes) {
  word(bytes.size());
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    word(w);
  }
  if (i < bytes.size()) {
    uint64_t w = 0;
    std::memcpy(&w, bytes.data() + i, bytes.size() - i);
    word(w ^ (static_cast<uint64_t>(bytes.size() - i) << 59));
  }
  return *this;
}

Hash128 Hasher::finish() const {
  Hash128 h;
  h.hi = avalanche(a_ ^ rotl(b_, 17) ^ n_);
  h.lo = avalanche(b_ + rotl(a_, 41) + (n_ * kP1));
  return h;
}

Hash128 hash_bytes(std::string_view bytes) { return Hasher().add(bytes).finish(); }

}  // namespace asyncfix

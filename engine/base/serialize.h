// Plain binary encoding for the cache: a Writer and a Reader with one io() per type, so that
// a struct lists its fields once, in a `template <class IO> void fields(IO&, T&)` found by
// argument-dependent lookup, for both directions. Integers are varints; a Reader that meets
// bytes that do not decode stops, and ok() says so (nothing read is then to be trusted).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix {

class Writer {
 public:
  void io(const std::string& s) {
    io(static_cast<uint64_t>(s.size()));
    out_.append(s);
  }
  void io(uint64_t v) {
    do {
      unsigned char b = v & 0x7f;
      v >>= 7;
      out_.push_back(static_cast<char>(v ? b | 0x80 : b));
    } while (v);
  }
  void io(uint32_t v) { io(static_cast<uint64_t>(v)); }
  void io(int v) { io(static_cast<uint64_t>(static_cast<uint32_t>(v))); }
  void io(bool v) { out_.push_back(v ? 1 : 0); }
  void io(char v) { out_.push_back(v); }
  template <typename T>
  void io(const std::optional<T>& o) {
    io(o.has_value());
    if (o) io(*o);
  }
  template <typename T>
  void io(const std::vector<T>& v) {
    io(static_cast<uint64_t>(v.size()));
    for (const auto& x : v) io(x);
  }
  template <typename T, typename C>
  void io(const std::set<T, C>& s) {
    io(static_cast<uint64_t>(s.size()));
    for (const auto& x : s) io(x);
  }
  template <typename K, typename V, typename C>
  void io(const std::map<K, V, C>& m) {
    io(static_cast<uint64_t>(m.size()));
    for (const auto& [k, v] : m) {
      io(k);
      io(v);
    }
  }
  template <typename T>
  auto io(const T& x) -> decltype(fields(*this, const_cast<T&>(x)), void()) {
    fields(*this, const_cast<T&>(x));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

  void io(std::string& s) {
    uint64_t n = 0;
    io(n);
    if (!ok_ || n > in_.size() - pos_) return fail();
    s.assign(in_.data() + pos_, n);
    pos_ += n;
  }
  void io(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      auto b = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return;
    }
    fail();
  }
  void io(uint32_t& v) {
    uint64_t w = 0;
    io(w);
    v = static_cast<uint32_t>(w);
  }
  void io(int& v) {
    uint64_t w = 0;
    io(w);
    v = static_cast<int>(static_cast<uint32_t>(w));
  }
  void io(bool& v) {
    char c = 0;
    io(c);
    v = c != 0;
  }
  void io(char& v) {
    if (pos_ >= in_.size()) return fail();
    v = in_[pos_++];
  }
  template <typename T>
  void io(std::optional<T>& o) {
    bool has = false;
    io(has);
    if (!has) return o.reset();
    T x{};
    io(x);
    o = std::move(x);
  }
  template <typename T>
  void io(std::vector<T>& v) {
    uint64_t n = 0;
    io(n);
    if (!ok_ || n > in_.size() - pos_) return fail();  // each element takes a byte at least
    v.clear();
    v.resize(n);
    for (auto& x : v) io(x);
  }
  template <typename T, typename C>
  void io(std::set<T, C>& s) {
    uint64_t n = 0;
    io(n);
    s.clear();
    for (uint64_t i = 0; ok_ && i < n; ++i) {
      T x{};
      io(x);
      s.insert(std::move(x));
    }
  }
  template <typename K, typename V, typename C>
  void io(std::map<K, V, C>& m) {
    uint64_t n = 0;
    io(n);
    m.clear();
    for (uint64_t i = 0; ok_ && i < n; ++i) {
      K k{};
      V v{};
      io(k);
      io(v);
      m.emplace(std::move(k), std::move(v));
    }
  }
  template <typename T>
  auto io(T& x) -> decltype(fields(*this, x), void()) {
    fields(*this, x);
  }

 private:
  void fail() {
    ok_ = false;
    pos_ = in_.size();
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};


}  // namespace asyncfix

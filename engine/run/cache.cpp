#include "engine/run/cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "engine/base/files.h"

namespace asyncfix {

namespace fs = std::filesystem;

namespace {

constexpr char kSummariesMagic[] = "asyncfix-cache 1 summaries\n";
constexpr char kResultsMagic[] = "asyncfix-cache 2 results\n";
constexpr char kIndexMagic[] = "asyncfix-index 1\n";
constexpr char kSnapshotMagic[] = "asyncfix-cache 1 snapshot\n";
constexpr char kGitignore[] = "# Made by asyncfix: its cache (asyncfix clean removes it), never committed.\n*\n";
constexpr char kTag[] =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by asyncfix.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n";

// A cache file: a magic line, then fields (4 bytes of length, little-endian, then the bytes),
// then the hex of a Hasher fed every field in order: a file cut short, or changed, does not
// check.
class FieldWriter {
 public:
  // Into a temporary file beside path; commit() renames it over path.
  FieldWriter(std::string path, std::string_view magic) : path_(std::move(path)) {
    std::random_device rd;
    tmp_ = path_ + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(rd());
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    out_.write(magic.data(), static_cast<std::streamsize>(magic.size()));
    h_.add(magic);
  }
  ~FieldWriter() {
    if (!committed_) {
      out_.close();
      std::error_code ec;
      fs::remove(tmp_, ec);
    }
  }
  void field(std::string_view s) {
    char len[4];
    for (int i = 0; i < 4; ++i) len[i] = static_cast<char>((s.size() >> (8 * i)) & 0xff);
    out_.write(len, 4);
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    h_.add(s);
  }
  Status commit() {
    std::string trailer = h_.finish().hex();
    out_.write(trailer.data(), static_cast<std::streamsize>(trailer.size()));
    out_.close();
    if (!out_) return make_error(Error::Kind::Io, "cannot write the cache file " + tmp_);
    std::error_code ec;
    fs::rename(tmp_, path_, ec);
    if (ec) return make_error(Error::Kind::Io, "cannot write the cache file " + path_ + ": " + ec.message());
    committed_ = true;
    return Ok{};
  }

 private:
  std::string path_, tmp_;
  std::ofstream out_;
  Hasher h_;
  bool committed_ = false;
};

// What Hash128::hex() wrote: 32 lowercase hex digits.
bool parse_hash(std::string_view hex, Hash128* h) {
  if (hex.size() != 32 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) return false;
  h->hi = std::stoull(std::string(hex.substr(0, 16)), nullptr, 16);
  h->lo = std::stoull(std::string(hex.substr(16)), nullptr, 16);
  return true;
}

class FieldReader {
 public:
  // False when file is not a whole cache file of this magic.
  FieldReader(std::string_view file, std::string_view magic) {
    if (file.size() < magic.size() + 32 || file.substr(0, magic.size()) != magic) return;
    in_ = file.substr(magic.size(), file.size() - magic.size() - 32);
    trailer_ = file.substr(file.size() - 32);
    h_.add(magic);
    ok_ = true;
  }
  bool ok() const { return ok_; }
  // At the end, and everything read checks.
  bool whole() const { return ok_ && pos_ == in_.size() && h_.finish().hex() == trailer_; }
  bool done() const { return !ok_ || pos_ == in_.size(); }
  bool field(std::string_view* out) {
    if (!ok_ || in_.size() - pos_ < 4) return ok_ = false;
    size_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<size_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += 4;
    if (in_.size() - pos_ < n) return ok_ = false;
    *out = in_.substr(pos_, n);
    pos_ += n;
    h_.add(*out);
    return true;
  }

 private:
  std::string_view in_, trailer_;
  size_t pos_ = 0;
  bool ok_ = false;
  Hasher h_;
};

// Whole, or not at all: a temporary file beside it, renamed over it.
Status write_whole(const std::string& path, const std::string& bytes) {
  std::random_device rd;
  std::string tmp = path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(rd());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return make_error(Error::Kind::Io, "cannot write the cache file " + tmp);
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return make_error(Error::Kind::Io, "cannot write the cache file " + path + ": " + ec.message());
  }
  return Ok{};
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Makes dir a cache directory (its .gitignore and tag): false when it cannot be written.
bool make_cache_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) return false;
  for (auto [name, text] : {std::pair{".gitignore", kGitignore}, std::pair{"CACHEDIR.TAG", kTag}}) {
    std::string p = (fs::path(dir) / name).string();
    if (exists(p)) continue;
    if (!write_whole(p, text)) return false;
  }
  return ::access(dir.c_str(), W_OK) == 0;
}

std::string user_cache_dir(const std::string& root) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".cache";
  std::string name = fs::path(root).filename().string();
  if (name.empty()) name = "root";
  return (base / "asyncfix" / (name + "-" + hash_bytes(root).hex().substr(0, 16))).string();
}

}  // namespace

std::string cache_root_for(const std::string& path, const std::string& config_root) {
  if (!config_root.empty()) return config_root;
  std::error_code ec;
  fs::path p = fs::absolute(path, ec).lexically_normal();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  for (fs::path d = p; !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / ".git", ec)) return d.string();
    if (d == d.parent_path()) break;
  }
  return fs::current_path(ec).string();
}

std::vector<std::string> cache_dirs_of(const std::string& root, const std::string& configured) {
  if (!configured.empty()) return {(fs::path(root) / configured).lexically_normal().string()};
  if (const char* env = std::getenv("ASYNCFIX_CACHE_DIR"); env && *env) return {env};
  return {(fs::path(root) / ".asyncfix_cache").string(), user_cache_dir(root)};
}

Expected<std::string> cache_dir_for(const std::string& root, const std::string& configured) {
  auto dirs = cache_dirs_of(root, configured);
  for (const auto& d : dirs) {
    if (make_cache_dir(d)) return d;
  }
  return make_error(Error::Kind::Io, "cannot make the cache directory " + dirs.front() +
                                         (dirs.size() > 1 ? " (nor " + dirs.back() + ")" : std::string()));
}

std::string build_identity() {
  std::string id = std::string("asyncfix ") + ASYNCFIX_VERSION;
  struct stat st;
  if (::stat("/proc/self/exe", &st) == 0) {
    id += " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
          std::to_string(st.st_mtim.tv_nsec);
  }
  return id;
}

std::vector<SummaryEntry> RunCache::used_summaries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return new_summaries_;
}

void RunCache::preload(std::vector<SummaryEntry> entries) {
  std::lock_guard<std::mutex> lock(mu_);
  summaries_loaded_ = true;
  for (auto& e : entries) old_summaries_.emplace(e.key, std::move(e));
}

Status write_index_file(const std::string& path, const std::vector<IndexGroup>& groups) {
  FieldWriter out(path, kIndexMagic);
  out.field(std::to_string(groups.size()));
  for (const auto& g : groups) {
    out.field(g.key.hex());
    out.field(std::to_string(g.files.size()));
    for (const auto& [p, h] : g.files) {
      out.field(p);
      out.field(h.hex());
    }
    out.field(std::to_string(g.summaries.size()));
    for (const auto& e : g.summaries) {
      out.field(e.path);
      out.field(e.key);
      out.field(*e.bytes);
    }
  }
  return out.commit();
}

namespace {

bool read_count(FieldReader& in, size_t* n) {
  std::string_view f;
  if (!in.field(&f) || f.empty() || f.size() > 12 || f.find_first_not_of("0123456789") != std::string_view::npos) return false;
  *n = std::stoull(std::string(f));
  return true;
}

bool read_hash(FieldReader& in, Hash128* h) {
  std::string_view f;
  return in.field(&f) && parse_hash(f, h);
}

bool read_index_group(FieldReader& in, IndexGroup* g) {
  size_t files = 0, summaries = 0;
  if (!read_hash(in, &g->key) || !read_count(in, &files)) return false;
  for (size_t i = 0; i < files; ++i) {
    std::string_view p;
    Hash128 h;
    if (!in.field(&p) || !read_hash(in, &h)) return false;
    g->files.emplace_back(std::string(p), h);
  }
  if (!read_count(in, &summaries)) return false;
  for (size_t i = 0; i < summaries; ++i) {
    std::string_view p, k, b;
    if (!in.field(&p) || !in.field(&k) || !in.field(&b)) return false;
    g->summaries.push_back({std::string(p), std::string(k), std::make_shared<const std::string>(b)});
  }
  return true;
}

}  // namespace

Expected<std::vector<IndexGroup>> read_index_file(const std::string& path) {
  auto text = read_whole_file(path);
  if (!text) return make_error(Error::Kind::Io, "cannot read the index " + path + ": " + text.error().message);
  FieldReader in(*text, kIndexMagic);
  std::vector<IndexGroup> groups;
  size_t n = 0;
  bool ok = in.ok() && read_count(in, &n);
  for (size_t i = 0; ok && i < n; ++i) {
    groups.emplace_back();
    ok = read_index_group(in, &groups.back());
  }
  if (!ok || !in.whole()) {
    return make_error(Error::Kind::Usage, path + " is not an index written by `asyncfix index --export` (or it is damaged)");
  }
  return groups;
}

RunCache::RunCache(std::string dir, const Hash128& key) : dir_((fs::path(dir) / ("run-" + key.hex())).string()) {
  load_results();
  load_snapshot();
}

// The summaries are read when the index first asks (a run that builds no index never does).
void RunCache::summaries_needed() const {
  if (summaries_loaded_) return;
  summaries_loaded_ = true;
  const_cast<RunCache*>(this)->load_summaries();
}

void RunCache::load_snapshot() {
  std::string path = (fs::path(dir_) / "snapshot").string();
  if (!exists(path)) return;
  auto text = read_whole_file(path);
  FieldReader in(text ? std::string_view(*text) : std::string_view(), kSnapshotMagic);
  std::pair<Hash128, Hash128> got;
  if (!read_hash(in, &got.first) || !read_hash(in, &got.second) || !in.whole()) {
    discarded_.push_back(path);
    return;
  }
  snapshot_ = got;
}

std::optional<Hash128> RunCache::digest_of(const Hash128& snapshot) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (snapshot_ && snapshot_->first == snapshot) return snapshot_->second;
  return std::nullopt;
}

void RunCache::set_digest(const Hash128& snapshot, const Hash128& digest) {
  std::lock_guard<std::mutex> lock(mu_);
  new_snapshot_ = std::pair{snapshot, digest};
}

bool RunCache::has(const std::string& path, const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = results_.find(path);
  return it != results_.end() && it->second.key == key;
}

void RunCache::load_summaries() {
  std::string path = (fs::path(dir_) / "summaries").string();
  if (!exists(path)) return;
  auto text = read_whole_file(path);
  FieldReader in(text ? std::string_view(*text) : std::string_view(), kSummariesMagic);
  std::multimap<std::string, Summary> got;
  while (!in.done()) {
    std::string_view p, k, b;
    if (!in.field(&p) || !in.field(&k) || !in.field(&b)) break;
    got.emplace(std::string(k), Summary{std::string(p), std::string(k), std::make_shared<const std::string>(b)});
  }
  if (!in.whole()) discarded_.push_back(path);
  else old_summaries_ = std::move(got);
}

void RunCache::load_results() {
  std::string path = (fs::path(dir_) / "results").string();
  if (!exists(path)) return;
  auto text = read_whole_file(path);
  FieldReader in(text ? std::string_view(*text) : std::string_view(), kResultsMagic);
  std::map<std::string, Result> got;
  while (!in.done()) {
    std::string_view p, k, kind, payload;
    if (!in.field(&p) || !in.field(&k) || !in.field(&kind) || kind.size() != 1 || !in.field(&payload)) {
      got.clear();
      break;
    }
    got[std::string(p)] = Result{std::string(k), kind[0], std::string(payload)};
  }
  if (!in.whole()) discarded_.push_back(path);
  else results_ = std::move(got);
}

std::vector<std::shared_ptr<const std::string>> RunCache::get(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  summaries_needed();
  std::vector<std::shared_ptr<const std::string>> out;
  auto [b, e] = old_summaries_.equal_range(key);
  for (auto it = b; it != e; ++it) out.push_back(it->second.bytes);
  return out;
}

void RunCache::put(const std::string& path, const std::string& key, std::shared_ptr<const std::string> bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  summaries_needed();
  touched_paths_.insert(path);
  auto [b, e] = new_by_key_.equal_range(key);
  for (auto it = b; it != e; ++it) {
    const auto& known = new_summaries_[it->second].bytes;
    if (known == bytes || *known == *bytes) return;
  }
  new_by_key_.emplace(key, new_summaries_.size());
  new_summaries_.push_back(Summary{path, key, std::move(bytes)});
}

char RunCache::get(const std::string& path, const std::string& key, std::string* payload) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = results_.find(path);
  if (it == results_.end() || it->second.key != key) return 0;
  ++results_found_;
  if (payload) *payload = it->second.payload;
  return it->second.kind;
}

void RunCache::put(const std::string& path, const std::string& key, char kind, std::string payload) {
  std::lock_guard<std::mutex> lock(mu_);
  new_results_[path] = Result{key, kind, std::move(payload)};
}

Status RunCache::save() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return make_error(Error::Kind::Io, "cannot make the cache directory " + dir_ + ": " + ec.message());
  // A run that took everything from the cache leaves the files as they are.
  std::optional<FieldWriter> summaries;
  if (!new_summaries_.empty()) summaries.emplace((fs::path(dir_) / "summaries").string(), kSummariesMagic);
  for (const auto& s : new_summaries_) {
    summaries->field(s.path);
    summaries->field(s.key);
    summaries->field(*s.bytes);
  }
  // What this run did not look at: kept while its file is there.
  std::map<std::string, bool> present;
  auto still_there = [&](const std::string& p) {
    auto it = present.find(p);
    if (it == present.end()) it = present.emplace(p, exists(p)).first;
    return it->second;
  };
  for (const auto& [key, s] : old_summaries_) {
    if (!summaries) break;
    if (touched_paths_.count(s.path) || !still_there(s.path)) continue;
    summaries->field(s.path);
    summaries->field(s.key);
    summaries->field(*s.bytes);
  }
  std::map<std::string, Result> results = new_results_;
  for (const auto& [p, r] : results_) {
    if (!results.count(p) && still_there(p)) results.emplace(p, r);
  }
  if (new_snapshot_) {
    FieldWriter snap((fs::path(dir_) / "snapshot").string(), kSnapshotMagic);
    snap.field(new_snapshot_->first.hex());
    snap.field(new_snapshot_->second.hex());
    if (Status st = snap.commit(); !st) return st;
  }
  if (summaries) {
    if (Status st = summaries->commit(); !st) return st;
  }
  if (new_results_.empty()) return Ok{};
  FieldWriter res((fs::path(dir_) / "results").string(), kResultsMagic);
  for (const auto& [p, r] : results) {
    res.field(p);
    res.field(r.key);
    res.field(std::string_view(&r.kind, 1));
    res.field(r.payload);
  }
  return res.commit();
}

}  // namespace asyncfix

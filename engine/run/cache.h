// The cache, as Ruff has one: what a run learnt that the next one can trust without doing the
// work again. Two kinds of entries, both keyed by the bytes they were made from:
//   - module summaries of the project index (ProjectIndex::use_store), each with the answers
//     about other modules it was made with: taken again only while the index gives the same;
//   - per file, its result: clean (no finding, nothing to fix: skipped in any mode), or, from a
//     run that fixes nothing, its findings and notes (printed again by such a run), while its
//     bytes, the rule set, the settings and the project's digest (ProjectIndex::digest) are
//     the same. A file with findings is checked again by a run that fixes or shows fixes.
//
// Where it lives (cache_dir_for): `cache-dir` of the configuration or --cache-dir, else
// $ASYNCFIX_CACHE_DIR, else `.asyncfix_cache/` at the project root (the directory of the
// configuration file, else the repository root, else the working directory) when that can be
// written, else $XDG_CACHE_HOME/asyncfix/ (~/.cache/asyncfix/) under a name made from the
// root's path. Inside: a .gitignore holding `*` (so it is never committed), a CACHEDIR.TAG,
// and per asyncfix build and run key a directory with three files: `summaries`, `results`, and
// `snapshot` (the digest of the project index for the last set of files and bytes seen: when
// nothing changed, a run whose every file's result is known builds no index at all).
//
// Each file is written whole to a temporary name and renamed over the old one, and ends in a
// hash of all it holds: a run killed while writing, or two runs writing at once, leave a file
// that is whole (the last rename wins; the other run's new entries are lost, never mixed in).
// A file that is not whole, of another format, or unreadable is ignored and written again.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/base/hash.h"
#include "engine/project/project.h"
#include "engine/run/runner.h"

namespace asyncfix {

// The project root the cache of `path` belongs to: `config_root` when given, else the nearest
// directory above path holding .git, else the working directory (as Ruff's).
std::string cache_root_for(const std::string& path, const std::string& config_root);
// The cache directory for a root: `configured` (made absolute against the root) when not
// empty, else $ASYNCFIX_CACHE_DIR, else ROOT/.asyncfix_cache when it can be written there,
// else the user's cache directory. Made, with its .gitignore, when missing.
Expected<std::string> cache_dir_for(const std::string& root, const std::string& configured);
// The directory cache_dir_for would use, without making anything (for `asyncfix clean`).
std::vector<std::string> cache_dirs_of(const std::string& root, const std::string& configured);
// What identifies this build of asyncfix: its version and its executable's size and time.
std::string build_identity();

// One module's summary: the file it was made from, its key, its encoding.
struct SummaryEntry {
  std::string path, key;
  std::shared_ptr<const std::string> bytes;
};

class RunCache : public SummaryStore, public ResultStore {
 public:
  // Nothing read, nothing saved: a run's summaries kept in memory (for `index --export`).
  RunCache() = default;
  // The entries of run key `key` in cache directory `dir` (read now).
  RunCache(std::string dir, const Hash128& key);

  std::vector<std::shared_ptr<const std::string>> get(const std::string& key) const override;
  void put(const std::string& path, const std::string& key, std::shared_ptr<const std::string> bytes) override;
  char get(const std::string& path, const std::string& key, std::string* payload) const override;
  void put(const std::string& path, const std::string& key, char kind, std::string payload) override;
  bool has(const std::string& path, const std::string& key) const override;

  // The project's digest (ProjectIndex::digest) the last run computed for the same files with
  // the same bytes (`snapshot`: a hash of them all), if it was this one.
  std::optional<Hash128> digest_of(const Hash128& snapshot) const;
  void set_digest(const Hash128& snapshot, const Hash128& digest);

  // Writes both files: what this run used or made, and what it did not look at of the files
  // before (entries of files that still exist). The error says what could not be written.
  Status save() const;

  // What `check -v` says.
  size_t results_found() const { return results_found_; }
  size_t results_known() const { return results_.size(); }
  // Files found not whole or unreadable when read (then ignored; the summaries are read when
  // the index first asks for one).
  const std::vector<std::string>& discarded() const { return discarded_; }
  const std::string& dir() const { return dir_; }

  // The summaries this run used or made.
  std::vector<SummaryEntry> used_summaries() const;
  // Takes these summaries as if an earlier run had made them (an exported index).
  void preload(std::vector<SummaryEntry> entries);

 private:
  using Summary = SummaryEntry;
  struct Result {
    std::string key;
    char kind = 0;
    std::string payload;
  };
  void load_summaries();
  void summaries_needed() const;  // under mu_
  mutable bool summaries_loaded_ = false;
  void load_results();
  void load_snapshot();

  std::string dir_;
  mutable std::mutex mu_;
  std::multimap<std::string, Summary> old_summaries_;  // by key, as read
  std::set<std::string> touched_paths_;                // paths whose summaries this run put
  std::vector<Summary> new_summaries_;
  std::multimap<std::string, size_t> new_by_key_;  // key -> index in new_summaries_
  std::map<std::string, Result> results_;                           // by path, as read
  std::map<std::string, Result> new_results_;
  mutable std::atomic<size_t> results_found_{0};
  std::vector<std::string> discarded_;
  std::optional<std::pair<Hash128, Hash128>> snapshot_, new_snapshot_;  // (files, digest)
};

// `asyncfix index --export FILE`: the summaries of a run's project index, per group (its key),
// with the files they were made from (path and content hash), for shards to share
// (`check --index FILE`). Written whole, ending in a hash, like the cache's files.
struct IndexGroup {
  Hash128 key;
  std::vector<std::pair<std::string, Hash128>> files;  // path, hash of its bytes
  std::vector<SummaryEntry> summaries;
};
Status write_index_file(const std::string& path, const std::vector<IndexGroup>& groups);
Expected<std::vector<IndexGroup>> read_index_file(const std::string& path);

}  // namespace asyncfix

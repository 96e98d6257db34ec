// Ignore files: `.ignore` (ripgrep's, honoured everywhere) with gitignore semantics, and
// `.gitignore` inside a git work tree through libgit2 (which also knows .git/info/exclude,
// core.excludesFile, and every subtlety of git's own matching).
//
//   # comment            blank lines and comments are skipped
//   build/               a directory (and so everything in it), at any depth
//   /dist                anchored: only next to the ignore file
//   docs/*.py            a pattern with a '/' is anchored to the ignore file's directory
//   **/gen/*.py          '**' crosses directories
//   !keep.py             negation: re-include what an earlier pattern excluded
//   \#literal, \!x       escapes
// The last matching pattern wins; nested ignore files add to (and override) their parents'.
// A directory that is ignored is not walked, so nothing under it can be re-included.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct git_repository;

namespace asyncfix {

struct IgnoreRule {
  std::string base;     // the ignore file's directory, '/'-separated, "" at the walk root
  std::string pattern;  // glob, relative to base when anchored
  bool negate = false;
  bool dir_only = false;
  bool anchored = false;
};

// Parses the text of one ignore file whose directory is `base`.
std::vector<IgnoreRule> parse_ignore_file(std::string_view text, const std::string& base);

// Does the stack of rules (outermost file first) ignore `path` ('/'-separated, relative to
// the same root as the rules' bases)? nullopt: no rule matched.
std::optional<bool> ignore_decision(const std::vector<const IgnoreRule*>& rules, const std::string& path, bool is_dir);

// The git work tree holding a directory, for .gitignore checks. Thread-safe (one lock).
class GitIgnores {
 public:
  // Null when `dir` is not inside a work tree (or libgit2 cannot open it).
  static std::unique_ptr<GitIgnores> open(const std::string& dir);
  ~GitIgnores();
  // `abs_path`: an absolute path inside the work tree.
  bool ignored(const std::string& abs_path, bool is_dir);

 private:
  GitIgnores() = default;
  git_repository* repo_ = nullptr;
  std::string workdir_;  // absolute, ends with '/'
  std::mutex mu_;
};

}  // namespace asyncfix

#include "engine/run/ignore.h"

#include <git2.h>

#include <filesystem>
#include <optional>

#include "engine/run/discover.h"

namespace asyncfix {

namespace fs = std::filesystem;

std::vector<IgnoreRule> parse_ignore_file(std::string_view text, const std::string& base) {
  std::vector<IgnoreRule> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Trailing spaces go unless escaped.
    while (!line.empty() && line.back() == ' ' && !(line.size() >= 2 && line[line.size() - 2] == '\\')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    IgnoreRule r;
    r.base = base;
    if (line[0] == '!') {
      r.negate = true;
      line.erase(0, 1);
    } else if (line[0] == '\\' && line.size() > 1 && (line[1] == '#' || line[1] == '!')) {
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      r.dir_only = true;
      while (!line.empty() && line.back() == '/') line.pop_back();
    }
    if (line.empty()) continue;
    if (line[0] == '/') {
      r.anchored = true;
      line.erase(0, 1);
    } else if (line.find('/') != std::string::npos) {
      r.anchored = true;  // a '/' in the middle anchors it too
    }
    r.pattern = line;
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<bool> ignore_decision(const std::vector<const IgnoreRule*>& rules, const std::string& path, bool is_dir) {
  std::optional<bool> decision;
  for (const IgnoreRule* r : rules) {
    if (r->dir_only && !is_dir) continue;
    // The path relative to the rule's directory.
    std::string rel;
    if (r->base.empty()) {
      rel = path;
    } else if (path.size() > r->base.size() && path.compare(0, r->base.size(), r->base) == 0 && path[r->base.size()] == '/') {
      rel = path.substr(r->base.size() + 1);
    } else {
      continue;
    }
    bool hit;
    if (r->anchored) {
      hit = glob_match(r->pattern, rel);
    } else {
      size_t slash = rel.rfind('/');
      hit = glob_match(r->pattern, slash == std::string::npos ? rel : rel.substr(slash + 1));
    }
    if (hit) decision = !r->negate;
  }
  return decision;
}

std::unique_ptr<GitIgnores> GitIgnores::open(const std::string& dir) {
  static std::once_flag init;
  std::call_once(init, [] { git_libgit2_init(); });
  git_repository* repo = nullptr;
  std::error_code ec;
  std::string abs = fs::absolute(dir, ec).lexically_normal().string();
  if (git_repository_open_ext(&repo, abs.c_str(), 0, nullptr) != 0) return nullptr;
  const char* wd = git_repository_workdir(repo);
  if (!wd) {
    git_repository_free(repo);
    return nullptr;
  }
  std::unique_ptr<GitIgnores> g(new GitIgnores());
  g->repo_ = repo;
  g->workdir_ = fs::path(wd).lexically_normal().string();
  if (g->workdir_.empty() || g->workdir_.back() != '/') g->workdir_ += '/';
  return g;
}

GitIgnores::~GitIgnores() {
  if (repo_) git_repository_free(repo_);
}

bool GitIgnores::ignored(const std::string& abs_path, bool is_dir) {
  if (abs_path.compare(0, workdir_.size(), workdir_) != 0) return false;
  std::string rel = abs_path.substr(workdir_.size());
  if (rel.empty()) return false;
  if (is_dir) rel += '/';
  int ignored = 0;
  std::lock_guard<std::mutex> lock(mu_);
  if (git_ignore_path_is_ignored(&ignored, repo_, rel.c_str()) != 0) return false;
  return ignored != 0;
}

}  // namespace asyncfix

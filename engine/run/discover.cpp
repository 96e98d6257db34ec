#include "engine/run/discover.h"
#include "engine/project/module_names.h"
#include "engine/run/change_set.h"
#include "engine/run/write.h"
#include "engine/base/files.h"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include "engine/run/ignore.h"

namespace fs = std::filesystem;

namespace asyncfix {

bool is_default_excluded_dir(const std::string& name) {
  static const char* const kDirs[] = {".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg",
                                      ".mypy_cache", ".nox", ".pants.d", ".pytype", ".ruff_cache",
                                      ".svn", ".tox", ".venv", "__pypackages__", "_build",
                                      "buck-out", "node_modules", "venv", "__pycache__",
                                      ".pytest_cache"};
  return std::any_of(std::begin(kDirs), std::end(kDirs), [&](const char* d) { return name == d; });
}

bool glob_match(std::string_view p, std::string_view s) {
  if (p.empty()) return s.empty();
  if (p.substr(0, 2) == "**") {
    std::string_view rest = p.substr(2);
    if (!rest.empty() && rest[0] == '/') {
      // "**/x": x here, or after any '/'.
      rest.remove_prefix(1);
      if (glob_match(rest, s)) return true;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '/' && glob_match(rest, s.substr(i + 1))) return true;
      }
      return false;
    }
    for (size_t i = 0; i <= s.size(); ++i) {
      if (glob_match(rest, s.substr(i))) return true;
    }
    return false;
  }
  if (p[0] == '*') {
    for (size_t i = 0; i <= s.size(); ++i) {
      if (glob_match(p.substr(1), s.substr(i))) return true;
      if (i < s.size() && s[i] == '/') break;  // '*' stays within one path component
    }
    return false;
  }
  if (s.empty()) return false;
  if (p[0] == '?') return s[0] != '/' && glob_match(p.substr(1), s.substr(1));
  if (p[0] == '[') {
    size_t close = p.find(']', 2);
    if (close != std::string_view::npos) {
      bool neg = p[1] == '!' || p[1] == '^';
      bool hit = false;
      for (size_t k = neg ? 2 : 1; k < close; ++k) {
        if (k + 2 < close && p[k + 1] == '-') {
          hit |= s[0] >= p[k] && s[0] <= p[k + 2];
          k += 2;
        } else {
          hit |= p[k] == s[0];
        }
      }
      return hit != neg && s[0] != '/' && glob_match(p.substr(close + 1), s.substr(1));
    }
  }
  if (p[0] == '\\' && p.size() > 1) return p[1] == s[0] && glob_match(p.substr(2), s.substr(1));
  return p[0] == s[0] && glob_match(p.substr(1), s.substr(1));
}

namespace {

std::string display(const fs::path& p) {
  std::string s = p.lexically_normal().generic_string();
  if (s.rfind("./", 0) == 0) s = s.substr(2);
  return s;
}

bool excluded(const std::vector<std::string>& globs, const std::string& path, const std::string& name) {
  for (const auto& g : globs) {
    if (glob_match(g, name) || glob_match(g, path)) return true;
    // A pattern without '/' also matches any trailing part of the path.
    std::string gg = g;
    while (!gg.empty() && gg.back() == '/') gg.pop_back();
    if (gg.find('/') == std::string::npos && glob_match(gg, name)) return true;
  }
  return false;
}

bool is_python_name(const std::string& name) {
  auto ends = [&](const char* suf) {
    size_t n = std::char_traits<char>::length(suf);
    return name.size() >= n && name.compare(name.size() - n, n, suf) == 0;
  };
  return ends(".py") || ends(".pyi");
}

}  // namespace

namespace {

// One directory's listing, as the walkers found it.
struct Listing {
  std::vector<fs::path> files;    // Python files to take, sorted
  std::vector<fs::path> subdirs;  // directories to walk, sorted
  std::optional<std::string> error;
};

using RuleFiles = std::vector<std::shared_ptr<const std::vector<IgnoreRule>>>;

// Walks a directory tree with `jobs` threads; the listings are put back in depth-first
// order (files of a directory before its subdirectories, everything sorted by name), so the
// result does not depend on the number of threads.
class Walker {
 public:
  Walker(const DiscoverOptions& o, fs::path root, GitIgnores* git)
      : o_(o), root_(std::move(root)), git_(git) {}

  std::vector<std::pair<fs::path, Listing>> run(int jobs) {
    queue_.push_back(Task{root_, "", {}});
    pending_ = 1;
    std::vector<std::thread> threads;
    for (int i = 1; i < jobs; ++i) threads.emplace_back([this] { work(); });
    work();
    for (auto& t : threads) t.join();
    // Depth-first, sorted.
    std::vector<std::pair<fs::path, Listing>> out;
    std::vector<fs::path> stack{root_};
    while (!stack.empty()) {
      fs::path d = stack.back();
      stack.pop_back();
      auto it = done_.find(d.string());
      if (it == done_.end()) continue;
      for (auto s = it->second.subdirs.rbegin(); s != it->second.subdirs.rend(); ++s) stack.push_back(*s);
      out.emplace_back(d, std::move(it->second));
    }
    return out;
  }

 private:
  struct Task {
    fs::path dir;
    std::string rel;  // relative to the root, '/'-separated ("" for the root)
    RuleFiles rules;  // .ignore files of the ancestors, outermost first
  };

  void work() {
    for (;;) {
      Task t;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return !queue_.empty() || pending_ == 0; });
        if (queue_.empty()) return;
        t = std::move(queue_.back());
        queue_.pop_back();
      }
      std::vector<Task> children;
      Listing l = list(t, &children);
      std::lock_guard<std::mutex> lock(mu_);
      done_.emplace(t.dir.string(), std::move(l));
      for (auto& c : children) queue_.push_back(std::move(c));
      pending_ += children.size();
      --pending_;
      cv_.notify_all();
    }
  }

  Listing list(const Task& t, std::vector<Task>* children) {
    Listing out;
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(t.dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
      entries.push_back(*it);
    }
    if (ec) {
      out.error = "cannot list directory: " + ec.message();
      return out;
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    RuleFiles rules = t.rules;
    if (o_.respect_ignore_files) {
      std::string text;
      fs::path ig = t.dir / ".ignore";
      if (fs::is_regular_file(ig, ec) && read_small(ig, &text)) {
        rules.push_back(std::make_shared<const std::vector<IgnoreRule>>(parse_ignore_file(text, t.rel)));
      }
    }
    std::vector<const IgnoreRule*> flat;
    for (const auto& f : rules) {
      for (const auto& r : *f) flat.push_back(&r);
    }
    for (const auto& e : entries) {
      std::string name = e.path().filename().string();
      std::string shown = display(e.path());
      std::string rel = t.rel.empty() ? name : t.rel + "/" + name;
      // Symlinks are not followed: they could lead out of the given roots or loop.
      if (e.is_symlink(ec)) continue;
      bool dir = e.is_directory(ec);
      if (dir) {
        if (is_default_excluded_dir(name) || excluded(o_.exclude, shown, name)) continue;
      } else if (!e.is_regular_file(ec) || !is_python_name(name) || excluded(o_.exclude, shown, name)) {
        continue;
      }
      if (o_.respect_ignore_files) {
        auto d = ignore_decision(flat, rel, dir);
        if (d && *d) continue;
        if (!d && git_ && git_->ignored(fs::absolute(e.path(), ec).lexically_normal().string(), dir)) continue;
      }
      if (dir) {
        out.subdirs.push_back(e.path());
        children->push_back(Task{e.path(), rel, rules});
      } else {
        out.files.push_back(e.path());
      }
    }
    return out;
  }

  static bool read_small(const fs::path& p, std::string* out) {
    auto text = read_whole_file(p.string());
    if (!text) return false;
    *out = std::move(text).value();
    return true;
  }

  const DiscoverOptions& o_;
  fs::path root_;
  GitIgnores* git_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Task> queue_;
  size_t pending_ = 0;
  std::map<std::string, Listing> done_;
};

}  // namespace

Expected<Discovery> discover(const DiscoverOptions& options) {
  Discovery out;
  std::set<std::string> seen, swept, record_checked;
  std::optional<Error> unfinished;
  auto add_file = [&](const fs::path& p) {
    std::string shown = display(p);
    if (!seen.insert(shown).second) return;
    // What a killed run left: a change set half-written (finished from its record, in this
    // directory or one above, before anything reads the files), its temporary files (once
    // per directory), a backup.
    std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    if (swept.insert(dir).second) {
      if (Status st = recover_change_sets_above(dir, record_checked, out.notes); !st && !unfinished) unfinished = st.error();
      remove_stale_temp_files(dir);
    }
    // A write in place that an earlier run did not finish: the file comes back from its backup
    // before anything reads it.
    if (Status st = recover_interrupted_write(shown); !st) {
      out.skipped.push_back({shown, st.error().message});
      return;
    }
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    uint64_t limit = options.max_file_size_for ? options.max_file_size_for(shown) : options.max_file_size;
    if (!ec && size > limit) {
      out.skipped.push_back({shown, "larger than the size limit (" + std::to_string(size) + " > " +
                                        std::to_string(limit) + " bytes)"});
      return;
    }
    DiscoveredFile f;
    f.path = shown;
    out.files.push_back(std::move(f));
  };

  // --files-from: a list of files (as `git ls-files` prints them): Python files only, and
  // the excludes apply.
  std::vector<std::string> roots = options.paths;
  for (const std::string& listed : options.listed) {
    fs::path p(listed);
    std::string name = p.filename().string();
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      roots.push_back(listed);  // a directory in the list is walked, as on the command line
      continue;
    }
    if (!is_python_name(name)) continue;
    if (excluded(options.exclude, display(p), name)) {
      ++out.excluded;
      continue;
    }
    if (!fs::is_regular_file(p, ec)) {
      out.skipped.push_back({display(p), fs::exists(p, ec) ? "not a regular file" : "no such file"});
      continue;
    }
    add_file(p);
  }

  int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (const std::string& given : roots) {
    fs::path root(given);
    std::error_code ec;
    auto st = fs::status(root, ec);
    if (ec || !fs::exists(st)) {
      return make_error(Error::Kind::Usage, "no such file or directory", {given});
    }
    if (fs::is_regular_file(st)) {
      add_file(root);  // given by name: taken whatever its name or the ignore files say
      continue;
    }
    if (!fs::is_directory(st)) {
      out.skipped.push_back({display(root), "not a regular file"});
      continue;
    }
    std::unique_ptr<GitIgnores> git;
    if (options.respect_ignore_files) git = GitIgnores::open(root.string());
    Walker w(options, root, git.get());
    for (auto& [dir, listing] : w.run(jobs)) {
      if (listing.error) out.skipped.push_back({display(dir), *listing.error});
      for (const auto& f : listing.files) add_file(f);
    }
  }
  if (unfinished) return *unfinished;
  project::name_modules(out.files, options.paths);
  return out;
}

}  // namespace asyncfix

#include "cli/run_cache.h"

#include <fmt/core.h>

#include <filesystem>
#include <system_error>

#include "cli/options.h"
#include "engine/base/files.h"

namespace asyncfix::cli {

namespace fs = std::filesystem;

namespace {

void add_version(Hasher& h, const Version& v) { h.add(static_cast<uint64_t>(v.major)).add(static_cast<uint64_t>(v.minor)); }

void add_strings(Hasher& h, const std::vector<std::string>& v) {
  h.add(v.size());
  for (const auto& s : v) h.add(s);
}

// A field added to RuleSettings must be hashed here, and the size updated.
static_assert(sizeof(RuleSettings) == 248, "RuleSettings changed: add the field to add_settings() in run_cache.cpp");

void add_settings(Hasher& h, const RuleSettings& s) {
  add_version(h, s.target_python);
  add_version(h, s.target_fastapi);
  add_version(h, s.target_sqlalchemy);
  h.add(static_cast<uint64_t>(s.gather_limit));
  h.add(s.client_timeout ? fmt::format("{:.17g}", *s.client_timeout) : std::string("none"));
  add_strings(h, s.extra_blocking_calls);
  add_strings(h, s.session_names);
  add_strings(h, s.slow_side_effects);
  add_strings(h, std::vector<std::string>(s.project_packages.begin(), s.project_packages.end()));
  h.add(static_cast<uint64_t>(s.explicit_python) | (s.explicit_fastapi << 1) | (s.explicit_sqlalchemy << 2) |
        (s.migrate_async_sqlalchemy << 3));
  h.add(s.fastapi_from).add(s.sqlalchemy_from);
}

std::string file_or_error(const std::string& path) {
  auto text = read_whole_file(path);
  return text ? *text : "unreadable: " + text.error().message;
}

}  // namespace

Hash128 group_key(const RunGroup& g, const Hash128& library_models) {
  Hasher h;
  h.add(build_identity()).add(library_models);
  add_settings(h, g.settings);
  for (const auto& r : g.engine->rules()) {
    const RuleInfo& info = r->info();
    h.add(info.id).add(info.origin);
    if (info.origin != "built-in") h.add(file_or_error(info.origin));
  }
  h.add(g.unsafe ? 1 : 0);
  if (g.config) h.add(g.config->path).add(file_or_error(g.config->path));
  return h.finish();
}

Expected<std::unique_ptr<RunCache>> open_group_cache(const RunGroup& g, const Hash128& key, const std::string& flag_dir,
                                                    const std::string& first_path) {
  std::string root = cache_root_for(first_path, g.config ? g.config->root : "");
  std::string configured = flag_dir;
  if (configured.empty() && g.config && g.config->cache_dir) configured = *g.config->cache_dir;
  else if (!configured.empty()) configured = fs::absolute(configured).string();
  auto dir = cache_dir_for(root, configured);
  if (!dir) return dir.error();
  return std::make_unique<RunCache>(*dir, key);
}

int run_clean(const CleanOptions& o) {
  std::vector<std::string> paths = o.paths.empty() ? std::vector<std::string>{"."} : o.paths;
  int removed = 0;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      fmt::print(stderr, "asyncfix: error: {}: no such file or directory\n", p);
      return 2;
    }
    // The configuration above the path says where its cache is.
    ConfigFinder finder;
    auto c = finder.for_path(p);
    if (!c) {
      fmt::print(stderr, "asyncfix: error: {}\n", c.error().to_string());
      return 2;
    }
    std::string root = cache_root_for(p, *c ? (*c)->root : "");
    std::string configured = o.cache_dir.empty() ? (*c && (*c)->cache_dir ? *(*c)->cache_dir : "")
                                                 : fs::absolute(o.cache_dir).string();
    for (const auto& d : cache_dirs_of(root, configured)) {
      if (!fs::is_directory(d, ec)) continue;
      // Only a directory asyncfix made: it holds the tag.
      if (!fs::exists(fs::path(d) / "CACHEDIR.TAG", ec)) {
        fmt::print(stderr, "asyncfix: error: {} is not a cache asyncfix made (no CACHEDIR.TAG): left alone\n", d);
        return 2;
      }
      fs::remove_all(d, ec);
      if (ec) {
        fmt::print(stderr, "asyncfix: error: cannot remove {}: {}\n", d, ec.message());
        return 2;
      }
      fmt::print(stderr, "Removed {}\n", d);
      ++removed;
    }
  }
  if (removed == 0) fmt::print(stderr, "No cache to remove.\n");
  return 0;
}

}  // namespace asyncfix::cli

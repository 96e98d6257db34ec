#include "engine/run/config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>

#include "engine/rewrite/wrap.h"
#include "engine/run/discover.h"
#include "engine/run/project_config.h"

namespace asyncfix {

namespace fs = std::filesystem;

namespace {

Error config_error(const std::string& path, const toml::source_region& where, const std::string& message) {
  return Error{Error::Kind::Config, message,
               SourceLocation{path, static_cast<uint32_t>(where.begin.line), static_cast<uint32_t>(where.begin.column)}};
}

// A key of the table being read, and its value.
struct KeyValue {
  const std::string& path;    // the file
  const std::string& prefix;  // "tool.asyncfix." in a pyproject.toml, else empty
  const std::string& key;
  const toml::node& node;

  // "`tool.asyncfix.KEY` WHAT", at the value.
  Error err(const std::string& what) const { return config_error(path, node.source(), "`" + prefix + key + "` " + what); }
};

Expected<std::vector<std::string>> read_strings(const KeyValue& kv) {
  const toml::array* arr = kv.node.as_array();
  if (!arr) return kv.err("must be a list of strings");
  std::vector<std::string> out;
  for (const auto& el : *arr) {
    auto s = el.value<std::string>();
    if (!s) return kv.err("must be a list of strings");
    out.push_back(*s);
  }
  return out;
}

Expected<Version> read_version(const KeyValue& kv) {
  auto s = kv.node.value<std::string>();
  if (!s) return kv.err("must be a version string such as \"3.11\"");
  auto v = parse_version(*s);
  if (!v) return kv.err("must be a version string such as \"3.11\", not \"" + *s + "\"");
  return *v;
}

// `per-file-ignores`: a table of glob = [codes], kept in file order.
Status read_per_file_ignores(const KeyValue& kv, Config& c) {
  const toml::table* pfi = kv.node.as_table();
  if (!pfi) return kv.err("must be a table of glob = [codes]");
  for (const auto& [glob, codes] : *pfi) {
    const toml::array* arr = codes.as_array();
    std::vector<std::string> list;
    bool ok = arr != nullptr;
    if (arr) {
      for (const auto& el : *arr) {
        auto s = el.value<std::string>();
        if (!s) ok = false;
        else list.push_back(*s);
      }
    }
    if (!ok) {
      return config_error(kv.path, codes.source(),
                          "`" + kv.prefix + "per-file-ignores.\"" + std::string(glob.str()) + "\"` must be a list of rule codes");
    }
    c.per_file_ignores.emplace_back(std::string(glob.str()), std::move(list));
  }
  return Ok{};
}

// Sets what a known key says in `c`.
Status set_key(const KeyValue& kv, Config& c) {
  const std::string& key = kv.key;
  const toml::node& node = kv.node;
  if (key == "select" || key == "ignore" || key == "exclude" || key == "rules" || key == "extra-blocking-calls" ||
      key == "session-names" || key == "slow-side-effects" || key == "library-model") {
    auto l = read_strings(kv);
    if (!l) return l.error();
    if (key == "select") c.select = *l;
    else if (key == "ignore") c.ignore = *l;
    else if (key == "exclude") c.exclude = *l;
    else if (key == "rules") c.rules_dirs = *l;
    else if (key == "library-model") c.library_models = *l;
    else if (key == "extra-blocking-calls") c.extra_blocking_calls = *l;
    else if (key == "session-names") c.session_names = *l;
    else c.slow_side_effects = *l;
  } else if (key == "unsafe-fixes" || key == "respect-gitignore") {
    auto b = node.value<bool>();
    if (!b || !node.is_boolean()) return kv.err("must be true or false");
    (key == "unsafe-fixes" ? c.unsafe_fixes : c.respect_gitignore) = *b;
  } else if (key == "target-python" || key == "target-fastapi" || key == "target-sqlalchemy") {
    auto v = read_version(kv);
    if (!v) return v.error();
    (key == "target-python" ? c.target_python : key == "target-fastapi" ? c.target_fastapi : c.target_sqlalchemy) = *v;
  } else if (key == "gather-limit") {
    auto i = node.value<int64_t>();
    if (!node.is_integer() || !i || *i < 1 || *i > 100000) return kv.err("must be an integer from 1 to 100000");
    c.gather_limit = static_cast<int>(*i);
  } else if (key == "client-timeout") {
    auto d = node.value<double>();
    if (!(node.is_number()) || !d || *d <= 0) return kv.err("must be a positive number of seconds");
    c.client_timeout = *d;
  } else if (key == "max-file-size") {
    auto i = node.value<int64_t>();
    if (!node.is_integer() || !i || *i < 1) return kv.err("must be a positive number of bytes");
    c.max_file_size = static_cast<uint64_t>(*i);
  } else if (key == "cache-dir") {
    auto v = node.value<std::string>();
    if (!node.is_string() || !v || v->empty()) return kv.err("must be a directory (a string)");
    c.cache_dir = *v;
  } else if (key == "per-file-ignores") {
    return read_per_file_ignores(kv, c);
  }
  return Ok{};
}

}  // namespace

Expected<std::optional<Config>> load_config(const std::string& path, bool whole_file) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{Error::Kind::Config, std::string(e.description()),
                 SourceLocation{path, static_cast<uint32_t>(e.source().begin.line), static_cast<uint32_t>(e.source().begin.column)}};
  }
  const toml::table* t = &doc;
  std::string prefix;
  if (!whole_file) {
    auto tool = doc["tool"]["asyncfix"];
    if (!tool) return std::optional<Config>();
    t = tool.as_table();
    if (!t) return config_error(path, tool.node()->source(), "`tool.asyncfix` must be a table");
    prefix = "tool.asyncfix.";
  }
  Config c;
  c.path = path;
  c.root = fs::absolute(path).parent_path().lexically_normal().string();
  static const std::set<std::string> kKeys = {
      "select", "ignore", "exclude", "rules", "per-file-ignores", "unsafe-fixes", "respect-gitignore",
      "target-python", "target-fastapi", "target-sqlalchemy", "gather-limit", "client-timeout", "max-file-size",
      "cache-dir", "extra-blocking-calls", "session-names", "slow-side-effects", "library-model"};
  for (const auto& entry : *t) {
    const toml::node& node = entry.second;
    std::string key(entry.first.str());
    const toml::source_region& where = node.source();
    if (!kKeys.count(key)) {
      std::string known;
      for (const auto& n : kKeys) known += (known.empty() ? "" : ", ") + n;
      return config_error(path, where, "unknown key `" + prefix + key + "` (known: " + known + ")");
    }
    Status set = set_key(KeyValue{path, prefix, key, node}, c);
    if (!set) return set.error();
  }
  return std::optional<Config>(std::move(c));
}

void Config::apply(RuleSettings& s) const {
  if (target_python) s.target_python = *target_python, s.explicit_python = true;
  if (target_fastapi) s.target_fastapi = *target_fastapi, s.explicit_fastapi = true;
  if (target_sqlalchemy) s.target_sqlalchemy = *target_sqlalchemy, s.explicit_sqlalchemy = true;
  if (gather_limit) s.gather_limit = *gather_limit;
  if (client_timeout) s.client_timeout = client_timeout;
  if (extra_blocking_calls) s.extra_blocking_calls = *extra_blocking_calls;
  if (session_names) s.session_names = *session_names;
  if (slow_side_effects) s.slow_side_effects = *slow_side_effects;
}

std::vector<std::string> Config::ignores_for(const std::string& file) const {
  std::vector<std::string> out;
  std::error_code ec;
  std::string rel = fs::absolute(file, ec).lexically_normal().lexically_relative(root).generic_string();
  std::string name = fs::path(file).filename().string();
  for (const auto& [glob, codes] : per_file_ignores) {
    if (glob_match(glob, rel) || glob_match(glob, name)) out.insert(out.end(), codes.begin(), codes.end());
  }
  return out;
}

Expected<const Config*> ConfigFinder::for_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec).lexically_normal();
  fs::path dir = fs::is_directory(p, ec) ? p : p.parent_path();
  std::vector<std::string> visited;
  const Config* found = nullptr;
  for (fs::path d = dir;; d = d.parent_path()) {
    auto it = by_dir_.find(d.string());
    if (it != by_dir_.end()) {
      found = it->second;
      break;
    }
    visited.push_back(d.string());
    fs::path py = d / "pyproject.toml";
    if (fs::is_regular_file(py, ec)) {
      auto loaded = loaded_.find(py.string());
      if (loaded == loaded_.end()) {
        auto c = load_config(py.string());
        if (!c) return c.error();
        loaded = loaded_.emplace(py.string(), *c ? std::make_unique<Config>(std::move(**c)) : nullptr).first;
      }
      if (loaded->second) {
        found = loaded->second.get();
        break;
      }
    }
    if (d == d.parent_path()) break;
  }
  for (const auto& v : visited) by_dir_[v] = found;
  return found;
}

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// What one directory says about the formatter; nullopt when it says nothing.
std::optional<FormatterConfig> formatter_in(const fs::path& d, const std::optional<FormatterConfig>& inner) {
  std::error_code ec;
  FormatterConfig f = inner.value_or(FormatterConfig{});
  bool said = inner.has_value();
  fs::path py = d / "pyproject.toml";
  if (!said && fs::is_regular_file(py, ec)) {
    std::string toml = slurp(py);
    f.line_length = formatter_line_length(toml);
    f.declared = toml.find("[tool.black]") != std::string::npos || toml.find("[tool.ruff") != std::string::npos;
    said = true;
  }
  if (!f.declared && (fs::is_regular_file(d / "ruff.toml", ec) || fs::is_regular_file(d / ".ruff.toml", ec))) {
    f.declared = true;
    said = true;
  }
  fs::path hooks = d / ".pre-commit-config.yaml";
  if (!f.declared && fs::is_regular_file(hooks, ec)) {
    std::string y = slurp(hooks);
    if (y.find("psf/black") != std::string::npos || y.find("ruff-format") != std::string::npos ||
        y.find("id: black") != std::string::npos) {
      f.declared = true;
      said = true;
    }
  }
  if (!said) return std::nullopt;
  return f;
}

}  // namespace

FormatterConfig project_formatter(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, FormatterConfig> by_dir;
  std::error_code ec;
  fs::path p = fs::absolute(path, ec).lexically_normal();
  fs::path dir = fs::is_directory(p, ec) ? p : p.parent_path();
  std::lock_guard<std::mutex> lock(mu);
  std::vector<std::string> visited;
  std::optional<FormatterConfig> found;
  for (fs::path d = dir;; d = d.parent_path()) {
    auto it = by_dir.find(d.string());
    if (it != by_dir.end()) {
      // What is known above: the line length stays the nearest one's.
      if (!found) found = it->second;
      else if (!found->declared) found->declared = it->second.declared;
      break;
    }
    visited.push_back(d.string());
    found = formatter_in(d, found);
    if ((found && found->declared) || fs::exists(d / ".git", ec) || d == d.parent_path()) break;
  }
  FormatterConfig result = found.value_or(FormatterConfig{});
  for (const auto& v : visited) by_dir[v] = result;
  return result;
}

}  // namespace asyncfix

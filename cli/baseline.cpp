#include "cli/baseline.h"

#include <nlohmann/json.hpp>

#include <filesystem>


#include "cli/json_document.h"
#include "engine/run/write.h"

namespace asyncfix::cli {

using json = nlohmann::ordered_json;

Expected<Baseline> Baseline::load(const std::string& path, bool may_create) {
  Baseline b;
  b.dir_ = std::filesystem::absolute(std::filesystem::path(path)).lexically_normal().parent_path().string();
  auto read = read_json_document(path, "asyncfix-baseline/1", "findings", "a baseline file");
  if (!read) return read.error();
  if (!*read) {
    if (may_create) return b;
    return make_error(Error::Kind::Usage, "no such baseline (create it with --update-baseline)", {path});
  }
  b.existed_ = true;
  const json& doc = **read;
  for (const auto& e : doc["findings"]) {
    if (!e.is_object() || !e.contains("path") || !e.contains("fingerprint"))
      return make_error(Error::Kind::Config, "a baseline entry lacks `path` or `fingerprint`", {path});
    Entry en{e.value("rule", ""), e.value("status", "existing"), e.value("message", ""), e.value("line", 0u)};
    b.entries_by_path_[e["path"].get<std::string>()][e["fingerprint"].get<std::string>()] = std::move(en);
  }
  b.index();
  return b;
}

std::string Baseline::key(const std::string& path) const {
  namespace fs = std::filesystem;
  fs::path abs = fs::absolute(fs::path(path)).lexically_normal();
  return abs.lexically_relative(fs::path(dir_)).generic_string();
}

void Baseline::index() {
  fingerprints_.clear();
  size_ = 0;
  for (const auto& [k, m] : entries_by_path_) {
    for (const auto& [fp, e] : m) fingerprints_[k].insert(fp);
    size_ += m.size();
  }
}

const std::set<std::string>* Baseline::for_file(const std::string& path) const {
  auto it = fingerprints_.find(key(path));
  return it == fingerprints_.end() ? nullptr : &it->second;
}

void Baseline::add(const std::string& path, const Finding& f, const std::string& status) {
  std::string k = key(path);
  auto& m = entries_by_path_[k];
  size_ -= m.size();
  m[f.fingerprint] = Entry{f.rule_id, status, f.message, f.start_pos.line};
  size_ += m.size();
  fingerprints_[k].insert(f.fingerprint);
}

void Baseline::replace_file(const std::string& path, const std::vector<Finding>& hidden,
                            const std::vector<Finding>& found, const std::vector<Finding>& rejected) {
  std::string k = key(path);
  std::map<std::string, Entry> old;
  if (auto it = entries_by_path_.find(k); it != entries_by_path_.end()) {
    old = std::move(it->second);
    size_ -= old.size();
    entries_by_path_.erase(it);
    fingerprints_.erase(k);
  }
  for (const Finding& f : hidden) {
    auto it = old.find(f.fingerprint);
    add(path, f, it == old.end() ? "existing" : it->second.status);
  }
  for (const Finding& f : found) add(path, f, "existing");
  for (const Finding& f : rejected) add(path, f, "rejected");
}

Status Baseline::write(const std::string& path) const {
  json list = json::array();
  for (const auto& [p, m] : entries_by_path_) {
    for (const auto& [fp, e] : m) {
      list.push_back(json{{"path", p}, {"rule", e.rule}, {"fingerprint", fp}, {"status", e.status},
                          {"line", e.line}, {"message", e.message}});
    }
  }
  json doc{{"schema", "asyncfix-baseline/1"}, {"findings", std::move(list)}};
  return write_output_file(path, doc.dump(2) + "\n");
}

}  // namespace asyncfix::cli

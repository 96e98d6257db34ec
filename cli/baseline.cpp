#include "cli/baseline.h"

#include <nlohmann/json.hpp>


#include "cli/json_document.h"
#include "engine/run/write.h"

namespace asyncfix::cli {

using json = nlohmann::ordered_json;

Expected<Baseline> Baseline::load(const std::string& path) {
  Baseline b;
  auto read = read_json_document(path, "asyncfix-baseline/1", "findings", "a baseline file");
  if (!read) return read.error();
  if (!*read) return b;
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

void Baseline::index() {
  fingerprints_.clear();
  entries_.clear();
  for (const auto& [path, m] : entries_by_path_) {
    for (const auto& [fp, e] : m) {
      fingerprints_[path].insert(fp);
      entries_[path + "\n" + fp] = 1;
    }
  }
}

const std::set<std::string>* Baseline::for_file(const std::string& path) const {
  auto it = fingerprints_.find(path);
  return it == fingerprints_.end() ? nullptr : &it->second;
}

void Baseline::forget_file(const std::string& path) {
  entries_by_path_.erase(path);
  index();
}

void Baseline::add(const std::string& path, const Finding& f, const std::string& status) {
  entries_by_path_[path][f.fingerprint] = Entry{f.rule_id, status, f.message, f.start_pos.line};
  fingerprints_[path].insert(f.fingerprint);
  entries_[path + "\n" + f.fingerprint] = 1;
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

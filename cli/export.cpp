#include "cli/export.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/json_document.h"
#include "engine/diff/unified.h"
#include "engine/run/write.h"

namespace asyncfix::cli {

using json = nlohmann::ordered_json;

void FixExport::add(const FileResult& r) {
  if (!r.changed()) return;
  json edits = json::array();
  for (const LineEdit& e : line_edits(r.original, r.fixed))
    edits.push_back(json{{"start", e.begin}, {"end", e.end}, {"content", e.text}});
  json fixes = json::array();
  for (const AppliedFix& a : r.applied) fixes.push_back(json{{"rule", a.rule_id}, {"title", a.title}, {"line", a.pos.line}});
  json f{{"path", r.path}, {"hash", content_hash(r.original)}, {"edits", std::move(edits)}, {"fixes", std::move(fixes)}};
  files_.push_back(f.dump());
}

Status FixExport::write(const std::string& path) const {
  std::string text = "{\"schema\": \"asyncfix-fixes/1\", \"files\": [\n";
  for (size_t i = 0; i < files_.size(); ++i) text += (i ? ",\n" : "") + files_[i];
  text += "\n]}\n";
  return write_output_file(path, text);
}

namespace {

struct Planned {
  std::string hash;
  std::string source;  // the export it came from
  std::vector<LineEdit> edits;
  std::vector<std::string> rules;
};

bool overlaps(const LineEdit& a, const LineEdit& b) {
  if (a.begin < b.end && b.begin < a.end) return true;
  if (a.begin == a.end && b.begin == b.end) return a.begin == b.begin && a.text != b.text;
  if (a.begin == a.end) return b.begin < a.begin && a.begin < b.end;
  if (b.begin == b.end) return a.begin < b.begin && b.begin < a.end;
  return false;
}

}  // namespace

int run_apply(const ApplyOptions& o) {
  // path -> the exports' plans for it, in the order given.
  std::map<std::string, std::vector<Planned>> plans;
  std::vector<std::string> order;
  for (const auto& file : o.exports) {
    auto read = read_json_document(file, "asyncfix-fixes/1", "files", "an export file");
    if (!read || !*read) {
      fmt::print(stderr, "asyncfix: error: {}: {}\n", file, read ? "cannot read the export" : read.error().message);
      return 2;
    }
    const json& doc = **read;
    for (const auto& f : doc["files"]) {
      try {
        Planned p;
        p.hash = f.at("hash").get<std::string>();
        p.source = file;
        for (const auto& e : f.at("edits"))
          p.edits.push_back(LineEdit{e.at("start").get<uint32_t>(), e.at("end").get<uint32_t>(), e.at("content").get<std::string>()});
        for (const auto& x : f.value("fixes", json::array())) p.rules.push_back(x.value("rule", ""));
        std::string path = f.at("path").get<std::string>();
        if (!plans.count(path)) order.push_back(path);
        plans[path].push_back(std::move(p));
      } catch (const json::exception& e) {
        fmt::print(stderr, "asyncfix: error: {}: a malformed entry: {}\n", file, e.what());
        return 2;
      }
    }
  }
  size_t applied_files = 0, applied_edits = 0, refused = 0, conflicts = 0, errors = 0;
  for (const auto& path : order) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "{}: error: cannot read the file\n", path);
      ++errors;
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string original = ss.str();
    std::string hash = content_hash(original);
    std::vector<LineEdit> chosen;
    for (const Planned& p : plans[path]) {
      if (p.hash != hash) {
        fmt::print(stderr, "{}: refused the fixes of {}: the file changed since they were made\n", path, p.source);
        ++refused;
        continue;
      }
      bool ok = true;
      for (const LineEdit& e : p.edits) {
        if (e.end < e.begin || e.end > original.size()) ok = false;
      }
      if (!ok) {
        fmt::print(stderr, "{}: refused the fixes of {}: edits outside the file\n", path, p.source);
        ++refused;
        continue;
      }
      // Like a fix run: the first to claim a region wins; an overlapping one waits for
      // another run.
      for (const LineEdit& e : p.edits) {
        bool dup = false, clash = false;
        for (const LineEdit& c : chosen) {
          if (c.begin == e.begin && c.end == e.end && c.text == e.text) dup = true;
          else if (overlaps(c, e)) clash = true;
        }
        if (dup) continue;
        if (clash) {
          ++conflicts;
          fmt::print(stderr, "{}: an edit of {} overlaps one applied from an earlier export; run asyncfix again on this file\n",
                     path, p.source);
          continue;
        }
        chosen.push_back(e);
      }
    }
    if (chosen.empty()) continue;
    std::sort(chosen.begin(), chosen.end(), [](const LineEdit& a, const LineEdit& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::string fixed;
    uint32_t at = 0;
    for (const LineEdit& e : chosen) {
      fixed.append(original, at, e.begin - at);
      fixed += e.text;
      at = e.end;
    }
    fixed.append(original, at, std::string::npos);
    if (o.diff) {
      std::fputs(unified_diff(original, fixed, diff_label("a/", path), diff_label("b/", path)).c_str(), stdout);
    } else {
      auto st = write_file_atomically(path, fixed, original);
      if (!st) {
        fmt::print(stderr, "{}: error: {}\n", path, st.error().message);
        ++errors;
        continue;
      }
    }
    ++applied_files;
    applied_edits += chosen.size();
  }
  fmt::print(stderr, "{} {} edits to {} files; {} refused (changed files), {} overlapping.\n",
             o.diff ? "Would apply" : "Applied", applied_edits, applied_files, refused, conflicts);
  if (errors) return 2;
  return refused || conflicts ? 1 : 0;
}

}  // namespace asyncfix::cli

#include "cli/export.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/json_document.h"
#include "engine/diff/unified.h"
#include "engine/base/files.h"
#include "engine/run/change_set.h"
#include "engine/run/pipeline.h"
#include "engine/syntax/compile_check.h"
#include "engine/syntax/ts.h"
#include "engine/run/write.h"

namespace asyncfix::cli {

using json = nlohmann::ordered_json;

void FixExport::add(const FileResult& r, bool linked) {
  if (!r.changed()) return;
  json edits = json::array();
  for (const LineEdit& e : line_edits(r.original, r.fixed))
    edits.push_back(json{{"start", e.begin}, {"end", e.end}, {"content", e.text}});
  json fixes = json::array();
  for (const AppliedFix& a : r.applied) fixes.push_back(json{{"rule", a.rule_id}, {"title", a.title}, {"line", a.pos.line}});
  json f{{"path", r.path},        {"hash", content_hash(r.original)}, {"fixed-hash", content_hash(r.fixed)},
         {"change-set", linked}, {"edits", std::move(edits)},         {"fixes", std::move(fixes)}};
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
  std::string fixed_hash;  // empty in exports made before it was recorded
  bool change_set = false;
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

// What the exports plan, file by file.
struct ApplyPlan {
  // path -> the exports' plans for it, in the order given.
  std::map<std::string, std::vector<Planned>> by_path;
  std::vector<std::string> order;  // the paths, in the order first met
};

// What `apply` did, for its summary and exit code.
struct ApplyCounts {
  size_t files = 0, edits = 0, refused = 0, conflicts = 0, errors = 0, already = 0;
};

// Reads the exports into `plan`, in order; false (after saying why) when one cannot be read
// or holds a malformed entry.
bool read_exports(const std::vector<std::string>& exports, ApplyPlan& plan) {
  for (const auto& file : exports) {
    auto read = read_json_document(file, "asyncfix-fixes/1", "files", "an export file");
    if (!read || !*read) {
      fmt::print(stderr, "asyncfix: error: {}: {}\n", file, read ? "cannot read the export" : read.error().message);
      return false;
    }
    const json& doc = **read;
    for (const auto& f : doc["files"]) {
      try {
        Planned p;
        p.hash = f.at("hash").get<std::string>();
        p.fixed_hash = f.value("fixed-hash", "");
        p.change_set = f.value("change-set", false);
        p.source = file;
        for (const auto& e : f.at("edits"))
          p.edits.push_back(LineEdit{e.at("start").get<uint32_t>(), e.at("end").get<uint32_t>(), e.at("content").get<std::string>()});
        for (const auto& x : f.value("fixes", json::array())) p.rules.push_back(x.value("rule", ""));
        std::string path = f.at("path").get<std::string>();
        if (!plan.by_path.count(path)) plan.order.push_back(path);
        plan.by_path[path].push_back(std::move(p));
      } catch (const json::exception& e) {
        fmt::print(stderr, "asyncfix: error: {}: a malformed entry: {}\n", file, e.what());
        return false;
      }
    }
  }
  return true;
}

// Adds the edits of `p` to `chosen`. Like a fix run: the first to claim a region wins; an
// overlapping one waits for another run.
void add_edits(const std::string& path, const Planned& p, std::vector<LineEdit>& chosen, ApplyCounts& counts) {
  for (const LineEdit& e : p.edits) {
    bool dup = false, clash = false;
    for (const LineEdit& c : chosen) {
      if (c.begin == e.begin && c.end == e.end && c.text == e.text) dup = true;
      else if (overlaps(c, e)) clash = true;
    }
    if (dup) continue;
    if (clash) {
      ++counts.conflicts;
      fmt::print(stderr, "{}: an edit of {} overlaps one applied from an earlier export; run asyncfix again on this file\n",
                 path, p.source);
      continue;
    }
    chosen.push_back(e);
  }
}

// The edits of `plans` to make to `original`: the exports' made for this content, within the
// file, not overlapping an earlier one.
std::vector<LineEdit> choose_edits(const std::string& path, const std::string& original,
                                   const std::vector<Planned>& plans, ApplyCounts& counts, size_t& refused) {
  std::string hash = content_hash(original);
  std::vector<LineEdit> chosen;
  for (const Planned& p : plans) {
    if (p.hash != hash && !p.fixed_hash.empty() && p.fixed_hash == hash) {
      ++counts.already;  // applied before: the file holds what the fixes make
      continue;
    }
    if (p.hash != hash) {
      fmt::print(stderr, "{}: refused the fixes of {}: the file changed since they were made\n", path, p.source);
      ++counts.refused;
      ++refused;
      continue;
    }
    bool ok = true;
    for (const LineEdit& e : p.edits) {
      if (e.end < e.begin || e.end > original.size()) ok = false;
    }
    if (!ok) {
      fmt::print(stderr, "{}: refused the fixes of {}: edits outside the file\n", path, p.source);
      ++counts.refused;
      continue;
    }
    add_edits(path, p, chosen, counts);
  }
  return chosen;
}

// `original` with `chosen` (which do not overlap) made, sorting them.
std::string apply_edits(const std::string& original, std::vector<LineEdit>& chosen) {
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
  return fixed;
}

// Does `fixed` parse and compile as well as `original` (no more syntax errors, no more code
// Python refuses to compile)?
bool parses_as_well(const std::string& original, const std::string& fixed) {
  syntax::Parser parser;
  auto before = parser.parse(original);
  auto after = parser.parse(fixed);
  if (!after) return false;
  if (!before) return true;
  // Nor code Python refuses to compile (`await` in a plain def) that was not there before.
  return error_ranges(after->root()).size() <= error_ranges(before->root()).size() &&
         syntax::compile_errors(after->root()).size() <= syntax::compile_errors(before->root()).size();
}

// One file of the exports, worked out: what it holds, what it would hold, whether its fixes
// belong to a change set, whether one of the exports' plans for it was refused.
struct ApplyFile {
  std::string path, original, fixed;
  size_t edits = 0;
  bool change_set = false, refused = false, unreadable = false;
};

ApplyFile plan_file(const std::string& path, const std::vector<Planned>& plans, ApplyCounts& counts) {
  ApplyFile f;
  f.path = path;
  for (const Planned& p : plans) f.change_set |= p.change_set;
  auto text = read_whole_file(path);
  if (!text) {
    fmt::print(stderr, "{}: error: cannot read the file\n", path);
    ++counts.errors;
    f.unreadable = true;
    return f;
  }
  f.original = std::move(text).value();
  size_t refused = 0;
  std::vector<LineEdit> chosen = choose_edits(path, f.original, plans, counts, refused);
  f.refused = refused > 0;
  f.edits = chosen.size();
  f.fixed = chosen.empty() ? f.original : apply_edits(f.original, chosen);
  if (f.edits && !parses_as_well(f.original, f.fixed)) {
    fmt::print(stderr, "{}: refused the fixes: the file would not parse, or Python would refuse to compile it, with them (exports of different runs?)\n", path);
    ++counts.refused;
    f.refused = true;
  }
  return f;
}

void count_written(const ApplyFile& f, ApplyCounts& counts) {
  ++counts.files;
  counts.edits += f.edits;
}

// The change set's files: all written (one transaction), or, when one of them was refused or
// cannot be read, none.
void write_change_set_files(std::vector<ApplyFile*>& members, ApplyCounts& counts) {
  std::string blocker;
  std::vector<PlannedWrite> writes;
  for (ApplyFile* f : members) {
    if (f->refused || f->unreadable) {
      if (blocker.empty()) blocker = f->path;
    } else if (f->edits) {
      writes.push_back(PlannedWrite{f->path, f->original, f->fixed});
    }
  }
  if (blocker.empty()) {
    Status st = write_change_set(writes);
    if (st) {
      for (ApplyFile* f : members)
        if (f->edits) count_written(*f, counts);
      return;
    }
    fmt::print(stderr, "{}\n", st.error().to_string());
    blocker = st.error().location.path;
    ++counts.errors;
  }
  for (ApplyFile* f : members) {
    if (f->edits && f->path != blocker)
      fmt::print(stderr, "{}: not written: the fixes of a change set are written together or not at all, and {} cannot be\n",
                 f->path, blocker);
  }
}

// Applies the plans: each file's diff (--diff), or the files written: the change set's as one,
// the others one by one.
void apply_all(const ApplyPlan& plan, bool diff, ApplyCounts& counts) {
  std::vector<ApplyFile> files;
  for (const auto& path : plan.order) files.push_back(plan_file(path, plan.by_path.at(path), counts));
  std::vector<ApplyFile*> members;
  for (ApplyFile& f : files) {
    if (f.unreadable) continue;
    if (diff) {
      if (f.edits) std::fputs(unified_diff(f.original, f.fixed, diff_label("a/", f.path), diff_label("b/", f.path)).c_str(), stdout);
      if (f.edits) count_written(f, counts);
    } else if (f.change_set) {
      members.push_back(&f);
    } else if (f.edits) {
      if (Status st = write_file_atomically(f.path, f.fixed, f.original); !st) {
        fmt::print(stderr, "{}: error: {}\n", f.path, st.error().message);
        ++counts.errors;
      } else {
        count_written(f, counts);
      }
    }
  }
  if (!members.empty()) write_change_set_files(members, counts);
}

}  // namespace

int run_apply(const ApplyOptions& o) {
  ApplyPlan plan;
  if (!read_exports(o.exports, plan)) return 2;
  ApplyCounts counts;
  apply_all(plan, o.diff, counts);
  fmt::print(stderr, "{} {} edits to {} files; {} refused (changed files), {} overlapping{}.\n",
             o.diff ? "Would apply" : "Applied", counts.edits, counts.files, counts.refused, counts.conflicts,
             counts.already ? fmt::format(", {} already applied", counts.already) : "");
  if (counts.errors) return 2;
  return counts.refused || counts.conflicts ? 1 : 0;
}

}  // namespace asyncfix::cli

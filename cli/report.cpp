#include "cli/report.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>

#include "engine/diff/unified.h"
#include "engine/rewrite/edit.h"

namespace asyncfix::cli {

using json = nlohmann::ordered_json;

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "text") return OutputFormat::Text;
  if (name == "json") return OutputFormat::Json;
  if (name == "sarif") return OutputFormat::Sarif;
  if (name == "github") return OutputFormat::Github;
  if (name == "review") return OutputFormat::Review;
  return std::nullopt;
}

bool want_color(std::FILE* stream) {
  const char* no = std::getenv("NO_COLOR");
  if (no && *no) return false;
  return isatty(fileno(stream)) != 0;
}

std::string plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

namespace {

const char* how(const Fix& fix) {
  return fix.applicability == Applicability::Safe     ? ""
         : fix.applicability == Applicability::Unsafe ? " (unsafe: --unsafe-fixes)"
                                                      : " (shown, not applied)";
}

std::string severity_summary(const RunSummary& s) {
  std::string sev;
  for (auto v : {Severity::P1, Severity::P2, Severity::P3}) {
    auto it = s.by_severity.find(v);
    if (it != s.by_severity.end() && it->second)
      sev += fmt::format("{}{}: {}", sev.empty() ? "" : ", ", to_string(v), it->second);
  }
  return sev;
}

// The closing lines every format shares (on stdout for text, stderr for the others).
void print_summary(std::FILE* out, const RunSummary& s) {
  if (s.diff_mode) {
    fmt::print(out, "Would fix {} in {}", plural(s.fixed, "finding", "findings"), plural(s.files_changed, "file", "files"));
    if (s.remaining) fmt::print(out, "; {} would remain", s.remaining);
    fmt::print(out, ".\n");
  } else if (s.fix_mode) {
    fmt::print(out, "Fixed {} in {}", plural(s.fixed, "finding", "findings"), plural(s.files_changed, "file", "files"));
    fmt::print(out, "; {} remaining.\n", s.remaining);
  } else if (s.findings == 0 && s.scanned == 0 && !s.skipped.empty()) {
    fmt::print(out, "No file checked.\n");  // not a pass: every file was skipped
  } else if (s.findings == 0) {
    fmt::print(out, "All checks passed ({} scanned).\n", plural(s.scanned, "file", "files"));
  } else {
    fmt::print(out, "Found {} ({}) in {} scanned.\n", plural(s.findings, "finding", "findings"), severity_summary(s),
               plural(s.scanned, "file", "files"));
    if (s.fixable) fmt::print(out, "{} fixable with --fix", s.fixable);
    if (s.unsafe_fixable) fmt::print(out, "{}{} more with --unsafe-fixes", s.fixable ? "; " : "", s.unsafe_fixable);
    if (s.fixable || s.unsafe_fixable) fmt::print(out, ".\n");
  }
  if (s.baselined) fmt::print(out, "{} hidden by the baseline.\n", plural(s.baselined, "known finding", "known findings"));
  if (!s.skipped.empty()) {
    std::map<std::string, size_t> why;
    for (const auto& k : s.skipped) {
      std::string reason = k.reason.substr(0, k.reason.find(':'));
      why[reason]++;
    }
    std::string list;
    for (const auto& [r, n] : why) list += (list.empty() ? "" : ", ") + fmt::format("{} {}", n, r);
    fmt::print(out, "{} skipped ({}).\n", plural(s.skipped.size(), "file", "files"), list);
  }
}

// ---- text --------------------------------------------------------------------------------

class TextReporter : public Reporter {
 public:
  TextReporter(bool color, std::FILE* out) : color_(color), out_(out) {}
  void file(const FileReport& r) override {
    for (const Finding& f : *r.findings) {
      std::string sev(to_string(f.severity));
      const char* sev_color = f.severity == Severity::P1 ? "\x1b[1;31m" : f.severity == Severity::P2 ? "\x1b[1;33m" : "\x1b[1;36m";
      fmt::print(out_, "{}{}{}:{}:{}: {}{}{} [{}] {}\n", c("\x1b[1m"), r.path, c("\x1b[0m"), f.start_pos.line,
                 f.start_pos.col, c(sev_color), f.rule_id, c("\x1b[0m"), sev, f.message);
      for (const auto& t : f.trace) fmt::print(out_, "  {}|{} {}\n", c("\x1b[34m"), c("\x1b[0m"), t);
      if (!f.note.empty()) fmt::print(out_, "  {}= note:{} {}\n", c("\x1b[34m"), c("\x1b[0m"), f.note);
      if (f.fix) fmt::print(out_, "  {}= fix:{} {}{}\n", c("\x1b[32m"), c("\x1b[0m"), f.fix->title, how(*f.fix));
    }
    std::fflush(out_);
  }
  void finish(const RunSummary& s) override { print_summary(s.diff_mode ? stderr : out_, s); }

 private:
  const char* c(const char* code) const { return color_ ? code : ""; }
  bool color_;
  std::FILE* out_;
};

// ---- github ------------------------------------------------------------------------------

std::string gh_escape(std::string_view s, bool property) {
  std::string out;
  for (char ch : s) {
    if (ch == '%') out += "%25";
    else if (ch == '\r') out += "%0D";
    else if (ch == '\n') out += "%0A";
    else if (property && ch == ':') out += "%3A";
    else if (property && ch == ',') out += "%2C";
    else out += ch;
  }
  return out;
}

class GithubReporter : public Reporter {
 public:
  explicit GithubReporter(std::FILE* out) : out_(out) {}
  void file(const FileReport& r) override {
    for (const Finding& f : *r.findings) {
      const char* level = f.severity == Severity::P1 ? "error" : f.severity == Severity::P2 ? "warning" : "notice";
      std::string msg = f.message;
      if (!f.note.empty()) msg += "\n" + f.note;
      if (f.fix) msg += "\nfix: " + f.fix->title + how(*f.fix);
      fmt::print(out_, "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n", level, gh_escape(r.path, true),
                 f.start_pos.line, f.start_pos.col, f.end_pos.line, f.end_pos.col,
                 gh_escape(f.rule_id + " (" + f.rule_name + ")", true), gh_escape(msg, false));
    }
  }
  void finish(const RunSummary& s) override { print_summary(stderr, s); }

 private:
  std::FILE* out_;
};

// ---- json --------------------------------------------------------------------------------

json position(const Position& p) { return json{{"line", p.line}, {"column", p.col}}; }

json fix_json(const Fix& fix, const SourceFile* src) {
  json j{{"title", fix.title}, {"applicability", to_string(fix.applicability)}};
  json edits = json::array();
  const auto& list = fix.resolved_edits.empty() ? fix.edits : fix.resolved_edits;
  for (const Edit& e : list) {
    json je{{"content", e.text}};
    if (src) {
      je["start"] = position(src->position(e.begin));
      je["end"] = position(src->position(e.end));
    }
    edits.push_back(std::move(je));
  }
  j["edits"] = std::move(edits);
  return j;
}

json summary_json(const RunSummary& s) {
  json sev = json::object();
  for (auto v : {Severity::P1, Severity::P2, Severity::P3}) {
    auto it = s.by_severity.find(v);
    sev[to_string(v)] = it == s.by_severity.end() ? 0 : it->second;
  }
  json skipped = json::array();
  for (const auto& k : s.skipped) skipped.push_back(json{{"path", k.path}, {"reason", k.reason}});
  return json{{"files_scanned", s.scanned}, {"files_skipped", skipped}, {"findings", s.findings},
              {"by_severity", sev},       {"fixable", s.fixable},    {"unsafe_fixable", s.unsafe_fixable},
              {"fixed", s.fixed},         {"files_changed", s.files_changed}, {"remaining", s.remaining},
              {"baselined", s.baselined}};
}

class JsonReporter : public Reporter {
 public:
  explicit JsonReporter(std::FILE* out) : out_(out) {}
  bool needs_sources() const override { return true; }
  void file(const FileReport& r) override {
    for (const Finding& f : *r.findings) {
      json j{{"path", r.path},
             {"rule", f.rule_id},
             {"name", f.rule_name},
             {"severity", to_string(f.severity)},
             {"message", f.message},
             {"start", position(f.start_pos)},
             {"end", position(f.end_pos)},
             {"note", f.note.empty() ? json(nullptr) : json(f.note)},
             {"trace", f.trace},
             {"fingerprint", f.fingerprint},
             {"fix", f.fix ? fix_json(*f.fix, r.source) : json(nullptr)}};
      findings_.push_back(std::move(j));
    }
  }
  void finish(const RunSummary& s) override {
    json doc{{"schema", "asyncfix-findings/1"},
             {"tool", {{"name", "asyncfix"}, {"version", ASYNCFIX_VERSION}}},
             {"findings", std::move(findings_)},
             {"summary", summary_json(s)}};
    fmt::print(out_, "{}\n", doc.dump(2));
  }

 private:
  std::FILE* out_;
  json findings_ = json::array();
};

// ---- sarif -------------------------------------------------------------------------------

// A path as a URI reference (RFC 3986): unreserved characters and `/` as they are, every
// other byte percent-encoded (`j#1.py` is `j%231.py`).
std::string percent_encoded(std::string_view path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Where a file is, for SARIF: relative to %SRCROOT% (the directory the run was started in)
// when it is under it; else an absolute file URI, with no base.
json artifact_location(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path n = fs::path(path).lexically_normal();
  if (n.is_relative() && !(n.begin() != n.end() && *n.begin() == "..")) {
    return json{{"uri", percent_encoded(n.generic_string())}, {"uriBaseId", "%SRCROOT%"}};
  }
  std::error_code ec;
  fs::path abs = fs::absolute(n, ec).lexically_normal();
  return json{{"uri", "file://" + percent_encoded(abs.generic_string())}};
}

class SarifReporter : public Reporter {
 public:
  SarifReporter(std::FILE* out, const std::vector<RulePtr>& rules) : out_(out) {
    for (const auto& r : rules) {
      const RuleInfo& i = r->info();
      index_[i.id] = rules_.size();
      std::string level = i.severity == Severity::P1 ? "error" : i.severity == Severity::P2 ? "warning" : "note";
      json rule{{"id", i.id},
                {"name", i.name},
                {"shortDescription", {{"text", i.message}}},
                {"fullDescription", {{"text", i.docs.what_it_does.empty() ? i.message : i.docs.what_it_does}}},
                {"help", {{"text", i.docs.why_bad}, {"markdown", "**Why is this bad?** " + i.docs.why_bad}}}};
      // Only the built-in rules have a page (docs/rules/): a rule file of the user's has none.
      if (i.origin == "built-in") rule["helpUri"] = "https://github.com/asyncfix/asyncfix/blob/main/docs/rules/" + i.id + ".md";
      rule["defaultConfiguration"] = {{"level", level}};
      rule["properties"] = {{"severity", to_string(i.severity)}, {"fixable", i.fixable && i.fixed_by.empty()}};
      if (i.fixable && !i.fixed_by.empty()) rule["properties"]["fixed-by"] = "asyncfix " + i.fixed_by;
      rules_.push_back(std::move(rule));
    }
  }
  bool needs_sources() const override { return true; }
  void file(const FileReport& r) override {
    for (const Finding& f : *r.findings) {
      std::string level = f.severity == Severity::P1 ? "error" : f.severity == Severity::P2 ? "warning" : "note";
      std::string text = f.message + (f.note.empty() ? "" : " (" + f.note + ")");
      json loc{{"physicalLocation",
                {{"artifactLocation", artifact_location(r.path)},
                 {"region",
                  {{"startLine", f.start_pos.line},
                   {"startColumn", f.start_pos.col},
                   {"endLine", f.end_pos.line},
                   {"endColumn", f.end_pos.col}}}}}};
      json res{{"ruleId", f.rule_id},
               {"level", level},
               {"message", {{"text", text}}},
               {"locations", json::array({loc})},
               {"partialFingerprints", {{"asyncfix/v1", f.fingerprint}}}};
      if (auto it = index_.find(f.rule_id); it != index_.end()) res["ruleIndex"] = it->second;
      if (f.fix && r.source) {
        json reps = json::array();
        const auto& list = f.fix->resolved_edits.empty() ? f.fix->edits : f.fix->resolved_edits;
        for (const Edit& e : list) {
          Position b = r.source->position(e.begin), en = r.source->position(e.end);
          reps.push_back(json{{"deletedRegion", {{"startLine", b.line}, {"startColumn", b.col}, {"endLine", en.line}, {"endColumn", en.col}}},
                              {"insertedContent", {{"text", e.text}}}});
        }
        res["fixes"] = json::array({json{{"description", {{"text", f.fix->title}}},
                                         {"artifactChanges", json::array({json{{"artifactLocation", artifact_location(r.path)},
                                                                              {"replacements", std::move(reps)}}})}}});
      }
      results_.push_back(std::move(res));
    }
  }
  void finish(const RunSummary& s) override {
    json run{{"tool",
              {{"driver",
                {{"name", "asyncfix"},
                 {"version", ASYNCFIX_VERSION},
                 {"informationUri", "https://github.com/asyncfix/asyncfix"},
                 {"rules", std::move(rules_)}}}}},
             {"columnKind", "unicodeCodePoints"},
             {"results", std::move(results_)}};
    json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
             {"version", "2.1.0"},
             {"runs", json::array({std::move(run)})}};
    fmt::print(out_, "{}\n", doc.dump(2));
    print_summary(stderr, s);
  }

 private:
  std::FILE* out_;
  json rules_ = json::array();
  json results_ = json::array();
  std::map<std::string, size_t> index_;
};

// ---- review ------------------------------------------------------------------------------

class ReviewReporter : public Reporter {
 public:
  ReviewReporter(std::FILE* out, const std::vector<RulePtr>& rules) : out_(out) {
    for (const auto& r : rules) info_[r->info().id] = &r->info();
  }
  bool needs_sources() const override { return true; }
  void file(const FileReport& r) override {
    for (const Finding& f : *r.findings) {
      Item it{r.path, f, {}};
      if (f.fix && r.source) {
        std::vector<Edit> edits = f.fix->resolved_edits.empty() ? f.fix->edits : f.fix->resolved_edits;
        std::string fixed = apply_edits(r.source->text(), edits);
        it.diff = unified_diff(r.source->text(), fixed, diff_label("a/", r.path), diff_label("b/", r.path), 2);
      }
      items_.push_back(std::move(it));
    }
  }
  void finish(const RunSummary& s) override {
    std::string o;
    o += "# Async code review\n\n## Async health summary\n\n";
    size_t p1 = count(Severity::P1), p2 = count(Severity::P2), p3 = count(Severity::P3);
    std::string verdict = p1 ? "**Not healthy**: critical issues will cause failures or stalls in production."
                          : p2 ? "**Needs attention**: no critical issue, but concurrency problems that show under load."
                          : p3 ? "**Healthy**, with improvements to make."
                               : "**Healthy**: no async anti-pattern found.";
    o += verdict + "\n\n";
    o += fmt::format("- Files scanned: {}\n- Critical issues (P1): {}\n- Concurrency concerns (P2): {}\n- Best practice improvements (P3): {}\n",
                     s.scanned, p1, p2, p3);
    size_t fixable = 0, unsafe = 0;
    for (const auto& i : items_) {
      if (i.f.fix && i.f.fix->applicability == Applicability::Safe) ++fixable;
      if (i.f.fix && i.f.fix->applicability == Applicability::Unsafe) ++unsafe;
    }
    o += fmt::format("- With an automatic fix: {} safe, {} to review (unsafe)\n", fixable, unsafe);
    if (s.baselined) o += fmt::format("- Known findings hidden by the baseline: {}\n", s.baselined);
    if (!items_.empty()) {
      std::map<std::string, size_t> by_rule;
      for (const auto& i : items_) by_rule[i.f.rule_id]++;
      o += "\n| rule | what | findings |\n|---|---|---|\n";
      for (const auto& [id, n] : by_rule) {
        auto inf = info_.find(id);
        o += fmt::format("| {} | {} | {} |\n", id, inf == info_.end() ? "" : inf->second->name, n);
      }
    }
    section(o, Severity::P1, "Critical issues", "Bugs that cause production failures: a blocked event loop, leaked connections, work that never runs.");
    section(o, Severity::P2, "Concurrency concerns", "Problems that appear under load: unbounded concurrency, lost tasks, swallowed cancellation, slow sequential work.");
    section(o, Severity::P3, "Best practice improvements", "Patterns worth improving: timeouts, lifecycle, work done before the response.");
    o += "\n## Recommended actions\n\n";
    int n = 1;
    if (p1) o += fmt::format("{}. Fix the {} first: {} in production.\n", n++, plural(p1, "critical issue", "critical issues"),
                             p1 == 1 ? "it fails or stalls" : "they fail or stall");
    if (fixable) o += fmt::format("{}. Apply the {} with `asyncfix check --fix` (review the diff first with `--diff`).\n", n++, plural(fixable, "safe fix", "safe fixes"));
    if (unsafe) o += fmt::format("{}. Review the {} one by one: `asyncfix check --fix --unsafe-fixes --interactive`.\n", n++, plural(unsafe, "unsafe fix", "unsafe fixes"));
    bool migrate = false;
    for (const auto& i : items_) migrate |= i.f.rule_id == "AF602" || i.f.rule_id == "AF303";
    if (migrate) o += fmt::format("{}. Move the database layer to `AsyncSession` as one change: `asyncfix migrate async-sqlalchemy`.\n", n++);
    size_t manual = 0;
    for (const auto& i : items_) manual += !i.f.fix;
    if (manual) o += fmt::format("{}. Decide the {} without an automatic fix (each says what to do).\n", n++, plural(manual, "finding", "findings"));
    if (n == 1) o += "Nothing to do.\n";
    fmt::print(out_, "{}", o);
    print_summary(stderr, s);
  }

 private:
  struct Item {
    std::string path;
    Finding f;
    std::string diff;
  };
  size_t count(Severity sev) const {
    size_t n = 0;
    for (const auto& i : items_) n += i.f.severity == sev;
    return n;
  }
  void section(std::string& o, Severity sev, const char* title, const char* what) const {
    if (!count(sev)) return;
    o += fmt::format("\n## {} ({})\n\n{}\n", title, to_string(sev), what);
    for (const auto& i : items_) {
      if (i.f.severity != sev) continue;
      auto inf = info_.find(i.f.rule_id);
      o += fmt::format("\n### `{}:{}`: {} {}\n\n{}\n", i.path, i.f.start_pos.line, i.f.rule_id,
                       inf == info_.end() ? i.f.rule_name : inf->second->name, i.f.message);
      for (const auto& t : i.f.trace) o += "\n    " + t;
      if (!i.f.trace.empty()) o += "\n";
      if (!i.f.note.empty()) o += "\n" + i.f.note + "\n";
      if (!i.diff.empty()) {
        o += fmt::format("\n**Fix** ({}): {}\n\n```diff\n{}```\n",
                         i.f.fix->applicability == Applicability::Safe ? "safe" : "unsafe: review it", i.f.fix->title, i.diff);
      } else if (inf != info_.end() && !inf->second->docs.use_instead.empty()) {
        o += "\n**Instead:**\n\n" + inf->second->docs.use_instead + "\n";
      }
    }
  }
  std::FILE* out_;
  std::vector<Item> items_;
  std::map<std::string, const RuleInfo*> info_;
};

}  // namespace

std::unique_ptr<Reporter> make_reporter(OutputFormat format, bool color, std::FILE* out,
                                        const std::vector<RulePtr>& rules) {
  switch (format) {
    case OutputFormat::Text: return std::make_unique<TextReporter>(color, out);
    case OutputFormat::Github: return std::make_unique<GithubReporter>(out);
    case OutputFormat::Json: return std::make_unique<JsonReporter>(out);
    case OutputFormat::Sarif: return std::make_unique<SarifReporter>(out, rules);
    case OutputFormat::Review: return std::make_unique<ReviewReporter>(out, rules);
  }
  return nullptr;
}

}  // namespace asyncfix::cli

// One file through the whole pipeline:
//
//   parse -> match (all rules, one walk) -> build fixes -> resolve conflicts -> apply
//         -> re-parse & verify -> repeat to a fixed point
//
// Conflicts: fixes are taken in order of position (then rule order); a fix whose edits
// conflict with an accepted one is skipped for this pass with a reason ("overlaps AF103 at
// 12:5") and retried on the next. Imports and helpers that several fixes need are merged
// into one edit. A fix that leaves a syntax error (an ERROR or MISSING node the file did
// not have) is rolled back alone and reported as an internal error of its rule. A region
// that did not parse in the original is never rewritten. Passes repeat until no fix
// applies; a file still changing after max_passes is an error naming the rules involved.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/run/matcher_set.h"
#include "engine/rule/rule.h"
#include "engine/rule/settings.h"
#include "engine/source/source_file.h"
#include "engine/syntax/ts.h"

namespace asyncfix {

class ProjectIndex;
class FileContext;
struct Suppression;

enum class FixMode { None, Safe, Unsafe };

// Decides, fix by fix, whether to apply (interactive review). Called in file order for
// every fix the mode allows.
class FixReviewer {
 public:
  // Edit: the user rewrote the proposed result; edited_text() holds it, it becomes the
  // file's text and the file's review ends.
  enum class Decision { Apply, Skip, SkipFile, Quit, Edit };
  virtual ~FixReviewer() = default;
  // `preview` is the text with this fix (and the imports it needs) applied; `full_preview()`
  // also has the fixes accepted before it in this pass (what an edit starts from).
  virtual Decision review(const SourceFile& current, const Finding& finding, std::string_view preview,
                          const std::function<std::string()>& full_preview) = 0;
  virtual std::string edited_text() { return {}; }
};

struct Note {
  std::string rule_id;
  Position pos;
  std::string message;
  bool internal_error = false;  // an engine bug (a fix broke the syntax, no fixed point)
  bool verbose = false;         // only worth showing on request (a fix that waited a pass)
};

struct AppliedFix {
  std::string rule_id;
  std::string title;
  int pass = 1;
  Position pos;  // in the text of that pass
};

struct FileResult {
  std::string path;
  std::optional<Error> error;     // could not be read, decoded or parsed: skipped
  bool skipped_no_trigger = false;  // the prefilter ruled it out (never parsed)
  std::vector<Finding> findings;  // on the original text
  std::vector<Finding> remaining; // after fixing (== findings when not fixing)
  std::vector<AppliedFix> applied;
  std::vector<Finding> rejected;   // fixes the reviewer declined (for the baseline)
  size_t baselined = 0;            // findings hidden by the baseline
  std::vector<Finding> hidden;     // ...those findings (on the original text)
  bool edited = false;             // the reviewer edited the result by hand
  std::vector<Note> notes;
  std::string original;           // bytes as read (BOM included)
  std::string fixed;              // bytes after fixing (== original when nothing applied)
  bool quit = false;               // the reviewer asked to stop the whole run
  bool changed() const { return fixed != original; }
  bool has_internal_error() const;
};

struct FileOptions {
  FixMode fix_mode = FixMode::None;
  int max_passes = 10;
  FixReviewer* reviewer = nullptr;
  std::string module_name;  // for relative imports and the project index
  bool is_package = false;
  const std::vector<std::string>* ignored_rules = nullptr;  // per-file ignores
  // Rules whose fixes are shown, not applied, and why (a run over part of a project: the fix
  // also edits files outside it).
  const std::map<std::string, std::string>* fixes_withheld = nullptr;
  bool report_unused_suppressions = false;  // AF001 findings for suppressions that match nothing
  // Fingerprints of known findings (a baseline) for this file: not reported, not fixed.
  const std::set<std::string>* baseline = nullptr;
  bool resolve_fix_edits = false;  // fill Fix::resolved_edits of the first pass's findings
  // The project's formatter line length ([tool.black] / [tool.ruff] line-length, else 88):
  // lines the fixes write longer than that are wrapped as black wraps them. 0: never.
  int line_length = 88;
  // The project says it uses black or ruff's formatter: a statement a fix rewrote that spans
  // several lines is laid out again as black would (else only the long lines are split).
  bool relayout_statements = false;
};

// Everything one run shares across files and threads: rules, compiled queries, settings.
class Engine {
 public:
  static Expected<std::unique_ptr<Engine>> create(std::vector<RulePtr> rules, RuleSettings settings);

  const MatcherSet& matchers() const { return *matchers_; }
  const std::vector<RulePtr>& rules() const { return matchers_->rules(); }
  const RuleSettings& settings() const { return settings_; }
  bool needs_project() const;
  // Prefilter literals a project rule asks for once the project is planned.
  Status add_triggers(const Rule& rule, const std::vector<std::string>& literals, bool whole_words = false);
  // The plan `rule` made for the project (Rule::prepare_project), handed back to it in each file.
  void set_plan(const Rule& rule, std::shared_ptr<const ProjectPlan> plan);
  const ProjectPlan* plan(size_t rule_index) const {
    return rule_index < plans_.size() ? plans_[rule_index].get() : nullptr;
  }

  // Runs one file (its text already loaded) through all passes. `parser` belongs to the
  // calling thread.
  FileResult process(const SourceFile& file, const FileOptions& options, syntax::Parser& parser,
                     const ProjectIndex* project = nullptr) const;

  // Findings of one pass over a parsed file, in file order.
  // Findings a suppression comment covers are dropped (and the suppressions marked used, in
  // `sups` when given).
  std::vector<Finding> find(FileContext& ctx, const std::vector<bool>& active,
                            const FileOptions& options, std::vector<Suppression>* sups = nullptr,
                            std::vector<Finding>* hidden = nullptr) const;

 private:
  bool may_fire_in(TSNode root, std::string_view text, std::vector<bool>& active) const;
  std::unique_ptr<MatcherSet> matchers_;
  RuleSettings settings_;
  std::vector<std::shared_ptr<const ProjectPlan>> plans_;  // by rule index
  std::vector<size_t> rule_order_;  // index by rule id position, for tie-breaking
};

// ERROR and MISSING nodes of a tree, as byte ranges.
std::vector<std::pair<uint32_t, uint32_t>> error_ranges(TSNode root);

}  // namespace asyncfix

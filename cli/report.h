// What `check` prints: findings in one of the output formats, and the run's summary.
//
//   text     path:line:col: AF101 [P1] message, with notes and the fix title (ruff-like),
//            coloured on a terminal unless NO_COLOR is set
//   json     one object: findings (stable schema, docs/output-formats.md) and a summary
//   sarif    SARIF 2.1.0 for GitHub code scanning: rules, results, fixes
//   github   workflow commands (::error file=...::message) that annotate a pull request
//   review   a Markdown code review: health summary, P1/P2/P3 sections with file:line, the
//            issue and the fix as a diff, recommended actions
#pragma once

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/rule/rule.h"
#include "engine/run/discover.h"
#include "engine/source/source_file.h"

namespace asyncfix::cli {

enum class OutputFormat { Text, Json, Sarif, Github, Review };
std::optional<OutputFormat> parse_output_format(std::string_view name);

struct RunSummary {
  size_t scanned = 0;                 // files read and checked
  size_t prefiltered = 0;             // of which never parsed (no trigger of any rule)
  std::vector<SkippedFile> skipped;   // could not be read, decoded, parsed; too big...
  std::map<Severity, size_t> by_severity;
  size_t findings = 0;
  size_t fixable = 0, unsafe_fixable = 0;
  size_t fixed = 0, files_changed = 0, remaining = 0;
  size_t baselined = 0;               // hidden by the baseline
  size_t write_errors = 0;
  bool diff_mode = false, fix_mode = false, interactive = false;
};

// One file's findings as the reporter should show them.
struct FileReport {
  std::string path;
  const SourceFile* source = nullptr;  // the text the findings refer to (may be null in text mode)
  const std::vector<Finding>* findings = nullptr;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void file(const FileReport& report) = 0;
  // Writes what remains (the whole document for json/sarif/review) and the summary.
  virtual void finish(const RunSummary& summary) = 0;
  // Does it need the file text and each fix's full edits (imports included)?
  virtual bool needs_sources() const { return false; }
};

// `rules`: every rule of the run, for SARIF's rule metadata and the review's advice.
std::unique_ptr<Reporter> make_reporter(OutputFormat format, bool color, std::FILE* out,
                                        const std::vector<RulePtr>& rules);

// Should text output be coloured: a terminal, and NO_COLOR unset.
bool want_color(std::FILE* stream);

std::string plural(size_t n, const char* one, const char* many);

}  // namespace asyncfix::cli

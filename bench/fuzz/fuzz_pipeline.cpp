// The whole per-file pipeline under a fuzzer: every built-in rule, every fix (unsafe ones
// too), on arbitrary bytes. Besides "no crash, no sanitizer report", each input is held to
// the engine's promises:
//   1. whenever the input parsed without errors, the fixed output does too;
//   2. a second run over the output changes nothing (fixes reach a fixed point);
//   3. bytes outside the fixes' edits are unchanged: with one pass, every changed line of
//      the output lies on lines some applied fix's edits touch.
// A broken promise aborts, so libFuzzer saves (and can minimise) the input.
//
// Built two ways: with -fsanitize=fuzzer by bench/fuzz (clang, ASYNCFIX_FUZZ=ON), and
// with replay_main.cpp into a plain executable that the test suite runs over the seed
// corpus and bench/fuzz/crashes/.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "engine/diff/unified.h"
#include "engine/run/pipeline.h"
#include "engine/source/source_file.h"
#include "engine/syntax/node.h"
#include "engine/syntax/ts.h"
#include "transforms/registry.h"

namespace {

using namespace asyncfix;

const Engine& engine() {
  static std::unique_ptr<Engine> e = [] {
    auto rules = rules::builtin_rules(RuleSettings{});
    if (!rules) {
      std::fprintf(stderr, "fuzz: %s\n", rules.error().to_string().c_str());
      std::abort();
    }
    auto made = Engine::create(std::move(rules).value(), RuleSettings{});
    if (!made) {
      std::fprintf(stderr, "fuzz: %s\n", made.error().to_string().c_str());
      std::abort();
    }
    return std::move(made).value();
  }();
  return *e;
}

[[noreturn]] void broken(const char* promise, const std::string& input, const std::string& output) {
  std::fprintf(stderr, "fuzz: broken promise: %s\n--- input ---\n%s\n--- output ---\n%s\n", promise, input.c_str(),
               output.c_str());
  std::abort();
}

bool parses_clean(syntax::Parser& parser, std::string_view text) {
  auto tree = parser.parse(text);
  return tree && !syntax::has_error(tree->root());
}

// The 0-based line of a byte offset, from the offsets where lines start.
uint32_t line_of(const std::vector<uint32_t>& starts, uint32_t offset) {
  return static_cast<uint32_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin()) - 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // big inputs only slow the search down
  std::string input(reinterpret_cast<const char*>(data), size);
  auto src = SourceFile::from_bytes("fuzz.py", input);
  if (!src) return 0;  // not UTF-8, binary: reported and skipped, as in a run
  static syntax::Parser parser;
  const Engine& e = engine();

  FileOptions all;
  all.fix_mode = FixMode::Unsafe;
  all.module_name = "fuzz";
  FileResult r = e.process(*src, all, parser);
  if (r.error) return 0;
  if (r.has_internal_error()) return 0;  // a fix rolled back and reported: the engine's own net

  // 1. clean in, clean out
  bool clean_in = parses_clean(parser, src->text());
  auto out = SourceFile::from_bytes("fuzz.py", r.fixed);
  if (!out) broken("the output is not valid text", input, r.fixed);
  if (clean_in && !parses_clean(parser, out->text())) broken("clean input, output does not parse", input, r.fixed);

  // 2. a fixed point
  if (r.changed()) {
    FileResult again = e.process(*out, all, parser);
    if (!again.error && !again.has_internal_error() && again.fixed != r.fixed)
      broken("a second run changed the output", r.fixed, again.fixed);
  }

  // 3. nothing outside the edits: one pass, the edits of the fixes it applied
  FileOptions one = all;
  one.max_passes = 1;
  one.resolve_fix_edits = true;
  FileResult p = e.process(*src, one, parser);
  if (p.error || p.has_internal_error() || !p.changed()) return 0;
  std::string_view old_text = src->text();
  std::vector<uint32_t> starts{0};
  for (uint32_t i = 0; i < old_text.size(); ++i) {
    if (old_text[i] == '\n') starts.push_back(i + 1);
  }
  std::vector<bool> touched(starts.size() + 1, false);
  for (const Finding& f : p.findings) {
    if (!f.fix) continue;
    for (const Edit& ed : f.fix->resolved_edits) {
      for (uint32_t l = line_of(starts, ed.begin); l <= line_of(starts, ed.end); ++l) touched[l] = true;
    }
    // Imports a fix may leave unused are removed with it: top-level import lines naming them.
    for (const std::string& q : f.fix->remove_if_unused) {
      std::string name = q.substr(q.rfind('.') == std::string::npos ? 0 : q.rfind('.') + 1);
      for (size_t l = 0; l < starts.size(); ++l) {
        size_t end = l + 1 < starts.size() ? starts[l + 1] : old_text.size();
        std::string_view line = old_text.substr(starts[l], end - starts[l]);
        bool import_line = line.rfind("import ", 0) == 0 || line.rfind("from ", 0) == 0;
        if (import_line && line.find(name) != std::string_view::npos) touched[l] = true;
      }
    }
  }
  // A line diff cannot tell which of several blank lines an insertion went before: the blank
  // lines next to an edit count as touched.
  auto blank = [&](size_t l) {
    size_t end = l + 1 < starts.size() ? starts[l + 1] : old_text.size();
    return old_text.substr(starts[l], end - starts[l]).find_first_not_of(" \t\r\n") == std::string_view::npos;
  };
  std::vector<bool> near = touched;
  for (size_t l = 0; l < starts.size(); ++l) {
    if (!touched[l]) continue;
    for (size_t k = l + 1; k < starts.size() && blank(k); ++k) near[k] = true;
    for (size_t k = l; k > 0 && blank(k - 1); --k) near[k - 1] = true;
  }
  touched = std::move(near);
  auto fixed_src = SourceFile::from_bytes("fuzz.py", p.fixed);
  if (!fixed_src) broken("the one-pass output is not valid text", input, p.fixed);
  for (const LineEdit& le : line_edits(old_text, fixed_src->text())) {
    // Whole lines replaced (the lines of bytes begin .. end-1); or, for an insertion, new
    // lines before `first`, which an edit on that line or the one above explains.
    uint32_t first = line_of(starts, le.begin);
    bool covered = true;
    if (le.begin == le.end) {
      covered = touched[first] || (first > 0 && touched[first - 1]);
    } else {
      for (uint32_t l = first; l <= line_of(starts, le.end - 1); ++l) covered = covered && touched[l];
    }
    if (!covered) broken("a line outside every fix's edits changed", input, p.fixed);
  }
  return 0;
}

#include "engine/run/pipeline.h"
#include "engine/project/project.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_set>

#include "engine/base/stage_times.h"
#include "engine/rewrite/wrap.h"

#include "engine/rule/context.h"
#include "engine/run/suppress.h"
#include "engine/semantic/library_model.h"
#include "engine/semantic/model.h"
#include "engine/syntax/compile_check.h"
#include "engine/syntax/node.h"

namespace asyncfix {

bool FileResult::has_internal_error() const {
  return std::any_of(notes.begin(), notes.end(), [](const Note& n) { return n.internal_error; });
}

std::vector<std::pair<uint32_t, uint32_t>> error_ranges(TSNode root) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  if (!ts_node_has_error(root)) return out;
  syntax::walk(root, [&](TSNode n) {
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      out.emplace_back(syntax::start(n), syntax::end(n));
      return false;
    }
    return ts_node_has_error(n);
  });
  return out;
}

Expected<std::unique_ptr<Engine>> Engine::create(std::vector<RulePtr> rules, RuleSettings settings) {
  auto ms = MatcherSet::build(rules);
  if (!ms) return ms.error();
  std::unique_ptr<Engine> e(new Engine());
  e->matchers_ = std::move(ms).value();
  e->settings_ = std::move(settings);
  return e;
}

bool Engine::needs_project() const {
  return std::any_of(rules().begin(), rules().end(), [](const RulePtr& r) { return r->needs_project(); });
}

Status Engine::add_triggers(const Rule& rule, const std::vector<std::string>& literals, bool whole_words) {
  for (uint32_t i = 0; i < rules().size(); ++i) {
    if (rules()[i].get() == &rule) return matchers_->add_triggers(i, literals, whole_words);
  }
  return Ok{};
}

void Engine::set_plan(const Rule& rule, std::shared_ptr<const ProjectPlan> plan) {
  for (size_t i = 0; i < rules().size(); ++i) {
    if (rules()[i].get() != &rule) continue;
    if (plans_.size() < rules().size()) plans_.resize(rules().size());
    plans_[i] = std::move(plan);
  }
}

namespace {
void set_fingerprints(std::vector<Finding>& findings, std::string_view text) {
  std::map<std::string, int> seen;
  for (Finding& f : findings) {
    size_t b = text.rfind('\n', f.begin == 0 ? 0 : f.begin - 1);
    b = (f.begin == 0 || b == std::string_view::npos) ? 0 : b + 1;
    size_t e = text.find('\n', f.begin);
    std::string_view line = text.substr(b, (e == std::string_view::npos ? text.size() : e) - b);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    // FNV-1a, 64 bits: stable across runs and machines.
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](std::string_view s) {
      for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
      h = (h ^ 0xff) * 1099511628211ull;
    };
    mix(f.rule_id);
    mix(line);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    std::string key = f.rule_id + ":" + buf;
    f.fingerprint = key + ":" + std::to_string(seen[key]++);
  }
}

// The comments of a tree, as byte ranges in file order.
std::vector<std::pair<uint32_t, uint32_t>> comment_ranges(TSNode root) {
  std::vector<std::pair<uint32_t, uint32_t>> comments;
  syntax::walk(root, [&](TSNode n) {
    if (syntax::kind(n) == "comment") comments.emplace_back(syntax::start(n), syntax::end(n));
    return true;
  });
  return comments;
}

// Does `e` replace a whole comment without writing it back?
bool drops_comment(const Edit& e, const std::vector<std::pair<uint32_t, uint32_t>>& comments,
                   std::string_view text) {
  auto it = std::lower_bound(comments.begin(), comments.end(), std::make_pair(e.begin, 0u));
  bool dropped = false;
  for (; it != comments.end() && it->first < e.end; ++it) {
    std::string_view c = text.substr(it->first, it->second - it->first);
    if (it->second <= e.end && e.text.find(c) == std::string::npos) dropped = true;
  }
  return dropped;
}

// A fix that would delete a comment is never safe, whatever rule built it: the comment
// may say why the code is the way it is.
void mark_comment_dropping_fixes_unsafe(FileContext& ctx) {
  std::vector<std::pair<uint32_t, uint32_t>> comments;
  bool comments_known = false;
  for (auto& f : ctx.findings()) {
    if (!f.fix || f.fix->applicability != Applicability::Safe) continue;
    for (const Edit& e : f.fix->edits) {
      if (e.is_insertion()) continue;
      if (!comments_known) {
        comments = comment_ranges(ctx.root());
        comments_known = true;
      }
      if (drops_comment(e, comments, ctx.text())) {
        f.fix->applicability = Applicability::Unsafe;
        if (f.note.find("drop a comment") == std::string::npos)
          f.note += std::string(f.note.empty() ? "" : "; ") + "the fix would drop a comment, so it is marked unsafe";
        break;
      }
    }
  }
}

// The comment on a finding's line and the comment lines right above it.
std::string comments_at(std::string_view text, uint32_t offset) {
  size_t b = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  b = b == std::string_view::npos ? 0 : b + 1;
  size_t e = text.find('\n', offset);
  std::string_view line = text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
  std::string out;
  if (size_t h = line.find('#'); h != std::string_view::npos) out.append(line.substr(h));
  while (b > 0) {
    size_t pb = b == 1 ? std::string_view::npos : text.rfind('\n', b - 2);
    pb = pb == std::string_view::npos ? 0 : pb + 1;
    std::string_view prev = text.substr(pb, b - 1 - pb);
    size_t first = prev.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || prev[first] != '#') break;
    out += "\n";
    out.append(prev.substr(first));
    b = pb;
  }
  return out;
}

// Does a comment say the code is meant to be this way ("on purpose", "deliberately")?
bool says_on_purpose(const std::string& comment) {
  std::string c;
  for (char ch : comment) c += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* w : {"purpose", "deliberate", "intentional", "intended", "on purpose"})
    if (c.find(w) != std::string::npos) return true;
  return false;
}

// Fixes that change when code runs (a rule's `unsafe-in-tests`): in a test file (test_*.py,
// *_test.py, conftest.py, under tests/) they are never safe, and their title says why; where a
// comment says the blocking is on purpose there is no fix at all (the finding stays, for a
// `# noqa` to say so).
void review_timing_fixes(FileContext& ctx, const std::vector<RulePtr>& rules) {
  bool test = ProjectIndex::is_test_path(ctx.source().path());
  for (auto& f : ctx.findings()) {
    if (!f.fix) continue;
    auto r = std::find_if(rules.begin(), rules.end(), [&](const RulePtr& rule) { return rule->info().id == f.rule_id; });
    if (r == rules.end() || !(*r)->info().unsafe_in_tests) continue;
    if (says_on_purpose(comments_at(ctx.text(), f.begin))) {
      f.fix.reset();
      f.note += std::string(f.note.empty() ? "" : "; ") +
                "no fix: a comment says this is on purpose (`# noqa: " + f.rule_id + "` keeps it quiet)";
      continue;
    }
    if (!test) continue;
    f.fix->applicability = Applicability::Unsafe;
    f.fix->title += "; in a test, this changes its timing";
  }
}

}  // namespace

std::vector<Finding> Engine::find(FileContext& ctx, const std::vector<bool>& active,
                                  const FileOptions& options, std::vector<Suppression>* sups_out,
                                  std::vector<Finding>* hidden) const {
  const auto& rs = rules();
  // Node patterns first, in one walk of the file's nodes (in document order, each node's
  // patterns in the order the rules registered them).
  if (matchers_->has_node_patterns()) {
    syntax::walk(ctx.root(), [&](TSNode n) {
      const std::vector<uint32_t>* ps = matchers_->node_patterns(ts_node_symbol(n));
      if (!ps) return true;
      for (uint32_t i : *ps) {
        const MatcherSet::NodePattern& p = matchers_->node_pattern(i);
        if (!active[p.rule] || !matchers_->node_pattern_matches(i, n, ctx.text())) continue;
        ctx.set_rule(rs[p.rule].get(), plan(p.rule));
        rs[p.rule]->on_match(Match(n, p.capture, p.local_id), ctx);
      }
      return true;
    });
  }
  // Then the queries, when an active rule has one.
  if (matchers_->query_needed(active)) {
    syntax::QueryCursor cursor;
    cursor.exec(matchers_->query(), ctx.root());
    PredicateInput in{ctx.text(), [&]() -> const semantic::SemanticModel& { return ctx.model(); }};
    TSQueryMatch m;
    while (cursor.next_match(&m)) {
      const MatcherSet::Entry& e = matchers_->entry(m.pattern_index);
      if (e.rule >= rs.size() || !active[e.rule]) continue;
      if (!matchers_->predicates_hold(m, in)) continue;
      ctx.set_rule(rs[e.rule].get(), plan(e.rule));
      rs[e.rule]->on_match(Match(m, e.local_id, matchers_->query()), ctx);
    }
  }
  for (size_t i = 0; i < rs.size(); ++i) {
    if (!active[i]) continue;
    ctx.set_rule(rs[i].get(), plan(i));
    rs[i]->check_file(ctx);
  }
  mark_comment_dropping_fixes_unsafe(ctx);
  review_timing_fixes(ctx, rs);
  std::vector<Finding> out;
  for (auto& f : ctx.findings()) {
    if (options.ignored_rules &&
        std::find(options.ignored_rules->begin(), options.ignored_rules->end(), f.rule_id) !=
            options.ignored_rules->end())
      continue;
    out.push_back(std::move(f));
  }
  ctx.findings().clear();
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
    return a.end < b.end;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Finding& a, const Finding& b) {
                          return a.rule_id == b.rule_id && a.begin == b.begin && a.end == b.end &&
                                 a.message == b.message;
                        }),
            out.end());
  std::vector<Suppression> sups = parse_suppressions(ctx.root(), ctx.source());
  apply_suppressions(sups, out);
  if (sups_out) *sups_out = std::move(sups);
  set_fingerprints(out, ctx.text());
  if (options.baseline && !options.baseline->empty()) {
    auto known = std::stable_partition(out.begin(), out.end(), [&](const Finding& f) {
      return options.baseline->count(f.fingerprint) == 0;
    });
    if (hidden) hidden->assign(std::make_move_iterator(known), std::make_move_iterator(out.end()));
    out.erase(known, out.end());
  }
  return out;
}

namespace {

// Identity of a fix across passes (offsets move; the text it touches and writes does not).
std::string fingerprint(const Finding& f, std::string_view text) {
  std::string fp = f.rule_id + "\x1f" + f.fix->title;
  for (const Edit& e : f.fix->edits) {
    fp += "\x1f";
    fp.append(text.substr(e.begin, e.end - e.begin));
    fp += "\x1e";
    fp += e.text;
  }
  return fp;
}

bool overlaps_any(uint32_t b, uint32_t e, const std::vector<std::pair<uint32_t, uint32_t>>& ranges) {
  for (const auto& r : ranges) {
    if (b < r.second && r.first < e) return true;
    if (b == e && r.first <= b && b <= r.second) return true;       // insertion inside/at an edge
    if (r.first == r.second && b <= r.first && r.first <= e) return true;  // a MISSING node
  }
  return false;
}

uint32_t line_begin(std::string_view t, uint32_t off) {
  size_t nl = off == 0 ? std::string_view::npos : t.rfind('\n', off - 1);
  return nl == std::string_view::npos ? 0 : static_cast<uint32_t>(nl + 1);
}
uint32_t line_end(std::string_view t, uint32_t off) {
  size_t nl = t.find('\n', off);
  return nl == std::string_view::npos ? static_cast<uint32_t>(t.size()) : static_cast<uint32_t>(nl + 1);
}

struct Candidate {
  const Finding* finding;
  std::string fp;
  uint32_t first;   // first edit offset
  size_t rule_rank;
};

struct Attempt {
  std::string text;                       // the new text
  std::vector<size_t> culprits;           // indices (into accepted) of fixes that broke syntax
  bool parse_failed = false;
};

// What the passes over one file share: the result being built, the text as the fixes so far
// left it, and what earlier passes decided about fixes.
struct FileRun {
  FileRun(FileResult& result, const SourceFile& file, const FileOptions& file_options, syntax::Parser& file_parser)
      : r(result), options(file_options), parser(file_parser), cur(file), newline(file.newline()) {}

  // Parses through the memo: the steps of a pass and the next pass parse the same texts.
  Expected<syntax::Tree> parse(std::string_view text) { return parser.parse(text); }

  FileResult& r;
  const FileOptions& options;
  syntax::ParseMemo parser;
  SourceFile cur;                          // the text as the fixes so far left it
  std::string newline;
  std::map<std::string, size_t> rank;      // rule order by id, for tie-breaking
  std::set<std::string> rejected;          // fingerprints never to apply again
  std::set<std::string> noted;             // notes already given
  std::map<std::string, Note> skipped;     // fixes that lost a conflict, by fingerprint
  std::vector<std::set<std::string>> rules_per_pass;
  bool stop_reviewing = false;
  std::optional<std::string> edited_text;  // the reviewer's own version (Decision::Edit)
  std::map<std::string, std::vector<uint32_t>> import_refs;  // import_references(), by qualified name

  // Adds a note, once per rule, position and message.
  void note(const std::string& rule, Position pos, std::string msg, bool internal) {
    std::string key = rule + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col) + msg;
    if (noted.insert(key).second) r.notes.push_back(Note{rule, pos, std::move(msg), internal, false});
  }
};

// One pass over the text: its findings, the fixes it may apply and those it accepted.
struct Pass {
  Pass(int pass_number, FileContext& pass_ctx) : number(pass_number), ctx(pass_ctx) {}

  int number;
  FileContext& ctx;
  std::vector<Finding> findings;
  std::vector<std::pair<uint32_t, uint32_t>> old_errors;  // the syntax errors of the text before the pass
  std::vector<syntax::CompileError> old_refused;          // ...and what Python refuses to compile in it
  std::vector<Candidate> cands;            // point into findings
  std::vector<const Candidate*> accepted;  // point into cands
};

std::vector<Edit> removals_in(const FileRun& run, const std::string& text, TSNode root, const std::vector<std::string>& names,
                              bool keep_used);

// Where the file reads the names an import of `q` binds (first bytes; cached per file).
const std::vector<uint32_t>& import_references(FileRun& run, FileContext& ctx, const std::string& q) {
  auto [it, fresh] = run.import_refs.try_emplace(q);
  if (!fresh) return it->second;
  const auto& model = ctx.model();
  std::string_view t = ctx.text();
  for (const auto& st : model.imports()) {
    for (const auto& b : st.bindings) {
      if (b.qualname != q) continue;
      std::string_view name = syntax::text(b.name, t);
      for (TSNode r : model.references()) {
        if (syntax::text(r, t) != name) continue;
        const semantic::Binding* rb = model.resolve(name, r);
        if (rb && syntax::same(rb->name, b.name)) it->second.push_back(ts_node_start_byte(r));
      }
    }
  }
  return it->second;
}

std::string scope_path(TSNode fn, std::string_view src);
TSNode single_assigned_call(const semantic::Scope& sc, std::string_view name);

// Does `text` hold `name` as a word (an identifier the fix writes)?
bool writes_name(std::string_view text, std::string_view name) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t p = text.find(name); p != std::string_view::npos; p = text.find(name, p + 1)) {
    bool starts = p == 0 || !word(text[p - 1]);
    bool ends = p + name.size() >= text.size() || !word(text[p + name.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// The statements of the function the fix edits that hold a pure call in a variable only the
// fix's edits read (unread_local_removals, for one fix): edits of the text as it is.
std::vector<Edit> unread_locals_of_fix(FileContext& ctx, const Fix& fx) {
  std::vector<Edit> out;
  if (fx.edits.empty()) return out;
  const auto& model = ctx.model();
  std::string_view t = ctx.text();
  int scope = model.scope_at(fx.edits.front().begin);
  if (scope < 0 || model.scope(scope).kind != semantic::ScopeKind::Function) return out;
  const semantic::Scope& sc = model.scope(scope);
  auto inside = [&](uint32_t r) {
    return std::any_of(fx.edits.begin(), fx.edits.end(), [&](const Edit& e) { return e.begin <= r && r < e.end; });
  };
  for (const auto& [name, bs] : sc.bindings) {
    TSNode call = single_assigned_call(sc, name);
    if (syntax::is_null(call)) continue;
    auto q = model.qualified_name(syntax::field(call, "function"));
    const semantic::CallFact* fact = q ? semantic::LibraryModel::current().function(*q) : nullptr;
    if (!fact || !fact->pure) continue;
    size_t reads = 0;
    bool outside = false;
    for (TSNode r : model.references()) {
      if (syntax::text(r, t) != name) continue;
      const semantic::Binding* rb = model.resolve(name, r);
      if (!rb || !syntax::same(rb->name, bs[0].name)) continue;
      ++reads;
      outside |= !inside(ts_node_start_byte(r));
    }
    if (reads == 0 || outside) continue;
    std::string_view var = name;  // a structured binding cannot be captured (C++17)
    if (std::any_of(fx.edits.begin(), fx.edits.end(), [&](const Edit& e) { return writes_name(e.text, var); })) continue;
    TSNode st = bs[0].statement;
    if (!syntax::is(syntax::parent(st), "block") || ts_node_named_child_count(syntax::parent(st)) < 2) continue;
    uint32_t b = line_begin(t, ts_node_start_byte(st)), e = line_end(t, ts_node_end_byte(st));
    std::string_view rest = t.substr(ts_node_end_byte(st), e - ts_node_end_byte(st));
    if (t.substr(b, ts_node_start_byte(st) - b).find_first_not_of(" \t") != std::string_view::npos ||
        rest.find_first_not_of(" \t\r\n") != std::string_view::npos)
      continue;
    out.push_back(Edit{b, e, ""});
  }
  return out;
}

// Fix::resolved_edits: what applying this fix alone to the text does, as edits of the text:
// its own edits, the imports and helpers it needs, and the removal of the imports and the
// variables it leaves unused (as the pass would remove them).
void resolve_alone(FileRun& run, FileContext& ctx, Fix& fx) {
  fx.resolved_edits = fx.edits;
  for (Edit& e : ctx.imports().insertion_edits(fx.imports, fx.helpers)) fx.resolved_edits.push_back(std::move(e));
  for (Edit& e : unread_locals_of_fix(ctx, fx)) {
    bool clash = std::any_of(fx.resolved_edits.begin(), fx.resolved_edits.end(),
                             [&](const Edit& o) { return edits_conflict(e, o); });
    if (!clash) fx.resolved_edits.push_back(std::move(e));
  }
  normalize_edits(fx.resolved_edits);
  std::vector<std::string> asked;
  for (const auto& q : fx.remove_if_unused) {
    // Cheap first: a name still read outside the fix's edits stays used (a file with a
    // thousand `time.sleep` calls must not be parsed a thousand times).
    const std::vector<uint32_t>& refs = import_references(run, ctx, q);
    bool outside = std::any_of(refs.begin(), refs.end(), [&](uint32_t r) {
      return std::none_of(fx.edits.begin(), fx.edits.end(), [&](const Edit& e) { return e.begin <= r && r < e.end; });
    });
    if (!refs.empty() && !outside) asked.push_back(q);
  }
  if (asked.empty()) return;
  std::string after = apply_edits(run.cur.text(), fx.resolved_edits, run.newline);
  auto tree = run.parse(after);
  if (!tree) return;
  std::vector<std::string> gone;
  for (const auto& q : asked)
    if (!removals_in(run, after, tree->root(), {q}, true).empty()) gone.push_back(q);
  if (gone.empty()) return;
  std::string before(run.cur.text());
  for (Edit& e : removals_in(run, before, ctx.root(), gone, false)) {
    bool clash = std::any_of(fx.resolved_edits.begin(), fx.resolved_edits.end(),
                             [&](const Edit& o) { return edits_conflict(e, o); });
    if (!clash) fx.resolved_edits.push_back(std::move(e));
  }
  normalize_edits(fx.resolved_edits);
}

// Step 1, collect: the findings of the pass, in file order, each fix with the imports it needs.
std::vector<Finding> collect_findings(const Engine& engine, FileRun& run, const Pass& pass,
                                      const std::vector<bool>& active) {
  const FileOptions& options = run.options;
  FileContext& ctx = pass.ctx;
  std::vector<Suppression> sups;
  std::vector<Finding> hidden;
  std::vector<Finding> findings = engine.find(ctx, active, options, &sups, &hidden);
  if (pass.number == 1) {
    run.r.baselined = hidden.size();
    run.r.hidden = std::move(hidden);
  }
  if (pass.number == 1 && options.report_unused_suppressions) {
    for (Finding& f : unused_suppressions(sups, run.cur)) findings.push_back(std::move(f));
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
  }
  // A fix brings only the imports its text uses (a rule may ask for a name it then does
  // not write).
  for (Finding& f : findings) {
    if (!f.fix) continue;
    if (options.fixes_withheld) {
      if (auto w = options.fixes_withheld->find(f.rule_id); w != options.fixes_withheld->end()) {
        f.fix->applicability = Applicability::DisplayOnly;
        f.note += (f.note.empty() ? "" : "; ") + w->second;
      }
    }
    f.fix->imports = referenced_imports(f.fix->imports, f.fix->edits, f.fix->helpers);
    f.fix->imports.insert(f.fix->imports.end(), f.fix->explicit_imports.begin(), f.fix->explicit_imports.end());
  }
  if (pass.number == 1 && options.resolve_fix_edits) {
    for (Finding& f : findings) {
      if (f.fix) resolve_alone(run, ctx, *f.fix);
    }
  }
  if (pass.number == 1) run.r.findings = findings;
  return findings;
}

// Step 1, collect (continued): the fixes this pass may apply, by position then rule order
// (fixes that move code last).
// Fixes the mode does not allow, fixes rejected before and fixes in code that does not parse
// are left out.
void collect_candidates(FileRun& run, Pass& pass) {
  pass.old_errors = error_ranges(pass.ctx.root());
  pass.old_refused = pass.ctx.compile_errors();
  for (const Finding& f : pass.findings) {
    if (!f.fix || f.fix->edits.empty()) continue;
    if (f.fix->applicability == Applicability::DisplayOnly) continue;
    if (f.fix->applicability == Applicability::Unsafe && run.options.fix_mode != FixMode::Unsafe) continue;
    std::string fp = fingerprint(f, run.cur.text());
    if (run.rejected.count(fp)) continue;
    bool in_error = std::any_of(f.fix->edits.begin(), f.fix->edits.end(), [&](const Edit& e) {
      return overlaps_any(e.begin, e.end, pass.old_errors);
    });
    if (in_error) {
      // Said once, where the first pass saw it: a later pass sees the same finding elsewhere
      // (lines added above it) and must not say it again.
      if (run.noted.insert("unparsed:" + fp).second)
        run.note(f.rule_id, f.start_pos, "fix not applied: the code around it does not parse", false);
      continue;
    }
    uint32_t first = UINT32_MAX;
    for (const Edit& e : f.fix->edits) first = std::min(first, e.begin);
    pass.cands.push_back(Candidate{&f, std::move(fp), first, run.rank[f.rule_id]});
  }
  std::stable_sort(pass.cands.begin(), pass.cands.end(), [](const Candidate& a, const Candidate& b) {
    // A fix that moves code goes last: the fixes inside what it moves apply first.
    if (a.finding->fix->moves_code != b.finding->fix->moves_code) return b.finding->fix->moves_code;
    if (a.first != b.first) return a.first < b.first;
    return a.rule_rank < b.rule_rank;
  });
}

// A pass after max_passes that still has fixes to apply: an internal error naming the rules
// of the last three passes.
void report_unsettled(FileRun& run, const Pass& pass) {
  if (pass.cands.empty()) return;
  const auto& rules_per_pass = run.rules_per_pass;
  std::set<std::string> involved;
  for (size_t p = rules_per_pass.size() >= 3 ? rules_per_pass.size() - 3 : 0; p < rules_per_pass.size(); ++p)
    involved.insert(rules_per_pass[p].begin(), rules_per_pass[p].end());
  std::string list;
  for (const auto& id : involved) list += (list.empty() ? "" : ", ") + id;
  run.note("", {}, "internal error: fixes did not settle after " + std::to_string(run.options.max_passes) +
                       " passes (rules involved: " + list + "): the file is left as it was", true);
}

// The first accepted fix with an edit that conflicts with one of c's, or null.
const Candidate* first_clash(const Candidate& c, const std::vector<const Candidate*>& accepted) {
  for (const Candidate* a : accepted) {
    for (const Edit& e1 : c.finding->fix->edits) {
      for (const Edit& e2 : a->finding->fix->edits) {
        if (edits_conflict(e1, e2)) return a;
      }
    }
  }
  return nullptr;
}

// The text with the fixes accepted so far and c applied, with the imports and helpers they
// need (what the reviewer's own edit starts from).
std::string full_preview(const FileRun& run, const Pass& pass, const Candidate& c) {
  std::vector<Edit> all;
  std::vector<ImportNeed> needs;
  std::vector<HelperNeed> helpers;
  auto add = [&](const Fix& fx) {
    all.insert(all.end(), fx.edits.begin(), fx.edits.end());
    needs.insert(needs.end(), fx.imports.begin(), fx.imports.end());
    helpers.insert(helpers.end(), fx.helpers.begin(), fx.helpers.end());
  };
  for (const Candidate* a : pass.accepted) add(*a->finding->fix);
  add(*c.finding->fix);
  for (Edit& e : pass.ctx.imports().insertion_edits(needs, helpers)) all.push_back(std::move(e));
  normalize_edits(all);
  return apply_edits(run.cur.text(), all, run.newline);
}

// The import removals of `names` in `text`, whose tree is `root` (keep_used false: even
// where still referenced).
std::vector<Edit> removals_in(const FileRun& run, const std::string& text, TSNode root, const std::vector<std::string>& names,
                              bool keep_used) {
  SourceFile src = run.cur.with_text(text);
  auto model = semantic::SemanticModel::build(root, src.text(), run.options.module_name, run.options.is_package);
  return ImportPlanner(src, root, model).removal_edits(names, keep_used);
}

// The same, parsing `text`.
std::vector<Edit> import_removals(FileRun& run, const std::string& text, const std::vector<std::string>& names,
                                  bool keep_used) {
  auto tree = run.parse(text);
  return tree ? removals_in(run, text, tree->root(), names, keep_used) : std::vector<Edit>{};
}

// The imports that accepting `c` (after the fixes accepted before it in the pass) leaves
// unused and the pass will remove: the reviewer's hunk shows them going.
std::vector<std::string> imports_left_unused(FileRun& run, const Pass& pass, const Candidate& c) {
  std::vector<std::string> asked;
  for (const auto& q : c.finding->fix->remove_if_unused)
    if (pass.ctx.imports().is_import_used(q)) asked.push_back(q);
  if (asked.empty()) return {};
  std::string all = full_preview(run, pass, c);
  auto tree = run.parse(all);
  if (!tree) return {};
  std::vector<std::string> gone;
  for (const auto& q : asked)
    if (!removals_in(run, all, tree->root(), {q}, true).empty()) gone.push_back(q);
  return gone;
}

// What the reviewer's decision on one fix means for the rest of the pass.
enum class Review { Apply, Skip, ApplyAndStop, Stop };

// Shows one fix to the reviewer and keeps what the decision says for the file: a fix never
// to propose again, the reviewer's own text, the end of the file's review or of the run.
Review review_fix(FileRun& run, const Pass& pass, const Candidate& c) {
  FixReviewer& reviewer = *run.options.reviewer;
  ImportPlanner& planner = pass.ctx.imports();
  std::vector<Edit> edits = c.finding->fix->edits;
  for (Edit& e : planner.insertion_edits(c.finding->fix->imports, c.finding->fix->helpers))
    edits.push_back(std::move(e));
  std::string preview = apply_edits(run.cur.text(), edits, run.newline);
  if (auto gone = imports_left_unused(run, pass, c); !gone.empty()) {
    std::vector<Edit> removal = import_removals(run, preview, gone, false);
    if (!removal.empty()) preview = apply_edits(preview, removal, run.newline);
  }
  auto full = [&]() { return full_preview(run, pass, c); };
  auto d = reviewer.review(run.cur, *c.finding, preview, full);
  if (d == FixReviewer::Decision::Edit) {
    run.edited_text = reviewer.edited_text();
    return Review::ApplyAndStop;
  }
  if (d == FixReviewer::Decision::Skip) {
    run.rejected.insert(c.fp);
    run.r.rejected.push_back(*c.finding);
    return Review::Skip;
  }
  if (d == FixReviewer::Decision::SkipFile) {
    run.stop_reviewing = true;
    return Review::Stop;
  }
  if (d == FixReviewer::Decision::Quit) {
    run.r.quit = true;
    return Review::Stop;
  }
  return Review::Apply;
}

// Step 2, resolve conflicts: first (by position) wins; the rest wait for the next pass. The
// reviewer, if any, decides on each fix that does not wait.
void resolve_conflicts(FileRun& run, Pass& pass) {
  for (const Candidate& c : pass.cands) {
    if (const Candidate* clash = first_clash(c, pass.accepted)) {
      // Retried on the next pass. Said now; kept as a warning only if it never applies.
      run.skipped.emplace(c.fp, Note{c.finding->rule_id, c.finding->start_pos,
                                     "fix not applied in pass " + std::to_string(pass.number) + ": overlaps " +
                                         clash->finding->rule_id + " at " +
                                         std::to_string(clash->finding->start_pos.line) + ":" +
                                         std::to_string(clash->finding->start_pos.col),
                                     false, true});
      continue;
    }
    Review review = run.options.reviewer ? review_fix(run, pass, c) : Review::Apply;
    if (review == Review::Skip) continue;
    if (review == Review::Stop) break;
    pass.accepted.push_back(&c);
    if (review == Review::ApplyAndStop) break;
  }
}

// The user's own version of the result (Decision::Edit): it is the file now; its review is
// over.
void take_edited_text(FileRun& run, const Pass& pass) {
  // What the editor saved is checked like every other change: it must parse as well as what
  // was there (an unfinished `def (` is not written, and the run does not say "fixed").
  auto tree = run.parse(*run.edited_text);
  auto errors = tree ? error_ranges(tree->root()) : std::vector<std::pair<uint32_t, uint32_t>>{{0, 0}};
  // Nor is what Python would refuse to compile (an `await` typed into a plain def).
  std::string what;
  uint32_t at = 0;
  if (errors.size() > error_ranges(pass.ctx.root()).size()) {
    what = "does not parse";
    at = errors.front().first;
  } else if (tree) {
    auto refused = syntax::compile_errors(tree->root());
    if (refused.size() > pass.ctx.compile_errors().size()) {
      what = "is refused by Python: " + refused.front().message;
      at = refused.front().begin;
    }
  }
  if (!what.empty()) {
    std::string_view t = *run.edited_text;
    uint32_t line = 1;
    for (uint32_t i = 0; i < at && i < t.size(); ++i) line += t[i] == '\n';
    run.note("", {}, "the edited text " + what + " (line " + std::to_string(line) +
                         "): it was not kept, and the file is left as it was before the edit", false);
    run.stop_reviewing = true;
    return;
  }
  for (const Candidate* c : pass.accepted) run.r.applied.push_back(AppliedFix{c->finding->rule_id, c->finding->fix->title, pass.number, c->finding->start_pos});
  run.r.edited = true;
  run.stop_reviewing = true;
  run.cur = run.cur.with_text(std::move(*run.edited_text));
}

// Edits, each with the fixes that own it (indices into Pass::accepted; none for an import or
// helper insertion).
using OwnedEdits = std::vector<std::pair<Edit, std::vector<size_t>>>;

// The primary edits of the accepted fixes (identical ones merged) and the imports and
// helpers they need.
struct PrimaryEdits {
  OwnedEdits owned;
  std::vector<ImportNeed> needs;
  std::vector<HelperNeed> helpers;
};

PrimaryEdits primary_edits(const std::vector<const Candidate*>& accepted) {
  PrimaryEdits out;
  for (size_t i = 0; i < accepted.size(); ++i) {
    const Fix& fx = *accepted[i]->finding->fix;
    for (const Edit& e : fx.edits) {
      auto it = std::find_if(out.owned.begin(), out.owned.end(), [&](const auto& o) { return o.first == e; });
      if (it == out.owned.end()) out.owned.push_back({e, {i}});
      else it->second.push_back(i);
    }
    out.needs.insert(out.needs.end(), fx.imports.begin(), fx.imports.end());
    out.helpers.insert(out.helpers.end(), fx.helpers.begin(), fx.helpers.end());
  }
  return out;
}

// The fixes whose edits collide with an import or helper insertion.
std::set<size_t> blocked_by(const std::vector<Edit>& side, const OwnedEdits& owned) {
  std::set<size_t> blocked;
  for (const Edit& s : side) {
    for (const auto& [e, owners] : owned) {
      if (edits_conflict(s, e)) blocked.insert(owners.begin(), owners.end());
    }
  }
  return blocked;
}

// Primary and side edits together, in the order they apply (an insertion before a
// replacement at the same offset).
OwnedEdits in_application_order(const OwnedEdits& owned, const std::vector<Edit>& side) {
  OwnedEdits all = owned;
  for (const Edit& s : side) all.push_back({s, {}});
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    if (a.first.begin != b.first.begin) return a.first.begin < b.first.begin;
    return a.first.is_insertion() && !b.first.is_insertion();
  });
  return all;
}

// Keeps the accepted fixes whose index is not in `dropped`.
void drop_accepted(std::vector<const Candidate*>& accepted, const std::set<size_t>& dropped) {
  std::vector<const Candidate*> keep;
  for (size_t i = 0; i < accepted.size(); ++i)
    if (!dropped.count(i)) keep.push_back(accepted[i]);
  accepted.swap(keep);
}

// The text after a pass's fixes, and its tree.
struct Applied {
  std::string text;
  Expected<syntax::Tree> tree = syntax::Tree();
};

// What a pass's fixes broke: a syntax error, or code Python refuses to compile (`await` in a
// plain def, ...), with what it is.
struct Breakage {
  uint32_t begin, end;
  std::string what;  // "does not parse", or CPython's message
};

// New breakage: the syntax errors and compile errors of `new_root` not inside those the text
// already had (moved by `edits`, sorted).
std::vector<Breakage> new_errors(const std::vector<Edit>& edits, const Pass& pass, TSNode new_root,
                                 std::string_view newline) {
  auto moved = [&](uint32_t b, uint32_t e) {
    return std::make_pair(map_offset(edits, b, newline), map_offset(edits, e, newline));
  };
  std::vector<std::pair<uint32_t, uint32_t>> old_syntax, old_compile;
  for (const auto& [b, e] : pass.old_errors) old_syntax.push_back(moved(b, e));
  for (const auto& c : pass.old_refused) old_compile.push_back(moved(c.begin, c.end));
  std::vector<Breakage> fresh;
  for (const auto& er : error_ranges(new_root)) {
    if (!overlaps_any(er.first, er.second, old_syntax)) fresh.push_back({er.first, er.second, "does not parse"});
  }
  for (const auto& c : syntax::compile_errors(new_root)) {
    // An edit inside an old error (its await's operand rewritten) leaves the same error.
    if (!overlaps_any(c.begin, c.end, old_compile) && !overlaps_any(c.begin, c.end, old_syntax))
      fresh.push_back({c.begin, c.end, "Python refuses to compile: " + c.message});
  }
  return fresh;
}

// Suspects: the fixes whose edits share a line with a new error (all, when the error
// surfaced away from every edit).
std::set<size_t> suspects_of(const OwnedEdits& all, const std::vector<Edit>& edits, std::string_view new_text,
                             const std::vector<Breakage>& fresh, size_t accepted_count,
                             std::string_view newline) {
  std::set<size_t> suspects;
  auto ranges = new_ranges(edits, newline);
  for (size_t k = 0; k < all.size(); ++k) {
    uint32_t b = line_begin(new_text, ranges[k].first), e = line_end(new_text, ranges[k].second);
    for (const auto& er : fresh) {
      uint32_t eb = line_begin(new_text, er.begin), ee = line_end(new_text, er.end);
      if (b < ee && eb < e) suspects.insert(all[k].second.begin(), all[k].second.end());
    }
  }
  if (suspects.empty()) {
    for (size_t i = 0; i < accepted_count; ++i) suspects.insert(i);
  }
  return suspects;
}

// Does this fix, applied alone with its imports and helpers, break the syntax?
bool breaks_alone(FileRun& run, const Pass& pass, const Fix& fx) {
  std::vector<Edit> one = fx.edits;
  for (Edit& s : pass.ctx.imports().insertion_edits(fx.imports, fx.helpers)) one.push_back(std::move(s));
  normalize_edits(one);
  auto t = run.parse(apply_edits(run.cur.text(), one, run.newline));
  if (!t) return true;
  return !new_errors(one, pass, t->root(), run.newline).empty();
}

// What the re-parse says of the accepted fixes: verified (no new syntax error), or the
// culprits (indices into Pass::accepted); neither when each fix is fine alone and only their
// combination fails.
struct Verification {
  bool verified = false;
  std::set<size_t> culprits;
  std::string what;  // what the first breakage is, and its line
};

// Step 4, find culprits: which of the accepted fixes broke the syntax of `out`, the text
// `edits` (from `all`) made.
Verification find_culprits(FileRun& run, const Pass& pass, const OwnedEdits& all, const std::vector<Edit>& edits,
                           const Applied& out) {
  Verification v;
  if (!out.tree) {
    for (size_t i = 0; i < pass.accepted.size(); ++i) v.culprits.insert(i);
    return v;
  }
  auto fresh = new_errors(edits, pass, out.tree->root(), run.newline);
  if (fresh.empty()) {
    v.verified = true;
    return v;
  }
  uint32_t line = 1;
  for (uint32_t i = 0; i < fresh.front().begin && i < out.text.size(); ++i) line += out.text[i] == '\n';
  v.what = fresh.front().what + " (line " + std::to_string(line) + " of the result)";
  // One suspect is the culprit; among several, the culprits are those that break the
  // syntax on their own.
  std::set<size_t> suspects = suspects_of(all, edits, out.text, fresh, pass.accepted.size(), run.newline);
  if (suspects.size() == 1) {
    v.culprits = suspects;
    return v;
  }
  for (size_t i : suspects) {
    if (breaks_alone(run, pass, *pass.accepted[i]->finding->fix)) v.culprits.insert(i);
  }
  return v;
}

// Rolls back the fixes that broke the syntax: never applied again, each reported as an
// internal error of its rule.
void roll_back(FileRun& run, Pass& pass, const std::set<size_t>& culprits, const std::string& what) {
  for (size_t i : culprits) {
    const Finding& f = *pass.accepted[i]->finding;
    run.rejected.insert(pass.accepted[i]->fp);
    run.note(f.rule_id, f.start_pos,
             "internal error: the " + f.rule_id + " fix produced code that " +
                 (what.empty() ? std::string("does not parse") : what) + "; rolled back",
             true);
  }
  drop_accepted(pass.accepted, culprits);
}

// Step 3, apply and verify: applies the accepted fixes with the imports and helpers they
// need, re-parses, and rolls back the fixes that broke the syntax, until the rest holds.
// The fixes that hold stay in pass.accepted (none when all were rolled back).
Applied apply_and_verify(FileRun& run, Pass& pass) {
  ImportPlanner& planner = pass.ctx.imports();
  Applied out;
  while (!pass.accepted.empty()) {
    PrimaryEdits primary = primary_edits(pass.accepted);
    std::vector<Edit> side = planner.insertion_edits(primary.needs, primary.helpers);
    // A fix whose edits collide with the import insertion waits for the next pass.
    std::set<size_t> blocked = blocked_by(side, primary.owned);
    if (!blocked.empty()) {
      drop_accepted(pass.accepted, blocked);
      continue;
    }
    OwnedEdits all = in_application_order(primary.owned, side);
    std::vector<Edit> edits;
    for (const auto& a : all) edits.push_back(a.first);
    out.text = apply_edits(run.cur.text(), edits, run.newline);
    out.tree = run.parse(out.text);

    Verification v = find_culprits(run, pass, all, edits, out);
    if (v.verified) break;
    if (v.culprits.empty()) {
      // Each fix is fine alone; only the combination fails: keep the first fix and
      // retry the others on the next pass.
      pass.accepted.resize(1);
      continue;
    }
    roll_back(run, pass, v.culprits, v.what);
  }
  return out;
}

// Step 5, remove unused imports: those the applied fixes may have left unused (their
// remove_if_unused, when the text before the pass used them) go from the new text, unless
// the removal breaks it.
void remove_unused_imports(FileRun& run, const Pass& pass, Applied& out) {
  ImportPlanner& planner = pass.ctx.imports();
  std::vector<std::string> removable;
  for (const Candidate* c : pass.accepted) {
    for (const auto& q : c->finding->fix->remove_if_unused) {
      if (std::find(removable.begin(), removable.end(), q) == removable.end() && planner.is_import_used(q))
        removable.push_back(q);
    }
  }
  if (removable.empty() || !out.tree) return;
  std::vector<Edit> removal = removals_in(run, out.text, out.tree->root(), removable, true);
  // Code that does not parse is never rewritten, unused import or not.
  auto errors = error_ranges(out.tree->root());
  removal.erase(std::remove_if(removal.begin(), removal.end(),
                               [&](const Edit& e) { return overlaps_any(e.begin, e.end, errors); }),
                removal.end());
  if (removal.empty()) return;
  std::string t2 = apply_edits(out.text, removal, run.newline);
  auto tree2 = run.parse(t2);
  if (tree2 && error_ranges(tree2->root()).size() <= error_ranges(out.tree->root()).size()) {
    out.text = std::move(t2);
  }
}

// "outer.inner" for a function, through its enclosing functions and classes.
std::string scope_path(TSNode fn, std::string_view src) {
  std::string path;
  for (TSNode n = fn; !syntax::is_null(n); n = syntax::parent(n)) {
    if (!syntax::is(n, "function_definition") && !syntax::is(n, "class_definition")) continue;
    std::string name(syntax::text(syntax::field(n, "name"), src));
    path = path.empty() ? name : name + "." + path;
  }
  return path;
}

// `name = <call>` as a function's only binding of name: the call, else a null node.
TSNode single_assigned_call(const semantic::Scope& sc, std::string_view name) {
  auto it = sc.bindings.find(name);
  if (it == sc.bindings.end() || it->second.size() != 1) return TSNode{};
  TSNode st = it->second[0].statement;
  TSNode a = syntax::is(st, "expression_statement") ? ts_node_named_child(st, 0) : st;
  if (!syntax::is(a, "assignment") || !syntax::is(syntax::field(a, "left"), "identifier")) return TSNode{};
  TSNode call = syntax::field(a, "right");
  return syntax::is(call, "call") ? call : TSNode{};
}

// The variables the fixes left unread, as edits of `after` (its text): a function's `loop =
// asyncio.get_running_loop()` whose reads a fix rewrote away (AF205's `loop.run_in_executor`)
// goes, when its call is `pure` in the library model. Variables nothing read before stay.
std::vector<Edit> unread_local_removals(const FileRun& run, FileContext& before_ctx, const std::string& after,
                                        TSNode after_root) {
  const auto& before = before_ctx.model();
  std::set<std::pair<std::string, std::string>> read_before;  // (function, variable)
  std::string_view src = before_ctx.text();
  for (int i = 0; i < before.scope_count(); ++i) {
    const semantic::Scope& sc = before.scope(i);
    if (sc.kind != semantic::ScopeKind::Function) continue;
    for (const auto& [name, bs] : sc.bindings) {
      if (syntax::is_null(single_assigned_call(sc, name)) || before.count_references(bs[0]) == 0) continue;
      read_before.emplace(scope_path(sc.node, src), std::string(name));
    }
  }
  std::vector<Edit> removal;
  if (read_before.empty()) return removal;
  auto model = semantic::SemanticModel::build(after_root, after, run.options.module_name, run.options.is_package);
  const auto& library = semantic::LibraryModel::current();
  std::string_view t = after;
  for (int i = 0; i < model.scope_count(); ++i) {
    const semantic::Scope& sc = model.scope(i);
    if (sc.kind != semantic::ScopeKind::Function) continue;
    std::string path = scope_path(sc.node, t);
    for (const auto& [name, bs] : sc.bindings) {
      if (!read_before.count({path, std::string(name)})) continue;
      TSNode call = single_assigned_call(sc, name);
      if (syntax::is_null(call) || model.count_references(bs[0]) != 0) continue;
      auto q = model.qualified_name(syntax::field(call, "function"));
      const semantic::CallFact* fact = q ? library.function(*q) : nullptr;
      if (!fact || !fact->pure) continue;
      TSNode st = bs[0].statement;
      TSNode block = syntax::parent(st);
      if (!syntax::is(block, "block") || ts_node_named_child_count(block) < 2) continue;
      uint32_t b = line_begin(t, ts_node_start_byte(st)), e = line_end(t, ts_node_end_byte(st));
      // Alone on its lines (no `x = f(); y` and no comment after it).
      std::string_view rest = t.substr(ts_node_end_byte(st), e - ts_node_end_byte(st));
      if (t.substr(b, ts_node_start_byte(st) - b).find_first_not_of(" \t") != std::string_view::npos ||
          rest.find_first_not_of(" \t\r\n") != std::string_view::npos)
        continue;
      removal.push_back(Edit{b, e, ""});
    }
  }
  normalize_edits(removal);
  return removal;
}

// Step 5b, remove the variables the fixes left unread (unread_local_removals).
void remove_unread_locals(FileRun& run, const Pass& pass, Applied& out) {
  auto tree = run.parse(out.text);
  if (!tree) return;
  std::vector<Edit> removal = unread_local_removals(run, pass.ctx, out.text, tree->root());
  if (removal.empty()) return;
  std::string t2 = apply_edits(out.text, removal, run.newline);
  auto tree2 = run.parse(t2);
  if (tree2 && error_ranges(tree2->root()).size() <= error_ranges(tree->root()).size()) out.text = std::move(t2);
}

// The accepted fixes, applied in this pass.
void record_applied(FileRun& run, const Pass& pass) {
  std::set<std::string> ids;
  for (const Candidate* c : pass.accepted) {
    const Finding& f = *c->finding;
    if (auto it = run.skipped.find(c->fp); it != run.skipped.end()) {
      run.r.notes.push_back(std::move(it->second));  // it waited, then applied: informational
      run.skipped.erase(it);
    }
    run.r.applied.push_back(AppliedFix{f.rule_id, f.fix->title, pass.number, f.start_pos});
    ids.insert(f.rule_id);
  }
  run.rules_per_pass.push_back(std::move(ids));
}

// The lines the fixes wrote that are longer than the project's line length, split as black
// splits them (engine/rewrite/wrap.h). Lines the file had before are left as they are; the
// result must parse as well as the unwrapped text, else the text stays unwrapped.
void wrap_written_lines(FileRun& run, const FileResult& r, const FileOptions& options) {
  std::string_view before = r.original;
  std::unordered_set<std::string_view> original_lines;
  for (size_t pos = 0; pos <= before.size();) {
    size_t nl = before.find('\n', pos);
    size_t e = nl == std::string_view::npos ? before.size() : nl;
    size_t ce = e > pos && before[e - 1] == '\r' ? e - 1 : e;
    original_lines.insert(before.substr(pos, ce - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  std::string text(run.cur.text());
  auto tree = run.parse(text);
  if (!tree) return;
  WrapOptions o;
  o.line_length = options.line_length;
  o.relayout_multiline = options.relayout_statements;
  o.indent_unit = run.cur.indent_unit();
  o.newline = run.newline;
  // black adds a trailing comma after *args / **kwargs only where the file's syntax already
  // needs Python 3.6 (f-strings are the common sign).
  static const re2::RE2 kFString(R"((?:^|[^\w])[fF][rR]?["'])");
  o.trailing_comma_after_unpacking = re2::RE2::PartialMatch(text, kFString);
  std::string wrapped = wrap_long_lines(text, tree->root(), original_lines, o);
  if (wrapped == text) return;
  auto tree2 = run.parse(wrapped);
  if (!tree2 || error_ranges(tree2->root()).size() > error_ranges(tree->root()).size()) return;
  run.cur = run.cur.with_text(std::move(wrapped));
}

// Fixes that waited for a conflict and never applied, though their finding remains.
void report_never_applied(FileRun& run) {
  for (const Finding& f : run.r.remaining) {
    if (!f.fix) continue;
    auto it = run.skipped.find(fingerprint(f, run.cur.text()));
    if (it == run.skipped.end()) continue;
    it->second.verbose = false;
    run.r.notes.push_back(std::move(it->second));
    run.skipped.erase(it);
  }
}

}  // namespace

// One file through the passes. Each pass starts from the text the last one left:
//
//   collect          the findings (engine.find) and the fixes this pass may apply, in order
//   resolve          a fix that conflicts with one accepted before it waits for the next pass
//   apply and verify the accepted edits and the imports they need, re-parsed
//   find culprits    when the new text has a new syntax error: the fixes that made it
//   remove unused    imports the applied fixes left unused, and variables they left unread
//   imports          that hold a `pure` call (`loop = asyncio.get_running_loop()`)
//
// until a pass has no fix to apply. Example, `--fix` on
//
//   1 import os
//   2 import time
//   3
//   4
//   5 async def main(path):
//   6     time.sleep(os.path.getsize(path))
//
// pass 1
//   collect          AF101 at 6:5   6:5-6:38  -> "await asyncio.sleep(os.path.getsize(path))"
//                    AF104 at 6:16  6:16-6:37 -> "await asyncio.to_thread(os.path.getsize, path)"
//                    both safe, both need `import asyncio`, neither in code that does not
//                    parse: candidates, AF101 first (by position, then rule order)
//   resolve          AF101 accepted. AF104's edit lies inside AF101's: it waits, with a note
//                    "fix not applied in pass 1: overlaps AF101 at 6:5" (verbose; a warning
//                    only if it never applies)
//   apply and verify AF101's edit and one insertion "import asyncio\n" at 1:1 (the imports of
//                    all accepted fixes, merged); the new text has no new ERROR or MISSING node
//   find culprits    nothing to find. (Had AF101's text not parsed, AF101, the only fix on the
//                    broken line, would be the culprit: rolled back alone, never tried again,
//                    reported as an internal error of AF101.)
//   remove unused    AF101 may leave `time` unused (remove_if_unused) and nothing uses it now:
//   imports          line 2 goes. The text is now `import asyncio`, `import os`, and on line 6
//                    `    await asyncio.sleep(os.path.getsize(path))`
// pass 2
//   collect          AF104 again, now at 6:25; same fingerprint (rule, title, the text it
//                    replaces and writes) as the fix that waited
//   resolve          alone: accepted
//   apply and verify its edit; `import asyncio` is there already: no insertion
//   find culprits    nothing to find
//   remove unused    none asked for; AF104's note from pass 1 joins the result as information:
//   imports          it waited, then applied. Line 6 is now
//                    `    await asyncio.sleep(await asyncio.to_thread(os.path.getsize, path))`
// pass 3
//   collect          no finding left
//   resolve          nothing accepted: the file is done. Applied: AF101 in pass 1, AF104 in
//                    pass 2.
// The rules the triggers let through that may fire in this tree (Rule::may_fire): those are
// kept active. False when none is left.
bool Engine::may_fire_in(TSNode root, std::string_view text, std::vector<bool>& active) const {
  bool any = false;
  for (size_t i = 0; i < rules().size(); ++i) {
    if (active[i] && !rules()[i]->may_fire(root, text)) active[i] = false;
    any |= active[i];
  }
  return any;
}

FileResult Engine::process(const SourceFile& file, const FileOptions& options,
                           syntax::Parser& parser, const ProjectIndex* project) const {
  FileResult r;
  r.path = file.path();
  r.original = file.bytes();
  r.fixed = r.original;

  std::vector<bool> active;
  // No rule can fire: the file is not even parsed, unless it is read for its unused
  // suppressions (a file without async code can hold a stale `# noqa: AF101`).
  StageTimer prefilter(Stage::Prefilter);
  if (!matchers_->active_rules(file.text(), &active) &&
      !(options.report_unused_suppressions && may_hold_suppressions(file.text()))) {
    r.skipped_no_trigger = true;
    return r;
  }
  prefilter.stop();

  if (auto why = project ? project->gave_up_on(file.path()) : std::nullopt) {
    r.error = make_error(Error::Kind::Parse, *why, {file.path()});
    return r;
  }
  FileRun run(r, file, options, parser);
  for (size_t i = 0; i < rules().size(); ++i) run.rank.emplace(rules()[i]->info().id, i);

  std::optional<StageTimer> fixing;  // from the end of the first pass's rules
  for (int number = 1;; ++number) {
    std::optional<StageTimer> parsing;
    if (number == 1) parsing.emplace(Stage::Parse);
    auto tree = run.parse(run.cur.text());
    if (parsing) parsing->stop();
    if (!tree) {
      if (number == 1) {
        Error e = tree.error();
        e.location.path = file.path();
        r.error = e;
        return r;
      }
      run.note("", {}, "internal error: the fixed text could not be re-parsed: " + tree.error().message, true);
      break;
    }
    TSNode root = tree->root();
    if (number > 1) matchers_->active_rules(run.cur.text(), &active);
    std::optional<StageTimer> tree_prefilter;
    if (number == 1) tree_prefilter.emplace(Stage::Prefilter);
    if (!may_fire_in(root, run.cur.text(), active) && !options.report_unused_suppressions) {
      r.remaining.clear();  // no rule can fire in this text: nothing remains
      break;
    }
    tree_prefilter.reset();
    std::optional<StageTimer> ruling;
    if (number == 1) ruling.emplace(Stage::Rules);
    syntax::NodeTable table(root);  // every walk of this pass's tree reads it
    FileContext ctx(run.cur, root, settings_, options.module_name, options.is_package, project);
    Pass pass(number, ctx);

    pass.findings = collect_findings(*this, run, pass, active);
    if (ruling) {
      ruling.reset();
      fixing.emplace(Stage::Fixes);
    }
    if (options.fix_mode == FixMode::None || run.stop_reviewing || r.quit) {
      r.remaining = std::move(pass.findings);
      fixing.reset();  // no fixes: not even the pass's clean-up counts as theirs
      break;
    }
    collect_candidates(run, pass);
    if (number > options.max_passes) {
      // A fix that keeps matching its own output (a rule file's `fix` the rule matches again)
      // would grow the code pass after pass: nothing of it is kept.
      report_unsettled(run, pass);
      run.cur = file;
      r.applied.clear();
      r.remaining = r.findings;
      break;
    }

    resolve_conflicts(run, pass);
    if (run.edited_text) {
      take_edited_text(run, pass);
      continue;
    }
    if (pass.accepted.empty()) {
      r.remaining = std::move(pass.findings);
      break;
    }

    Applied applied = apply_and_verify(run, pass);  // finds the culprits when it does not parse
    if (pass.accepted.empty()) continue;  // everything rolled back: match again (fixes now rejected)

    remove_unused_imports(run, pass, applied);
    remove_unread_locals(run, pass, applied);
    record_applied(run, pass);
    run.cur = run.cur.with_text(std::move(applied.text));
  }
  fixing.reset();
  report_never_applied(run);
  if (options.line_length > 0 && !r.applied.empty()) {
    StageTimer wrapping(Stage::Wrap);
    wrap_written_lines(run, r, options);
  }
  r.fixed = run.cur.bytes();
  return r;
}

}  // namespace asyncfix

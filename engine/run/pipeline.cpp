#include "engine/run/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "engine/rule/context.h"
#include "engine/run/suppress.h"
#include "engine/semantic/model.h"
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

}  // namespace

std::vector<Finding> Engine::find(FileContext& ctx, const std::vector<bool>& active,
                                  const FileOptions& options, std::vector<Suppression>* sups_out,
                                  size_t* baselined) const {
  syntax::QueryCursor cursor;
  cursor.exec(matchers_->query(), ctx.root());
  PredicateInput in{ctx.text(), [&]() -> const semantic::SemanticModel& { return ctx.model(); }};
  TSQueryMatch m;
  const auto& rs = rules();
  while (cursor.next_match(&m)) {
    const MatcherSet::Entry& e = matchers_->entry(m.pattern_index);
    if (e.rule >= rs.size() || !active[e.rule]) continue;
    if (!matchers_->predicates_hold(m, in)) continue;
    ctx.set_rule(rs[e.rule].get(), plan(e.rule));
    rs[e.rule]->on_match(Match(m, e.local_id, matchers_->query()), ctx);
  }
  for (size_t i = 0; i < rs.size(); ++i) {
    if (!active[i]) continue;
    ctx.set_rule(rs[i].get(), plan(i));
    rs[i]->check_file(ctx);
  }
  mark_comment_dropping_fixes_unsafe(ctx);
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
    size_t before = out.size();
    out.erase(std::remove_if(out.begin(), out.end(), [&](const Finding& f) { return options.baseline->count(f.fingerprint) > 0; }),
              out.end());
    if (baselined) *baselined = before - out.size();
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

}  // namespace

FileResult Engine::process(const SourceFile& file, const FileOptions& options,
                           syntax::Parser& parser, const ProjectIndex* project) const {
  FileResult r;
  r.path = file.path();
  r.original = file.bytes();
  r.fixed = r.original;

  std::vector<bool> active;
  if (!matchers_->active_rules(file.text(), &active)) {
    r.skipped_no_trigger = true;
    return r;
  }

  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < rules().size(); ++i) rank.emplace(rules()[i]->info().id, i);

  SourceFile cur = file;
  std::set<std::string> rejected;          // fingerprints never to apply again
  std::set<std::string> noted;             // notes already given
  std::map<std::string, Note> skipped;     // fixes that lost a conflict, by fingerprint
  std::vector<std::set<std::string>> rules_per_pass;
  bool stop_reviewing = false;
  std::optional<std::string> edited_text;  // the reviewer's own version (Decision::Edit)
  std::string newline(file.newline());

  auto note = [&](const std::string& rule, Position pos, std::string msg, bool internal) {
    std::string key = rule + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col) + msg;
    if (noted.insert(key).second) r.notes.push_back(Note{rule, pos, std::move(msg), internal, false});
  };

  for (int pass = 1;; ++pass) {
    auto tree = parser.parse(cur.text());
    if (!tree) {
      if (pass == 1) {
        Error e = tree.error();
        e.location.path = file.path();
        r.error = e;
        return r;
      }
      note("", {}, "internal error: the fixed text could not be re-parsed: " + tree.error().message, true);
      break;
    }
    TSNode root = tree->root();
    syntax::NodeTable table(root);  // every walk of this pass's tree reads it
    if (pass > 1) matchers_->active_rules(cur.text(), &active);
    FileContext ctx(cur, root, settings_, options.module_name, options.is_package, project);
    std::vector<Suppression> sups;
    size_t baselined = 0;
    std::vector<Finding> findings = find(ctx, active, options, &sups, &baselined);
    if (pass == 1) r.baselined = baselined;
    if (pass == 1 && options.report_unused_suppressions) {
      for (Finding& f : unused_suppressions(sups, cur)) findings.push_back(std::move(f));
      std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
    }
    // A fix brings only the imports its text uses (a rule may ask for a name it then does
    // not write).
    for (Finding& f : findings) {
      if (!f.fix) continue;
      f.fix->imports = referenced_imports(f.fix->imports, f.fix->edits, f.fix->helpers);
      f.fix->imports.insert(f.fix->imports.end(), f.fix->explicit_imports.begin(), f.fix->explicit_imports.end());
    }
    if (pass == 1 && options.resolve_fix_edits) {
      for (Finding& f : findings) {
        if (!f.fix) continue;
        f.fix->resolved_edits = f.fix->edits;
        for (Edit& e : ctx.imports().insertion_edits(f.fix->imports, f.fix->helpers)) f.fix->resolved_edits.push_back(std::move(e));
        normalize_edits(f.fix->resolved_edits);
      }
    }
    if (pass == 1) r.findings = findings;
    if (options.fix_mode == FixMode::None || stop_reviewing || r.quit) {
      r.remaining = std::move(findings);
      break;
    }

    // Fixes this pass may apply.
    auto old_errors = error_ranges(root);
    std::vector<Candidate> cands;
    for (const Finding& f : findings) {
      if (!f.fix || f.fix->edits.empty()) continue;
      if (f.fix->applicability == Applicability::DisplayOnly) continue;
      if (f.fix->applicability == Applicability::Unsafe && options.fix_mode != FixMode::Unsafe) continue;
      std::string fp = fingerprint(f, cur.text());
      if (rejected.count(fp)) continue;
      bool in_error = std::any_of(f.fix->edits.begin(), f.fix->edits.end(), [&](const Edit& e) {
        return overlaps_any(e.begin, e.end, old_errors);
      });
      if (in_error) {
        note(f.rule_id, f.start_pos, "fix not applied: the code around it does not parse", false);
        continue;
      }
      uint32_t first = UINT32_MAX;
      for (const Edit& e : f.fix->edits) first = std::min(first, e.begin);
      cands.push_back(Candidate{&f, std::move(fp), first, rank[f.rule_id]});
    }
    std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      if (a.first != b.first) return a.first < b.first;
      return a.rule_rank < b.rule_rank;
    });

    if (pass > options.max_passes) {
      if (!cands.empty()) {
        std::set<std::string> involved;
        for (size_t p = rules_per_pass.size() >= 3 ? rules_per_pass.size() - 3 : 0; p < rules_per_pass.size(); ++p)
          involved.insert(rules_per_pass[p].begin(), rules_per_pass[p].end());
        std::string list;
        for (const auto& id : involved) list += (list.empty() ? "" : ", ") + id;
        note("", {}, "internal error: fixes did not settle after " + std::to_string(options.max_passes) +
                         " passes (rules involved: " + list + ")", true);
      }
      r.remaining = std::move(findings);
      break;
    }

    // Resolve conflicts: first (by position) wins; the rest wait for the next pass.
    std::vector<const Candidate*> accepted;
    for (const Candidate& c : cands) {
      const Candidate* clash = nullptr;
      for (const Candidate* a : accepted) {
        for (const Edit& e1 : c.finding->fix->edits) {
          for (const Edit& e2 : a->finding->fix->edits) {
            if (edits_conflict(e1, e2)) clash = a;
          }
        }
        if (clash) break;
      }
      if (clash) {
        // Retried on the next pass. Said now; kept as a warning only if it never applies.
        skipped.emplace(c.fp, Note{c.finding->rule_id, c.finding->start_pos,
                                   "fix not applied in pass " + std::to_string(pass) + ": overlaps " +
                                       clash->finding->rule_id + " at " +
                                       std::to_string(clash->finding->start_pos.line) + ":" +
                                       std::to_string(clash->finding->start_pos.col),
                                   false, true});
        continue;
      }
      if (options.reviewer) {
        ImportPlanner& planner = ctx.imports();
        std::vector<Edit> edits = c.finding->fix->edits;
        for (Edit& e : planner.insertion_edits(c.finding->fix->imports, c.finding->fix->helpers))
          edits.push_back(std::move(e));
        std::string preview = apply_edits(cur.text(), edits, newline);
        auto full = [&]() {
          std::vector<Edit> all;
          std::vector<ImportNeed> needs;
          std::vector<HelperNeed> helpers;
          auto add = [&](const Fix& fx) {
            all.insert(all.end(), fx.edits.begin(), fx.edits.end());
            needs.insert(needs.end(), fx.imports.begin(), fx.imports.end());
            helpers.insert(helpers.end(), fx.helpers.begin(), fx.helpers.end());
          };
          for (const Candidate* a : accepted) add(*a->finding->fix);
          add(*c.finding->fix);
          for (Edit& e : planner.insertion_edits(needs, helpers)) all.push_back(std::move(e));
          normalize_edits(all);
          return apply_edits(cur.text(), all, newline);
        };
        auto d = options.reviewer->review(cur, *c.finding, preview, full);
        if (d == FixReviewer::Decision::Edit) {
          edited_text = options.reviewer->edited_text();
          accepted.push_back(&c);
          break;
        }
        if (d == FixReviewer::Decision::Skip) {
          rejected.insert(c.fp);
          r.rejected.push_back(*c.finding);
          continue;
        }
        if (d == FixReviewer::Decision::SkipFile) {
          stop_reviewing = true;
          break;
        }
        if (d == FixReviewer::Decision::Quit) {
          r.quit = true;
          break;
        }
      }
      accepted.push_back(&c);
    }
    if (edited_text) {
      // The user's own version of the result: it is the file now; its review is over.
      for (const Candidate* c : accepted) r.applied.push_back(AppliedFix{c->finding->rule_id, c->finding->fix->title, pass, c->finding->start_pos});
      r.edited = true;
      stop_reviewing = true;
      cur = cur.with_text(std::move(*edited_text));
      continue;
    }
    if (accepted.empty()) {
      r.remaining = std::move(findings);
      break;
    }

    // Apply, verify, and roll back the fixes that broke the syntax, until the rest holds.
    ImportPlanner& planner = ctx.imports();
    std::vector<std::string> removable;
    std::string new_text;
    Expected<syntax::Tree> new_tree = syntax::Tree();
    for (int attempt = 0; !accepted.empty(); ++attempt) {
      // Primary edits (identical ones merged), remembering which fixes own each.
      std::vector<std::pair<Edit, std::vector<size_t>>> owned;
      std::vector<ImportNeed> needs;
      std::vector<HelperNeed> helpers;
      for (size_t i = 0; i < accepted.size(); ++i) {
        const Fix& fx = *accepted[i]->finding->fix;
        for (const Edit& e : fx.edits) {
          auto it = std::find_if(owned.begin(), owned.end(), [&](const auto& o) { return o.first == e; });
          if (it == owned.end()) owned.push_back({e, {i}});
          else it->second.push_back(i);
        }
        needs.insert(needs.end(), fx.imports.begin(), fx.imports.end());
        helpers.insert(helpers.end(), fx.helpers.begin(), fx.helpers.end());
      }
      std::vector<Edit> side = planner.insertion_edits(needs, helpers);
      // A fix whose edits collide with the import insertion waits for the next pass.
      std::set<size_t> blocked;
      for (const Edit& s : side) {
        for (const auto& [e, owners] : owned) {
          if (edits_conflict(s, e)) blocked.insert(owners.begin(), owners.end());
        }
      }
      if (!blocked.empty()) {
        std::vector<const Candidate*> keep;
        for (size_t i = 0; i < accepted.size(); ++i)
          if (!blocked.count(i)) keep.push_back(accepted[i]);
        accepted.swap(keep);
        continue;
      }
      std::vector<std::pair<Edit, std::vector<size_t>>> all = owned;
      for (const Edit& s : side) all.push_back({s, {}});
      std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        if (a.first.begin != b.first.begin) return a.first.begin < b.first.begin;
        return a.first.is_insertion() && !b.first.is_insertion();
      });
      std::vector<Edit> edits;
      for (const auto& a : all) edits.push_back(a.first);
      new_text = apply_edits(cur.text(), edits, newline);
      new_tree = parser.parse(new_text);

      std::set<size_t> culprits;
      if (!new_tree) {
        for (size_t i = 0; i < accepted.size(); ++i) culprits.insert(i);
      } else {
        // New syntax errors: those not inside the (moved) errors the text already had.
        std::vector<std::pair<uint32_t, uint32_t>> moved;
        for (const auto& [b, e] : old_errors) moved.emplace_back(map_offset(edits, b, newline), map_offset(edits, e, newline));
        std::vector<std::pair<uint32_t, uint32_t>> fresh;
        for (const auto& er : error_ranges(new_tree->root())) {
          if (!overlaps_any(er.first, er.second, moved)) fresh.push_back(er);
        }
        if (fresh.empty()) break;  // verified
        // Suspects: the fixes whose edits share a line with a new error (all, when the
        // error surfaced away from every edit). One suspect is the culprit; among several,
        // the culprits are those that break the syntax on their own.
        std::set<size_t> suspects;
        auto ranges = new_ranges(edits, newline);
        for (size_t k = 0; k < all.size(); ++k) {
          uint32_t b = line_begin(new_text, ranges[k].first), e = line_end(new_text, ranges[k].second);
          for (const auto& er : fresh) {
            uint32_t eb = line_begin(new_text, er.first), ee = line_end(new_text, er.second);
            if (b < ee && eb < e) suspects.insert(all[k].second.begin(), all[k].second.end());
          }
        }
        if (suspects.empty()) {
          for (size_t i = 0; i < accepted.size(); ++i) suspects.insert(i);
        }
        if (suspects.size() == 1) {
          culprits = suspects;
        } else {
          for (size_t i : suspects) {
            const Fix& fx = *accepted[i]->finding->fix;
            std::vector<Edit> one = fx.edits;
            for (Edit& s : planner.insertion_edits(fx.imports, fx.helpers)) one.push_back(std::move(s));
            normalize_edits(one);
            auto t = parser.parse(apply_edits(cur.text(), one, newline));
            if (!t) {
              culprits.insert(i);
              continue;
            }
            std::vector<std::pair<uint32_t, uint32_t>> mv;
            for (const auto& [b, e] : old_errors)
              mv.emplace_back(map_offset(one, b, newline), map_offset(one, e, newline));
            for (const auto& er : error_ranges(t->root())) {
              if (!overlaps_any(er.first, er.second, mv)) culprits.insert(i);
            }
          }
          if (culprits.empty()) {
            // Each fix is fine alone; only the combination fails: keep the first fix and
            // retry the others on the next pass.
            accepted.resize(1);
            continue;
          }
        }
      }
      std::vector<const Candidate*> keep;
      for (size_t i = 0; i < accepted.size(); ++i) {
        if (!culprits.count(i)) {
          keep.push_back(accepted[i]);
          continue;
        }
        const Finding& f = *accepted[i]->finding;
        rejected.insert(accepted[i]->fp);
        note(f.rule_id, f.start_pos,
             "internal error: the " + f.rule_id + " fix produced code that does not parse; rolled back",
             true);
      }
      accepted.swap(keep);
    }
    if (accepted.empty()) continue;  // everything rolled back: match again (fixes now rejected)

    // Imports the applied fixes may have left unused.
    for (const Candidate* c : accepted) {
      for (const auto& q : c->finding->fix->remove_if_unused) {
        if (std::find(removable.begin(), removable.end(), q) == removable.end() && planner.is_import_used(q))
          removable.push_back(q);
      }
    }
    if (!removable.empty() && new_tree) {
      SourceFile next = cur.with_text(new_text);
      auto model = semantic::SemanticModel::build(new_tree->root(), next.text(), options.module_name, options.is_package);
      ImportPlanner after(next, new_tree->root(), model);
      std::vector<Edit> removal = after.removal_edits(removable);
      // Code that does not parse is never rewritten, unused import or not.
      auto errors = error_ranges(new_tree->root());
      removal.erase(std::remove_if(removal.begin(), removal.end(),
                                   [&](const Edit& e) { return overlaps_any(e.begin, e.end, errors); }),
                    removal.end());
      if (!removal.empty()) {
        std::string t2 = apply_edits(new_text, removal, newline);
        auto tree2 = parser.parse(t2);
        if (tree2 && error_ranges(tree2->root()).size() <= error_ranges(new_tree->root()).size()) {
          new_text = std::move(t2);
        }
      }
    }

    std::set<std::string> ids;
    for (const Candidate* c : accepted) {
      const Finding& f = *c->finding;
      if (auto it = skipped.find(c->fp); it != skipped.end()) {
        r.notes.push_back(std::move(it->second));  // it waited, then applied: informational
        skipped.erase(it);
      }
      r.applied.push_back(AppliedFix{f.rule_id, f.fix->title, pass, f.start_pos});
      ids.insert(f.rule_id);
    }
    rules_per_pass.push_back(std::move(ids));
    cur = cur.with_text(std::move(new_text));
  }
  // Fixes that waited for a conflict and never applied, though their finding remains.
  for (const Finding& f : r.remaining) {
    if (!f.fix) continue;
    auto it = skipped.find(fingerprint(f, cur.text()));
    if (it == skipped.end()) continue;
    it->second.verbose = false;
    r.notes.push_back(std::move(it->second));
    skipped.erase(it);
  }
  r.fixed = cur.bytes();
  return r;
}

}  // namespace asyncfix

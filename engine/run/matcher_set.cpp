#include "engine/run/matcher_set.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <map>

#include "engine/source/triggers.h"
#include "engine/syntax/node.h"

namespace asyncfix {

struct MatcherSet::TriggerSet {
  explicit TriggerSet(const RE2::Options& o) : set(o, RE2::UNANCHORED) {}
  RE2::Set set;
};

MatcherSet::~MatcherSet() = default;

namespace {

class Collector : public MatcherRegistry {
 public:
  void add_query(std::string source, uint32_t local_id) override {
    queries.push_back({std::move(source), local_id});
  }
  void add_calls(CallPattern pattern, uint32_t local_id) override {
    std::sort(pattern.names.begin(), pattern.names.end());
    calls.push_back({std::move(pattern), local_id});
  }
  struct Item {
    std::string source;
    uint32_t local_id;
  };
  struct Calls {
    CallPattern pattern;
    uint32_t local_id;
  };
  std::vector<Item> queries;
  std::vector<Calls> calls;
};

// The symbols named `kind` (named nodes only: what `(kind)` matches in a query).
std::vector<TSSymbol> symbols_named(std::string_view kind) {
  std::vector<TSSymbol> out;
  const auto& names = syntax::symbol_names().by_symbol;
  for (size_t s = 0; s < names.size(); ++s) {
    if (names[s].named && std::string_view(names[s].name, names[s].size) == kind) out.push_back(static_cast<TSSymbol>(s));
  }
  return out;
}

// A query that is only `((kind) @capture)`: its kind and capture.
bool simple_kind_query(const std::string& source, std::string* kind, std::string* capture) {
  static const RE2 kSimple(R"(\s*\(\(([a-z_]+)\)\s*@([A-Za-z_][A-Za-z0-9_]*)\)\s*)");
  return RE2::FullMatch(source, kSimple, kind, capture);
}

}  // namespace

Expected<std::unique_ptr<MatcherSet>> MatcherSet::build(const std::vector<RulePtr>& rules) {
  std::unique_ptr<MatcherSet> set(new MatcherSet());
  set->rules_ = rules;
  std::string combined;
  struct Part {
    uint32_t rule, local_id, begin, end;  // [begin, end): its bytes in `combined`
    const std::string* source;
  };
  std::vector<Part> parts;
  std::vector<Collector> collected(rules.size());
  set->by_symbol_.resize(syntax::symbol_names().by_symbol.size());
  auto add_node_pattern = [&](NodePattern p, const std::vector<TSSymbol>& symbols) {
    auto i = static_cast<uint32_t>(set->node_patterns_.size());
    set->node_patterns_.push_back(std::move(p));
    for (TSSymbol sym : symbols) set->by_symbol_[sym].push_back(i);
  };
  const std::vector<TSSymbol> call_symbols = symbols_named("call");
  for (uint32_t r = 0; r < rules.size(); ++r) {
    rules[r]->register_matchers(collected[r]);
    for (auto& c : collected[r].calls) {
      add_node_pattern(NodePattern{r, c.local_id, "call", true, std::move(c.pattern)}, call_symbols);
    }
    for (auto& q : collected[r].queries) {
      std::string kind, capture;
      if (simple_kind_query(q.source, &kind, &capture)) {
        auto symbols = symbols_named(kind);
        if (!symbols.empty()) {  // (an unknown kind stays in the query: its error names it)
          add_node_pattern(NodePattern{r, q.local_id, capture, false, {}}, symbols);
          continue;
        }
      }
      uint32_t begin = static_cast<uint32_t>(combined.size());
      combined += q.source;
      combined += "\n";
      parts.push_back(Part{r, q.local_id, begin, static_cast<uint32_t>(combined.size()), &q.source});
    }
  }
  std::vector<Entry> entries;
  if (!combined.empty()) {
    // Compiled once, all together (a query compiles slowly). When that fails, each part is
    // compiled alone to find the rule at fault: the error then points into its own query.
    auto q = syntax::Query::compile(combined);
    if (!q) {
      for (const Part& part : parts) {
        auto alone = syntax::Query::compile(*part.source);
        if (alone) continue;
        Error e = alone.error();
        e.message = "rule " + rules[part.rule]->info().id + ": " + e.message;
        e.location.path = rules[part.rule]->info().origin;
        return e;
      }
      return q.error();
    }
    set->query_ = std::move(q).value();
    // Each pattern belongs to the part its first byte is in.
    for (uint32_t p = 0; p < set->query_.pattern_count(); ++p) {
      uint32_t at = set->query_.pattern_start(p);
      auto it = std::upper_bound(parts.begin(), parts.end(), at, [](uint32_t b, const Part& part) { return b < part.begin; });
      const Part& part = *std::prev(it);
      entries.push_back(Entry{part.rule, part.local_id});
    }
  } else {
    // An empty query still needs a valid handle: a pattern that matches nothing real.
    auto q = syntax::Query::compile("((ERROR) @_never (#eq? @_never \"\\u0000never\"))");
    if (!q) return q.error();
    set->query_ = std::move(q).value();
    entries.push_back(Entry{UINT32_MAX, 0});
  }
  set->entries_ = std::move(entries);

  // Predicates, compiled once.
  auto preds = QueryPredicates::compile(set->query_);
  if (!preds) return preds.error();
  set->predicates_ = std::move(preds).value();

  // Prefilter.
  set->always_active_.assign(rules.size(), false);
  set->required_.resize(rules.size());
  for (uint32_t r = 0; r < rules.size(); ++r) {
    for (const auto& lit : rules[r]->info().required_triggers) {
      if (!lit.empty()) set->required_[r].push_back(lit);
    }
    const auto& t = rules[r]->info().triggers;
    if (t.empty()) set->always_active_[r] = true;
    for (const auto& lit : t) {
      if (lit.empty()) set->always_active_[r] = true;
      else set->literals_[lit].push_back(r);
    }
  }
  if (auto st = set->compile_triggers(); !st) return st.error();
  return set;
}

Status MatcherSet::compile_triggers() {
  trigger_set_.reset();
  trigger_rules_.clear();
  trigger_literals_.clear();
  bool any_required = std::any_of(required_.begin(), required_.end(), [](const auto& r) { return !r.empty(); });
  if (literals_.empty() && !any_required) return Ok{};
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  trigger_set_ = std::make_unique<TriggerSet>(o);
  // Required literals are in the set too (with no rule to activate: they only gate).
  for (const auto& req : required_) {
    for (const auto& lit : req) literals_.try_emplace(lit);
  }
  for (auto& [lit, rs] : literals_) {
    std::string err;
    std::string re = lit[0] == kWholeWord ? "\\b" + trigger_regex(lit.substr(1)) + "\\b" : trigger_regex(lit);
    if (trigger_set_->set.Add(re, &err) < 0) {
      return make_error(Error::Kind::Internal, "trigger '" + lit + "': " + err);
    }
    trigger_rules_.push_back(rs);
    trigger_literals_.push_back(lit);
  }
  if (!trigger_set_->set.Compile()) return make_error(Error::Kind::Internal, "cannot compile the trigger set");
  return Ok{};
}

Status MatcherSet::add_triggers(uint32_t rule, const std::vector<std::string>& literals, bool whole_words) {
  if (always_active_[rule] || literals.empty()) return Ok{};
  for (const auto& lit : literals) {
    if (lit.empty()) continue;
    auto& rs = literals_[whole_words ? kWholeWord + lit : lit];
    if (std::find(rs.begin(), rs.end(), rule) == rs.end()) rs.push_back(rule);
  }
  return compile_triggers();
}

bool MatcherSet::active_rules(std::string_view text, std::vector<bool>* active) const {
  *active = always_active_;
  std::vector<int> hits;
  if (trigger_set_) {
    re2::RE2::Set::ErrorInfo info;
    if (!trigger_set_->set.Match(text, &hits, &info) && info.kind != re2::RE2::Set::kNoError) {
      // Out of memory in the DFA: be safe, run everything.
      active->assign(rules_.size(), true);
      return true;
    }
  }
  std::vector<std::string_view> found;
  for (int h : hits) {
    for (uint32_t r : trigger_rules_[static_cast<size_t>(h)]) (*active)[r] = true;
    found.push_back(trigger_literals_[static_cast<size_t>(h)]);
  }
  bool any = false;
  for (size_t r = 0; r < rules_.size(); ++r) {
    for (const auto& lit : required_[r]) {
      if (std::find(found.begin(), found.end(), lit) == found.end()) (*active)[r] = false;
    }
    any |= (*active)[r];
  }
  return any;
}

bool MatcherSet::predicates_hold(const TSQueryMatch& m, const PredicateInput& in) const {
  return predicates_.hold(query_, m, in);
}

bool MatcherSet::node_pattern_matches(uint32_t i, TSNode node, std::string_view text) const {
  const NodePattern& p = node_patterns_[i];
  if (!p.is_call || p.call.filter == CallPattern::Names::Any) return true;
  TSNode callee = syntax::field(node, "function");
  bool plain = syntax::is(callee, "identifier");
  TSNode name_node = callee;
  if (!plain) {
    if (!syntax::is(callee, "attribute")) return false;
    name_node = syntax::field(callee, "attribute");
    if (!syntax::is(name_node, "identifier")) return false;
  }
  if (plain && p.call.filter == CallPattern::Names::AttributesOnly) return true;
  return std::binary_search(p.call.names.begin(), p.call.names.end(), syntax::text(name_node, text));
}

bool MatcherSet::query_needed(const std::vector<bool>& active) const {
  for (const Entry& e : entries_) {
    if (e.rule < active.size() && active[e.rule]) return true;
  }
  return false;
}

}  // namespace asyncfix

namespace asyncfix {

}  // namespace asyncfix

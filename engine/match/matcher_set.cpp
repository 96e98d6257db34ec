#include "engine/match/matcher_set.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <map>

#include "engine/semantic/model.h"
#include "engine/syntax/node.h"

namespace asyncfix {

struct MatcherSet::CompiledPredicate {
  enum class Op { Eq, NotEq, Match, NotMatch, AnyOf, NotAnyOf, QualName, Unknown };
  Op op = Op::Unknown;
  bool any = false;  // any-eq? style quantifier: true when any captured node may satisfy it
  std::vector<syntax::PredicateArg> args;
  std::vector<std::string> strings;       // string arguments (owned)
  std::shared_ptr<re2::RE2> regex;
};

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
  struct Item {
    std::string source;
    uint32_t local_id;
  };
  std::vector<Item> queries;
};

}  // namespace

Expected<std::unique_ptr<MatcherSet>> MatcherSet::build(const std::vector<RulePtr>& rules) {
  std::unique_ptr<MatcherSet> set(new MatcherSet());
  set->rules_ = rules;
  std::string combined;
  std::vector<Entry> entries;
  for (uint32_t r = 0; r < rules.size(); ++r) {
    Collector c;
    rules[r]->register_matchers(c);
    for (auto& q : c.queries) {
      // Compile alone first: the error then points into this rule's own query.
      auto alone = syntax::Query::compile(q.source);
      if (!alone) {
        Error e = alone.error();
        e.message = "rule " + rules[r]->info().id + ": " + e.message;
        e.location.path = rules[r]->info().origin;
        return e;
      }
      for (uint32_t p = 0; p < alone->pattern_count(); ++p) entries.push_back(Entry{r, q.local_id});
      combined += q.source;
      combined += "\n";
    }
  }
  if (!combined.empty()) {
    auto q = syntax::Query::compile(combined);
    if (!q) return q.error();
    set->query_ = std::move(q).value();
  } else {
    // An empty query still needs a valid handle: a pattern that matches nothing real.
    auto q = syntax::Query::compile("((ERROR) @_never (#eq? @_never \"\\u0000never\"))");
    if (!q) return q.error();
    set->query_ = std::move(q).value();
    entries.push_back(Entry{UINT32_MAX, 0});
  }
  set->entries_ = std::move(entries);

  // Predicates, compiled once.
  const syntax::Query& query = set->query_;
  set->predicates_.resize(query.pattern_count());
  for (uint32_t p = 0; p < query.pattern_count(); ++p) {
    for (const syntax::Predicate& pr : query.predicates(p)) {
      CompiledPredicate cp;
      std::string_view n = pr.name;
      if (n.substr(0, 4) == "any-" && n != "any-of?") {
        cp.any = true;
        n.remove_prefix(4);
      }
      if (n == "eq?") cp.op = CompiledPredicate::Op::Eq;
      else if (n == "not-eq?") cp.op = CompiledPredicate::Op::NotEq;
      else if (n == "match?") cp.op = CompiledPredicate::Op::Match;
      else if (n == "not-match?") cp.op = CompiledPredicate::Op::NotMatch;
      else if (n == "any-of?") cp.op = CompiledPredicate::Op::AnyOf;
      else if (n == "not-any-of?") cp.op = CompiledPredicate::Op::NotAnyOf;
      else if (n == "af-qualname?") cp.op = CompiledPredicate::Op::QualName;
      else if (n == "set!" || n == "is?" || n == "is-not?" || n == "select-adjacent!" || n == "strip!")
        continue;  // directives for highlighters; meaningless here
      else {
        uint32_t pattern_start = query.pattern_start(p);
        return make_error(Error::Kind::Rule, "unknown query predicate #" + std::string(pr.name) +
                                                 " (pattern at byte " + std::to_string(pattern_start) + ")");
      }
      cp.args = pr.args;
      for (const auto& a : pr.args) {
        if (!a.is_capture) cp.strings.emplace_back(a.text);
      }
      if (cp.op == CompiledPredicate::Op::Match || cp.op == CompiledPredicate::Op::NotMatch) {
        if (cp.strings.size() != 1 || pr.args.size() != 2 || !pr.args[0].is_capture) {
          return make_error(Error::Kind::Rule, "#match? takes a capture and one regex");
        }
        RE2::Options o;
        o.set_log_errors(false);
        cp.regex = std::make_shared<re2::RE2>(cp.strings[0], o);
        if (!cp.regex->ok()) {
          return make_error(Error::Kind::Rule, "invalid regex '" + cp.strings[0] + "': " + cp.regex->error());
        }
      }
      set->predicates_[p].push_back(std::move(cp));
    }
  }

  // Prefilter.
  set->always_active_.assign(rules.size(), false);
  std::map<std::string, std::vector<uint32_t>> by_literal;
  for (uint32_t r = 0; r < rules.size(); ++r) {
    const auto& t = rules[r]->info().triggers;
    if (t.empty()) set->always_active_[r] = true;
    for (const auto& lit : t) {
      if (lit.empty()) {
        set->always_active_[r] = true;
        continue;
      }
      by_literal[lit].push_back(r);
    }
  }
  if (!by_literal.empty()) {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(64 << 20);
    set->trigger_set_ = std::make_unique<TriggerSet>(o);
    for (auto& [lit, rs] : by_literal) {
      std::string err;
      if (set->trigger_set_->set.Add(RE2::QuoteMeta(lit), &err) < 0) {
        return make_error(Error::Kind::Internal, "trigger '" + lit + "': " + err);
      }
      set->trigger_rules_.push_back(rs);
    }
    if (!set->trigger_set_->set.Compile()) {
      return make_error(Error::Kind::Internal, "cannot compile the trigger set");
    }
  }
  return set;
}

bool MatcherSet::active_rules(std::string_view text, std::vector<bool>* active) const {
  *active = always_active_;
  bool any = std::find(active->begin(), active->end(), true) != active->end();
  if (!trigger_set_) return any;
  std::vector<int> hits;
  re2::RE2::Set::ErrorInfo info;
  if (!trigger_set_->set.Match(text, &hits, &info) && info.kind != re2::RE2::Set::kNoError) {
    // Out of memory in the DFA: be safe, run everything.
    active->assign(rules_.size(), true);
    return true;
  }
  for (int h : hits) {
    for (uint32_t r : trigger_rules_[static_cast<size_t>(h)]) (*active)[r] = true;
    any = true;
  }
  return any;
}

bool MatcherSet::predicates_hold(const TSQueryMatch& m, const PredicateInput& in) const {
  const auto& preds = predicates_[m.pattern_index];
  if (preds.empty()) return true;
  auto nodes_of = [&](uint32_t capture) {
    std::vector<TSNode> out;
    for (uint16_t i = 0; i < m.capture_count; ++i) {
      if (m.captures[i].index == capture) out.push_back(m.captures[i].node);
    }
    return out;
  };
  for (const CompiledPredicate& p : preds) {
    if (p.args.empty() || !p.args[0].is_capture) continue;
    std::vector<TSNode> nodes = nodes_of(p.args[0].capture);
    if (nodes.empty()) continue;  // an optional capture that did not match: vacuous
    auto holds_for = [&](TSNode node) -> bool {
      std::string_view t = syntax::text(node, in.text);
      switch (p.op) {
        case CompiledPredicate::Op::Eq:
        case CompiledPredicate::Op::NotEq: {
          bool eq;
          if (p.args.size() < 2) return true;
          if (p.args[1].is_capture) {
            auto other = nodes_of(p.args[1].capture);
            eq = !other.empty() && syntax::text(other[0], in.text) == t;
          } else {
            eq = t == p.args[1].text;
          }
          return p.op == CompiledPredicate::Op::Eq ? eq : !eq;
        }
        case CompiledPredicate::Op::Match:
          return RE2::PartialMatch(t, *p.regex);
        case CompiledPredicate::Op::NotMatch:
          return !RE2::PartialMatch(t, *p.regex);
        case CompiledPredicate::Op::AnyOf:
        case CompiledPredicate::Op::NotAnyOf: {
          bool found = std::find(p.strings.begin(), p.strings.end(), t) != p.strings.end();
          return p.op == CompiledPredicate::Op::AnyOf ? found : !found;
        }
        case CompiledPredicate::Op::QualName: {
          auto q = in.model().qualified_name(node);
          return q && std::find(p.strings.begin(), p.strings.end(), *q) != p.strings.end();
        }
        case CompiledPredicate::Op::Unknown:
          return true;
      }
      return true;
    };
    bool ok = p.any ? std::any_of(nodes.begin(), nodes.end(), holds_for)
                    : std::all_of(nodes.begin(), nodes.end(), holds_for);
    if (!ok) return false;
  }
  return true;
}

}  // namespace asyncfix

namespace asyncfix {

TSNode Match::capture(std::string_view name) const {
  const syntax::Query& q = set_.query();
  for (uint16_t i = 0; i < m_.capture_count; ++i) {
    if (q.capture_name(m_.captures[i].index) == name) return m_.captures[i].node;
  }
  return TSNode{};
}

std::vector<TSNode> Match::captures(std::string_view name) const {
  const syntax::Query& q = set_.query();
  std::vector<TSNode> out;
  for (uint16_t i = 0; i < m_.capture_count; ++i) {
    if (q.capture_name(m_.captures[i].index) == name) out.push_back(m_.captures[i].node);
  }
  return out;
}

}  // namespace asyncfix

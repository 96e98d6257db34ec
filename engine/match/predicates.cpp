#include "engine/match/predicates.h"

#include <re2/re2.h>

#include <algorithm>

#include "engine/semantic/model.h"
#include "engine/syntax/node.h"

namespace asyncfix {

struct QueryPredicates::Compiled {
  enum class Op { Eq, NotEq, Match, NotMatch, AnyOf, NotAnyOf, QualName };
  Op op = Op::Eq;
  bool any = false;
  std::vector<syntax::PredicateArg> args;
  std::vector<std::string> strings;
  std::shared_ptr<re2::RE2> regex;
};

QueryPredicates::QueryPredicates() = default;
QueryPredicates::~QueryPredicates() = default;
QueryPredicates::QueryPredicates(QueryPredicates&&) noexcept = default;
QueryPredicates& QueryPredicates::operator=(QueryPredicates&&) noexcept = default;

Expected<QueryPredicates> QueryPredicates::compile(const syntax::Query& query) {
  QueryPredicates out;
  out.per_pattern_.resize(query.pattern_count());
  for (uint32_t p = 0; p < query.pattern_count(); ++p) {
    for (const syntax::Predicate& pr : query.predicates(p)) {
      Compiled cp;
      std::string_view n = pr.name;
      if (n.substr(0, 4) == "any-" && n != "any-of?") {
        cp.any = true;
        n.remove_prefix(4);
      }
      if (n == "eq?") cp.op = Compiled::Op::Eq;
      else if (n == "not-eq?") cp.op = Compiled::Op::NotEq;
      else if (n == "match?") cp.op = Compiled::Op::Match;
      else if (n == "not-match?") cp.op = Compiled::Op::NotMatch;
      else if (n == "any-of?") cp.op = Compiled::Op::AnyOf;
      else if (n == "not-any-of?") cp.op = Compiled::Op::NotAnyOf;
      else if (n == "af-qualname?") cp.op = Compiled::Op::QualName;
      else if (n == "set!" || n == "is?" || n == "is-not?" || n == "select-adjacent!" || n == "strip!")
        continue;  // directives for editors; meaningless here
      else
        return make_error(Error::Kind::Rule, "unknown query predicate #" + std::string(pr.name));
      if (pr.args.empty() || !pr.args[0].is_capture) {
        return make_error(Error::Kind::Rule, "#" + std::string(pr.name) + " needs a capture as its first argument");
      }
      cp.args = pr.args;
      for (const auto& a : pr.args) {
        if (!a.is_capture) cp.strings.emplace_back(a.text);
      }
      if (cp.op == Compiled::Op::Match || cp.op == Compiled::Op::NotMatch) {
        if (cp.strings.size() != 1 || pr.args.size() != 2) {
          return make_error(Error::Kind::Rule, "#" + std::string(pr.name) + " takes a capture and one regex");
        }
        RE2::Options o;
        o.set_log_errors(false);
        cp.regex = std::make_shared<re2::RE2>(cp.strings[0], o);
        if (!cp.regex->ok()) {
          return make_error(Error::Kind::Rule, "regex refused by RE2: '" + cp.strings[0] + "': " + cp.regex->error());
        }
      }
      out.per_pattern_[p].push_back(std::move(cp));
    }
  }
  return out;
}

bool QueryPredicates::hold(const syntax::Query& query, const TSQueryMatch& m, const MatchInput& in) const {
  (void)query;
  if (m.pattern_index >= per_pattern_.size()) return true;
  const auto& preds = per_pattern_[m.pattern_index];
  if (preds.empty()) return true;
  auto nodes_of = [&](uint32_t capture) {
    std::vector<TSNode> out;
    for (uint16_t i = 0; i < m.capture_count; ++i) {
      if (m.captures[i].index == capture) out.push_back(m.captures[i].node);
    }
    return out;
  };
  for (const Compiled& p : preds) {
    std::vector<TSNode> nodes = nodes_of(p.args[0].capture);
    if (nodes.empty()) continue;  // an optional capture that did not match: vacuous
    auto holds_for = [&](TSNode node) -> bool {
      std::string_view t = syntax::text(node, in.text);
      switch (p.op) {
        case Compiled::Op::Eq:
        case Compiled::Op::NotEq: {
          if (p.args.size() < 2) return true;
          bool eq;
          if (p.args[1].is_capture) {
            auto other = nodes_of(p.args[1].capture);
            eq = !other.empty() && syntax::text(other[0], in.text) == t;
          } else {
            eq = t == p.args[1].text;
          }
          return p.op == Compiled::Op::Eq ? eq : !eq;
        }
        case Compiled::Op::Match:
          return RE2::PartialMatch(t, *p.regex);
        case Compiled::Op::NotMatch:
          return !RE2::PartialMatch(t, *p.regex);
        case Compiled::Op::AnyOf:
        case Compiled::Op::NotAnyOf: {
          bool found = std::find(p.strings.begin(), p.strings.end(), t) != p.strings.end();
          return p.op == Compiled::Op::AnyOf ? found : !found;
        }
        case Compiled::Op::QualName: {
          const auto& model = in.model();
          return std::any_of(p.strings.begin(), p.strings.end(),
                             [&](const std::string& q) { return model.name_matches(node, q); });
        }
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

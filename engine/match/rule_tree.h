// The rule language's matching part, as ast-grep users know it: a rule object holds atomic
// conditions (pattern, kind, regex, query), relational ones (inside, has, follows, precedes
// with stopBy and field), composite ones (all, any, not), and the semantic conditions of the
// async domain (inside-async, inside-sync-def, in-route-handler, not-awaited, result-unused).
// Every condition present must hold (an implicit `all`).
//
// Matching knows nothing of YAML (engine/yaml/yaml_rule.cpp builds these objects).
#pragma once

#include <tree_sitter/api.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/match/match_input.h"
#include "engine/match/pattern.h"
#include "engine/match/predicates.h"

namespace re2 {
class RE2;
}

namespace asyncfix {

// A raw tree-sitter query used as a condition. The node it stands for is the capture named
// `match`, else the widest capture of the match; other captures become metavariables.
struct RawQuery {
  std::string source;
  syntax::Query query;
  QueryPredicates predicates;
  static Expected<std::shared_ptr<const RawQuery>> compile(std::string source);
  // The node a match stands for, and its captures as metavariables.
  TSNode root_of(const TSQueryMatch& m, MetaEnv* env, std::string_view text) const;
};

struct RuleObject;

struct Relation {
  enum class Stop { Neighbor, End, Rule };
  std::unique_ptr<RuleObject> rule;
  Stop stop = Stop::Neighbor;
  std::unique_ptr<RuleObject> stop_rule;
  std::string field;
};

struct RuleObject {
  std::shared_ptr<const Pattern> pattern;
  std::string kind;
  std::shared_ptr<const re2::RE2> regex;
  std::shared_ptr<const RawQuery> query;

  std::optional<bool> inside_async, inside_sync_def, in_route_handler, not_awaited, result_unused;

  std::unique_ptr<Relation> inside, has, follows, precedes;

  std::vector<RuleObject> all, any;
  std::unique_ptr<RuleObject> not_;

  // Does `node` satisfy every condition? Captures go to env (kept only on success).
  bool matches(TSNode node, const MatchInput& in, MetaEnv& env) const;

  // Queries that find candidate nodes for this rule in the main walk ("drivers"): from the
  // pattern, kind or query of the object, of each `any` branch, or of one `all` member.
  // Empty when the rule has no positive matcher.
  std::vector<std::string> drivers() const;
  // Literals a file must contain for the rule to match (any one of them); empty: unknown.
  std::vector<std::string> triggers() const;
  // Metavariables the rule can capture (for checking fix templates).
  void metavariables(std::vector<std::string>& out) const;
};

}  // namespace asyncfix

#include "engine/match/rule_tree.h"

#include <re2/re2.h>

#include <algorithm>

#include "engine/semantic/model.h"
#include "engine/syntax/node.h"

namespace asyncfix {

using syntax::kind;

Expected<std::shared_ptr<const RawQuery>> RawQuery::compile(std::string source) {
  auto q = syntax::Query::compile(source);
  if (!q) return q.error();
  auto preds = QueryPredicates::compile(*q);
  if (!preds) return preds.error();
  auto r = std::make_shared<RawQuery>();
  r->source = std::move(source);
  r->query = std::move(q).value();
  r->predicates = std::move(preds).value();
  return std::shared_ptr<const RawQuery>(std::move(r));
}

TSNode RawQuery::root_of(const TSQueryMatch& m, MetaEnv* env, std::string_view) const {
  TSNode root{};
  TSNode widest{};
  for (uint16_t i = 0; i < m.capture_count; ++i) {
    TSNode n = m.captures[i].node;
    std::string_view name = query.capture_name(m.captures[i].index);
    if (name == "match") root = n;
    if (ts_node_is_null(widest) || (ts_node_start_byte(n) <= ts_node_start_byte(widest) &&
                                    ts_node_end_byte(n) >= ts_node_end_byte(widest)))
      widest = n;
    if (env && !name.empty() && name[0] != '_' && name != "match") {
      auto& c = (*env)[std::string(name)];
      c.nodes.push_back(n);
      c.begin = c.nodes.size() == 1 ? ts_node_start_byte(n) : std::min(c.begin, ts_node_start_byte(n));
      c.end = std::max(c.end, ts_node_end_byte(n));
      c.multi = c.nodes.size() > 1;
    }
  }
  return ts_node_is_null(root) ? widest : root;
}

namespace {

bool raw_query_at(const RawQuery& q, TSNode node, const MatchInput& in, MetaEnv& env) {
  syntax::QueryCursor cursor;
  cursor.exec(q.query, node, 0);
  TSQueryMatch m;
  while (cursor.next_match(&m)) {
    if (!q.predicates.hold(q.query, m, in)) continue;
    MetaEnv local;
    TSNode root = q.root_of(m, &local, in.text);
    if (!syntax::same(root, node)) continue;
    for (auto& [k, v] : local) env[k] = std::move(v);
    return true;
  }
  return false;
}

// The child of `ancestor` on the way down to `node`.
TSNode child_toward(TSNode ancestor, TSNode node) {
  return ts_node_child_with_descendant(ancestor, node);
}

bool in_field(TSNode parent, TSNode child, const std::string& field) {
  if (field.empty()) return true;
  const char* f = syntax::field_of(parent, child);
  return f && field == f;
}

bool relation_inside(const Relation& r, TSNode node, const MatchInput& in, MetaEnv& env) {
  TSNode below = node;
  for (TSNode p = syntax::parent(node); !syntax::is_null(p); p = syntax::parent(p)) {
    bool field_ok = r.field.empty() || in_field(p, child_toward(p, node), r.field);
    if (field_ok && r.rule->matches(p, in, env)) return true;
    if (r.stop == Relation::Stop::Neighbor) return false;
    if (r.stop == Relation::Stop::Rule) {
      MetaEnv scratch = env;
      if (r.stop_rule->matches(p, in, scratch)) return false;
    }
    below = p;
  }
  (void)below;
  return false;
}

bool relation_has(const Relation& r, TSNode node, const MatchInput& in, MetaEnv& env) {
  std::vector<TSNode> start;
  if (!r.field.empty()) {
    TSNode f = syntax::field(node, r.field.c_str());
    if (syntax::is_null(f)) return false;
    if (r.stop == Relation::Stop::Neighbor) return r.rule->matches(f, in, env);
    start.push_back(f);
  } else {
    start = syntax::children(node, true);
    if (r.stop == Relation::Stop::Neighbor) {
      for (TSNode c : start) {
        if (r.rule->matches(c, in, env)) return true;
      }
      return false;
    }
  }
  for (TSNode s : start) {
    bool found = false;
    syntax::walk(s, [&](TSNode d) {
      if (found) return false;
      if (!ts_node_is_named(d)) return false;
      if (r.rule->matches(d, in, env)) {
        found = true;
        return false;
      }
      if (r.stop == Relation::Stop::Rule) {
        MetaEnv scratch = env;
        if (r.stop_rule->matches(d, in, scratch)) return false;
      }
      return true;
    });
    if (found) return true;
  }
  return false;
}

bool relation_sibling(const Relation& r, TSNode node, const MatchInput& in, MetaEnv& env, bool before) {
  TSNode parent = syntax::parent(node);
  if (syntax::is_null(parent)) return false;
  std::vector<TSNode> sibs = syntax::code_children(parent);
  auto it = std::find_if(sibs.begin(), sibs.end(), [&](TSNode s) { return syntax::same(s, node); });
  if (it == sibs.end()) return false;
  auto check = [&](TSNode s) -> int {  // 1 match, -1 stop, 0 go on
    if (r.rule->matches(s, in, env)) return 1;
    if (r.stop == Relation::Stop::Neighbor) return -1;
    if (r.stop == Relation::Stop::Rule) {
      MetaEnv scratch = env;
      if (r.stop_rule->matches(s, in, scratch)) return -1;
    }
    return 0;
  };
  if (before) {
    for (auto s = std::make_reverse_iterator(it); s != sibs.rend(); ++s) {
      int c = check(*s);
      if (c != 0) return c == 1;
    }
  } else {
    for (auto s = it + 1; s != sibs.end(); ++s) {
      int c = check(*s);
      if (c != 0) return c == 1;
    }
  }
  return false;
}

}  // namespace

bool RuleObject::matches(TSNode node, const MatchInput& in, MetaEnv& env) const {
  if (syntax::is_null(node)) return false;
  MetaEnv saved = env;
  auto fail = [&] {
    env = std::move(saved);
    return false;
  };
  if (!kind.empty() && (!ts_node_is_named(node) || syntax::kind(node) != kind)) return fail();
  if (pattern && !pattern->match(node, in, env)) return fail();
  if (regex && !RE2::PartialMatch(syntax::text(node, in.text), *regex)) return fail();
  if (query && !raw_query_at(*query, node, in, env)) return fail();

  if (inside_async || inside_sync_def) {
    auto ctx = in.model().context_at(node);
    if (inside_async && (ctx == semantic::Context::AsyncFunction) != *inside_async) return fail();
    if (inside_sync_def && (ctx == semantic::Context::SyncFunction) != *inside_sync_def) return fail();
  }
  if (in_route_handler) {
    TSNode fn = in.model().enclosing_function(node);
    bool route = syntax::is(fn, "function_definition") && in.model().is_route_handler(fn);
    if (route != *in_route_handler) return fail();
  }
  if (not_awaited && is_awaited(node) == *not_awaited) return fail();
  if (result_unused && is_result_unused(node) != *result_unused) return fail();

  if (inside && !relation_inside(*inside, node, in, env)) return fail();
  if (has && !relation_has(*has, node, in, env)) return fail();
  if (follows && !relation_sibling(*follows, node, in, env, true)) return fail();
  if (precedes && !relation_sibling(*precedes, node, in, env, false)) return fail();

  for (const RuleObject& r : all) {
    if (!r.matches(node, in, env)) return fail();
  }
  if (!any.empty()) {
    bool one = false;
    for (const RuleObject& r : any) {
      if (r.matches(node, in, env)) {
        one = true;
        break;
      }
    }
    if (!one) return fail();
  }
  if (not_) {
    MetaEnv scratch = env;  // captures under `not` never escape
    if (not_->matches(node, in, scratch)) return fail();
  }
  return true;
}

std::vector<std::string> RuleObject::drivers() const {
  if (pattern) return {pattern->query()};
  if (query) return {query->source};
  if (!kind.empty()) return {"((" + kind + ") @_root)"};
  if (!any.empty()) {
    std::vector<std::string> out;
    for (const RuleObject& r : any) {
      auto d = r.drivers();
      if (d.empty()) return {};  // one branch without a driver: it could match anything
      out.insert(out.end(), d.begin(), d.end());
    }
    return out;
  }
  for (const RuleObject& r : all) {
    auto d = r.drivers();
    if (!d.empty()) return d;
  }
  return {};
}

std::vector<std::string> RuleObject::triggers() const {
  if (pattern) {
    if (!pattern->trigger().empty()) return {pattern->trigger()};
  }
  if (!any.empty()) {
    std::vector<std::string> out;
    for (const RuleObject& r : any) {
      auto t = r.triggers();
      if (t.empty()) return {};
      out.insert(out.end(), t.begin(), t.end());
    }
    return out;
  }
  for (const RuleObject& r : all) {
    auto t = r.triggers();
    if (!t.empty()) return t;
  }
  if (has) return has->rule->triggers();  // what a node must contain is in the file too
  return {};
}

void RuleObject::metavariables(std::vector<std::string>& out) const {
  auto add = [&](const std::string& n) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  if (pattern) {
    for (const auto& m : pattern->metavariables()) add(m);
  }
  if (query) {
    for (uint32_t i = 0; i < query->query.capture_count(); ++i) {
      std::string n(query->query.capture_name(i));
      if (!n.empty() && n[0] != '_' && n != "match") add(n);
    }
  }
  for (const auto* rel : {inside.get(), has.get(), follows.get(), precedes.get()}) {
    if (rel) rel->rule->metavariables(out);
  }
  for (const RuleObject& r : all) r.metavariables(out);
  for (const RuleObject& r : any) r.metavariables(out);
}

}  // namespace asyncfix

#include "transforms/blocking_catalog.h"

#include <map>
#include <set>

#include "engine/semantic/library_model.h"
#include "engine/semantic/model.h"
#include "engine/semantic/types.h"
#include "engine/syntax/node.h"

namespace asyncfix::rules {

namespace {

std::string_view last_part(std::string_view q) {
  size_t dot = q.rfind('.');
  return dot == std::string_view::npos ? q : q.substr(dot + 1);
}

// A blocking method of a library class, following delegates-to: the hit names the class that
// has the method (a scoped_session's `commit` is sqlalchemy.orm.Session.commit).
std::optional<BlockingHit> blocking_method(const semantic::LibraryModel& lib, std::string type, std::string_view name) {
  for (int hop = 0; hop < 4 && !type.empty(); ++hop) {
    const semantic::ClassFact* c = lib.class_fact(type);
    if (!c) return std::nullopt;
    auto it = c->methods.find(name);
    if (it != c->methods.end()) {
      if (it->second.rule.empty()) return std::nullopt;
      return BlockingHit{type + "." + std::string(name), it->second.rule, it->second.instead};
    }
    type = c->delegates_to;
  }
  return std::nullopt;
}

}  // namespace

// The facts are the library model's (library/*.yml and the user's own files): sources are the
// async review guides in shared/seeds/, and at least what ruff's flake8-async rules (ASYNC210,
// 212, 220, 221, 222, 230, 240, 250, 251) detect.
std::optional<BlockingHit> classify_blocking(TSNode call, const semantic::SemanticModel& model,
                                             const semantic::TypeOracle& types, const RuleSettings* settings) {
  const semantic::LibraryModel& lib = semantic::LibraryModel::current();
  TSNode fn = syntax::field(call, "function");
  if (auto q = model.qualified_name(fn)) {
    std::string canon = lib.canonical(*q);
    if (const semantic::CallFact* f = lib.function(canon); f && !f->rule.empty()) return BlockingHit{canon, f->rule, f->instead};
    // `Session.query(db, ...)`: a method called on its class.
    size_t dot = q->rfind('.');
    if (dot != std::string::npos && lib.is_blocking_method_name(std::string_view(*q).substr(dot + 1))) {
      if (auto hit = blocking_method(lib, lib.canonical(q->substr(0, dot)), std::string_view(*q).substr(dot + 1))) return hit;
    }
    if (settings) {
      for (const auto& extra : settings->extra_blocking_calls) {
        if (*q == extra) return BlockingHit{extra, "AF107", ""};
      }
    }
  }
  if (syntax::is(fn, "attribute")) {
    // Type inference only for the method names some class's blocking entry has.
    std::string_view name = syntax::text(syntax::field(fn, "attribute"), model.source());
    if (!lib.is_blocking_method_name(name)) return std::nullopt;
    auto t = types.type_of(syntax::field(fn, "object"));
    if (t) return blocking_method(lib, *t, name);
  }
  return std::nullopt;
}

std::vector<std::string> blocking_call_names(std::string_view rule, const RuleSettings* settings) {
  auto base = semantic::LibraryModel::current().blocking_names(rule);
  std::set<std::string> names(base.begin(), base.end());
  if (settings && rule == "AF107") {
    for (const auto& extra : settings->extra_blocking_calls) names.emplace(last_part(extra));
  }
  return {names.begin(), names.end()};
}

BlockingClassifier index_classifier(RuleSettings settings) {
  return [settings](TSNode call, const semantic::SemanticModel& model,
                    const semantic::TypeOracle& types) -> std::optional<std::pair<std::string, std::string>> {
    auto hit = classify_blocking(call, model, types, &settings);
    if (!hit) return std::nullopt;
    return std::make_pair(hit->api, hit->rule);
  };
}

}  // namespace asyncfix::rules

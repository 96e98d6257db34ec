#include "engine/source/triggers.h"
#include "engine/base/files.h"
#include "engine/yaml/yaml_rule.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/match/pattern.h"
#include "engine/match/rule_tree.h"
#include "engine/rewrite/template.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"

namespace asyncfix {

struct YamlRule::Impl {
  RuleInfo info;
  RuleObject rule;
  std::vector<std::pair<std::string, RuleObject>> constraints;
  std::optional<FixTemplate> fix;
  std::vector<ImportSpec> imports_add;
  std::vector<std::string> remove_if_unused;
  std::string note;
  std::vector<std::string> drivers;
  RuleTests tests;
  std::string path, content;
};

YamlRule::YamlRule(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
YamlRule::~YamlRule() = default;
const RuleInfo& YamlRule::info() const { return impl_->info; }
const RuleTests& YamlRule::tests() const { return impl_->tests; }
const std::string& YamlRule::path() const { return impl_->path; }
const std::string& YamlRule::content() const { return impl_->content; }

void YamlRule::register_matchers(MatcherRegistry& registry) const {
  for (uint32_t i = 0; i < impl_->drivers.size(); ++i) registry.add_query(impl_->drivers[i], i);
}

namespace {

// "$X" in a message: the captured text, on one line and not too long.
std::string substitute(std::string_view msg, const MetaEnv& env, std::string_view text) {
  std::string out;
  for (size_t i = 0; i < msg.size();) {
    if (msg[i] == '$') {
      size_t s = i + 1;
      while (s < msg.size() && msg[s] == '$') ++s;
      size_t e = s;
      while (e < msg.size() && (isupper(static_cast<unsigned char>(msg[e])) || isdigit(static_cast<unsigned char>(msg[e])) || msg[e] == '_')) ++e;
      auto it = env.find(msg.substr(s, e - s));
      if (e > s && it != env.end()) {
        std::string v(text.substr(it->second.begin, it->second.end - it->second.begin));
        std::replace(v.begin(), v.end(), '\n', ' ');
        if (v.size() > 60) v = v.substr(0, 57) + "...";
        out += v;
        i = e;
        continue;
      }
    }
    out += msg[i++];
  }
  return out;
}

}  // namespace

void YamlRule::on_match(const Match& match, FileContext& ctx) const {
  const Impl& r = *impl_;
  MatchInput in{ctx.text(), [&]() -> const semantic::SemanticModel& { return ctx.model(); }};
  TSNode node = match.capture("_root");
  MetaEnv env;
  if (syntax::is_null(node)) {
    // A raw query driver: its node is @match (or the widest capture).
    TSNode widest{};
    for (auto [name, n] : match.all_captures()) {
      if (name == "match") node = n;
      if (ts_node_is_null(widest) || (ts_node_start_byte(n) <= ts_node_start_byte(widest) &&
                                      ts_node_end_byte(n) >= ts_node_end_byte(widest)))
        widest = n;
    }
    if (syntax::is_null(node)) node = widest;
  }
  if (syntax::is_null(node) || !r.rule.matches(node, in, env)) return;
  for (const auto& [name, cons] : r.constraints) {
    auto it = env.find(name);
    if (it == env.end()) continue;
    for (TSNode n : it->second.nodes) {
      MetaEnv scratch = env;
      if (!cons.matches(n, in, scratch)) return;
    }
  }
  Finding& f = ctx.report(node, substitute(r.info.message, env, ctx.text()));
  if (!r.note.empty()) f.note = substitute(r.note, env, ctx.text());
  if (!r.fix) return;
  auto rendered = r.fix->render(env, node, ctx.source(), ctx.imports());
  Fix fix;
  fix.title = r.info.fix_title;
  fix.applicability = r.info.applicability;
  fix.edits.push_back(Edit{ts_node_start_byte(node), ts_node_end_byte(node), std::move(rendered.text)});
  fix.explicit_imports = std::move(rendered.needs);  // the rule file asked for them
  fix.remove_if_unused = r.remove_if_unused;
  f.fix = std::move(fix);
}

namespace {

// --- YAML reading, with file:line:col on every error ---------------------------------------

class Reader {
 public:
  Reader(std::string path, std::string_view content) : path_(std::move(path)), content_(content) {
    size_t b = 0;
    while (b <= content_.size()) {
      size_t e = content_.find('\n', b);
      if (e == std::string_view::npos) e = content_.size();
      lines_.push_back(content_.substr(b, e - b));
      b = e + 1;
    }
  }

  Error error(const YAML::Node& at, const std::string& what) const {
    const YAML::Mark m = at.Mark();
    return make_error(Error::Kind::Rule, what, {path_, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)});
  }
  Error error(const YAML::Mark& m, const std::string& what) const {
    return make_error(Error::Kind::Rule, what, {path_, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)});
  }

  // An error found at line:col inside a scalar's value: where is it in the file?
  Error error_inside(const YAML::Node& scalar, const Error& inner, const std::string& prefix) const {
    Error e = inner;
    e.message = prefix + inner.message;
    YAML::Mark m = scalar.Mark();
    uint32_t line = static_cast<uint32_t>(m.line + 1), col = static_cast<uint32_t>(m.column + 1);
    std::string_view first = m.line >= 0 && static_cast<size_t>(m.line) < lines_.size() ? lines_[static_cast<size_t>(m.line)] : "";
    std::string_view at = first.substr(std::min<size_t>(static_cast<size_t>(m.column), first.size()));
    bool block = !at.empty() && (at[0] == '|' || at[0] == '>');
    bool quoted = !at.empty() && (at[0] == '"' || at[0] == '\'');
    uint32_t il = std::max<uint32_t>(inner.location.line, 1), ic = std::max<uint32_t>(inner.location.col, 1);
    if (block) {
      // The block's text starts on the next line, indented as its first line is.
      std::string_view first_body = line < lines_.size() ? lines_[line] : "";
      size_t indent = first_body.find_first_not_of(' ');
      e.location = {path_, line + il, static_cast<uint32_t>((indent == std::string_view::npos ? 0 : indent) + ic)};
    } else {
      e.location = {path_, line + il - 1, il == 1 ? col + (quoted ? 1 : 0) + ic - 1 : ic};
    }
    return e;
  }

  // An error of the whole document (a missing field), placed at its start.
  Error error_at_start(const std::string& what) const { return make_error(Error::Kind::Rule, what, {path_, 1, 1}); }

  // A required field that is missing though the file writes it (`rule:` at the start of a
  // line): a quote or bracket above it was not closed, and the field became part of a value.
  // Says where the value that swallowed it starts. Empty when the file does not write it.
  std::optional<Error> swallowed_field(const YAML::Node& doc, const std::string& field) const {
    uint32_t at = 0;
    for (size_t i = 0; i < lines_.size() && !at; ++i) {
      if (lines_[i].rfind(field + ":", 0) == 0) at = static_cast<uint32_t>(i + 1);
    }
    if (!at) return std::nullopt;
    uint32_t from = 0;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const YAML::Mark m = it->second.Mark();
      if (m.line >= 0 && static_cast<uint32_t>(m.line + 1) < at) from = static_cast<uint32_t>(m.line + 1);
    }
    return make_error(Error::Kind::Rule,
                      "`" + field + ":` here is not a field: it is inside the value that starts on line " +
                          std::to_string(from) + " (a quote or bracket there is not closed)",
                      {path_, at, 1});
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string_view content_;
  std::vector<std::string_view> lines_;
};

Status check_keys(const Reader& rd, const YAML::Node& map, std::initializer_list<const char*> allowed, const char* where) {
  if (!map.IsMap()) return rd.error(map, std::string(where) + " must be a mapping");
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = it->first.as<std::string>();
    bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; });
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      return rd.error(it->first, "unknown field `" + key + "` in " + where + " (expected one of: " + list + ")");
    }
  }
  return Ok{};
}

Expected<std::string> scalar(const Reader& rd, const YAML::Node& n, const char* what) {
  if (!n.IsScalar()) return rd.error(n, std::string(what) + " must be a string");
  return n.as<std::string>();
}

Expected<bool> boolean(const Reader& rd, const YAML::Node& n, const char* what) {
  if (!n.IsScalar()) return rd.error(n, std::string(what) + " must be true or false");
  std::string v = n.as<std::string>();
  if (v == "true") return true;
  if (v == "false") return false;
  return rd.error(n, std::string(what) + " must be true or false, not `" + v + "`");
}

Expected<std::vector<std::string>> string_list(const Reader& rd, const YAML::Node& n, const char* what) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return out;
  }
  if (!n.IsSequence()) return rd.error(n, std::string(what) + " must be a list of strings");
  for (const auto& item : n) {
    if (!item.IsScalar()) return rd.error(item, std::string(what) + " must be a list of strings");
    out.push_back(item.as<std::string>());
  }
  return out;
}

bool known_kind(const std::string& k) {
  return ts_language_symbol_for_name(syntax::python(), k.c_str(), static_cast<uint32_t>(k.size()), true) != 0;
}
bool known_field(const std::string& f) {
  return ts_language_field_id_for_name(syntax::python(), f.c_str(), static_cast<uint32_t>(f.size())) != 0;
}

Expected<RuleObject> parse_rule(const Reader& rd, const YAML::Node& n, const char* where);

Expected<std::unique_ptr<Relation>> parse_relation(const Reader& rd, const YAML::Node& n, const char* where) {
  if (auto st = check_keys(rd, n, {"pattern", "kind", "regex", "query", "inside", "has", "follows", "precedes",
                                   "all", "any", "not", "inside-async", "inside-sync-def", "in-route-handler",
                                   "not-awaited", "result-unused", "stopBy", "field"},
                           where);
      !st)
    return st.error();
  auto rel = std::make_unique<Relation>();
  if (n["stopBy"]) {
    const YAML::Node& sb = n["stopBy"];
    if (sb.IsScalar()) {
      std::string v = sb.as<std::string>();
      if (v == "neighbor") rel->stop = Relation::Stop::Neighbor;
      else if (v == "end") rel->stop = Relation::Stop::End;
      else return rd.error(sb, "stopBy must be `neighbor`, `end`, or a rule");
    } else {
      auto stop = parse_rule(rd, sb, "stopBy");
      if (!stop) return stop.error();
      rel->stop = Relation::Stop::Rule;
      rel->stop_rule = std::make_unique<RuleObject>(std::move(stop).value());
    }
  }
  if (n["field"]) {
    auto f = scalar(rd, n["field"], "field");
    if (!f) return f.error();
    if (!known_field(*f)) return rd.error(n["field"], "unknown field name `" + *f + "` (see `asyncfix` docs/writing-rules.md)");
    rel->field = *f;
  }
  auto inner = parse_rule(rd, n, where);  // the other keys are a rule object
  if (!inner) return inner.error();
  rel->rule = std::make_unique<RuleObject>(std::move(inner).value());
  return rel;
}

// `pattern: CODE` or `pattern: {context: CODE, selector: KIND}`.
Status parse_pattern(const Reader& rd, const YAML::Node& v, RuleObject& r) {
  std::string text, selector;
  YAML::Node text_node = v;
  if (v.IsMap()) {
    if (auto st = check_keys(rd, v, {"context", "selector"}, "pattern"); !st) return st.error();
    if (!v["context"]) return rd.error(v, "pattern needs `context` (and optionally `selector`)");
    auto c = scalar(rd, v["context"], "context");
    if (!c) return c.error();
    text = *c;
    text_node.reset(v["context"]);  // rebind: `=` would overwrite the node it refers to
    if (v["selector"]) {
      auto s = scalar(rd, v["selector"], "selector");
      if (!s) return s.error();
      if (!known_kind(*s)) return rd.error(v["selector"], "unknown node kind `" + *s + "`");
      selector = *s;
    }
  } else {
    auto s = scalar(rd, v, "pattern");
    if (!s) return s.error();
    text = *s;
  }
  auto p = Pattern::compile(text, selector);
  if (!p) return rd.error_inside(text_node, p.error(), "");
  r.pattern = std::move(p).value();
  return Ok{};
}

// The atomic matchers: kind, regex, query.
Status parse_atom(const Reader& rd, const std::string& key, const YAML::Node& v, RuleObject& r) {
  auto s = scalar(rd, v, key.c_str());
  if (!s) return s.error();
  if (key == "kind") {
    if (!known_kind(*s)) return rd.error(v, "unknown node kind `" + *s + "` (tree-sitter-python's node types)");
    r.kind = *s;
  } else if (key == "regex") {
    RE2::Options o;
    o.set_log_errors(false);
    auto re = std::make_shared<re2::RE2>(*s, o);
    if (!re->ok()) return rd.error(v, "regex refused by RE2: " + re->error());
    r.regex = re;
  } else {
    auto q = RawQuery::compile(*s);
    if (!q) return rd.error_inside(v, q.error(), "");
    r.query = std::move(q).value();
  }
  return Ok{};
}

Expected<RuleObject> parse_rule(const Reader& rd, const YAML::Node& n, const char* where);

// all, any, not: rules made of rules.
Status parse_composite(const Reader& rd, const std::string& key, const YAML::Node& v, RuleObject& r) {
  if (key == "not") {
    auto sub = parse_rule(rd, v, "not");
    if (!sub) return sub.error();
    r.not_ = std::make_unique<RuleObject>(std::move(sub).value());
    return Ok{};
  }
  if (!v.IsSequence()) return rd.error(v, "`" + key + "` must be a list of rules");
  auto& list = key == "all" ? r.all : r.any;
  for (const auto& item : v) {
    auto sub = parse_rule(rd, item, key.c_str());
    if (!sub) return sub.error();
    list.push_back(std::move(sub).value());
  }
  if (list.empty()) return rd.error(v, "`" + key + "` must not be empty");
  return Ok{};
}

// The yes/no conditions: inside-async, inside-sync-def, in-route-handler, not-awaited, result-unused.
Status parse_flag(const Reader& rd, const std::string& key, const YAML::Node& v, RuleObject& r) {
  auto b = boolean(rd, v, key.c_str());
  if (!b) return b.error();
  if (key == "inside-async") r.inside_async = *b;
  else if (key == "inside-sync-def") r.inside_sync_def = *b;
  else if (key == "in-route-handler") r.in_route_handler = *b;
  else if (key == "not-awaited") r.not_awaited = *b;
  else if (key == "result-unused") r.result_unused = *b;
  return Ok{};
}

Expected<RuleObject> parse_rule(const Reader& rd, const YAML::Node& n, const char* where) {
  if (auto st = check_keys(rd, n, {"pattern", "kind", "regex", "query", "inside", "has", "follows", "precedes",
                                   "all", "any", "not", "inside-async", "inside-sync-def", "in-route-handler",
                                   "not-awaited", "result-unused", "stopBy", "field"},
                           where);
      !st)
    return st.error();
  RuleObject r;
  for (auto it = n.begin(); it != n.end(); ++it) {
    std::string key = it->first.as<std::string>();
    YAML::Node v = it->second;  // a copy: `it->` yields a temporary proxy (ASan: stack-use-after-scope)
    Status st = Ok{};
    if (key == "stopBy" || key == "field") {
      if (std::string(where) == "rule") return rd.error(it->first, "`" + key + "` only goes with inside, has, follows or precedes");
      continue;  // read by parse_relation
    }
    if (key == "pattern") {
      st = parse_pattern(rd, v, r);
    } else if (key == "kind" || key == "regex" || key == "query") {
      st = parse_atom(rd, key, v, r);
    } else if (key == "inside" || key == "has" || key == "follows" || key == "precedes") {
      auto rel = parse_relation(rd, v, key.c_str());
      if (!rel) return rel.error();
      (key == "inside" ? r.inside : key == "has" ? r.has : key == "follows" ? r.follows : r.precedes) = std::move(rel).value();
    } else if (key == "all" || key == "any" || key == "not") {
      st = parse_composite(rd, key, v, r);
    } else {
      st = parse_flag(rd, key, v, r);
    }
    if (!st) return st.error();
  }
  return r;
}

// Where an invalid/valid case text starts in the file (its first line).
uint32_t line_of(const YAML::Node& n) { return static_cast<uint32_t>(n.Mark().line + 1); }

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && s[b] == '\n') ++b;
  return s.substr(b);
}

// --- the metadata: what a rule file and a C++ rule's sidecar share -------------------------

Status parse_identity(const Reader& rd, const YAML::Node& doc, RuleInfo& info) {
  auto id = scalar(rd, doc["id"], "id");
  if (!id) return id.error();
  static const RE2 kId("[A-Za-z][A-Za-z0-9_-]*");
  if (!RE2::FullMatch(*id, kId)) return rd.error(doc["id"], "id `" + *id + "` must be letters, digits, `_` or `-` (like AF204)");
  info.id = *id;
  auto name = scalar(rd, doc["name"], "name");
  if (!name) return name.error();
  static const RE2 kName("[a-z0-9]+(-[a-z0-9]+)*");
  if (!RE2::FullMatch(*name, kName)) return rd.error(doc["name"], "name `" + *name + "` must be kebab-case (like get-event-loop)");
  info.name = *name;
  return Ok{};
}

Status parse_severity_and_language(const Reader& rd, const YAML::Node& doc, RuleInfo& info) {
  if (doc["severity"]) {
    auto s = scalar(rd, doc["severity"], "severity");
    if (!s) return s.error();
    std::string v = *s;
    auto sev = parse_severity(v);
    if (!sev) {
      if (v == "error") sev = Severity::P1;
      else if (v == "warning") sev = Severity::P2;
      else if (v == "info" || v == "hint") sev = Severity::P3;
    }
    if (!sev) return rd.error(doc["severity"], "severity must be P1, P2 or P3 (or error, warning, info, hint)");
    info.severity = *sev;
  }
  if (doc["language"]) {
    auto l = scalar(rd, doc["language"], "language");
    if (!l) return l.error();
    std::string lower = *l;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower != "python" && lower != "py") return rd.error(doc["language"], "language must be python");
  }
  auto msg = scalar(rd, doc["message"], "message");
  if (!msg) return msg.error();
  info.message = trimmed(*msg);
  return Ok{};
}

Status check_url(const Reader& rd, const YAML::Node& doc) {
  if (doc["url"] && !doc["url"].IsScalar()) return rd.error(doc["url"], "url must be a string");
  return Ok{};
}

Status parse_fix_metadata(const Reader& rd, const YAML::Node& doc, RuleInfo& info) {
  if (doc["fix-title"]) {
    auto t = scalar(rd, doc["fix-title"], "fix-title");
    if (!t) return t.error();
    info.fix_title = *t;
  }
  if (doc["applicability"]) {
    auto a = scalar(rd, doc["applicability"], "applicability");
    if (!a) return a.error();
    if (*a == "safe") info.applicability = Applicability::Safe;
    else if (*a == "unsafe") info.applicability = Applicability::Unsafe;
    else if (*a == "display-only") info.applicability = Applicability::DisplayOnly;
    else return rd.error(doc["applicability"], "applicability must be safe, unsafe or display-only");
  }
  return Ok{};
}

// `triggers:` (any one) and `required-triggers:` (all); without `triggers`, the defaults.
Status parse_triggers(const Reader& rd, const YAML::Node& doc, RuleInfo& info, std::vector<std::string> defaults) {
  if (doc["triggers"]) {
    auto l = string_list(rd, doc["triggers"], "triggers");
    if (!l) return l.error();
    info.triggers = *l;
  } else {
    info.triggers = std::move(defaults);
  }
  if (doc["required-triggers"]) {
    auto l = string_list(rd, doc["required-triggers"], "required-triggers");
    if (!l) return l.error();
    for (auto& t : *l) {
      if (std::find(info.required_triggers.begin(), info.required_triggers.end(), t) == info.required_triggers.end())
        info.required_triggers.push_back(std::move(t));
    }
  }
  return Ok{};
}

Status parse_docs(const Reader& rd, const YAML::Node& d, RuleDocs& docs) {
  if (auto st = check_keys(rd, d, {"what-it-does", "why-is-this-bad", "example", "use-instead", "fix-safety"}, "docs"); !st)
    return st.error();
  for (auto [k, out] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"what-it-does", &docs.what_it_does}, {"why-is-this-bad", &docs.why_bad},
           {"example", &docs.example}, {"use-instead", &docs.use_instead},
           {"fix-safety", &docs.fix_safety}}) {
    if (!d[k]) continue;
    auto s = scalar(rd, d[k], k);
    if (!s) return s.error();
    *out = trimmed(*s);
  }
  return Ok{};
}

// One case of `tests.valid` (a code string) or `tests.invalid` (a code string, or {code, fixed}).
Expected<RuleTestCase> parse_test_case(const Reader& rd, const YAML::Node& c, bool invalid) {
  RuleTestCase tc;
  tc.line = line_of(c);
  if (c.IsScalar()) {
    tc.code = c.as<std::string>();
    return tc;
  }
  if (!c.IsMap() || !invalid) {
    return rd.error(c, std::string("a ") + (invalid ? "invalid" : "valid") + " test case must be a code string" +
                           (invalid ? " or {code, fixed}" : ""));
  }
  if (auto st = check_keys(rd, c, {"code", "fixed"}, "an invalid test case"); !st) return st.error();
  if (!c["code"]) return rd.error(c, "an invalid test case needs `code`");
  auto code = scalar(rd, c["code"], "code");
  if (!code) return code.error();
  tc.code = *code;
  tc.line = line_of(c["code"]);
  if (c["fixed"]) {
    auto fixed = scalar(rd, c["fixed"], "fixed");
    if (!fixed) return fixed.error();
    tc.fixed = *fixed;
  }
  return tc;
}

Status parse_tests(const Reader& rd, const YAML::Node& t, RuleTests& tests) {
  if (auto st = check_keys(rd, t, {"valid", "invalid"}, "tests"); !st) return st.error();
  for (const char* which : {"valid", "invalid"}) {
    if (!t[which]) continue;
    if (!t[which].IsSequence()) return rd.error(t[which], std::string("tests.") + which + " must be a list");
    bool invalid = std::string(which) == "invalid";
    for (const auto& c : t[which]) {
      auto tc = parse_test_case(rd, c, invalid);
      if (!tc) return tc.error();
      (invalid ? tests.invalid : tests.valid).push_back(std::move(tc).value());
    }
  }
  return Ok{};
}

// Parses the YAML text of a rule file or sidecar: one mapping, YAML errors placed.
Expected<YAML::Node> parse_document(const std::string& path, std::string_view content, const char* what) {
  YAML::Node doc;
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(content));
    if (docs.size() > 1) {
      // ast-grep reads several rules from one file; here a file is one rule (its tests and
      // --update work on the file): never load the first and drop the others silently.
      return make_error(Error::Kind::Rule,
                        std::string("a ") + what + " holds one rule: this one has " + std::to_string(docs.size()) +
                            " YAML documents (put each rule in a file of its own)",
                        {path, static_cast<uint32_t>(docs[1].Mark().line + 1), 1});
    }
    if (!docs.empty()) doc = docs[0];
  } catch (const YAML::Exception& e) {
    return make_error(Error::Kind::Rule, "invalid YAML: " + e.msg,
                      {path, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1)});
  }
  if (!doc.IsMap()) return make_error(Error::Kind::Rule, std::string("a ") + what + " holds one mapping (id, name, ...)", {path, 1, 1});
  return doc;
}

// --- the logic of a rule file: rule, constraints, imports, fix ------------------------------

Status parse_rule_logic(const Reader& rd, const YAML::Node& doc, YamlRule::Impl& impl) {
  auto rule = parse_rule(rd, doc["rule"], "rule");
  if (!rule) return rule.error();
  impl.rule = std::move(rule).value();
  impl.drivers = impl.rule.drivers();
  if (impl.drivers.empty()) {
    return rd.error(doc["rule"], "the rule has no positive matcher: give it a `pattern`, `kind` or `query` "
                                 "(directly, in every `any` branch, or in one `all` member)");
  }
  if (!doc["constraints"]) return Ok{};
  const YAML::Node& cs = doc["constraints"];
  if (!cs.IsMap()) return rd.error(cs, "constraints must map metavariable names to rules");
  std::vector<std::string> captured;
  impl.rule.metavariables(captured);
  for (auto it = cs.begin(); it != cs.end(); ++it) {
    std::string mv = it->first.as<std::string>();
    if (!mv.empty() && mv[0] == '$') mv = mv.substr(mv.find_first_not_of('$'));
    if (std::find(captured.begin(), captured.end(), mv) == captured.end()) {
      return rd.error(it->first, "constraint on `" + mv + "`, which the rule never captures");
    }
    auto c = parse_rule(rd, it->second, "constraints");
    if (!c) return c.error();
    impl.constraints.emplace_back(mv, std::move(c).value());
  }
  return Ok{};
}

Status parse_imports(const Reader& rd, const YAML::Node& im, YamlRule::Impl& impl) {
  if (auto st = check_keys(rd, im, {"add", "remove-if-unused"}, "imports"); !st) return st.error();
  if (im["add"]) {
    auto l = string_list(rd, im["add"], "imports.add");
    if (!l) return l.error();
    for (const auto& s : *l) {
      auto spec = ImportSpec::parse(s);
      if (!spec) return rd.error(im["add"], spec.error().message);
      impl.imports_add.push_back(*spec);
    }
  }
  if (im["remove-if-unused"]) {
    auto l = string_list(rd, im["remove-if-unused"], "imports.remove-if-unused");
    if (!l) return l.error();
    impl.remove_if_unused = *l;
  }
  return Ok{};
}

// The line and column (1-based) of the `$NAME` of metavariable `mv` in a template's text.
std::pair<uint32_t, uint32_t> metavariable_position(const std::string& text, const std::string& mv) {
  size_t at = 0;
  for (size_t p = text.find("$"); p != std::string::npos; p = text.find("$", p + 1)) {
    size_t s = text.find_first_not_of('$', p);
    if (s != std::string::npos && text.compare(s, mv.size(), mv) == 0) {
      at = p;
      break;
    }
  }
  uint32_t line = 1, col = 1;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

Status parse_fix(const Reader& rd, const YAML::Node& fx, YamlRule::Impl& impl) {
  YAML::Node text_node = fx;
  if (fx.IsMap()) {
    if (auto st = check_keys(rd, fx, {"template"}, "fix"); !st) return st.error();
    if (!fx["template"]) return rd.error(fx, "fix needs a `template`");
    text_node.reset(fx["template"]);  // rebind: `=` would overwrite the node it refers to
  }
  auto t = scalar(rd, text_node, "fix");
  if (!t) return t.error();
  std::string text = *t;
  while (!text.empty() && text.back() == '\n') text.pop_back();  // a block scalar's final newline
  auto tmpl = FixTemplate::compile(text, impl.imports_add);
  if (!tmpl) return rd.error_inside(text_node, tmpl.error(), "");
  std::vector<std::string> captured;
  impl.rule.metavariables(captured);
  for (const auto& mv : tmpl->metavariables()) {
    if (std::find(captured.begin(), captured.end(), mv) != captured.end()) continue;
    auto [line, col] = metavariable_position(text, mv);  // point at the `$NAME` in the template
    return rd.error_inside(text_node, make_error(Error::Kind::Rule, "", {"", line, col}),
                           "fix uses $" + mv + ", which the rule never captures");
  }
  impl.fix = std::move(tmpl).value();
  impl.info.fixable = true;
  impl.info.fix_title = "Apply the rewrite";
  return Ok{};
}

// `unsafe-in-tests: true`: the fix changes when code runs, so it is unsafe in a test file.
Status parse_unsafe_in_tests(const Reader& rd, const YAML::Node& doc, RuleInfo& info) {
  if (!doc["unsafe-in-tests"]) return Ok{};
  const YAML::Node& u = doc["unsafe-in-tests"];
  if (!u.IsScalar() || (u.as<std::string>() != "true" && u.as<std::string>() != "false"))
    return rd.error(u, "`unsafe-in-tests` must be true or false");
  info.unsafe_in_tests = u.as<std::string>() == "true";
  return Ok{};
}

// Everything of a rule file after the check of its keys, in the order errors are looked for.
Status parse_rule_document(const Reader& rd, const YAML::Node& doc, YamlRule::Impl& impl) {
  RuleInfo& info = impl.info;
  for (const char* req : {"id", "name", "message", "rule"}) {
    if (doc[req]) continue;
    if (auto swallowed = rd.swallowed_field(doc, req)) return *swallowed;
    return rd.error_at_start(std::string("missing required field `") + req + "`");
  }
  if (auto st = parse_identity(rd, doc, info); !st) return st;
  if (auto st = parse_severity_and_language(rd, doc, info); !st) return st;
  if (doc["note"]) {
    auto n = scalar(rd, doc["note"], "note");
    if (!n) return n.error();
    impl.note = trimmed(*n);
  }
  if (auto st = check_url(rd, doc); !st) return st;
  if (auto st = parse_rule_logic(rd, doc, impl); !st) return st;
  if (doc["imports"]) {
    if (auto st = parse_imports(rd, doc["imports"], impl); !st) return st;
  }
  if (doc["fix"]) {
    if (auto st = parse_fix(rd, doc["fix"], impl); !st) return st;
  }
  if (auto st = parse_fix_metadata(rd, doc, info); !st) return st;
  if (auto st = parse_unsafe_in_tests(rd, doc, info); !st) return st;
  // A rule that only fires inside `async def` needs one in the file.
  if (impl.rule.inside_async.value_or(false)) info.required_triggers = {kAsyncDefTrigger};
  if (auto st = parse_triggers(rd, doc, info, impl.rule.triggers()); !st) return st;
  if (doc["docs"]) {
    if (auto st = parse_docs(rd, doc["docs"], info.docs); !st) return st;
  }
  if (doc["tests"]) {
    if (auto st = parse_tests(rd, doc["tests"], impl.tests); !st) return st;
  }
  return Ok{};
}

// Everything of a sidecar after the check of its keys.
Status parse_sidecar_document(const Reader& rd, const YAML::Node& doc, RuleSidecar& sc) {
  RuleInfo& info = sc.info;
  for (const char* req : {"id", "name", "message"}) {
    if (!doc[req]) return rd.error_at_start(std::string("missing required field `") + req + "`");
  }
  if (auto st = parse_identity(rd, doc, info); !st) return st;
  if (auto st = parse_severity_and_language(rd, doc, info); !st) return st;
  if (auto st = check_url(rd, doc); !st) return st;
  if (auto st = parse_fix_metadata(rd, doc, info); !st) return st;
  info.fixable = !info.fix_title.empty();  // a C++ rule that fixes says how
  if (doc["fixed-by"]) info.fixed_by = doc["fixed-by"].as<std::string>();
  if (!info.fixed_by.empty() && !info.fixable) return rd.error_at_start("`fixed-by` without a `fix-title`");
  if (auto st = parse_unsafe_in_tests(rd, doc, info); !st) return st;
  if (auto st = parse_triggers(rd, doc, info, {}); !st) return st;
  if (doc["docs"]) {
    if (auto st = parse_docs(rd, doc["docs"], info.docs); !st) return st;
  }
  if (doc["tests"]) {
    if (auto st = parse_tests(rd, doc["tests"], sc.tests); !st) return st;
  }
  return Ok{};
}

Error yaml_error(const std::string& path, const YAML::Exception& e, const char* what) {
  return make_error(Error::Kind::Rule, std::string(what) + e.msg,
                    {path, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1)});
}

}  // namespace

Expected<std::shared_ptr<const YamlRule>> load_rule_text(const std::string& path, std::string_view content,
                                                         const std::string& origin) {
  Reader rd(path, content);
  auto doc = parse_document(path, content, "rule file");
  if (!doc) return doc.error();
  try {
    if (auto st = check_keys(rd, *doc, {"id", "name", "severity", "language", "message", "note", "rule", "constraints",
                                         "fix", "fix-title", "applicability", "imports", "unsafe-in-tests", "triggers",
                                         "required-triggers", "docs", "tests", "url", "metadata"},
                             "the rule file");
        !st)
      return st.error();
    auto impl = std::make_unique<YamlRule::Impl>();
    impl->path = path;
    impl->content = std::string(content);
    impl->info.origin = origin.empty() ? path : origin;
    if (auto st = parse_rule_document(rd, *doc, *impl); !st) return st.error();
    return std::shared_ptr<const YamlRule>(std::make_shared<YamlRule>(std::move(impl)));
  } catch (const YAML::Exception& e) {
    return yaml_error(path, e, "invalid rule file: ");
  }
}

Expected<RuleSidecar> load_sidecar_text(const std::string& path, std::string_view content) {
  Reader rd(path, content);
  auto doc = parse_document(path, content, "rule's sidecar");
  if (!doc) return doc.error();
  try {
    if (auto st = check_keys(rd, *doc, {"id", "name", "severity", "language", "message", "fix-title", "applicability",
                                         "fixed-by", "unsafe-in-tests", "triggers", "required-triggers", "docs", "tests",
                                         "url", "metadata"},
                             "the sidecar (the logic of a C++ rule is its code: no rule, fix, imports or note)");
        !st)
      return st.error();
    RuleSidecar sc;
    sc.path = path;
    sc.content = std::string(content);
    sc.info.origin = "built-in";
    if (auto st = parse_sidecar_document(rd, *doc, sc); !st) return st.error();
    return sc;
  } catch (const YAML::Exception& e) {
    return yaml_error(path, e, "invalid sidecar: ");
  }
}

Expected<std::shared_ptr<const YamlRule>> load_rule_file(const std::string& path) {
  auto text = read_whole_file(path);
  if (!text) return make_error(Error::Kind::Io, "cannot read rule file", {path});
  return load_rule_text(path, *text);
}

Expected<std::vector<std::shared_ptr<const YamlRule>>> load_rule_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error(Error::Kind::Usage, "rule directory not found", {dir});
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".yml" || ext == ".yaml")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::shared_ptr<const YamlRule>> out;
  for (const auto& f : files) {
    auto r = load_rule_file(f.string());
    if (!r) return r.error();
    out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace asyncfix

// AF102 blocking-http: requests / sync httpx / urllib inside `async def` -> httpx.AsyncClient.
#include "engine/source/triggers.h"
#include <map>
#include <set>

#include "engine/project/project.h"
#include "engine/rewrite/imports.h"
#include "engine/rewrite/precedence.h"
#include "engine/rule/context.h"
#include "engine/semantic/types.h"
#include "engine/syntax/node.h"
#include "transforms/blocking_rule.h"
#include "engine/rewrite/edit_list.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

RuleInfo make_info() {
  RuleInfo i = builtin_info("AF102");
  return i;
}

const std::map<std::string, std::string>& exception_map() {
  static const std::map<std::string, std::string> m = {
      {"requests.exceptions.Timeout", "TimeoutException"},
      {"requests.Timeout", "TimeoutException"},
      {"requests.exceptions.ReadTimeout", "ReadTimeout"},
      {"requests.ReadTimeout", "ReadTimeout"},
      {"requests.exceptions.ConnectTimeout", "ConnectTimeout"},
      {"requests.ConnectTimeout", "ConnectTimeout"},
      {"requests.exceptions.RequestException", "HTTPError"},
      {"requests.RequestException", "HTTPError"},
      {"requests.exceptions.HTTPError", "HTTPStatusError"},
      {"requests.HTTPError", "HTTPStatusError"},
      {"requests.exceptions.ConnectionError", "ConnectError"},
      {"requests.ConnectionError", "ConnectError"},
      {"requests.exceptions.TooManyRedirects", "TooManyRedirects"},
      {"requests.TooManyRedirects", "TooManyRedirects"},
  };
  return m;
}

const std::set<std::string>& plain_methods() {
  static const std::set<std::string> s = {"get", "post", "put", "patch", "delete", "head", "options", "request"};
  return s;
}

// The statement to wrap: the nearest one that starts its own line.
TSNode wrappable_statement(TSNode call, std::string_view src) {
  TSNode stmt = syntax::enclosing_statement(call);
  for (int guard = 0; guard < 64 && !syntax::is_null(stmt); ++guard) {
    uint32_t b = ts_node_start_byte(stmt);
    std::string_view ind = line_indent(src, b);
    uint32_t ls = b - static_cast<uint32_t>(ind.size());
    bool own_line = (ls == 0 || src[ls - 1] == '\n') && ls + ind.size() == b;
    if (own_line) return stmt;
    TSNode p = syntax::parent(stmt);
    if (syntax::is_null(p)) break;
    stmt = syntax::enclosing_statement(p);
  }
  return TSNode{};
}

class BlockingHttp : public BlockingCallRule {
 public:
  BlockingHttp() : BlockingCallRule(make_info()) {}

 protected:
  std::string message(const BlockingHit& hit) const override {
    return "`" + hit.api + "()` is a sync HTTP call: it blocks the event loop inside `async def`";
  }

  void add_fix(TSNode call, const BlockingHit& hit, FileContext& ctx, Finding& f) const override {
    std::string why;
    std::optional<Fix> fix = build(call, hit, ctx, f, &why);
    if (fix) {
      if (!package_available(ctx, "httpx")) {
        f.note += std::string(f.note.empty() ? "" : "; ") + "the project does not declare httpx: add it to its dependencies";
      }
      f.fix = std::move(fix);
    } else if (!why.empty()) {
      f.note += std::string(f.note.empty() ? "" : "; ") + why;
    }
  }

 private:
  std::optional<Fix> build(TSNode call, const BlockingHit& hit, FileContext& ctx, Finding& f, std::string* why) const {
    if (hit.api == "urllib.request.urlopen") return build_urlopen(call, ctx, why);
    if (hit.api.rfind("urllib", 0) == 0) {
      *why = "use `httpx.AsyncClient` (`async with httpx.AsyncClient() as client: await client.get(url)`)";
      return std::nullopt;
    }
    if (hit.api.rfind("requests.", 0) != 0 && hit.api.rfind("httpx.", 0) != 0) {
      // Another client of the library model (httpx2, a user's own wrapper): no rewrite known.
      *why = hit.alternative.empty() ? "no automatic rewrite for `" + hit.api + "`"
                                     : "no automatic rewrite for `" + hit.api + "`: use `" + hit.alternative + "`";
      return std::nullopt;
    }
    if (inside_generator_expression(call)) return std::nullopt;
    std::string method = hit.api.substr(hit.api.rfind('.') + 1);
    bool on_object = hit.api.rfind("requests.Session.", 0) == 0 || hit.api.rfind("httpx.Client.", 0) == 0;
    if (!plain_methods().count(method)) {
      *why = "`" + method + "` has no direct httpx.AsyncClient equivalent here: convert it by hand";
      return std::nullopt;
    }
    TSNode fn = ctx.model().enclosing_function(call);
    EditList edits;
    auto& planner = ctx.imports();
    auto httpx = planner.module("httpx", call);
    std::vector<ImportNeed> needs = httpx.needs;

    // Arguments: what stays on the call, what moves to the client.
    TSNode args = field(call, "arguments");
    if (!is(args, "argument_list")) return std::nullopt;
    CallArguments converted;
    if (!convert_arguments(args, on_object, httpx.text, ctx, fn, edits, &converted, why)) return std::nullopt;
    // requests follows redirects by default, httpx does not: keep requests' behaviour (on
    // the client the fix creates, else on the call).
    bool from_requests = hit.api.rfind("requests.", 0) == 0;
    bool keep_redirects = from_requests && !converted.has_redirects && method != "head";
    // requests waits without limit unless told; httpx applies 5 s by default. The call keeps
    // requests' behaviour with an explicit `timeout=None`, on the client the fix creates, else
    // on the call (AF304 takes an explicit timeout as the user's decision).
    bool keep_no_timeout = from_requests && !converted.has_timeout;

    // The response: `.ok` and `.reason` have other names in httpx.
    TSNode stmt = syntax::enclosing_statement(call);
    TSNode asg = syntax::code_children(stmt).empty() ? TSNode{} : syntax::code_children(stmt)[0];
    if (is(asg, "assignment") && syntax::same(field(asg, "right"), call) && is(field(asg, "left"), "identifier") &&
        !syntax::is_null(fn)) {
      if (!rename_response_uses(field(asg, "left"), fn, ctx, edits, why)) return std::nullopt;
    }

    bool awaited = on_object ? await_on_async_session(call, ctx, httpx.text, keep_redirects, edits, why)
                             : await_on_async_client(call, fn, method, ctx, httpx.text, converted.client_opts,
                                                     keep_redirects, keep_no_timeout, edits, why);
    if (!awaited) return std::nullopt;

    // except requests.exceptions.X -> except httpx.Y, once per function. When some requests
    // calls stay (here, or in the helpers it calls), they still raise requests' errors: the
    // clause catches both, `except (requests.X, httpx.Y)`.
    if (!syntax::is_null(fn) && first_http_call_of(fn, call, ctx)) {
      bool keep_requests = !all_http_calls_convertible(fn, ctx);
      if (exception_edits(fn, ctx, httpx.text, keep_requests, edits) && keep_requests) {
        f.note += std::string(f.note.empty() ? "" : "; ") +
                  "`except requests...` clauses catch httpx's errors too: some requests calls here (or in the helpers "
                  "it calls) are not converted";
      }
    }
    if (!edits.consistent()) return std::nullopt;
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Unsafe;
    fix.edits = edits.take();
    fix.imports = needs;
    fix.remove_if_unused = {"requests", hit.api};
    return fix;
  }

  // --- urllib.request.urlopen ----------------------------------------------------------------
  //
  //   with urlopen(url, timeout=5) as r:         async with httpx.AsyncClient(follow_redirects=True) as client:
  //       body = r.read()                  ->        r = await client.get(url, timeout=5)
  //                                                  r.raise_for_status()
  //                                                  body = r.content
  //
  // urlopen follows redirects, waits as long as the socket default says (no limit) and raises
  // HTTPError on a 4xx/5xx status: the client follows redirects, the call gets timeout=None
  // when it had no timeout, and raise_for_status() keeps the error. The response is read
  // only through what both have (`read()` is `.content`, `status`/`getcode()` is
  // `.status_code`, `headers`); anything else, a Request object or a URL of unknown type,
  // and `except` clauses that would need urllib's exception attributes are not converted.
  struct UrlopenArgs {
    TSNode url{}, data{}, timeout{};
  };

  // urlopen(url, data=None, timeout=...): the arguments by name; false (with *why when it can
  // tell) for one httpx has no counterpart for (context=, cafile=, a splat).
  static bool urlopen_arguments(TSNode call, std::string_view src, UrlopenArgs* out, std::string* why) {
    size_t positional = 0;
    for (TSNode a : syntax::code_children(field(call, "arguments"))) {
      if (is(a, "keyword_argument")) {
        std::string_view n = text(field(a, "name"), src);
        if (n == "url") out->url = field(a, "value");
        else if (n == "data") out->data = field(a, "value");
        else if (n == "timeout") out->timeout = field(a, "value");
        else {
          *why = "`urlopen(" + std::string(n) + "=...)` has no httpx equivalent here: convert it by hand";
          return false;
        }
        continue;
      }
      if (is(a, "list_splat") || is(a, "dictionary_splat")) {
        *why = "the call passes *args/**kwargs: convert it by hand";
        return false;
      }
      (positional == 0 ? out->url : positional == 1 ? out->data : out->timeout) = a;
      ++positional;
    }
    return !syntax::is_null(out->url) && positional <= 3;
  }

  std::optional<Fix> build_urlopen(TSNode call, FileContext& ctx, std::string* why) const {
    std::string_view src = ctx.text();
    TSNode fn = ctx.model().enclosing_function(call);
    if (syntax::is_null(fn) || inside_generator_expression(call)) return std::nullopt;
    UrlopenArgs ua;
    if (!urlopen_arguments(call, src, &ua, why)) return std::nullopt;
    TSNode url = ua.url, data = ua.data, timeout = ua.timeout;
    if (body_shape(url, ctx, fn, 0) != BodyShape::Text) {
      *why = "the URL `" + std::string(text(url, src)) +
             "` is not known to be a string (a `Request` carries a method and headers): annotate it `str` or "
             "convert it by hand";
      return std::nullopt;
    }
    if (!syntax::is_null(data) && body_shape(data, ctx, fn, 0) != BodyShape::Text) {
      *why = "the request body is not known to be bytes: convert it by hand";
      return std::nullopt;
    }
    // Where the response goes: `with urlopen(...) as r`, `r = urlopen(...)`, or read at once
    // (`urlopen(...).read()`).
    TSNode p = syntax::parent(call);
    TSNode with_stmt{}, var{};
    if (is(p, "as_pattern") && is(syntax::parent(p), "with_item")) {
      with_stmt = syntax::ancestor(p, "with_statement");
      TSNode alias = field(p, "alias");
      var = is(alias, "as_pattern_target") ? ts_node_named_child(alias, 0) : alias;
      if (syntax::code_children(syntax::child_of_kind(with_stmt, "with_clause")).size() != 1 || !is(var, "identifier")) {
        *why = "the `with` opens other things too: convert it by hand";
        return std::nullopt;
      }
    } else if (is(p, "assignment") && syntax::same(field(p, "right"), call) && is(field(p, "left"), "identifier") &&
               is(syntax::parent(p), "expression_statement")) {
      var = field(p, "left");
    }
    TSNode read_call{};
    if (syntax::is_null(var)) {
      TSNode attr = p;
      if (!(is(attr, "attribute") && syntax::same(field(attr, "object"), call) &&
            text(field(attr, "attribute"), src) == "read" && is(syntax::parent(attr), "call") &&
            syntax::code_children(field(syntax::parent(attr), "arguments")).empty())) {
        *why = "the response is used in a way asyncfix does not convert: convert it by hand";
        return std::nullopt;
      }
      read_call = syntax::parent(attr);
    }
    auto httpx = ctx.imports().module("httpx", call);
    EditList edits;
    std::string name = syntax::is_null(var) ? fresh_name(ctx.model(), "response") : std::string(text(var, src));
    if (!syntax::is_null(var) && !urlopen_response_uses(var, fn, ctx, edits, why)) return std::nullopt;
    if (!urlopen_exception_edits(fn, ctx, httpx.text, edits, why)) return std::nullopt;

    std::string method = syntax::is_null(data) ? "get" : "post";
    std::string call_args = std::string(text(url, src));
    if (!syntax::is_null(data)) call_args += ", content=" + std::string(text(data, src));
    call_args += ", timeout=" + (syntax::is_null(timeout) ? std::string("None") : std::string(text(timeout, src)));
    std::string client = fresh_name(ctx.model(), "client");
    std::string opener = "async with " + httpx.text + ".AsyncClient(follow_redirects=True) as " + client + ":";
    std::string request = name + " = await " + client + "." + method + "(" + call_args + ")";
    const std::string& unit = ctx.source().indent_unit();
    if (!syntax::is_null(with_stmt)) {
      // The with's header opens the client; the body starts with the request.
      TSNode body = field(with_stmt, "body");
      if (syntax::is_null(body)) body = syntax::child_of_kind(with_stmt, "block");
      TSNode first = ts_node_named_child(body, 0);
      if (syntax::is_null(first) || ts_node_start_point(first).row == ts_node_start_point(with_stmt).row) {
        *why = "the `with` body is on its header's line: convert it by hand";
        return std::nullopt;
      }
      std::string indent(line_indent(src, ts_node_start_byte(first)));
      TSNode colon = syntax::child_of_kind(with_stmt, ":");
      if (syntax::is_null(colon)) return std::nullopt;
      edits.replace(ts_node_start_byte(with_stmt), ts_node_start_byte(colon), opener.substr(0, opener.size() - 1));
      edits.insert(ts_node_start_byte(first), request + "\n" + indent + name + ".raise_for_status()\n" + indent);
    } else {
      TSNode stmt = wrappable_statement(call, src);
      if (syntax::is_null(stmt)) return std::nullopt;
      std::string indent(line_indent(src, ts_node_start_byte(stmt)));
      std::string inner = indent + unit;
      std::string head = opener + "\n" + inner + request + "\n" + inner + name + ".raise_for_status()\n";
      if (!syntax::is_null(read_call)) {
        edits.insert(ts_node_start_byte(stmt), head.substr(0) + inner);
        edits.replace(ts_node_start_byte(read_call), ts_node_end_byte(read_call), name + ".content");
        indent_lines(stmt, ctx, unit, edits);
      } else {
        // `r = urlopen(url)`: the statement is the request (its comment stays on it), the
        // status check follows on the next line.
        edits.insert(ts_node_start_byte(stmt), opener + "\n" + inner);
        edits.replace(ts_node_start_byte(call), ts_node_end_byte(call),
                      request.substr(name.size() + 3));
        uint32_t eol = ts_node_end_byte(stmt);
        while (eol < src.size() && src[eol] != '\n') ++eol;
        edits.insert(eol, "\n" + inner + name + ".raise_for_status()");
        indent_lines(stmt, ctx, unit, edits);
      }
    }
    if (!edits.consistent()) return std::nullopt;
    Fix fix;
    fix.title = info_.fix_title;
    fix.applicability = Applicability::Unsafe;
    fix.edits = edits.take();
    fix.imports = httpx.needs;
    fix.remove_if_unused = {"urllib.request.urlopen", "urllib.request"};
    return fix;
  }

  // The response variable's uses, in httpx's terms; false (with *why) when one has no
  // counterpart.
  static bool urlopen_response_uses(TSNode var, TSNode fn, FileContext& ctx, EditList& edits, std::string* why) {
    std::string_view src = ctx.text();
    std::string name(text(var, src));
    if (!single_binding(var, ctx)) {
      *why = "`" + name + "` is bound more than once: convert it by hand";
      return false;
    }
    for (TSNode r : ctx.model().references()) {
      if (text(r, src) != name || !syntax::contains(fn, r)) continue;
      const semantic::Binding* b = ctx.model().resolve(name, r);
      if (!b || !syntax::same(b->name, var)) continue;
      TSNode p = syntax::parent(r);
      std::string a = is(p, "attribute") && syntax::same(field(p, "object"), r) ? std::string(text(field(p, "attribute"), src)) : "";
      TSNode pp = syntax::parent(p);
      bool called = is(pp, "call") && syntax::same(field(pp, "function"), p);
      bool no_args = called && syntax::code_children(field(pp, "arguments")).empty();
      if (a == "read" && no_args) {
        edits.replace(ts_node_start_byte(pp), ts_node_end_byte(pp), name + ".content");
      } else if ((a == "status" || a == "code") && !called) {
        edits.replace(ts_node_start_byte(p), ts_node_end_byte(p), name + ".status_code");
      } else if (a == "getcode" && no_args) {
        edits.replace(ts_node_start_byte(pp), ts_node_end_byte(pp), name + ".status_code");
      } else if (a == "headers" && !called &&
                 ((is(pp, "attribute") && text(field(pp, "attribute"), src) == "get") || is(pp, "subscript"))) {
        // httpx's Headers: get() and [] as an email.message.Message's.
      } else {
        *why = "the response is used as `" + std::string(text(is(p, "attribute") ? p : r, src)) +
               "`, which an httpx response does not have: convert it by hand";
        return false;
      }
    }
    return true;
  }

  // urllib's exceptions in the function's `except` clauses, as httpx's: HTTPError (a status)
  // -> HTTPStatusError, URLError (any failure) -> HTTPError. A handler that names the
  // exception reads its attributes (`e.code`, `e.reason`), and one for OSError or timeouts
  // catches what httpx does not raise: not converted.
  static bool urlopen_exception_edits(TSNode fn, FileContext& ctx, const std::string& httpx, EditList& edits,
                                      std::string* why) {
    bool ok = true;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (!ok || is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (!is(n, "except_clause")) return true;
      TSNode v = ts_node_named_child(n, 0);
      bool aliased = is(v, "as_pattern");
      if (aliased) v = ts_node_named_child(v, 0);
      std::vector<TSNode> types;
      if (is(v, "tuple") || is(v, "parenthesized_expression")) types = syntax::code_children(v);
      else if (!is(v, "block")) types.push_back(v);
      for (TSNode t : types) {
        auto q = ctx.model().qualified_name(t);
        if (!q) continue;
        std::string mapped = *q == "urllib.error.HTTPError" ? "HTTPStatusError" : *q == "urllib.error.URLError" ? "HTTPError" : "";
        if (*q == "OSError" || *q == "TimeoutError" || *q == "socket.timeout" || *q == "IOError" ||
            *q == "ConnectionError") {
          *why = "an `except " + *q + "` here catches urlopen's errors, not httpx's: convert it by hand";
          ok = false;
        } else if (!mapped.empty() && aliased) {
          *why = "the handler of `" + *q + "` reads the exception, whose attributes httpx names otherwise: convert it by hand";
          ok = false;
        } else if (!mapped.empty()) {
          edits.replace(ts_node_start_byte(t), ts_node_end_byte(t), httpx + "." + mapped);
        }
      }
      return ok;
    });
    return ok;
  }

  // What convert_arguments found in a call's arguments.
  struct CallArguments {
    std::string client_opts;  // `verify=`, `cert=`, `proxies=`: for the client
    bool has_timeout = false, has_redirects = false;
  };

  enum class BodyShape { Unknown, Form, Text };

  // What a request body is: form fields (a dict display, dict(...), a dict comprehension, a
  // name annotated or assigned once as one) or text (a str or bytes literal, an f-string,
  // json.dumps(...), x.encode(...)); anything else is unknown (a file, a generator, a name
  // bound several times).
  static BodyShape body_shape(TSNode v, FileContext& ctx, TSNode fn, int depth) {
    std::string_view src = ctx.text();
    if (depth > 4 || syntax::is_null(v)) return BodyShape::Unknown;
    if (is(v, "parenthesized_expression")) return body_shape(ts_node_named_child(v, 0), ctx, fn, depth + 1);
    if (is(v, "dictionary") || is(v, "dictionary_comprehension")) return BodyShape::Form;
    if (is(v, "string") || is(v, "concatenated_string")) return BodyShape::Text;
    if (is(v, "binary_operator")) {
      // "https://" + host, "%s/users" % base: a str (or bytes) operand on the left says.
      std::string_view op = text(field(v, "operator"), src);
      if ((op == "+" || op == "%") && body_shape(field(v, "left"), ctx, fn, depth + 1) == BodyShape::Text)
        return BodyShape::Text;
      if (op == "+" && body_shape(field(v, "right"), ctx, fn, depth + 1) == BodyShape::Text) return BodyShape::Text;
      return BodyShape::Unknown;
    }
    if (is(v, "call")) {
      TSNode callee = field(v, "function");
      if (is(callee, "identifier") && text(callee, src) == "dict") return BodyShape::Form;
      if (is(callee, "identifier") && (text(callee, src) == "str" || text(callee, src) == "bytes")) return BodyShape::Text;
      if (is(callee, "attribute") && (text(field(callee, "attribute"), src) == "encode" ||
                                      (text(field(callee, "attribute"), src) == "format" &&
                                       body_shape(field(callee, "object"), ctx, fn, depth + 1) == BodyShape::Text)))
        return BodyShape::Text;
      auto q = ctx.model().qualified_name(callee);
      if (q && (*q == "json.dumps" || *q == "urllib.parse.urlencode" || *q == "urllib.parse.urljoin"))
        return BodyShape::Text;
      return BodyShape::Unknown;
    }
    if (!is(v, "identifier")) return BodyShape::Unknown;
    const semantic::Binding* b = ctx.model().resolve(text(v, src), v);
    if (!b) return BodyShape::Unknown;
    if (!single_binding(v, ctx)) return BodyShape::Unknown;
    if (b->kind == semantic::BindingKind::Parameter) {
      TSNode prm = syntax::parent(b->name);
      TSNode type = is(prm, "typed_parameter") || is(prm, "typed_default_parameter") ? field(prm, "type") : TSNode{};
      std::string_view t = syntax::is_null(type) ? std::string_view() : text(type, src);
      if (t.rfind("dict", 0) == 0 || t.rfind("Dict", 0) == 0 || t.rfind("Mapping", 0) == 0) return BodyShape::Form;
      if (t == "str" || t == "bytes") return BodyShape::Text;
      return BodyShape::Unknown;
    }
    if (b->kind != semantic::BindingKind::Assignment) return BodyShape::Unknown;
    TSNode asg = syntax::parent(b->name);
    if (!is(asg, "assignment") || !syntax::same(field(asg, "left"), b->name)) return BodyShape::Unknown;
    return body_shape(field(asg, "right"), ctx, fn, depth + 1);
  }

  // The call's keyword arguments in httpx's terms (edits on the call; the options that move
  // to the client in out->client_opts). False when the call cannot be converted (*why says
  // why, when it can tell).
  static bool convert_arguments(TSNode args, bool on_object, const std::string& httpx, FileContext& ctx, TSNode fn,
                                EditList& edits, CallArguments* out, std::string* why) {
    std::string_view src = ctx.text();
    for (TSNode a : syntax::code_children(args)) {
      if (is(a, "list_splat") || is(a, "dictionary_splat")) {
        *why = "the call passes *args/**kwargs: convert it by hand";
        return false;
      }
      if (!is(a, "keyword_argument")) continue;
      std::string name(text(field(a, "name"), src));
      TSNode value = field(a, "value");
      if (name == "stream" || name == "hooks") {
        *why = "`" + name + "=` has no one-to-one httpx equivalent: convert it by hand";
        return false;
      }
      if (name == "allow_redirects") {
        edits.replace(ts_node_start_byte(field(a, "name")), ts_node_end_byte(field(a, "name")), "follow_redirects");
        out->has_redirects = true;
      } else if (name == "verify" || name == "cert" || name == "proxies") {
        if (on_object) {
          *why = "`" + name + "=` on a session call must move to the client: convert it by hand";
          return false;
        }
        out->client_opts += (out->client_opts.empty() ? "" : ", ") + std::string(text(a, src));
        remove_argument(a, src, edits);
      } else if (name == "timeout") {
        out->has_timeout = true;
        if (is(value, "tuple")) {
          auto parts = syntax::code_children(value);
          if (parts.size() != 2) return false;
          edits.replace(ts_node_start_byte(value), ts_node_end_byte(value),
                        httpx + ".Timeout(" + std::string(text(parts[1], src)) + ", connect=" +
                            std::string(text(parts[0], src)) + ")");
        }
      } else if (name == "data") {
        // requests' data= takes form fields (a dict), a body (str, bytes) or a file to stream;
        // httpx's AsyncClient takes form fields as data=, a body as content=, and no sync
        // file at all. What the value is decides, and an unknown value is not guessed.
        BodyShape shape = body_shape(value, ctx, fn, 0);
        if (shape == BodyShape::Text) {
          edits.replace(ts_node_start_byte(field(a, "name")), ts_node_end_byte(field(a, "name")), "content");
        } else if (shape != BodyShape::Form) {
          *why = "`data=" + std::string(text(value, src)) +
                 "` is not known to be form fields (a dict) or a body (str, bytes): httpx's AsyncClient takes "
                 "those as `data=` and `content=`, and cannot send a sync file; convert it by hand";
          return false;
        }
      }
    }
    return true;
  }

  // A session's method call: the `with` that opens the session opens an httpx.AsyncClient
  // instead, and the call is awaited. False when it cannot be done (*why says why, when it
  // can tell).
  static bool await_on_async_session(TSNode call, FileContext& ctx, const std::string& httpx, bool keep_redirects,
                                     EditList& edits, std::string* why) {
    std::string_view src = ctx.text();
    uint32_t cb = ts_node_start_byte(call), ce = ts_node_end_byte(call);
    bool parens = needs_parens(call, src, "await");
    TSNode callee = field(call, "function");
    // with requests.Session() as s / with httpx.Client() as c -> async with httpx.AsyncClient() as ...
    TSNode recv = field(callee, "object");
    if (!is(recv, "identifier")) return false;
    const semantic::Binding* b = ctx.model().resolve(text(recv, src), recv);
    if (!b || b->kind != semantic::BindingKind::WithTarget) {
      *why = "the session is not opened in a `with` here: open an `httpx.AsyncClient` with `async with` instead";
      return false;
    }
    TSNode with_stmt = syntax::ancestor(b->name, "with_statement");
    TSNode item = syntax::ancestor(b->name, "with_item");
    if (syntax::is_null(with_stmt) || syntax::is_null(item) || syntax::code_children(syntax::child_of_kind(with_stmt, "with_clause")).size() != 1) {
      *why = "the `with` opens other things too: convert it by hand";
      return false;
    }
    TSNode as = ts_node_named_child(item, 0);
    TSNode ctor = is(as, "as_pattern") ? ts_node_named_child(as, 0) : TSNode{};
    if (!is(ctor, "call")) return false;
    auto ctor_q = ctx.model().qualified_name(field(ctor, "function"));
    if (!ctor_q) return false;
    std::string ct = semantic::canonical_type(*ctor_q);
    if (ct != semantic::types::kRequestsSession && ct != semantic::types::kHttpxClient) return false;
    if (ts_node_child(with_stmt, 0).id && syntax::kind(ts_node_child(with_stmt, 0)) != "async")
      edits.insert(ts_node_start_byte(with_stmt), "async ");
    std::string ctor_args = ct == semantic::types::kHttpxClient ? call_arguments(ctx, ctor) : "";
    if (ct == semantic::types::kRequestsSession) {
      // A requests.Session follows redirects and waits without limit unless a call says.
      ctor_args = keep_redirects ? "follow_redirects=True, timeout=None" : "timeout=None";
    }
    edits.replace(ts_node_start_byte(ctor), ts_node_end_byte(ctor), httpx + ".AsyncClient(" + ctor_args + ")");
    edits.insert(cb, parens ? "(await " : "await ");
    if (parens) edits.insert(ce, ")");
    return true;
  }

  // A module function's call (`requests.get(...)`): awaited on an httpx.AsyncClient already
  // in scope, or on one opened around the statement. False when it cannot be done (*why says
  // why, when it can tell).
  static bool await_on_async_client(TSNode call, TSNode fn, const std::string& method, FileContext& ctx,
                                    const std::string& httpx, std::string client_opts, bool keep_redirects,
                                    bool keep_no_timeout, EditList& edits, std::string* why) {
    std::string_view src = ctx.text();
    uint32_t cb = ts_node_start_byte(call), ce = ts_node_end_byte(call);
    bool parens = needs_parens(call, src, "await");
    TSNode callee = field(call, "function");
    std::string client = existing_client(call, fn, ctx);
    if (client.empty()) {
      TSNode wrap = wrappable_statement(call, src);
      if (syntax::is_null(wrap)) return false;
      client = fresh_name(ctx.model(), "client");
      if (keep_redirects) client_opts += std::string(client_opts.empty() ? "" : ", ") + "follow_redirects=True";
      if (keep_no_timeout) client_opts += std::string(client_opts.empty() ? "" : ", ") + "timeout=None";
      keep_redirects = false;
      keep_no_timeout = false;
      std::string indent(line_indent(src, ts_node_start_byte(wrap)));
      const std::string& unit = ctx.source().indent_unit();
      edits.insert(ts_node_start_byte(wrap),
                   "async with " + httpx + ".AsyncClient(" + client_opts + ") as " + client + ":\n" + indent + unit);
      indent_lines(wrap, ctx, unit, edits);
    } else if (!client_opts.empty()) {
      *why = "`verify`/`cert`/`proxies` would have to move to the existing client: convert it by hand";
      return false;
    }
    edits.insert(cb, parens ? "(await " : "await ");
    std::string verb = method;
    edits.replace(ts_node_start_byte(callee), ts_node_end_byte(callee), client + "." + verb);
    if (keep_redirects) add_keyword(call, src, "follow_redirects=True", edits);
    if (keep_no_timeout) add_keyword(call, src, "timeout=None", edits);
    if (parens) edits.insert(ce, ")");
    return true;
  }

  static void add_keyword(TSNode call, std::string_view src, const std::string& kw, EditList& edits) {
    TSNode args = field(call, "arguments");
    uint32_t close = ts_node_end_byte(args) - 1;  // the ')'
    auto kids = syntax::code_children(args);
    // After the last argument (before a trailing comma, if any).
    if (kids.empty()) {
      edits.insert(close, kw);
    } else {
      edits.insert(ts_node_end_byte(kids.back()), ", " + kw);
    }
    (void)src;
  }

  // Adds one indentation unit to every later line of the statement (not inside strings).
  static void indent_lines(TSNode stmt, FileContext& ctx, const std::string& unit, EditList& edits) {
    std::string_view src = ctx.text();
    uint32_t b = ts_node_start_byte(stmt), e = ts_node_end_byte(stmt);
    std::vector<std::pair<uint32_t, uint32_t>> strings;
    syntax::walk(stmt, [&](TSNode n) {
      if (is(n, "string")) {
        strings.emplace_back(ts_node_start_byte(n), ts_node_end_byte(n));
        return false;
      }
      return true;
    });
    for (uint32_t i = b; i < e; ++i) {
      if (src[i] != '\n') continue;
      uint32_t ls = i + 1;
      bool in_string = std::any_of(strings.begin(), strings.end(), [&](auto& r) { return r.first < ls && ls < r.second; });
      if (in_string || ls >= e) continue;
      if (src[ls] == '\n' || src[ls] == '\r') continue;
      edits.insert(ls, unit);
    }
  }

  // An httpx.AsyncClient already usable at the call: an enclosing `async with ... as c`, or a
  // parameter/variable of the function known to be one.
  static std::string existing_client(TSNode call, TSNode fn, FileContext& ctx) {
    std::string_view src = ctx.text();
    for (TSNode p = syntax::parent(call); !syntax::is_null(p) && !syntax::same(p, fn); p = syntax::parent(p)) {
      if (!is(p, "with_statement")) continue;
      for (TSNode item : syntax::children(syntax::child_of_kind(p, "with_clause"))) {
        TSNode as = ts_node_named_child(item, 0);
        if (!is(as, "as_pattern")) continue;
        TSNode target = field(as, "alias");
        TSNode id = ts_node_named_child(target, 0);
        if (!is(id, "identifier")) continue;
        auto t = ctx.types().type_of(ts_node_named_child(as, 0));
        if (t && *t == semantic::types::kHttpxAsyncClient) {
          const semantic::Binding* b = ctx.model().resolve(text(id, src), call);
          if (b && syntax::same(b->name, id)) return std::string(text(id, src));
        }
      }
    }
    if (syntax::is_null(fn)) return {};
    int scope = ctx.model().scope_of(field(fn, "body"));
    for (const auto& [name, bindings] : ctx.model().scope(scope).bindings) {
      const semantic::Binding& b = bindings.front();
      if (b.kind != semantic::BindingKind::Parameter) continue;
      auto t = ctx.types().type_of(b.name);
      if (t && *t == semantic::types::kHttpxAsyncClient) return std::string(name);
    }
    return module_client(call, ctx);
  }

  // A module-level `client = httpx.AsyncClient(...)` the call can share, when the client adds
  // nothing the call did not send: no base URL, headers, auth, cookies, certificates or
  // proxies (sharing one set for another host would leak or change them), only pool and
  // protocol settings.
  static std::string module_client(TSNode call, FileContext& ctx) {
    std::string_view src = ctx.text();
    static const std::set<std::string_view> harmless = {"timeout", "limits", "http2", "follow_redirects",
                                                        "max_redirects", "trust_env"};
    for (TSNode st : syntax::code_children(ctx.root())) {
      TSNode asg = ts_node_named_child(st, 0);
      if (!is(st, "expression_statement") || !is(asg, "assignment")) continue;
      TSNode left = field(asg, "left"), right = field(asg, "right");
      if (!is(left, "identifier") || !is(right, "call")) continue;
      auto t = ctx.types().type_of(right);
      if (!t || *t != semantic::types::kHttpxAsyncClient) continue;
      bool plain = true;
      for (TSNode a : syntax::code_children(field(right, "arguments")))
        plain &= is(a, "keyword_argument") && harmless.count(text(field(a, "name"), src)) > 0;
      if (!plain) continue;
      std::string name(text(left, src));
      if (!single_binding(left, ctx)) continue;
      const semantic::Binding* b = ctx.model().resolve(name, call);
      if (b && syntax::same(b->name, left)) return name;
    }
    return {};
  }

  // Where a value's truth is all that is read: a condition, the operand of `not`, bool(x).
  // The expression whose truth is read (r, or the bool(r) call), else null.
  static TSNode truth_test(TSNode r, std::string_view src) {
    TSNode p = syntax::parent(r);
    if (is(p, "not_operator")) return r;
    if (is(p, "if_statement") || is(p, "elif_clause") || is(p, "while_statement"))
      return syntax::same(field(p, "condition"), r) ? r : TSNode{};
    if (is(p, "conditional_expression")) return syntax::same(ts_node_named_child(p, 1), r) ? r : TSNode{};
    if (is(p, "assert_statement")) return syntax::same(ts_node_named_child(p, 0), r) ? r : TSNode{};
    if (is(p, "argument_list") && syntax::code_children(p).size() == 1) {
      TSNode call = syntax::parent(p);
      TSNode fn = field(call, "function");
      if (is(fn, "identifier") && text(fn, src) == "bool") return call;
    }
    return TSNode{};
  }

  // Is the name `r` refers to (or binds) bound once in its scope?
  static bool single_binding(TSNode r, FileContext& ctx) {
    std::string name(text(r, ctx.text()));
    int scope = ctx.model().resolving_scope(name, r);
    return scope >= 0 && ctx.model().scope(scope).bindings.at(name).size() == 1;
  }

  // requests' `ok` (and a response's truth) is `status_code < 400`: httpx's `is_error`
  // negated (`is_success` is 2xx only). `expr` is `response.ok` or `response` in a truth test.
  static void negated_error_check(TSNode expr, const std::string& name, FileContext& ctx, EditList& edits) {
    std::string_view src = ctx.text();
    TSNode p = syntax::parent(expr);
    if (is(p, "not_operator")) {
      edits.replace(ts_node_start_byte(p), ts_node_end_byte(p), name + ".is_error");
      return;
    }
    std::string t = "not " + name + ".is_error";
    if (needs_parens(expr, src, "not_operator")) t = "(" + t + ")";
    edits.replace(ts_node_start_byte(expr), ts_node_end_byte(expr), t);
  }

  // response.ok -> not response.is_error, response.reason -> response.reason_phrase.
  static bool rename_response_uses(TSNode var, TSNode fn, FileContext& ctx, EditList& edits, std::string* why) {
    std::string_view src = ctx.text();
    std::string_view name = text(var, src);
    for (TSNode r : ctx.model().references()) {
      if (text(r, src) != name || !syntax::contains(fn, r)) continue;
      const semantic::Binding* b = ctx.model().resolve(name, r);
      if (!b || b->kind != semantic::BindingKind::Assignment) continue;
      TSNode p = syntax::parent(r);
      if (TSNode tested = truth_test(r, src); !syntax::is_null(tested)) {
        // `if response:` is `response.ok` in requests; an httpx response is always true.
        if (!single_binding(r, ctx)) {
          *why = "the truth of `" + std::string(name) + "` is tested, and it may be something else than the "
                 "response there: convert it by hand";
          return false;
        }
        negated_error_check(tested, std::string(name), ctx, edits);
        continue;
      }
      if (!is(p, "attribute") || !syntax::same(field(p, "object"), r)) continue;
      TSNode attr = field(p, "attribute");
      std::string_view a = text(attr, src);
      if (a == "ok") negated_error_check(p, std::string(name), ctx, edits);
      if (a == "reason") edits.replace(ts_node_start_byte(attr), ts_node_end_byte(attr), "reason_phrase");
      if (a == "iter_content" || a == "iter_lines" || a == "raw") {
        *why = "the response is read with `" + std::string(a) + "`: httpx streams differently, convert it by hand";
        return false;
      }
    }
    return true;
  }

  // The requests calls (module functions) inside the function's own body, in order; found
  // once per function and file (every call of the function asks: a walk each was quadratic).
  static const std::vector<TSNode>& http_calls(TSNode fn, FileContext& ctx) {
    struct Cache {
      std::map<uint32_t, std::vector<TSNode>> by_function;  // by the function's first byte
    };
    auto [it, fresh] = ctx.rule_cache<Cache>().by_function.try_emplace(ts_node_start_byte(fn));
    if (!fresh) return it->second;
    std::vector<TSNode>& out = it->second;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (is(n, "call")) {
        auto hit = classify_blocking(n, ctx.model(), ctx.types(), nullptr);
        if (hit && hit->rule == "AF102") out.push_back(n);
      }
      return true;
    });
    return out;
  }

  static bool first_http_call_of(TSNode fn, TSNode call, FileContext& ctx) {
    auto calls = http_calls(fn, ctx);
    return !calls.empty() && syntax::same(calls.front(), call);
  }

  // Does the project function `q` make a requests call, itself or through the sync project
  // functions it calls? Its errors would still be requests' after the fix.
  static bool reaches_requests(const ProjectIndex& index, const std::string& q, std::set<std::string>& seen) {
    if (!seen.insert(q).second || seen.size() > 2000) return false;
    const FunctionSummary* f = index.function(q);
    if (!f || f->is_async) return false;
    for (const BlockingRecord& b : f->blocking)
      if (b.api.rfind("requests.", 0) == 0) return true;
    for (const CallRecord& c : f->calls)
      if (reaches_requests(index, c.callee, seen)) return true;
    return false;
  }

  // A call in fn (outside the requests calls the fix converts) to a project helper that
  // makes requests calls: `except requests.RequestException` still catches what it raises.
  static bool helper_raises_requests_errors(TSNode fn, FileContext& ctx) {
    const ProjectIndex* index = ctx.project();
    if (!index) return false;
    bool found = false;
    std::set<std::string> seen;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (found || is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (is(n, "call")) {
        std::string q = ProjectIndex::resolve_callee(n, ctx.model(), &ctx.types());
        if (!q.empty() && reaches_requests(*index, q, seen)) found = true;
      }
      return !found;
    });
    return found;
  }

  bool all_http_calls_convertible(TSNode fn, FileContext& ctx) const {
    if (helper_raises_requests_errors(fn, ctx)) return false;
    for (TSNode c : http_calls(fn, ctx)) {
      auto hit = classify_blocking(c, ctx.model(), ctx.types(), nullptr);
      std::string method = hit->api.substr(hit->api.rfind('.') + 1);
      if (hit->api.rfind("urllib", 0) == 0 || !plain_methods().count(method) || inside_generator_expression(c)) return false;
      for (TSNode a : syntax::code_children(field(c, "arguments"))) {
        if (is(a, "list_splat") || is(a, "dictionary_splat")) return false;
        if (is(a, "keyword_argument")) {
          std::string_view n = text(field(a, "name"), ctx.text());
          if (n == "stream" || n == "hooks") return false;
        }
      }
    }
    return true;
  }

  // Maps the requests exception types of fn's except clauses to httpx's (keep_requests: adds
  // httpx's next to them). Whether it changed any.
  static bool exception_edits(TSNode fn, FileContext& ctx, const std::string& httpx, bool keep_requests,
                              EditList& edits) {
    bool any = false;
    syntax::walk(field(fn, "body"), [&](TSNode n) {
      if (is(n, "function_definition") || is(n, "lambda") || is(n, "class_definition")) return false;
      if (!is(n, "except_clause")) return true;
      TSNode v = field(n, "value");
      if (syntax::is_null(v)) v = ts_node_named_child(n, 0);
      if (is(v, "as_pattern")) v = ts_node_named_child(v, 0);
      std::vector<TSNode> types;
      if (is(v, "tuple") || is(v, "parenthesized_expression")) types = syntax::code_children(v);
      else types.push_back(v);
      bool in_tuple = is(v, "tuple") || is(v, "parenthesized_expression");
      for (TSNode t : types) {
        auto q = ctx.model().qualified_name(t);
        if (!q) continue;
        auto it = exception_map().find(*q);
        if (it == exception_map().end()) continue;
        std::string to = httpx + "." + it->second;
        if (keep_requests) {
          std::string both = std::string(text(t, ctx.text())) + ", " + to;
          to = in_tuple ? both : "(" + both + ")";
        }
        edits.replace(ts_node_start_byte(t), ts_node_end_byte(t), to);
        any = true;
      }
      return true;
    });
    return any;
  }
};

}  // namespace

RulePtr make_blocking_http() { return std::make_shared<BlockingHttp>(); }

}  // namespace asyncfix::rules

// AF501 on-event-lifespan: `@app.on_event("startup")` / `("shutdown")` handlers -> one
// lifespan context manager, in order.
//
//   app = FastAPI()                          @asynccontextmanager
//                                            async def lifespan(app):
//   @app.on_event("startup")                     await connect()
//   async def connect(): ...          ->         load_config()
//                                                yield
//   @app.on_event("startup")                     await disconnect()
//   def load_config(): ...
//                                            app = FastAPI(lifespan=lifespan)
//   @app.on_event("shutdown")
//   async def disconnect(): ...              async def connect(): ...   (decorators removed)
//
// `app.add_event_handler("startup", f)` statements too. Only for FastAPI >= 0.93 (or a
// Starlette app); otherwise reported.
#include "engine/rewrite/imports.h"
#include "engine/rule/context.h"
#include "engine/semantic/model.h"
#include "engine/syntax/node.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

class OnEventLifespan : public Rule {
 public:
  explicit OnEventLifespan(const RuleSettings& settings) : target_fastapi_(settings.target_fastapi) {
    info_ = builtin_info("AF501");
  }
  const RuleInfo& info() const override { return info_; }

  void check_file(FileContext& ctx) const override {
    std::string_view src = ctx.text();
    const auto& model = ctx.model();
    // The apps this module makes.
    for (TSNode st : syntax::code_children(ctx.root())) {
      TSNode a = is(st, "expression_statement") ? ts_node_named_child(st, 0) : TSNode{};
      if (!is(a, "assignment") || !is(field(a, "left"), "identifier") || !is(field(a, "right"), "call")) continue;
      auto q = model.qualified_name(field(field(a, "right"), "function"));
      if (!q) continue;
      bool fastapi = *q == "fastapi.FastAPI" || *q == "fastapi.applications.FastAPI";
      bool starlette = *q == "starlette.applications.Starlette";
      if (fastapi || starlette) check_app(ctx, st, std::string(text(field(a, "left"), src)), fastapi);
    }
  }

 private:
  struct Handler {
    std::string event;     // startup / shutdown
    std::string call;      // what to call: the function's name or expression
    int is_async = -1;     // 1 async, 0 sync, -1 unknown
    uint32_t remove_begin = 0, remove_end = 0;  // the decorator line or the statement line
    TSNode at{};
  };

  static std::optional<std::string> event_name(TSNode arg, std::string_view src) {
    if (!is(arg, "string")) return std::nullopt;
    std::string_view t = text(arg, src);
    if (t.find("startup") != std::string_view::npos && t.size() <= 10) return std::string("startup");
    if (t.find("shutdown") != std::string_view::npos && t.size() <= 11) return std::string("shutdown");
    return std::nullopt;
  }

  static uint32_t next_line(std::string_view src, uint32_t offset) {
    size_t nl = src.find('\n', offset);
    return nl == std::string_view::npos ? static_cast<uint32_t>(src.size()) : static_cast<uint32_t>(nl + 1);
  }

  // The handlers registered on app in this module, in order: `@app.on_event(...)`
  // decorators and `app.add_event_handler(...)` statements.
  static std::vector<Handler> find_handlers(FileContext& ctx, const std::string& app) {
    std::vector<Handler> handlers;
    for (TSNode st : syntax::code_children(ctx.root())) {
      if (is(st, "decorated_definition")) {
        add_on_event_handlers(st, app, ctx.text(), &handlers);
      } else if (is(st, "expression_statement")) {
        if (auto h = added_event_handler(st, app, ctx)) handlers.push_back(*h);
      }
    }
    return handlers;
  }

  // The `@app.on_event(...)` decorators of a decorated definition.
  static void add_on_event_handlers(TSNode st, const std::string& app, std::string_view src,
                                    std::vector<Handler>* handlers) {
    TSNode def = field(st, "definition");
    for (TSNode d : syntax::code_children(st)) {
      if (!is(d, "decorator")) continue;
      TSNode call = ts_node_named_child(d, 0);
      if (!is(call, "call") || text(field(call, "function"), src) != app + ".on_event") continue;
      auto args = syntax::code_children(field(call, "arguments"));
      if (args.size() != 1) continue;
      auto ev = event_name(args[0], src);
      if (!ev || !is(def, "function_definition")) continue;
      Handler h;
      h.event = *ev;
      h.call = std::string(text(field(def, "name"), src));
      h.is_async = syntax::is_async_def(def) ? 1 : 0;
      h.remove_begin = line_start(src, ts_node_start_byte(d));
      h.remove_end = next_line(src, ts_node_end_byte(d));
      h.at = d;
      handlers->push_back(h);
    }
  }

  // The handler an `app.add_event_handler(event, f)` statement registers, if it is one.
  static std::optional<Handler> added_event_handler(TSNode st, const std::string& app, FileContext& ctx) {
    std::string_view src = ctx.text();
    const auto& model = ctx.model();
    TSNode call = ts_node_named_child(st, 0);
    if (!is(call, "call") || text(field(call, "function"), src) != app + ".add_event_handler") return std::nullopt;
    auto args = syntax::code_children(field(call, "arguments"));
    if (args.size() != 2) return std::nullopt;
    auto ev = event_name(args[0], src);
    if (!ev) return std::nullopt;
    Handler h;
    h.event = *ev;
    h.call = std::string(text(args[1], src));
    if (is(args[1], "identifier")) {
      const semantic::Binding* b = model.resolve(text(args[1], src), args[1]);
      if (b && b->kind == semantic::BindingKind::FunctionDef) h.is_async = syntax::is_async_def(syntax::parent(b->name)) ? 1 : 0;
    }
    h.remove_begin = line_start(src, ts_node_start_byte(st));
    h.remove_end = next_line(src, ts_node_end_byte(st));
    // A statement alone between blank lines: the blank lines after it go too.
    if (count_blank_lines(src, h.remove_begin, -1) > 0) {
      for (int n = count_blank_lines(src, h.remove_end, +1); n > 0; --n) h.remove_end = next_line(src, h.remove_end);
    }
    h.at = st;
    return h;
  }

  // The lifespan's body: the startup handlers called in order, `yield`, the shutdown ones.
  static std::string lifespan_body(const std::vector<Handler>& handlers, const std::string& unit) {
    std::string body;
    for (const char* ev : {"startup", "shutdown"}) {
      if (std::string(ev) == "shutdown") body += unit + "yield\n";
      for (const Handler& h : handlers) {
        if (h.event != ev) continue;
        bool plain_name = h.call.find_first_of("(. ") == std::string::npos;
        std::string callee = plain_name ? h.call : "(" + h.call + ")";
        body += unit + (h.is_async ? "await " : "") + callee + "()\n";
      }
    }
    return body;
  }

  void check_app(FileContext& ctx, TSNode app_stmt, const std::string& app, bool fastapi) const {
    std::string_view src = ctx.text();
    const auto& model = ctx.model();
    std::vector<Handler> handlers = find_handlers(ctx, app);
    if (handlers.empty()) return;
    Finding& f = ctx.report(handlers.front().at);
    if (handlers.size() > 1) {
      f.message = std::to_string(handlers.size()) + " startup/shutdown handlers (`on_event`) are deprecated: use one lifespan";
    }
    if (fastapi && target_fastapi_ < Version{0, 93}) {
      f.note = "FastAPI " + target_fastapi_.to_string() + " has no `lifespan=`: upgrade to 0.93 or later, then run the fix";
      return;
    }
    TSNode ctor = field(ts_node_named_child(app_stmt, 0), "right");
    TSNode args = field(ctor, "arguments");
    for (TSNode a : syntax::code_children(args)) {
      if (is(a, "keyword_argument") && text(field(a, "name"), src) == "lifespan") {
        f.note = "the app has a `lifespan=` already: call these handlers from it";
        return;
      }
      if (is(a, "dictionary_splat")) {
        f.note = "the app's arguments come from `**`: add `lifespan=` by hand";
        return;
      }
    }
    for (const Handler& h : handlers) {
      if (h.is_async < 0) {
        f.note = "`" + h.call + "` is not defined in this module: asyncfix cannot tell whether to await it";
        return;
      }
    }
    // The lifespan, before the app.
    const std::string& unit = ctx.source().indent_unit();
    auto acm = ctx.imports().name("contextlib", "asynccontextmanager", app_stmt);
    std::string name = fresh_name(model, "lifespan");
    std::string body = lifespan_body(handlers, unit);
    uint32_t at = line_start(src, ts_node_start_byte(app_stmt));
    std::string def = blank_lines_to_two(count_blank_lines(src, at, -1)) + "@" + acm.text + "\nasync def " + name +
                      "(app):\n" + body + "\n\n";
    Fix fix;
    fix.title = info_.fix_title;
    fix.edits.push_back(Edit{at, at, def});
    auto kids = syntax::code_children(args);
    if (kids.empty()) fix.edits.push_back(Edit{ts_node_end_byte(args) - 1, ts_node_end_byte(args) - 1, "lifespan=" + name});
    else fix.edits.push_back(Edit{ts_node_end_byte(kids.back()), ts_node_end_byte(kids.back()), ", lifespan=" + name});
    for (const Handler& h : handlers) fix.edits.push_back(Edit{h.remove_begin, h.remove_end, ""});
    fix.imports = acm.needs;
    f.fix = std::move(fix);
  }

  Version target_fastapi_;
  RuleInfo info_;
};

}  // namespace

RulePtr make_on_event_lifespan(const RuleSettings& settings) { return std::make_shared<OnEventLifespan>(settings); }

}  // namespace asyncfix::rules

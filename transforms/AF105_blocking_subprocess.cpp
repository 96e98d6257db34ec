// AF105 blocking-subprocess: subprocess / os.system / os.wait* inside `async def`.
#include "engine/source/triggers.h"
#include <map>

#include "engine/rewrite/imports.h"
#include "engine/rewrite/precedence.h"
#include "engine/rule/context.h"
#include "engine/syntax/node.h"
#include "transforms/blocking_rule.h"
#include "transforms/registry.h"
#include "transforms/rules.h"
#include "transforms/support.h"

namespace asyncfix::rules {

namespace {

using syntax::field;
using syntax::is;
using syntax::text;

RuleInfo make_info() {
  RuleInfo i = builtin_info("AF105");
  return i;
}

struct Args {
  TSNode program{};  // the first positional argument
  std::map<std::string, TSNode> kw;
  bool simple = true;  // no *args/**kwargs, at most one positional
};

Args read_args(TSNode call, std::string_view src) {
  Args a;
  int positional = 0;
  for (TSNode c : syntax::code_children(field(call, "arguments"))) {
    if (is(c, "keyword_argument")) {
      a.kw[std::string(text(field(c, "name"), src))] = field(c, "value");
    } else if (is(c, "list_splat") || is(c, "dictionary_splat") || is(c, "parenthesized_list_splat")) {
      a.simple = false;
    } else {
      if (positional++ == 0) a.program = c;
      else a.simple = false;
    }
  }
  if (syntax::is_null(a.program)) {
    auto it = a.kw.find("args");
    if (it != a.kw.end()) {
      a.program = it->second;
      a.kw.erase(it);
    } else {
      a.simple = false;
    }
  }
  return a;
}

bool is_true(TSNode v) { return is(v, "true"); }

class BlockingSubprocess : public BlockingCallRule {
 public:
  BlockingSubprocess() : BlockingCallRule(make_info()) {}

 protected:
  void add_fix(TSNode call, const BlockingHit& hit, FileContext& ctx, Finding& f) const override {
    if (inside_generator_expression(call)) return;
    if (hit.api == "subprocess.Popen" || hit.api == "os.popen") {
      f.note = "start it with `await asyncio.create_subprocess_exec(...)` and read its output with `await proc.communicate()`";
      return;
    }
    if (auto fix = exec_fix(call, hit, ctx)) {
      f.fix = std::move(fix);
      return;
    }
    Fix fix = to_thread_fix(ctx, call, "Run it in a thread: `await asyncio.to_thread(...)`", Applicability::Safe);
    f.fix = std::move(fix);
  }

 private:
  // The statement-level rewrites to create_subprocess_exec/_shell, when the call's shape maps.
  std::optional<Fix> exec_fix(TSNode call, const BlockingHit& hit, FileContext& ctx) const {
    std::string_view src = ctx.text();
    TSNode stmt = syntax::enclosing_statement(call);
    if (!is(stmt, "expression_statement")) return std::nullopt;
    // The statement must have its line to itself (not `if x: run(...)`, not `a; run(...)`).
    std::string indent(line_indent(src, ts_node_start_byte(stmt)));
    uint32_t line_start = ts_node_start_byte(stmt) - static_cast<uint32_t>(indent.size());
    if (line_start > 0 && src[line_start - 1] != '\n') return std::nullopt;
    size_t after = src.find_first_not_of(" \t", ts_node_end_byte(stmt));
    if (after != std::string_view::npos && src[after] != '\n' && src[after] != '\r' && src[after] != '#') return std::nullopt;

    TSNode target{};
    if (!statement_target(stmt, call, &target)) return std::nullopt;

    Args a = read_args(call, src);
    if (!a.simple) return std::nullopt;
    auto options = read_options(a, src);
    if (!options) return std::nullopt;
    Options& opt = *options;

    std::string api = hit.api;
    bool is_system = api == "os.system";
    if (is_system) {
      if (!syntax::is_null(target)) return std::nullopt;  // its value is an encoded wait status
      opt.shell = true;
    }
    bool is_run = api == "subprocess.run", is_call = api == "subprocess.call", is_check_call = api == "subprocess.check_call",
         is_output = api == "subprocess.check_output";
    if (!(is_run || is_call || is_check_call || is_output || is_system)) return std::nullopt;
    if ((is_call || is_check_call) && !syntax::is_null(target)) return std::nullopt;  // their value: a return code
    if (is_run && !syntax::is_null(target) != opt.capture) return std::nullopt;  // keep to the two common shapes
    if (is_output && syntax::is_null(target)) return std::nullopt;
    if (opt.text_mode && !(opt.capture || is_output)) opt.text_mode = false;  // nothing to decode

    auto& planner = ctx.imports();
    auto asyncio = planner.module("asyncio", call);
    auto subprocess = planner.module("subprocess", call);
    const auto& model = ctx.model();
    std::string proc = fresh_name(model, "proc");
    std::string prog(text(a.program, src));
    // `create_subprocess_exec(*cmd)` only for a cmd known to be an argument list: a string
    // would run its first character. Otherwise the call goes to a thread as it is.
    if (!opt.shell && !is(a.program, "list") && !is(a.program, "tuple") && !is_argument_list(ctx, a.program, 0))
      return std::nullopt;
    auto spawn = spawn_call(a.program, opt.shell, asyncio.text, src);
    if (!spawn) return std::nullopt;
    std::string pipe = asyncio.text + ".subprocess.PIPE";
    std::string nl = "\n" + indent;
    std::string out;
    std::string tgt = syntax::is_null(target) ? "" : std::string(text(target, src));
    if (is_output) {
      out = proc + " = await " + *spawn + ", stdout=" + pipe + opt.passthrough + ")" + nl;
      out += tgt + ", _ = await " + proc + ".communicate()";
      if (opt.text_mode) out += nl + tgt + " = " + tgt + ".decode()";
      out += nl + "if " + proc + ".returncode:" + nl + ctx.source().indent_unit() + "raise " + subprocess.text +
             ".CalledProcessError(" + proc + ".returncode, " + prog + ", " + tgt + ")";
    } else if (opt.capture) {
      std::string so = fresh_name(model, "stdout"), se = fresh_name(model, "stderr");
      out = proc + " = await " + *spawn + ", stdout=" + pipe + ", stderr=" + pipe + opt.passthrough + ")" + nl;
      out += so + ", " + se + " = await " + proc + ".communicate()" + nl;
      std::string o = opt.text_mode ? so + ".decode()" : so, e = opt.text_mode ? se + ".decode()" : se;
      out += tgt + " = " + subprocess.text + ".CompletedProcess(" + prog + ", " + proc + ".returncode, " + o + ", " + e + ")";
      if (opt.check) out += nl + tgt + ".check_returncode()";
    } else {
      out = proc + " = await " + *spawn + opt.passthrough + ")" + nl + "await " + proc + ".wait()";
      if (opt.check || is_check_call) {
        out += nl + "if " + proc + ".returncode:" + nl + ctx.source().indent_unit() + "raise " + subprocess.text +
               ".CalledProcessError(" + proc + ".returncode, " + prog + ")";
      }
    }
    Fix fix;
    fix.title = std::string("Use `asyncio.create_subprocess_") + (opt.shell ? "shell" : "exec") + "`";
    fix.applicability = opt.text_mode ? Applicability::Unsafe : Applicability::Safe;
    fix.edits.push_back(Edit{ts_node_start_byte(stmt), ts_node_end_byte(stmt), out});
    fix.imports = asyncio.needs;
    bool needs_subprocess = out.find(subprocess.text + ".") != std::string::npos;
    if (needs_subprocess) fix.imports.insert(fix.imports.end(), subprocess.needs.begin(), subprocess.needs.end());
    fix.remove_if_unused = {"subprocess", "os", api};
    return fix;
  }

  // The statement is the call, or `target = call` (*target: a name or an attribute).
  static bool statement_target(TSNode stmt, TSNode call, TSNode* target) {
    auto kids = syntax::code_children(stmt);
    if (kids.size() != 1) return false;
    TSNode expr = kids[0];
    if (is(expr, "assignment")) {
      if (!syntax::same(field(expr, "right"), call) || !syntax::is_null(field(expr, "type"))) return false;
      *target = field(expr, "left");
      if (!is(*target, "identifier") && !is(*target, "attribute")) return false;
    } else if (!syntax::same(expr, call)) {
      return false;
    }
    return true;
  }

  // The call's keyword options that the rewrite maps (read_options).
  struct Options {
    bool shell = false, text_mode = false, capture = false, check = false;
    std::string passthrough;  // cwd= and env= map one to one
  };

  // Takes the options the rewrite maps out of a.kw; nothing when one of them has a value it
  // cannot map, or when other options are left.
  static std::optional<Options> read_options(Args& a, std::string_view src) {
    Options o;
    bool shell = a.kw.count("shell") && is_true(a.kw["shell"]);
    if (a.kw.count("shell") && !shell && !is(a.kw["shell"], "false")) return std::nullopt;
    a.kw.erase("shell");
    o.shell = shell;
    for (const char* k : {"text", "universal_newlines"}) {
      if (a.kw.count(k)) {
        if (is_true(a.kw[k])) o.text_mode = true;
        else if (!is(a.kw[k], "false")) return std::nullopt;
        a.kw.erase(k);
      }
    }
    if (a.kw.count("capture_output")) {
      if (!is_true(a.kw["capture_output"])) return std::nullopt;
      o.capture = true;
      a.kw.erase("capture_output");
    }
    if (a.kw.count("check")) {
      if (is_true(a.kw["check"])) o.check = true;
      else if (!is(a.kw["check"], "false")) return std::nullopt;
      a.kw.erase("check");
    }
    for (const char* k : {"cwd", "env"}) {
      if (a.kw.count(k)) {
        o.passthrough += std::string(", ") + k + "=" + std::string(text(a.kw[k], src));
        a.kw.erase(k);
      }
    }
    if (!a.kw.empty()) return std::nullopt;  // timeout=, input=, stdin=, ...: to_thread
    return o;
  }

  static bool names_a_sequence(std::string_view t) {
    for (std::string_view k : {"list", "List", "tuple", "Tuple", "Sequence", "typing.List", "typing.Sequence",
                               "collections.abc.Sequence", "typing.Tuple"}) {
      if (t.substr(0, k.size()) == k && (t.size() == k.size() || t[k.size()] == '[')) return true;
    }
    return false;
  }

  // Is v an argument list (a list or tuple), by what it is made of: a literal, a
  // comprehension, `shlex.split(...)`, `[...] + more`, a name annotated list/tuple/Sequence,
  // or one every assignment of which is such a value.
  static bool is_argument_list(FileContext& ctx, TSNode v, int depth) {
    if (depth > 3 || syntax::is_null(v)) return false;
    std::string_view src = ctx.text();
    if (is(v, "list") || is(v, "tuple") || is(v, "list_comprehension")) return true;
    if (is(v, "parenthesized_expression")) return is_argument_list(ctx, ts_node_named_child(v, 0), depth + 1);
    if (is(v, "binary_operator") && text(ts_node_child(v, 1), src) == "+")
      return is_argument_list(ctx, field(v, "left"), depth + 1) || is_argument_list(ctx, field(v, "right"), depth + 1);
    if (is(v, "call")) {
      auto q = ctx.model().qualified_name(field(v, "function"));
      return q && (*q == "shlex.split" || *q == "list" || *q == "tuple" || *q == "sorted");
    }
    if (!is(v, "identifier")) return false;
    std::string_view name = text(v, src);
    int scope = ctx.model().resolving_scope(name, v);
    if (scope < 0) return false;
    const auto& bindings = ctx.model().scope(scope).bindings.at(name);
    for (const auto& b : bindings) {
      TSNode st = syntax::parent(b.name);
      if (b.kind == semantic::BindingKind::Parameter) {
        TSNode type = field(st, "type");
        if (syntax::is_null(type) || !names_a_sequence(text(type, src))) return false;
        continue;
      }
      if (b.kind != semantic::BindingKind::Assignment || !is(st, "assignment") || !syntax::same(field(st, "left"), b.name) ||
          !is_argument_list(ctx, field(st, "right"), depth + 1))
        return false;
    }
    return !bindings.empty();
  }

  // `asyncio.create_subprocess_shell(prog` / `..._exec(arg, ...` / `..._exec(*prog`, without
  // its closing parenthesis; nothing when the program cannot be passed that way.
  static std::optional<std::string> spawn_call(TSNode program, bool shell, const std::string& asyncio,
                                               std::string_view src) {
    std::string prog(text(program, src));
    if (shell) return asyncio + ".create_subprocess_shell(" + prog;
    if (is(program, "list") || is(program, "tuple")) {
      std::string inner;
      for (TSNode e : syntax::code_children(program)) inner += (inner.empty() ? "" : ", ") + std::string(text(e, src));
      if (inner.empty()) return std::nullopt;
      return asyncio + ".create_subprocess_exec(" + inner;
    }
    if (is(program, "string")) return std::nullopt;  // a string without shell=True: one program name
    return asyncio + ".create_subprocess_exec(*" + prog;
  }
};

}  // namespace

RulePtr make_blocking_subprocess() { return std::make_shared<BlockingSubprocess>(); }

}  // namespace asyncfix::rules

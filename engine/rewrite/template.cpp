// Re-indentation, worked example. The code (the file indents by 4 spaces):
//
//     def load(path):
//         with open(path) as f:
//             data = f.read()
//             process(data)
//
// The pattern `with open($P) as $F: $$$BODY` matches the `with` statement; the template is
// written with 2-space indents, as YAML block scalars often are:
//
//   async with aiofiles.open($P) as $F:
//     $$$BODY
//
// 1. The first template line replaces the `with` in place. Every later template line gets
//    the indentation of the line the replaced node starts on ("    ").
// 2. The template's own indentation is converted to the file's unit: its step is 2 (the
//    smallest indent it uses), so "  " is one level, written as the file writes one level
//    ("    ", or "\t" in a tab-indented file). `$$$BODY` therefore sits at 4 + 4 = 8.
// 3. A capture that spans lines keeps its layout relative to the line it started on: BODY
//    starts on a line indented by 12; its first line goes inline, and each later line loses
//    those 12 and gains the 8 of the line where the capture now sits:
//
//         async with aiofiles.open(path) as f:
//             data = f.read()
//             process(data)
//
//    Lines that begin inside a multi-line string are never touched: that would change the
//    string.
#include "engine/rewrite/template.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/match/pattern.h"
#include "engine/rewrite/imports.h"
#include "engine/rewrite/indent.h"
#include "engine/rewrite/precedence.h"
#include "engine/semantic/model.h"
#include "engine/source/source_file.h"
#include "engine/syntax/node.h"

namespace asyncfix {

Expected<ImportSpec> ImportSpec::parse(std::string_view t) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  auto is_dotted = [](std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
  };
  t = trim(t);
  ImportSpec s;
  if (t.substr(0, 5) == "from ") {
    size_t imp = t.find(" import ");
    if (imp == std::string_view::npos) return make_error(Error::Kind::Rule, "import '" + std::string(t) + "': expected `from MODULE import NAME`");
    s.module = std::string(trim(t.substr(5, imp - 5)));
    s.name = std::string(trim(t.substr(imp + 8)));
  } else {
    if (t.substr(0, 7) == "import ") t = trim(t.substr(7));
    s.module = std::string(t);
  }
  if (!is_dotted(s.module) || (!s.name.empty() && (!is_dotted(s.name) || s.name.find('.') != std::string::npos))) {
    return make_error(Error::Kind::Rule, "import '" + std::string(t) + "': expected a module (`asyncio`), `import MODULE` or `from MODULE import NAME`");
  }
  return s;
}

std::string ImportSpec::local() const {
  if (!name.empty()) return name;
  return module.substr(0, module.find('.'));
}

namespace {

// What parsing the template tells (when it parses): precedence needs of each metavariable's
// place, the kind of the whole, and which names it reads (for imported names).
struct ParsedTemplate {
  std::map<uint32_t, int> prec_at;        // encoded offset of a placeholder -> required precedence
  std::set<uint32_t> import_name_at;      // encoded offsets of imported names the template reads
  std::string root_kind, root_op;         // of the template's expression, when it is one
};

ParsedTemplate parse_template(const std::string& encoded, const std::vector<ImportSpec>& imports) {
  ParsedTemplate out;
  syntax::Parser parser;
  auto tree = parser.parse(encoded, 2000);
  if (tree && !ts_node_has_error(tree->root())) {
    TSNode root = tree->root();
    auto stmts = syntax::code_children(root);
    if (stmts.size() == 1 && syntax::is(stmts[0], "expression_statement")) {
      auto kids = syntax::code_children(stmts[0]);
      if (kids.size() == 1) {
        out.root_kind = std::string(syntax::kind(kids[0]));
        TSNode op = syntax::field(kids[0], "operator");
        if (!syntax::is_null(op)) out.root_op = std::string(syntax::text(op, encoded));
      }
    }
    syntax::walk(root, [&](TSNode n) {
      if (syntax::is(n, "identifier")) {
        std::string name;
        bool multi;
        if (decode_placeholder(syntax::text(n, encoded), &name, &multi)) {
          out.prec_at[ts_node_start_byte(n)] = required_precedence(n, encoded);
        }
      }
      return true;
    });
    auto model = semantic::SemanticModel::build(root, encoded);
    for (TSNode r : model.references()) {
      std::string_view name = syntax::text(r, encoded);
      for (const auto& imp : imports) {
        if (imp.local() == name) out.import_name_at.insert(ts_node_start_byte(r));
      }
    }
  }
  return out;
}

// The template's own indentation step: the smallest indent of its lines (4 when none is).
size_t indent_step(std::string_view text) {
  size_t unit = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && text[i - 1] != '\n') continue;
    size_t n = 0;
    while (i + n < text.size() && text[i + n] == ' ') ++n;
    if (n > 0 && i + n < text.size() && text[i + n] != '\n' && (unit == 0 || n < unit)) unit = n;
  }
  return unit == 0 ? 4 : unit;
}

}  // namespace

Expected<FixTemplate> FixTemplate::compile(std::string_view text, const std::vector<ImportSpec>& imports) {
  FixTemplate t;
  t.text_ = std::string(text);
  t.imports_ = imports;

  std::vector<std::pair<uint32_t, uint32_t>> mapping;
  std::string encoded = encode_metavariables(text, &mapping);

  ParsedTemplate parsed = parse_template(encoded, imports);
  t.root_kind_ = parsed.root_kind;
  t.root_op_ = parsed.root_op;

  // Segments, in order, over the encoded text.
  std::string lit;
  auto flush = [&] {
    if (!lit.empty()) t.segments_.push_back(Segment{Segment::Type::Text, lit, false, 0});
    lit.clear();
  };
  for (size_t i = 0; i < encoded.size();) {
    bool at_word_start = i == 0 || !(isalnum(static_cast<unsigned char>(encoded[i - 1])) || encoded[i - 1] == '_');
    if (at_word_start && (isalpha(static_cast<unsigned char>(encoded[i])) || encoded[i] == '_')) {
      size_t e = i;
      while (e < encoded.size() && (isalnum(static_cast<unsigned char>(encoded[e])) || encoded[e] == '_')) ++e;
      std::string_view word(encoded.data() + i, e - i);
      std::string name;
      bool multi = false;
      if (decode_placeholder(word, &name, &multi)) {
        if (name.empty()) {
          return make_error(Error::Kind::Rule, "fix: `$_` and `$$$` capture nothing and cannot be used in a fix",
                            {"", 1, original_offset(mapping, static_cast<uint32_t>(i)) + 1});
        }
        flush();
        auto it = parsed.prec_at.find(static_cast<uint32_t>(i));
        t.segments_.push_back(Segment{Segment::Type::Metavar, name, multi, it == parsed.prec_at.end() ? 0 : it->second});
        i = e;
        continue;
      }
      if (parsed.import_name_at.count(static_cast<uint32_t>(i))) {
        flush();
        t.segments_.push_back(Segment{Segment::Type::ImportName, std::string(word), false, 0});
        i = e;
        continue;
      }
      lit.append(word);
      i = e;
      continue;
    }
    lit += encoded[i++];
  }
  flush();

  t.indent_unit_ = indent_step(text);
  return t;
}

std::vector<std::string> FixTemplate::metavariables() const {
  std::vector<std::string> out;
  for (const auto& s : segments_) {
    if (s.type == Segment::Type::Metavar && std::find(out.begin(), out.end(), s.text) == out.end()) out.push_back(s.text);
  }
  return out;
}

namespace {

// The template's indentation (n spaces) in the file's unit.
std::string to_file_indent(std::string_view ws, size_t template_unit, const std::string& file_unit) {
  size_t spaces = 0, levels = 0;
  for (char c : ws) {
    if (c == '\t') ++levels;
    else ++spaces;
  }
  levels += spaces / template_unit;
  std::string r;
  for (size_t k = 0; k < levels; ++k) r += file_unit;
  r.append(spaces % template_unit, ' ');
  return r;
}

// Every import the rule adds is ensured (its needs go to `needs`), and spelled as the file
// has it at `at`: local name -> spelling.
std::map<std::string, std::string> spell_imports(const std::vector<ImportSpec>& imports, const ImportPlanner& planner,
                                                 TSNode at, std::vector<ImportNeed>* needs) {
  std::map<std::string, std::string> spelled;
  for (const auto& imp : imports) {
    ImportPlanner::Reference ref =
        imp.name.empty() ? planner.module(imp.module, at) : planner.name(imp.module, imp.name, at);
    spelled[imp.local()] = ref.text;
    needs->insert(needs->end(), ref.needs.begin(), ref.needs.end());
  }
  return spelled;
}

// Appends the template text `lit` to `result`: each line it starts gets `base` and its own
// indentation in the file's unit (kept in `line_indent_now`), unless the line is blank.
void append_template_text(std::string_view lit, const std::string& base, size_t template_unit,
                          const std::string& file_unit, std::string* result, std::string* line_indent_now,
                          bool* at_line_start) {
  for (size_t i = 0; i < lit.size(); ++i) {
    if (*at_line_start) {
      size_t ws = i;
      while (ws < lit.size() && (lit[ws] == ' ' || lit[ws] == '\t')) ++ws;
      *line_indent_now = to_file_indent(lit.substr(i, ws - i), template_unit, file_unit);
      bool blank = ws >= lit.size() ? false : lit[ws] == '\n';
      if (!blank) *result += base + *line_indent_now;
      i = ws;
      *at_line_start = false;
      if (i >= lit.size()) break;
    }
    *result += lit[i];
    if (lit[i] == '\n') *at_line_start = true;
  }
}

// Does the capture need parentheses at a place of the template that requires precedence
// `required_prec`?
bool capture_needs_parens(const Capture& cap, int required_prec, std::string_view text) {
  if (!cap.multi && cap.nodes.size() == 1 && required_prec > 0) {
    TSNode n = cap.nodes[0];
    TSNode op = syntax::field(n, "operator");
    std::string_view ops = syntax::is_null(op) ? std::string_view() : syntax::text(op, text);
    return precedence_of(syntax::kind(n), ops) < required_prec;
  }
  return false;
}

}  // namespace

FixTemplate::Rendered FixTemplate::render(const MetaEnv& env, TSNode replaced, const SourceFile& source,
                                          const ImportPlanner& planner) const {
  Rendered out;
  std::string_view text = source.text();
  const std::string& unit = source.indent_unit();
  std::string base(line_indent(text, ts_node_start_byte(replaced)));

  // Every import the rule adds is ensured, and spelled as the file has it.
  std::map<std::string, std::string> spelled = spell_imports(imports_, planner, replaced, &out.needs);

  std::string result;
  bool skip_comma = false;
  std::string line_indent_now;  // converted indentation of the template line being written
  bool at_line_start = false;
  // Root of the tree the captures live in (for multi-line strings).
  TSNode tree_root = replaced;
  while (!syntax::is_null(syntax::parent(tree_root))) tree_root = syntax::parent(tree_root);

  for (size_t si = 0; si < segments_.size(); ++si) {
    const Segment& seg = segments_[si];
    if (seg.type == Segment::Type::Text) {
      std::string_view lit = seg.text;
      if (skip_comma && lit.substr(0, 2) == ", ") lit.remove_prefix(2);
      skip_comma = false;
      append_template_text(lit, base, indent_unit_, unit, &result, &line_indent_now, &at_line_start);
      continue;
    }
    if (at_line_start) {  // a capture or a name opens the line: it gets the line's indent
      result += base + line_indent_now;
      at_line_start = false;
    }
    if (seg.type == Segment::Type::ImportName) {
      result += spelled[seg.text];
      continue;
    }
    auto it = env.find(seg.text);
    if (it == env.end()) continue;  // checked at load time; a branch of `any` may not bind it
    const Capture& cap = it->second;
    std::string piece(text.substr(cap.begin, cap.end - cap.begin));
    if (cap.multi && piece.empty()) {
      // Drop the separator the empty run leaves: `f($A, $$$REST)` -> `f(a)`.
      if (result.size() >= 2 && result.compare(result.size() - 2, 2, ", ") == 0) {
        result.resize(result.size() - 2);
      } else {
        skip_comma = true;  // `f($$$ARGS, x)`: the ", " that follows goes
      }
      continue;
    }
    // Re-indent the capture's later lines (step 3), except inside multi-line strings.
    if (piece.find('\n') != std::string::npos) piece = reindent(text, cap.begin, cap.end, base + line_indent_now, tree_root);
    if (capture_needs_parens(cap, seg.required_prec, text)) piece = "(" + piece + ")";
    result += piece;
  }

  if (!root_kind_.empty() && needs_parens(replaced, text, root_kind_, root_op_)) result = "(" + result + ")";
  out.text = std::move(result);
  return out;
}

}  // namespace asyncfix

#include "engine/rewrite/wrap.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "engine/syntax/node.h"

namespace asyncfix {

namespace {

using syntax::field;
using syntax::is;

// Delimiter priorities, as black ranks them (a line is split at its strongest one).
constexpr int kComprehension = 20, kComma = 18, kTernary = 16, kLogic = 14, kString = 12, kComparator = 10,
              kDot = 1;

// Standalone: a comment on a line of its own inside brackets (black's STANDALONE_COMMENT),
// which must end up alone on its line.
enum class Kind { Open, Close, Comma, Standalone, Other };

struct Leaf {
  std::string text;
  Kind kind = Kind::Other;
  bool space_before = false;  // whitespace before it in the one-line rendering
  bool invisible = false;     // an optional parenthesis black may show or not
  bool visible = true;
  bool atom = false;          // an opening bracket of a literal or parenthesized expression
  bool trailer_sqb = false;   // `]` of a subscript
  bool params = false;        // `(` of a def's parameters
  bool vararg = false;        // `*` / `**` of an unpacking
  bool dot_delim = false;     // `.` of an attribute (import names are not)
  bool multiline = false;     // a string with a newline
  bool import_paren = false;  // the optional parentheses of `from m import (a, b)`
  int before = 0;             // priority of a break before this leaf
  int after = 0;              // priority of a break after this leaf (commas)
  int match = -1;             // the matching bracket
  int lambda_open = 0, lambda_close = 0, for_open = 0, for_close = 0;  // depth changes
  std::string comment;        // a trailing comment attached to this leaf
};

struct Line {
  std::vector<int> ids;
  int depth = 0;
  bool inside_brackets = false;
  bool should_split_rhs = false;
};

size_t columns(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class Wrapper {
 public:
  Wrapper(std::vector<Leaf> leaves, const WrapOptions& o, std::string base_indent)
      : leaves_(std::move(leaves)), o_(o), base_(std::move(base_indent)) {}

  // The statement's lines as black would split it (one line when it fits or cannot split).
  // nullopt when a standalone comment could not be given a line of its own.
  std::optional<std::vector<std::string>> run() {
    Line line;
    for (int i = 0; i < static_cast<int>(leaves_.size()); ++i) line.ids.push_back(i);
    std::vector<std::string> out;
    for (const Line& l : transform(line)) {
      if (l.ids.size() > 1 && has_standalone(l)) return std::nullopt;
      out.push_back(render(l));
    }
    return out;
  }

 private:
  std::vector<Leaf> leaves_;
  const WrapOptions& o_;
  std::string base_;
  bool force_optional_parens_ = false;

  const Leaf& at(int id) const { return leaves_[id]; }
  // black's Line.is_def / is_import: what the line's first leaves are (a split's body is not a def).
  bool is_def(const Line& l) const {
    if (l.ids.empty()) return false;
    const std::string& t = at(l.ids[0]).text;
    return t == "def" || (t == "async" && l.ids.size() > 1 && at(l.ids[1]).text == "def");
  }
  bool is_import(const Line& l) const {
    return !l.ids.empty() && (at(l.ids[0]).text == "from" || at(l.ids[0]).text == "import");
  }
  // Columns of a line's indentation (black's 4 * depth, the statement's own included).
  size_t indent_cols(const Line& l) const { return columns(base_) + o_.indent_unit.size() * l.depth; }

  // --- rendering and measuring -----------------------------------------------------------

  // The space before leaf k of the line: none first on a line or after an opening bracket.
  bool prefix(const Line& l, size_t k) const {
    if (k == 0) return false;
    if (at(l.ids[k - 1]).kind == Kind::Open) return false;
    return at(l.ids[k]).space_before;
  }
  size_t leaf_length(const Line& l, size_t k) const {
    const Leaf& f = at(l.ids[k]);
    return (prefix(l, k) ? 1 : 0) + (f.visible ? columns(f.text) : 0) + columns(f.comment);
  }
  std::string render(const Line& l) const {
    std::string s = base_;
    for (int d = 0; d < l.depth; ++d) s += o_.indent_unit;
    std::string comments;
    for (size_t k = 0; k < l.ids.size(); ++k) {
      const Leaf& f = at(l.ids[k]);
      if (prefix(l, k)) s += ' ';
      if (f.visible) s += f.text;
      if (!f.comment.empty()) comments += "  " + f.comment;
    }
    return s + comments;
  }
  bool multiline(const Line& l) const {
    return std::any_of(l.ids.begin(), l.ids.end(), [&](int id) { return at(id).multiline; });
  }
  bool short_enough(const Line& l, int length_limit = -1) const {
    if (length_limit < 0) length_limit = o_.line_length;
    return static_cast<int>(columns(render(l))) <= length_limit && !multiline(l) && !has_standalone(l);
  }
  // black's contains_standalone_comments(depth_limit): at the line's depth <= limit.
  bool has_standalone(const Line& l, int depth_limit = 1 << 30) const {
    auto d = depths(l);
    for (size_t k = 0; k < l.ids.size(); ++k)
      if (at(l.ids[k]).kind == Kind::Standalone && d[k] <= depth_limit) return true;
    return false;
  }

  // --- brackets and delimiters of a line ---------------------------------------------------

  // Depth of each leaf within the line (black's bracket tracker: a closing bracket has the
  // depth of its opening one; lambda parameters and for-loop targets count one deeper).
  std::vector<int> depths(const Line& l) const {
    std::vector<int> d(l.ids.size());
    int depth = 0;
    for (size_t k = 0; k < l.ids.size(); ++k) {
      const Leaf& f = at(l.ids[k]);
      depth -= f.for_close + f.lambda_close;
      if (f.kind == Kind::Close) --depth;
      d[k] = depth;
      if (f.kind == Kind::Open) ++depth;
      depth += f.lambda_open + f.for_open;
    }
    return d;
  }
  // Priority of a break after leaf k of the line (0: none), at the line's depth 0.
  std::map<int, int> delimiters(const Line& l) const {
    std::map<int, int> out;
    auto d = depths(l);
    for (size_t k = 0; k < l.ids.size(); ++k) {
      if (d[k] != 0) continue;
      const Leaf& f = at(l.ids[k]);
      int before = f.before;
      if (f.dot_delim) before = (k == 0 || at(l.ids[k - 1]).kind == Kind::Close) ? kDot : 0;
      if (before && k > 0) out[static_cast<int>(k) - 1] = std::max(out[static_cast<int>(k) - 1], before);
      if (f.after) out[static_cast<int>(k)] = std::max(out[static_cast<int>(k)], f.after);
    }
    return out;
  }
  static int max_priority(const std::map<int, int>& delims, int exclude = -1) {
    int m = 0;
    for (auto [k, p] : delims)
      if (k != exclude) m = std::max(m, p);
    return m;
  }
  static int count_priority(const std::map<int, int>& delims, int p) {
    int n = 0;
    for (auto [k, q] : delims) n += q == p;
    return n;
  }
  int index_in(const Line& l, int id) const {
    for (size_t k = 0; k < l.ids.size(); ++k)
      if (l.ids[k] == id) return static_cast<int>(k);
    return -1;
  }
  // Commas directly inside the bracket pair opening at leaf id `open`.
  int commas_inside(int open) const {
    int close = at(open).match, depth = 0, n = 0;
    for (int i = open + 1; i < close; ++i) {
      const Leaf& f = at(i);
      if (f.kind == Kind::Close) --depth;
      if (depth == 0 && f.kind == Kind::Comma) ++n;
      if (f.kind == Kind::Open) ++depth;
    }
    return n;
  }
  // black's is_one_sequence_between: `(x,)`, a one-element tuple. The comma of a call's or a
  // def's argument list counts twice there (its parent is an arglist), so `f(x,)` is not one.
  bool one_sequence(int close) const {
    int open = at(close).match;
    return open >= 0 && at(open).text == "(" && at(open).atom && commas_inside(open) == 1 &&
           at(close - 1).kind == Kind::Comma;
  }
  bool magic_trailing_comma(const Line& l) const {
    for (size_t k = 1; k < l.ids.size(); ++k) {
      const Leaf& f = at(l.ids[k]);
      if (f.kind != Kind::Close || !f.visible || at(l.ids[k - 1]).kind != Kind::Comma) continue;
      if (f.text == "}") return true;
      if (f.text == "]") {
        if (!f.trailer_sqb || commas_inside(f.match) > 1) return true;
        continue;
      }
      if (!one_sequence(l.ids[k])) return true;
    }
    return false;
  }

  Line sub(const Line& like, std::vector<int> ids) const {
    Line r;
    r.ids = std::move(ids);
    r.depth = like.depth;
    r.inside_brackets = like.inside_brackets;
    return r;
  }

  // --- black's transforms --------------------------------------------------------------------

  std::vector<Line> transform(const Line& line) {
    bool mtc = magic_trailing_comma(line);
    if (!line.should_split_rhs && !mtc && short_enough(line)) return {line};
    std::string line_str = render(line);
    std::vector<int> order;  // 0 delimiter_split, 1 rhs, 2 lhs
    if (is_def(line)) order = {2};
    else if (line.inside_brackets) order = {0, 3, 1};
    else order = {1};
    for (int t : order) {
      auto r = run_transformer(line, t, line_str);
      if (r) return *r;
    }
    return {line};
  }

  std::optional<std::vector<Line>> apply(const Line& line, int t) {
    if (t == 0) return delimiter_split(line);
    if (t == 2) return left_hand_split(line);
    if (t == 3) return standalone_comment_split(line);
    return rhs(line);
  }

  std::optional<std::vector<Line>> run_transformer(const Line& line, int t, const std::string& line_str) {
    auto parts = apply(line, t);
    if (!parts) return std::nullopt;
    std::vector<Line> result;
    for (const Line& p : *parts) {
      if (render(p) == line_str) return std::nullopt;  // unchanged: not a transform
      for (Line& q : transform(p)) result.push_back(std::move(q));
    }
    // A split that kept optional parentheses invisible but left its first line too long:
    // black asks again with the parentheses forced, and takes that if every line fits.
    bool has_invisible = false, any_shown = false;
    for (int id : line.ids) {
      if (at(id).invisible) {
        has_invisible = true;
        any_shown |= at(id).visible;
      }
    }
    if (t != 1 || force_optional_parens_ || !has_invisible || any_shown || multiline(line) ||
        short_enough(result[0]))
      return result;
    force_optional_parens_ = true;
    auto second = run_transformer(line, t, line_str);
    force_optional_parens_ = false;
    if (second && std::all_of(second->begin(), second->end(), [&](const Line& l) { return short_enough(l); }))
      return second;
    return result;
  }

  std::optional<std::vector<Line>> rhs(const Line& line) {
    for (const std::set<int>& omit : trailers_to_omit(line)) {
      auto lines = right_hand_split(line, omit);
      if (!lines) return std::nullopt;  // black's CannotSplit leaves the loop
      if (short_enough(lines->front())) return lines;
    }
    return right_hand_split(line, {});
  }

  struct RHS {
    Line head, body, tail;
    int open = -1, close = -1;
  };

  std::optional<RHS> first_rhs(const Line& line, const std::set<int>& omit) {
    std::vector<int> tail, body, head;
    std::vector<int>* cur = &tail;
    int open = -1, close = -1;
    for (size_t k = line.ids.size(); k-- > 0;) {
      int id = line.ids[k];
      if (cur == &body && id == open) cur = body.empty() ? &tail : &head;
      cur->push_back(id);
      if (cur == &tail && at(id).kind == Kind::Close && !omit.count(id)) {
        open = at(id).match;
        close = id;
        cur = &body;
      }
    }
    if (open < 0 || head.empty()) return std::nullopt;
    std::reverse(tail.begin(), tail.end());
    std::reverse(body.begin(), body.end());
    std::reverse(head.begin(), head.end());
    RHS r{sub(line, head), build_body(line, body, open), sub(line, tail), open, close};
    if (!split_succeeded(r)) return std::nullopt;
    return r;
  }

  bool split_succeeded(const RHS& r) const {
    if (!r.body.ids.empty()) return true;
    std::string t = render(r.tail);
    size_t b = t.find_first_not_of(' ');
    size_t len = b == std::string::npos ? 0 : columns(t.substr(b));
    return len >= 3;
  }

  Line build_body(const Line& original, std::vector<int> ids, int open) {
    Line r = sub(original, {});
    r.inside_brackets = true;
    r.depth = original.depth + 1;
    bool has_comma = std::any_of(ids.begin(), ids.end(), [&](int id) { return at(id).kind == Kind::Comma; });
    if (!ids.empty() && ((is_def(original) && at(open).text == "(" && at(open).params && !has_comma) ||
                         is_import(original))) {
      // After the last leaf that is not a standalone comment, unless it is a comma already.
      size_t i = ids.size();
      while (i > 0 && at(ids[i - 1]).kind == Kind::Standalone) --i;
      if (i > 0 && at(ids[i - 1]).kind != Kind::Comma) ids.insert(ids.begin() + static_cast<long>(i), new_comma());
    }
    r.ids = std::move(ids);
    // should_split_line: a body of several comma-separated items explodes when it has a
    // trailing comma or is a literal's.
    if (!r.ids.empty() && (at(open).text == "(" || at(open).text == "[" || at(open).text == "{")) {
      auto delims = delimiters(r);
      bool trailing = at(r.ids.back()).kind == Kind::Comma;
      int mp = max_priority(delims, trailing ? static_cast<int>(r.ids.size()) - 1 : -1);
      if (mp == kComma && (trailing || at(open).atom || at(open).import_paren)) r.should_split_rhs = true;
    }
    return r;
  }

  int new_comma() {
    Leaf c;
    c.text = ",";
    c.kind = Kind::Comma;
    c.after = kComma;
    leaves_.push_back(c);
    return static_cast<int>(leaves_.size()) - 1;
  }

  std::optional<std::vector<Line>> right_hand_split(const Line& line, const std::set<int>& omit) {
    auto r = first_rhs(line, omit);
    if (!r) return std::nullopt;
    return maybe_split_omitting_optional_parens(*r, line, omit);
  }

  std::optional<std::vector<Line>> maybe_split_omitting_optional_parens(RHS r, const Line& line,
                                                                        const std::set<int>& omit) {
    if (!force_optional_parens_ && !is_import(line) && at(r.open).invisible && !at(r.open).visible &&
        at(r.close).invisible && !at(r.close).visible && !has_standalone(r.body, 0) &&
        can_omit_invisible_parens(r.body)) {
      std::set<int> omit2 = omit;
      omit2.insert(r.close);
      auto oop = first_rhs(line, omit2);
      std::optional<std::vector<Line>> deeper;
      if (oop) deeper = maybe_split_omitting_optional_parens(*oop, line, omit2);
      if (deeper) return deeper;
      if (!(can_be_split(r.body) || short_enough(r.body))) return std::nullopt;
      if (multiline(r.head) || multiline(r.tail)) return std::nullopt;
    }
    leaves_[r.open].visible = true;
    leaves_[r.close].visible = true;
    std::vector<Line> out;
    for (Line* p : {&r.head, &r.body, &r.tail})
      if (!p->ids.empty()) out.push_back(*p);
    return out;
  }

  bool can_be_split(const Line& l) const {
    if (l.ids.size() < 2) return false;
    // black's exception (a string with a method call chain) is not written by fixes.
    return true;
  }

  bool can_omit_invisible_parens(const Line& l) const {
    auto delims = delimiters(l);
    if (delims.empty()) return true;
    int mp = max_priority(delims);
    if (count_priority(delims, mp) > 1) return false;
    if (mp == kDot) return true;
    if (l.ids.size() < 2) return false;
    const Leaf& first = at(l.ids[0]);
    const Leaf& second = at(l.ids[1]);
    if (first.kind == Kind::Open && second.kind != Kind::Close && can_omit_opening_paren(l)) return true;
    const Leaf& penultimate = at(l.ids[l.ids.size() - 2]);
    const Leaf& last = at(l.ids.back());
    if (last.kind == Kind::Close && (last.text == ")" || last.text == "}" || (last.text == "]" && !last.trailer_sqb))) {
      if (penultimate.kind == Kind::Open) return false;
      if (first.multiline) return true;
      if (can_omit_closing_paren(l, l.ids.back())) return true;
    }
    return false;
  }
  bool can_omit_opening_paren(const Line& l) const {
    bool remainder = false;
    size_t length = indent_cols(l);
    int first = l.ids[0];
    size_t k = 0;
    for (; k < l.ids.size(); ++k) {
      const Leaf& f = at(l.ids[k]);
      if (f.kind == Kind::Close && f.match == first) remainder = true;
      if (remainder) {
        length += leaf_length(l, k);
        if (static_cast<int>(length) > o_.line_length) return false;
        if (f.kind == Kind::Open) remainder = false;
      }
    }
    return true;
  }
  bool can_omit_closing_paren(const Line& l, int last) const {
    size_t length = indent_cols(l);
    bool seen_other = false;
    for (size_t k = 0; k < l.ids.size(); ++k) {
      length += leaf_length(l, k);
      int id = l.ids[k];
      if (id == at(last).match) {
        if (seen_other || static_cast<int>(length) <= o_.line_length) return true;
      } else if (at(id).kind == Kind::Open) {
        seen_other = true;
      }
    }
    return false;
  }

  std::vector<std::set<int>> trailers_to_omit(const Line& line) const {
    std::vector<std::set<int>> out;
    std::set<int> omit;
    if (!magic_trailing_comma(line)) out.push_back(omit);
    size_t length = indent_cols(line);
    int opening = -1, closing = -1;
    std::set<int> inner;
    for (size_t k = line.ids.size(); k-- > 0;) {
      int id = line.ids[k];
      const Leaf& f = at(id);
      if (f.multiline) break;
      length += leaf_length(line, k);
      if (static_cast<int>(length) > o_.line_length) break;
      if (!f.comment.empty() || f.kind == Kind::Standalone) break;
      int prev = k > 0 ? line.ids[k - 1] : -1;
      if (opening >= 0) {
        if (id == opening) {
          opening = -1;
        } else if (f.kind == Kind::Close) {
          if (prev >= 0 && at(prev).kind == Kind::Comma && !one_sequence(id)) break;
          inner.insert(id);
        }
      } else if (f.kind == Kind::Close) {
        if (prev >= 0 && at(prev).kind == Kind::Open) {
          inner.insert(id);
          continue;
        }
        if (closing >= 0) {
          omit.insert(closing);
          omit.insert(inner.begin(), inner.end());
          inner.clear();
          out.push_back(omit);
        }
        if (prev >= 0 && at(prev).kind == Kind::Comma && !one_sequence(id)) break;
        if (f.visible) {
          opening = f.match;
          closing = id;
        }
      }
    }
    return out;
  }

  std::optional<std::vector<Line>> delimiter_split(const Line& line) {
    if (line.ids.empty()) return std::nullopt;
    auto delims = delimiters(line);
    int mp = max_priority(delims, static_cast<int>(line.ids.size()) - 1);
    if (mp == 0) return std::nullopt;
    if (mp == kDot && count_priority(delims, kDot) == 1) return std::nullopt;
    std::vector<Line> out;
    Line cur = sub(line, {});
    cur.should_split_rhs = false;
    auto d = depths(line);
    int lowest = 1 << 30;
    bool comma_safe = true;
    int open_in_cur = 0;
    for (size_t k = 0; k < line.ids.size(); ++k) {
      append_safe(line, out, cur, open_in_cur, line.ids[k]);
      lowest = std::min(lowest, d[k]);
      if (d[k] == lowest && at(line.ids[k]).vararg) comma_safe = comma_safe && o_.trailing_comma_after_unpacking;
      auto it = delims.find(static_cast<int>(k));
      if (it != delims.end() && it->second == mp) {
        out.push_back(cur);
        cur = sub(line, {});
        cur.should_split_rhs = false;
        open_in_cur = 0;
      }
    }
    if (!cur.ids.empty()) {
      Kind last = at(cur.ids.back()).kind;
      if (comma_safe && mp == kComma && last != Kind::Comma && last != Kind::Standalone) cur.ids.push_back(new_comma());
      out.push_back(cur);
    }
    for (Line& l : out) l.should_split_rhs = false;
    return out;
  }

  // black's append_safe inside a split: at the depth of the line being built, a standalone
  // comment starts a line of its own, and nothing follows it there.
  void append_safe(const Line& like, std::vector<Line>& out, Line& cur, int& open_in_cur, int id) const {
    bool standalone = at(id).kind == Kind::Standalone;
    bool cur_is_comment = cur.ids.size() == 1 && at(cur.ids[0]).kind == Kind::Standalone;
    if (open_in_cur == 0 && !cur.ids.empty() && (cur_is_comment || standalone)) {
      out.push_back(cur);
      cur = sub(like, {});
      cur.should_split_rhs = false;
    }
    cur.ids.push_back(id);
    if (at(id).kind == Kind::Open) ++open_in_cur;
    if (at(id).kind == Kind::Close) --open_in_cur;
  }

  std::optional<std::vector<Line>> standalone_comment_split(const Line& line) const {
    if (!has_standalone(line, 0)) return std::nullopt;
    std::vector<Line> out;
    Line cur = sub(line, {});
    int open_in_cur = 0;
    for (int id : line.ids) append_safe(line, out, cur, open_in_cur, id);
    if (!cur.ids.empty()) out.push_back(cur);
    return out;
  }

  std::optional<std::vector<Line>> left_hand_split(const Line& line) {
    std::vector<int> head, body, tail;
    std::vector<int>* cur = &head;
    int matching = -1;
    for (int id : line.ids) {
      if (cur == &body && at(id).kind == Kind::Close && at(id).match == matching) cur = body.empty() ? &head : &tail;
      cur->push_back(id);
      if (cur == &head && at(id).kind == Kind::Open) {
        matching = id;
        cur = &body;
      }
    }
    if (matching < 0 || tail.empty()) return std::nullopt;
    RHS r{sub(line, head), build_body(line, body, matching), sub(line, tail), matching, at(matching).match};
    if (!split_succeeded(r)) return std::nullopt;
    std::vector<Line> out;
    for (Line* p : {&r.head, &r.body, &r.tail})
      if (!p->ids.empty()) out.push_back(*p);
    return out;
  }
};

// --- from the tree to black's leaves ------------------------------------------------------------

int math_priority(std::string_view op) {
  if (op == "|") return 9;
  if (op == "^") return 8;
  if (op == "&") return 7;
  if (op == "<<" || op == ">>") return 6;
  if (op == "+" || op == "-") return 5;
  if (op == "*" || op == "/" || op == "//" || op == "%" || op == "@") return 4;
  if (op == "**") return 2;
  return 0;
}

class LeafReader {
 public:
  LeafReader(std::string_view src, uint32_t begin, uint32_t end) : src_(src), begin_(begin), end_(end) {}

  bool read(TSNode n) {
    uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e <= begin_ || b >= end_) return true;
    std::string_view k = syntax::kind(n);
    if (k == "comment") {
      // A comment after a leaf on its line goes with that leaf (black prints it at the end of
      // the line the leaf ends up on); one on a line of its own is black's standalone
      // comment, which this pass does not lay out.
      if (leaves_.empty()) return false;
      if (src_.substr(last_end_, b - last_end_).find('\n') != std::string_view::npos) {
        Leaf c;
        c.text = std::string(src_.substr(b, e - b));
        c.kind = Kind::Standalone;
        last_end_ = e;
        leaves_.push_back(std::move(c));
        nodes_.push_back(n);
        return true;
      }
      if (!leaves_.back().comment.empty()) return false;
      leaves_.back().comment = std::string(src_.substr(b, e - b));
      return true;
    }
    if (k == "ERROR" || ts_node_is_missing(n)) return false;
    if (ts_node_child_count(n) == 0 || k == "string") {
      if (b < begin_ || e > end_) return false;
      add(n, b, e);
      return true;
    }
    for (uint32_t i = 0; i < ts_node_child_count(n); ++i)
      if (!read(ts_node_child(n, i))) return false;
    return true;
  }

  std::vector<Leaf>& leaves() { return leaves_; }
  std::vector<TSNode>& nodes() { return nodes_; }
  bool broken() const { return broken_; }

 private:
  std::string_view src_;
  uint32_t begin_, end_;
  uint32_t last_end_ = 0;
  bool broken_ = false;
  std::vector<Leaf> leaves_;
  std::vector<TSNode> nodes_;

  void add(TSNode n, uint32_t b, uint32_t e) {
    Leaf f;
    f.text = std::string(src_.substr(b, e - b));
    f.space_before = !leaves_.empty() && b > last_end_;
    std::string_view gap = leaves_.empty() ? std::string_view() : src_.substr(last_end_, b - last_end_);
    if (gap.find('\\') != std::string_view::npos) broken_ = true;  // a backslash continuation
    if (gap.find('\n') != std::string_view::npos) {
      // A line break inside brackets: a space, as black writes the joined line, except
      // before a closing bracket, a comma, or the dot of a chain.
      std::string_view t(src_.data() + b, e - b);
      f.space_before = !(t == ")" || t == "]" || t == "}" || t == "," || t == ".");
    }
    last_end_ = e;
    f.multiline = f.text.find('\n') != std::string::npos;
    TSNode p = syntax::parent(n);
    std::string_view pk = syntax::kind(p);
    // `is not` and `not in` are nodes of their own, holding two tokens.
    if (pk == "is not" || pk == "not in") {
      p = syntax::parent(p);
      pk = syntax::kind(p);
    }
    const std::string& t = f.text;
    bool named = ts_node_is_named(n);
    if (!named && (t == "(" || t == "[" || t == "{")) {
      f.kind = Kind::Open;
      f.atom = pk == "parenthesized_expression" || pk == "tuple" || pk == "list" || pk == "set" ||
               pk == "dictionary" || pk == "list_comprehension" || pk == "set_comprehension" ||
               pk == "dictionary_comprehension" || pk == "tuple_pattern" || pk == "list_pattern" ||
               (pk == "generator_expression" && !is(syntax::parent(p), "call"));
      f.params = pk == "parameters";
    } else if (!named && (t == ")" || t == "]" || t == "}")) {
      f.kind = Kind::Close;
      f.trailer_sqb = t == "]" && pk == "subscript";
    } else if (!named && t == ",") {
      f.kind = Kind::Comma;
      f.after = kComma;
    } else if (!named && t == ".") {
      f.dot_delim = pk == "attribute";
    } else if (!named && (pk == "list_splat" || pk == "dictionary_splat" || pk == "list_splat_pattern" ||
                          pk == "dictionary_splat_pattern" || pk == "keyword_separator")) {
      f.vararg = true;
    } else if (!named && pk == "binary_operator") {
      f.before = math_priority(t);
    } else if (!named && pk == "comparison_operator") {
      bool after_is = !leaves_.empty() && leaves_.back().text == "is";
      bool after_not = !leaves_.empty() && leaves_.back().text == "not";
      if (t == "not") f.before = after_is ? 0 : kComparator;
      else if (t == "in") f.before = after_not ? 0 : kComparator;
      else f.before = kComparator;
    } else if (!named && pk == "boolean_operator") {
      f.before = kLogic;
    } else if (!named && pk == "conditional_expression" && (t == "if" || t == "else")) {
      f.before = kTernary;
    } else if (!named && (pk == "for_in_clause" || pk == "if_clause") && (t == "for" || t == "if" || t == "async")) {
      bool after_async = !leaves_.empty() && leaves_.back().text == "async";
      f.before = (t == "for" && after_async) ? 0 : kComprehension;
    } else if (is(n, "string") && pk == "concatenated_string" && !leaves_.empty() &&
               nodes_.size() && is(nodes_.back(), "string")) {
      f.before = kString;
    }
    leaves_.push_back(std::move(f));
    nodes_.push_back(n);
  }
};

// Bracket matching, lambda parameters and for targets.
bool link(std::vector<Leaf>& leaves, const std::vector<TSNode>& nodes) {
  std::vector<int> stack;
  for (int i = 0; i < static_cast<int>(leaves.size()); ++i) {
    if (leaves[i].kind == Kind::Open) stack.push_back(i);
    if (leaves[i].kind == Kind::Close) {
      if (stack.empty()) return false;
      leaves[i].match = stack.back();
      leaves[stack.back()].match = i;
      stack.pop_back();
    }
  }
  if (!stack.empty()) return false;
  // `lambda x, y: ...`: its parameters' commas are not the line's; `for a, b in ...`: nor
  // are the loop target's.
  for (int i = 0; i < static_cast<int>(leaves.size()); ++i) {
    const std::string& t = leaves[i].text;
    TSNode p = syntax::parent(nodes[i]);
    if (t == "lambda" && is(p, "lambda")) {
      for (int j = i + 1; j < static_cast<int>(leaves.size()); ++j) {
        if (leaves[j].text == ":" && syntax::same(syntax::parent(nodes[j]), p)) {
          leaves[i].lambda_open = 1;
          leaves[j].lambda_close = 1;
          break;
        }
      }
    }
    if (t == "for" && (is(p, "for_in_clause") || is(p, "for_statement"))) {
      for (int j = i + 1; j < static_cast<int>(leaves.size()); ++j) {
        if (leaves[j].text == "in" && syntax::same(syntax::parent(nodes[j]), p)) {
          leaves[i].for_open = 1;
          leaves[j].for_close = 1;
          break;
        }
      }
    }
  }
  return true;
}

// `from m import a, b`: the byte range of the names black puts in parentheses when it splits
// the line; nullopt when they have their own parentheses already (made optional here).
std::optional<std::pair<uint32_t, uint32_t>> import_names(std::vector<Leaf>& leaves, const std::vector<TSNode>& nodes,
                                                         TSNode s) {
  int kw = -1;
  for (int i = 0; i < static_cast<int>(leaves.size()); ++i) {
    if (leaves[i].text == "import" && syntax::same(syntax::parent(nodes[i]), s)) {
      kw = i;
      break;
    }
  }
  if (kw < 0 || kw + 1 >= static_cast<int>(leaves.size())) return std::nullopt;
  if (leaves[kw + 1].text != "(")
    return std::make_pair(ts_node_start_byte(nodes[kw + 1]), ts_node_end_byte(s));
  int close = -1;
  for (int i = static_cast<int>(leaves.size()) - 1; i > kw; --i) {
    if (leaves[i].text == ")") {
      close = i;
      break;
    }
  }
  if (close < 0) return std::nullopt;
  for (int i : {kw + 1, close}) {
    leaves[i].invisible = true;
    leaves[i].visible = false;
  }
  leaves[kw + 1].import_paren = true;
  return std::nullopt;
}

// Optional parentheses black puts around a statement's value: after `return`, `=`, `in` and
// `for` of a for statement, `if`/`elif`/`while`, `assert`, `del`, `except`.
void add_invisible_parens(std::vector<Leaf>& leaves, std::vector<TSNode>& nodes, TSNode stmt) {
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // byte ranges of the wrapped children
  auto want = [&](TSNode child) {
    if (syntax::is_null(child)) return;
    if (is(child, "parenthesized_expression")) {
      // Redundant parentheses (`return (\n    x\n)`, black's own earlier split) are
      // optional ones to black: shown only if the split needs them.
      TSNode inner = ts_node_named_child(child, 0);
      if (is(inner, "named_expression") || is(inner, "yield") || is(inner, "list_splat") ||
          ts_node_named_child_count(child) != 1)
        return;
      TSNode open = ts_node_child(child, 0), close = ts_node_child(child, ts_node_child_count(child) - 1);
      for (size_t i = 0; i < nodes.size(); ++i) {
        if (syntax::same(nodes[i], open) || syntax::same(nodes[i], close)) {
          leaves[i].invisible = true;
          leaves[i].visible = false;
        }
      }
      return;
    }
    spans.emplace_back(ts_node_start_byte(child), ts_node_end_byte(child));
  };
  TSNode s = stmt;
  if (is(s, "expression_statement")) {
    TSNode a = ts_node_named_child(s, 0);
    if (is(a, "assignment") || is(a, "augmented_assignment")) {
      if (is(field(a, "left"), "pattern_list")) want(field(a, "left"));
      TSNode right = field(a, "right");
      if (!is(right, "assignment")) want(right);
    }
  } else if (is(s, "return_statement") || is(s, "delete_statement")) {
    want(ts_node_named_child(s, 0));
  } else if (is(s, "for_statement")) {
    want(field(s, "left"));
    want(field(s, "right"));
  } else if (is(s, "if_statement") || is(s, "while_statement") || is(s, "elif_clause")) {
    want(field(s, "condition"));
  } else if (is(s, "assert_statement")) {
    for (TSNode c : syntax::code_children(s)) want(c);
  } else if (is(s, "import_from_statement")) {
    if (auto span = import_names(leaves, nodes, s)) spans.push_back(*span);
  }
  for (auto [b, e] : spans) {
    int first = -1, last = -1;
    for (int i = 0; i < static_cast<int>(nodes.size()); ++i) {
      uint32_t nb = ts_node_start_byte(nodes[i]);
      if (nb >= b && nb < e) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) continue;
    Leaf lp, rp;
    lp.text = "(";
    lp.kind = Kind::Open;
    lp.atom = true;  // black wraps the child in an atom with invisible parentheses
    lp.invisible = true;
    lp.visible = false;
    lp.space_before = leaves[first].space_before;
    rp.text = ")";
    rp.kind = Kind::Close;
    rp.invisible = true;
    rp.visible = false;
    // A comment on a single wrapped leaf stays with it; on more, it goes to the closing one.
    if (last > first && !leaves[last].comment.empty()) {
      rp.comment = std::move(leaves[last].comment);
      leaves[last].comment.clear();
    }
    leaves.insert(leaves.begin() + last + 1, rp);
    nodes.insert(nodes.begin() + last + 1, nodes[last]);
    lp.import_paren = is(s, "import_from_statement");
    leaves.insert(leaves.begin() + first, lp);
    nodes.insert(nodes.begin() + first, nodes[first]);
  }
}

// The statement a line belongs to and the bytes of its logical line: from the start of the
// statement's first line to the end of the line its simple statement or compound header
// ends on. nullopt when the line holds no statement start or header of its own.
struct Logical {
  TSNode stmt{};
  uint32_t line_begin = 0;  // start of the statement's first line
  uint32_t begin = 0;       // the statement's first byte
  uint32_t end = 0;         // end of the last line (before its newline)
};

std::optional<Logical> logical_line(TSNode root, uint32_t line_b, uint32_t line_e, std::string_view src) {
  uint32_t b = line_b;
  while (b < line_e && (src[b] == ' ' || src[b] == '\t')) ++b;
  if (b >= line_e || src[b] == '#') return std::nullopt;
  TSNode stmt{};
  for (TSNode p = ts_node_descendant_for_byte_range(root, b, b); !syntax::is_null(p); p = syntax::parent(p)) {
    TSNode up = syntax::parent(p);
    if (syntax::is_null(up)) break;
    if (is(up, "block") || is(up, "module") ||
        (is(up, "decorated_definition") && (is(p, "function_definition") || is(p, "class_definition")))) {
      stmt = p;
      break;
    }
    // else/elif/except/finally clauses head lines of their own
    std::string_view k = syntax::kind(p);
    if (k == "elif_clause" || k == "else_clause" || k == "except_clause" || k == "finally_clause") {
      stmt = p;
      break;
    }
  }
  if (syntax::is_null(stmt) || is(stmt, "decorated_definition")) return std::nullopt;
  std::string_view k = syntax::kind(stmt);
  uint32_t end = ts_node_end_byte(stmt);
  bool compound = k == "if_statement" || k == "for_statement" || k == "while_statement" || k == "with_statement" ||
                  k == "function_definition" || k == "class_definition" || k == "try_statement" ||
                  k == "elif_clause" || k == "else_clause" || k == "except_clause" || k == "finally_clause" ||
                  k == "match_statement";
  if (compound) {
    TSNode body = field(stmt, "body");
    if (syntax::is_null(body)) body = field(stmt, "consequence");
    if (syntax::is_null(body)) body = syntax::child_of_kind(stmt, "block");
    if (syntax::is_null(body)) return std::nullopt;
    TSNode colon{};
    for (uint32_t i = 0; i < ts_node_child_count(stmt); ++i) {
      TSNode c = ts_node_child(stmt, i);
      if (ts_node_start_byte(c) >= ts_node_start_byte(body)) break;
      if (syntax::kind(c) == ":") colon = c;
    }
    if (syntax::is_null(colon)) return std::nullopt;
    end = ts_node_end_byte(colon);
    if (ts_node_start_point(body).row == ts_node_end_point(colon).row) return std::nullopt;  // `if x: y`
  }
  uint32_t start = ts_node_start_byte(stmt);
  uint32_t first_line = start;
  while (first_line > 0 && src[first_line - 1] != '\n') --first_line;
  for (uint32_t i = first_line; i < start; ++i)
    if (src[i] != ' ' && src[i] != '\t') return std::nullopt;  // `a; b`: not its own line
  uint32_t line_end = end;
  while (line_end < src.size() && src[line_end] != '\n') ++line_end;
  if (line_end > first_line && src[line_end - 1] == '\r') --line_end;
  Logical l;
  l.stmt = stmt;
  l.line_begin = first_line;
  l.begin = start;
  l.end = line_end;
  return l;
}

}  // namespace

namespace {

// The lines of one logical line as black writes them, or nullopt when they cannot be
// (comments inside it, a backslash, a multi-line string, something the reader does not know).
std::optional<std::vector<std::string>> format_logical(std::string_view text, const Logical& l, const WrapOptions& o) {
  LeafReader reader(text, l.begin, l.end);
  if (!reader.read(l.stmt) || reader.broken()) return std::nullopt;
  std::vector<Leaf>& leaves = reader.leaves();
  if (leaves.empty()) return std::nullopt;
  for (size_t i = 0; i + 1 < leaves.size(); ++i)
    if (leaves[i].multiline) return std::nullopt;  // a multi-line string inside
  if (leaves.back().comment.empty()) {
    // A trailing comment tree-sitter hangs after the statement.
    uint32_t stmt_end = std::min<uint32_t>(ts_node_end_byte(l.stmt), l.end);
    std::string_view rest = text.substr(stmt_end, l.end - stmt_end);
    size_t h = rest.find('#');
    if (h != std::string_view::npos) leaves.back().comment = std::string(rest.substr(h));
  }
  if (!link(leaves, reader.nodes())) return std::nullopt;
  add_invisible_parens(leaves, reader.nodes(), l.stmt);
  if (!link(leaves, reader.nodes())) return std::nullopt;
  std::string indent(text.substr(l.line_begin, l.begin - l.line_begin));
  Wrapper w(std::move(leaves), o, indent);
  return w.run();
}

}  // namespace

std::string wrap_long_lines(std::string_view text, TSNode root, const std::unordered_set<std::string_view>& original_lines,
                            const WrapOptions& o) {
  std::string out;
  size_t pos = 0, copied = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t line_end = nl == std::string_view::npos ? text.size() : nl;
    size_t content_end = line_end;
    if (content_end > pos && text[content_end - 1] == '\r') --content_end;
    std::string_view line = text.substr(pos, content_end - pos);
    size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    if (original_lines.count(line)) {
      pos = next;
      continue;
    }
    // A line a fix wrote: its statement, as black would write it, when that is too long on
    // one line or already spans several (a chain rewritten in place).
    auto l = logical_line(root, static_cast<uint32_t>(pos), static_cast<uint32_t>(content_end), text);
    if (!l || l->line_begin < copied) {
      pos = next;
      continue;
    }
    std::string_view current = text.substr(l->line_begin, l->end - l->line_begin);
    bool multi = current.find('\n') != std::string_view::npos;
    // A short one-line statement is laid out again too in a black project: a magic trailing
    // comma in it explodes its bracket.
    bool fits = !multi && static_cast<int>(columns(line)) <= o.line_length;
    if ((fits && (!o.relayout_multiline || line.find(',') == std::string_view::npos)) ||
        (multi && !o.relayout_multiline)) {
      pos = next;
      continue;
    }
    auto lines = format_logical(text, *l, o);
    std::string joined;
    if (lines) {
      for (size_t i = 0; i < lines->size(); ++i) joined += (*lines)[i] + (i + 1 < lines->size() ? o.newline : "");
    }
    if (lines && joined != current) {
      out.append(text.substr(copied, l->line_begin - copied));
      out += joined;
      copied = l->end;
    }
    size_t after = text.find('\n', l->end);
    pos = std::max(next, after == std::string_view::npos ? text.size() : after + 1);
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

int formatter_line_length(std::string_view toml) {
  // [tool.black] / [tool.ruff] line-length = N (black's first).
  int found_black = -1, found_ruff = -1;
  std::string section;
  size_t pos = 0;
  while (pos <= toml.size()) {
    size_t nl = toml.find('\n', pos);
    std::string_view line = toml.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? toml.size() + 1 : nl + 1;
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string_view::npos) continue;
    line = line.substr(b);
    if (line[0] == '[') {
      size_t e = line.find(']');
      section = std::string(line.substr(1, e == std::string_view::npos ? std::string_view::npos : e - 1));
      continue;
    }
    if (line.rfind("line-length", 0) != 0 && line.rfind("line_length", 0) != 0) continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    int v = 0;
    size_t i = line.find_first_not_of(" \t", eq + 1);
    bool digits = false;
    while (i != std::string_view::npos && i < line.size() && line[i] >= '0' && line[i] <= '9') {
      v = v * 10 + (line[i] - '0');
      digits = true;
      ++i;
    }
    if (!digits || v <= 0 || v > 1000) continue;
    if (section == "tool.black") found_black = v;
    if (section == "tool.ruff" || section == "tool.ruff.format") found_ruff = v;
  }
  if (found_black > 0) return found_black;
  if (found_ruff > 0) return found_ruff;
  return 88;
}

}  // namespace asyncfix

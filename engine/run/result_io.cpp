#include "engine/run/result_io.h"

#include "engine/base/serialize.h"
#include "engine/project/summary_io.h"

namespace asyncfix {

// A field added to one of these structs must be added to its fields() below, and then the
// size here updated (x86-64, libstdc++).
static_assert(sizeof(Finding) == 416, "Finding changed: update its fields() in result_io.cpp");
static_assert(sizeof(Fix) == 192, "Fix changed: update its fields() in result_io.cpp");
static_assert(sizeof(Edit) == 40, "Edit changed: update its fields() in result_io.cpp");
static_assert(sizeof(ImportNeed) == 96, "ImportNeed changed: update its fields() in result_io.cpp");
static_assert(sizeof(HelperNeed) == 64, "HelperNeed changed: update its fields() in result_io.cpp");
static_assert(sizeof(Note) == 80, "Note changed: update its fields() in result_io.cpp");

template <typename IO>
void fields(IO& io, Edit& e) {
  io.io(e.begin);
  io.io(e.end);
  io.io(e.text);
}

template <typename IO>
void fields(IO& io, ImportNeed& i) {
  io.io(i.module);
  io.io(i.name);
  io.io(i.alias);
}

template <typename IO>
void fields(IO& io, HelperNeed& h) {
  io.io(h.key);
  io.io(h.code);
}

// An enum as its number (read back only when it is one of the first `count`).
template <typename IO, typename E>
void enum_field(IO& io, E& e, int count) {
  int v = static_cast<int>(e);
  io.io(v);
  if (v < 0 || v >= count) v = 0;
  e = static_cast<E>(v);
}

template <typename IO>
void fields(IO& io, Fix& f) {
  io.io(f.title);
  enum_field(io, f.applicability, 3);
  io.io(f.edits);
  io.io(f.imports);
  io.io(f.explicit_imports);
  io.io(f.remove_if_unused);
  io.io(f.helpers);
  io.io(f.moves_code);
  io.io(f.resolved_edits);
}

template <typename IO>
void fields(IO& io, Finding& f) {
  io.io(f.rule_id);
  io.io(f.rule_name);
  enum_field(io, f.severity, 3);
  io.io(f.begin);
  io.io(f.end);
  io.io(f.start_pos);
  io.io(f.end_pos);
  io.io(f.message);
  io.io(f.note);
  io.io(f.trace);
  io.io(f.fix);
  io.io(f.fingerprint);
}

template <typename IO>
void fields(IO& io, Note& n) {
  io.io(n.rule_id);
  io.io(n.pos);
  io.io(n.message);
  io.io(n.internal_error);
  io.io(n.verbose);
}

namespace {
constexpr char kMagic[] = "affind1";
}

std::string encode_findings(const FileResult& r) {
  Writer w;
  w.io(std::string(kMagic));
  w.io(r.findings);
  w.io(r.remaining);
  w.io(r.notes);
  return w.take();
}

bool decode_findings(std::string_view bytes, FileResult* out) {
  Reader r(bytes);
  std::string magic;
  r.io(magic);
  if (!r.ok() || magic != kMagic) return false;
  r.io(out->findings);
  r.io(out->remaining);
  r.io(out->notes);
  return r.ok() && r.at_end();
}

}  // namespace asyncfix

#include "engine/project/summary_io.h"

#include "engine/base/serialize.h"

#include <cstdint>
#include <cstring>
#include <map>

namespace asyncfix {

// A field added to one of these structs must be added to its fields() below, and then the
// size here updated (x86-64, libstdc++).
static_assert(sizeof(CallRecord) == 224, "CallRecord changed: update its fields() in summary_io.cpp");
static_assert(sizeof(BlockingRecord) == 72, "BlockingRecord changed: update its fields() in summary_io.cpp");
static_assert(sizeof(FunctionSummary) == 456, "FunctionSummary changed: update its fields() in summary_io.cpp");
static_assert(sizeof(RelationshipInfo) == 72, "RelationshipInfo changed: update its fields() in summary_io.cpp");
static_assert(sizeof(ModuleSummary) == 592, "ModuleSummary changed: update its fields() in summary_io.cpp");
static_assert(sizeof(ProjectIndex::TypeQuery) == 112, "TypeQuery changed: update its fields() in summary_io.cpp");

// The fields of each struct, in one list for writing and reading.
template <typename IO>
void fields(IO& io, CallRecord& c) {
  io.io(c.callee);
  io.io(c.caller);
  io.io(c.pos);
  io.io(c.awaited);
  io.io(c.in_async);
  io.io(c.args);
  io.io(c.kwargs);
  io.io(c.splat);
  io.io(c.via_class);
  io.io(c.passed_to);
  io.io(c.passed_at);
}

template <typename IO>
void fields(IO& io, BlockingRecord& b) {
  io.io(b.api);
  io.io(b.rule_id);
  io.io(b.pos);
}

template <typename IO>
void function_flags(IO& io, FunctionSummary& f) {
  io.io(f.is_async);
  io.io(f.is_method);
  io.io(f.is_route_handler);
  io.io(f.sync_with_await);
  io.io(f.is_property);
  io.io(f.implicit_first);
  io.io(f.classmethod);
  io.io(f.abstract);
  io.io(f.generator);
  io.io(f.enters_session);
  io.io(f.runs_ddl);
  io.io(f.sync_entry);
  io.io(f.counterpart_decorated);
}

template <typename IO>
void fields(IO& io, FunctionSummary& f) {
  io.io(f.qualname);
  io.io(f.module);
  io.io(f.path);
  io.io(f.pos);
  function_flags(io, f);
  io.io(f.blocking);
  io.io(f.calls);
  io.io(f.property_reads);
  io.io(f.result_type);
  io.io(f.params);
  io.io(f.async_blocker);
  io.io(f.decorators);
  io.io(f.param_calls);
  io.io(f.nested_blocking);
  io.io(f.fixture_name);
  io.io(f.required_params);
  io.io(f.fixture_requests);
}

template <typename IO>
void fields(IO& io, RelationshipInfo& r) {
  io.io(r.target);
  io.io(r.lazy);
  io.io(r.pos);
}

template <typename IO>
void fields(IO& io, ModuleSummary& m) {
  io.io(m.module);
  io.io(m.path);
  io.io(m.functions);
  io.io(m.globals);
  io.io(m.imports);
  io.io(m.star_imports);
  io.io(m.forwarded_calls);
  io.io(m.module_calls);
  io.io(m.value_uses);
  io.io(m.lambda_calls);
  io.io(m.nested_calls);
  io.io(m.relationships);
  io.io(m.attribute_reads);
  io.io(m.schema_fields);
  io.io(m.classes);
  io.io(m.class_bases);
}

template <typename IO>
void fields(IO& io, ProjectIndex::TypeQuery& q) {
  io.io(q.kind);
  io.io(q.qualname);
  io.io(q.answer);
  io.io(q.context);
}

namespace {
constexpr char kMagic[] = "afsum1";
}

std::string encode_summary(const ModuleSummary& m, const std::set<ProjectIndex::TypeQuery>& asked,
                           const AskedQuestions& all_questions) {
  Writer w;
  w.io(std::string(kMagic));
  w.io(all_questions);
  w.io(asked);
  w.io(m);
  return w.take();
}

bool decode_summary(std::string_view bytes, ModuleSummary* m, std::set<ProjectIndex::TypeQuery>* asked,
                    AskedQuestions* all_questions) {
  Reader r(bytes);
  std::string magic;
  r.io(magic);
  if (!r.ok() || magic != kMagic) return false;
  r.io(*all_questions);
  if (!asked || !m) return r.ok();
  r.io(*asked);
  r.io(*m);
  return r.ok() && r.at_end();
}

}  // namespace asyncfix

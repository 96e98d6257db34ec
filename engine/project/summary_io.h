// Module summaries as bytes, for the cache (engine/run/cache.h): what summarize() made, the
// questions it asked the index about other modules and their answers, back exactly as they
// were. Every field of every summary struct is written; summary_io.cpp holds a size check per
// struct, so a field added to project.h without its line here fails the build.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/project/project.h"

namespace asyncfix {

// One question a summary asked, with the answer it got: a type query, a decorator's argument
// type ('d', "decorator#k"), or a question the index does not keep for its own fixed point
// (summarize records them all for the cache, which must see every answer the same again).
// A position's fields, for engine/base/serialize.h (summaries and results both hold them).
template <typename IO>
void fields(IO& io, Position& p) {
  io.io(p.line);
  io.io(p.col);
}

using AskedQuestions = std::set<ProjectIndex::TypeQuery>;

std::string encode_summary(const ModuleSummary& m, const std::set<ProjectIndex::TypeQuery>& asked,
                           const AskedQuestions& all_questions);
// False when the bytes are not a whole encoding (then nothing is to be trusted). With m and
// asked null, only the questions are read (enough to tell whether the summary still holds).
bool decode_summary(std::string_view bytes, ModuleSummary* m, std::set<ProjectIndex::TypeQuery>* asked,
                    AskedQuestions* all_questions);

}  // namespace asyncfix

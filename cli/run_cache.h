// The cache of a `check` or `migrate` run (engine/run/cache.h): where it is, the key of a
// group's entries, and `asyncfix clean`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/base/expected.h"
#include "engine/base/hash.h"
#include "engine/run/cache.h"
#include "engine/run/run_plan.h"

namespace asyncfix::cli {

// Everything a group's summaries and clean files depend on besides each file's bytes and the
// project's digest: this build of asyncfix, the library-model files read, the settings, the
// rules (their ids, and the contents of every rule file), the configuration's file.
Hash128 group_key(const RunGroup& g, const Hash128& library_models);

// The cache of a group (made when missing), or an error saying why there can be none.
// `flag_dir`: --cache-dir; `first_path`: the first path the run was given (its root, when the
// group has no configuration).
Expected<std::unique_ptr<RunCache>> open_group_cache(const RunGroup& g, const Hash128& key, const std::string& flag_dir,
                                                    const std::string& first_path);

}  // namespace asyncfix::cli

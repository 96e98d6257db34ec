// Runs the pipeline over many files on all cores, handing results back in file order (so the
// output is the same whatever the number of threads).
#pragma once

#include <functional>
#include <vector>

#include "engine/run/discover.h"
#include "engine/run/pipeline.h"
#include "engine/project/project.h"

namespace asyncfix {

struct RunOptions {
  FileOptions file;  // fix mode, passes, reviewer (module name is set per file)
  int jobs = 0;      // worker threads; 0 = all cores
  // Per-file options (configured ignores, the baseline's entries for the file...).
  std::function<void(const DiscoveredFile&, FileOptions&)> customize;
  // Keep the file texts of unchanged files (reports that quote the code need them).
  bool keep_text = false;
};

// Calls on_result(index, result) for every file, in order, on the calling thread, while
// workers go on with later files. Unchanged files' texts are dropped early to keep memory
// flat. on_result may return false to stop the run (remaining files are not processed).
void run_files(const Engine& engine, const std::vector<DiscoveredFile>& files,
               const RunOptions& options, const ProjectIndex* project,
               const std::function<bool(size_t, FileResult&&)>& on_result);

int default_jobs();

// Call before starting a run's threads. glibc gives every thread that allocates its own heap
// ("arena", up to eight per core) and an arena keeps the pages its thread freed, so the main
// thread (which mostly waits) plus `jobs` workers would hold one more heap of parse trees
// than the work needs: about 10 MB of peak RSS on two cores. No effect on other C libraries.
void limit_heap_arenas(int jobs);

// The project index for a run, when one of the engine's rules needs it (else null): built from
// the rules' seed literals, then each project rule plans its whole-program changes.
std::unique_ptr<ProjectIndex> prepare_project(Engine& engine, const std::vector<DiscoveredFile>& files,
                                              BlockingClassifier classifier, int jobs);

}  // namespace asyncfix

// Runs the pipeline over many files on all cores, handing results back in file order (so the
// output is the same whatever the number of threads).
#pragma once

#include <functional>
#include <vector>

#include "engine/base/hash.h"
#include "engine/run/discover.h"
#include "engine/run/pipeline.h"
#include "engine/project/project.h"

namespace asyncfix {

// What runs before this one found in files: by path and a key of everything the result depends
// on (engine/run/cache.h keeps them on disk). Called from the workers.
class ResultStore {
 public:
  virtual ~ResultStore() = default;
  // 'c' (parsed, clean), 's' (the prefilter ruled it out), 'f' (findings or notes, encoded by
  // engine/run/result_io.h in *payload), or 0 (not known for this key).
  virtual char get(const std::string& path, const std::string& key, std::string* payload) const = 0;
  virtual void put(const std::string& path, const std::string& key, char kind, std::string payload) = 0;
  // Is there a result for key (get() without counting it)?
  virtual bool has(const std::string& path, const std::string& key) const = 0;
};

struct RunOptions {
  FileOptions file;  // fix mode, passes, reviewer (module name is set per file)
  int jobs = 0;      // worker threads; 0 = all cores
  // Per-file options (configured ignores, the baseline's entries for the file...).
  std::function<void(const DiscoveredFile&, FileOptions&)> customize;
  // Keep the file texts of unchanged files (reports that quote the code need them).
  bool keep_text = false;
  // Results of earlier runs: a file whose key is there is not checked again (a clean file in
  // any mode; a file with findings when nothing is fixed). `context` holds what the key of
  // every file of the run shares (rules, settings, the project's digest).
  ResultStore* results = nullptr;
  Hash128 results_context;
  // Only read the results (the run did not build the index their context names: a file whose
  // result is not there after all is checked without it, and what it gives is not kept).
  bool results_read_only = false;
};

// Calls on_result(index, result) for every file, in order, on the calling thread, while
// workers go on with later files. Unchanged files' texts are dropped early to keep memory
// flat. on_result may return false to stop the run (remaining files are not processed).
void run_files(const Engine& engine, const std::vector<DiscoveredFile>& files,
               const RunOptions& options, const ProjectIndex* project,
               const std::function<bool(size_t, FileResult&&)>& on_result);

// Would run_files take the result of the file, whose bytes hash to `content`, from
// options.results as it is?
bool result_known(const DiscoveredFile& df, const Hash128& content, const RunOptions& options);

int default_jobs();

// Call before starting a run's threads. glibc gives every thread that allocates its own heap
// ("arena", up to eight per core) and an arena keeps the pages its thread freed, so the main
// thread (which mostly waits) plus `jobs` workers would hold one more heap of parse trees
// than the work needs: about 10 MB of peak RSS on two cores. No effect on other C libraries.
void limit_heap_arenas(int jobs);

// The project index for a run, when one of the engine's rules needs it (else null): built from
// the rules' seed literals, then each project rule plans its whole-program changes.
std::unique_ptr<ProjectIndex> prepare_project(Engine& engine, const std::vector<DiscoveredFile>& files,
                                              BlockingClassifier classifier, int jobs,
                                              SummaryStore* store = nullptr);

}  // namespace asyncfix

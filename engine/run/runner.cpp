#include "engine/run/runner.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/base/stage_times.h"
#include "engine/run/config.h"
#include "engine/source/source_file.h"

namespace asyncfix {

int default_jobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void limit_heap_arenas(int jobs) {
#ifdef __GLIBC__
  // Measured on stdlib x4 with -j2: 59-63 MB peak RSS with glibc's default, 47-50 MB with
  // two arenas, the same time. One arena per worker: sharing one between workers is slower.
  mallopt(M_ARENA_MAX, std::max(1, jobs));
#else
  (void)jobs;
#endif
}

namespace {

FileResult process_one(const Engine& engine, const DiscoveredFile& df, const RunOptions& options,
                        syntax::Parser& parser, const ProjectIndex* project) {
  StageTimer reading(Stage::Read);
  auto src = SourceFile::load(df.path);
  reading.stop();
  if (!src) {
    FileResult r;
    r.path = df.path;
    r.error = src.error();
    return r;
  }
  FileOptions fo = options.file;
  fo.module_name = df.module;
  fo.is_package = df.is_package;
  if (fo.fix_mode != FixMode::None && fo.line_length > 0) {
    FormatterConfig fmt = project_formatter(df.path);
    fo.line_length = fmt.line_length;
    fo.relayout_statements = fmt.declared;
  }
  if (options.customize) options.customize(df, fo);
  FileResult r = engine.process(*src, fo, parser, project);
  if (!r.changed() && !options.keep_text) {
    r.original.clear();
    r.original.shrink_to_fit();
    r.fixed.clear();
    r.fixed.shrink_to_fit();
  }
  return r;
}

}  // namespace

void run_files(const Engine& engine, const std::vector<DiscoveredFile>& files,
               const RunOptions& options, const ProjectIndex* project,
               const std::function<bool(size_t, FileResult&&)>& on_result) {
  int jobs = options.jobs > 0 ? options.jobs : default_jobs();
  // A reviewer talks to the user one fix at a time, in order: no parallelism.
  if (options.file.reviewer) jobs = 1;
  if (jobs <= 1 || files.size() <= 1) {
    syntax::Parser parser;
    for (size_t i = 0; i < files.size(); ++i) {
      if (!on_result(i, process_one(engine, files[i], options, parser, project))) return;
    }
    return;
  }

  // Workers take the next index; results wait in slots until their turn. Workers stay
  // within a window ahead of the consumer, which bounds memory.
  const size_t window = 64 * static_cast<size_t>(jobs);
  std::vector<std::unique_ptr<FileResult>> slots(files.size());
  std::mutex mu;
  std::condition_variable cv_ready, cv_room;
  size_t next_index = 0, emitted = 0;
  bool stop = false;

  auto worker = [&] {
    syntax::Parser parser;
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv_room.wait(lock, [&] { return stop || next_index >= files.size() || next_index < emitted + window; });
        if (stop || next_index >= files.size()) return;
        i = next_index++;
      }
      auto r = std::make_unique<FileResult>(process_one(engine, files[i], options, parser, project));
      {
        std::lock_guard<std::mutex> lock(mu);
        slots[i] = std::move(r);
      }
      cv_ready.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(worker);

  for (size_t i = 0; i < files.size(); ++i) {
    std::unique_ptr<FileResult> r;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv_ready.wait(lock, [&] { return slots[i] != nullptr; });
      r = std::move(slots[i]);
    }
    bool go_on = on_result(i, std::move(*r));
    {
      std::lock_guard<std::mutex> lock(mu);
      emitted = i + 1;
      if (!go_on) stop = true;
    }
    cv_room.notify_all();
    if (!go_on) break;
  }
  for (auto& t : threads) t.join();
}

std::unique_ptr<ProjectIndex> prepare_project(Engine& engine, const std::vector<DiscoveredFile>& files,
                                              BlockingClassifier classifier, int jobs) {
  if (!engine.needs_project()) return nullptr;
  if (jobs <= 0) jobs = default_jobs();
  std::vector<std::string> seeds;
  for (const auto& r : engine.rules()) {
    if (!r->needs_project()) continue;
    for (auto& s : r->project_seeds()) {
      if (std::find(seeds.begin(), seeds.end(), s) == seeds.end()) seeds.push_back(std::move(s));
    }
  }
  auto index = std::make_unique<ProjectIndex>(files, std::move(classifier));
  index->build(seeds, jobs);
  for (const auto& r : engine.rules()) {
    if (r->needs_project()) engine.set_plan(*r, r->prepare_project(*index, jobs));
  }
  for (size_t i = 0; i < engine.rules().size(); ++i) {
    const RulePtr& r = engine.rules()[i];
    if (r->needs_project()) engine.add_triggers(*r, r->project_triggers(*index, engine.plan(i)));
    // `from app.deps import client` (an httpx.Client made in deps.py) and then
    // `client.get(...)`: the file never writes `httpx`, the trigger of the rule that finds it,
    // but it must write `client` (Rule::typed_triggers).
    engine.add_triggers(*r, r->typed_triggers(*index), /*whole_words=*/true);
  }
  return index;
}

}  // namespace asyncfix

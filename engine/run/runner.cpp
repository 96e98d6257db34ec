#include "engine/run/runner.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/base/files.h"
#include "engine/base/stage_times.h"
#include "engine/run/result_io.h"
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

// What a file's findings depend on, beyond what the run shares: its bytes, where it is,
// what the configuration ignores in it, and whether stale suppressions are reported.
std::string result_key(const Hash128& context, const DiscoveredFile& df, const FileOptions& fo, const Hash128& content) {
  Hasher h;
  h.add(context).add(df.path).add(df.module).add(df.is_package ? 1 : 0).add(content);
  h.add(fo.report_unused_suppressions ? 1 : 0);
  if (fo.ignored_rules) {
    for (const auto& id : *fo.ignored_rules) h.add(id);
  }
  h.add("withheld");
  if (fo.fixes_withheld) {
    for (const auto& [id, why] : *fo.fixes_withheld) h.add(id).add(why);
  }
  return h.finish().hex();
}

// Nothing to report, fix, review or note: the same result whatever the fix mode.
bool clean(const FileResult& r) {
  return !r.error && r.findings.empty() && r.remaining.empty() && r.applied.empty() && r.rejected.empty() &&
         r.baselined == 0 && r.hidden.empty() && !r.edited && r.notes.empty() && !r.quit && !r.changed();
}

// A result of a run that fixes nothing, made of findings and notes alone (no baseline hid any):
// kept whole.
bool keepable(const FileResult& r, const FileOptions& fo) {
  return fo.fix_mode == FixMode::None && !r.error && r.applied.empty() && r.rejected.empty() && r.baselined == 0 &&
         r.hidden.empty() && !r.edited && !r.quit && !r.changed() && !r.skipped_no_trigger;
}

// The key of a file's findings: the clean key, whether the fixes' edits were resolved, and
// what the baseline knows of the file (it hides those findings).
std::string findings_key(const std::string& key, const FileOptions& fo) {
  Hasher h;
  h.add(key).add("findings").add(fo.resolve_fix_edits ? 1 : 0);
  if (fo.baseline) {
    for (const auto& fp : *fo.baseline) h.add(fp);
  }
  return h.finish().hex();
}

// The result an earlier run had for the same key.
std::optional<FileResult> known_result(const DiscoveredFile& df, std::string& bytes, const std::string& key,
                                       const FileOptions& fo, const RunOptions& options) {
  FileResult r;
  std::string payload;
  char kind = options.results->get(df.path, key, &payload);
  if (!kind && fo.fix_mode == FixMode::None) {
    kind = options.results->get(df.path, findings_key(key, fo), &payload);
    if (kind != 'f' || !decode_findings(payload, &r)) return std::nullopt;
  } else if (kind != 'c' && kind != 's') {
    return std::nullopt;
  }
  r.path = df.path;
  r.skipped_no_trigger = kind == 's';
  if (options.keep_text) {
    r.original = std::move(bytes);
    r.fixed = r.original;
  }
  return r;
}

// Keeps what the next run can take as it is.
void remember(const FileResult& r, const std::string& key, const FileOptions& fo, const RunOptions& options) {
  if (clean(r)) options.results->put(r.path, key, r.skipped_no_trigger ? 's' : 'c', {});
  else if (keepable(r, fo)) options.results->put(r.path, findings_key(key, fo), 'f', encode_findings(r));
}

// The file's options: its module, its formatter, what the run's customize adds.
FileOptions file_options(const DiscoveredFile& df, const RunOptions& options) {
  FileOptions fo = options.file;
  fo.module_name = df.module;
  fo.is_package = df.is_package;
  if (fo.fix_mode != FixMode::None && fo.line_length > 0) {
    FormatterConfig fmt = project_formatter(df.path);
    fo.line_length = fmt.line_length;
    fo.relayout_statements = fmt.declared;
  }
  if (options.customize) options.customize(df, fo);
  return fo;
}

FileResult process_one(const Engine& engine, const DiscoveredFile& df, const RunOptions& options,
                        syntax::Parser& parser, const ProjectIndex* project) {
  StageTimer reading(Stage::Read);
  auto bytes = read_whole_file(df.path);
  FileOptions fo = file_options(df, options);
  // Known clean from an earlier run: the bytes are all it takes to tell.
  std::string key;
  if (bytes && options.results) {
    key = result_key(options.results_context, df, fo, hash_bytes(*bytes));
    if (auto known = known_result(df, *bytes, key, fo, options)) return std::move(*known);
  }
  auto src = bytes ? SourceFile::from_bytes(df.path, std::move(bytes).value()) : Expected<SourceFile>(bytes.error());
  reading.stop();
  if (!src) {
    FileResult r;
    r.path = df.path;
    r.error = src.error();
    return r;
  }
  FileResult r = engine.process(*src, fo, parser, project);
  if (options.results && !options.results_read_only) remember(r, key, fo, options);
  if (!r.changed() && !options.keep_text) {
    r.original.clear();
    r.original.shrink_to_fit();
    r.fixed.clear();
    r.fixed.shrink_to_fit();
  }
  return r;
}

}  // namespace

bool result_known(const DiscoveredFile& df, const Hash128& content, const RunOptions& options) {
  if (!options.results) return false;
  FileOptions fo = file_options(df, options);
  std::string key = result_key(options.results_context, df, fo, content);
  if (options.results->has(df.path, key)) return true;
  return fo.fix_mode == FixMode::None && options.results->has(df.path, findings_key(key, fo));
}

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
                                              BlockingClassifier classifier, int jobs, SummaryStore* store) {
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
  if (store) index->use_store(store);
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

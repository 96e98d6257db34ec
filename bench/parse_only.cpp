// parse-only: the floor under `asyncfix check`. Discovers the same files the same way
// (ignore files, excludes, size limit), reads and decodes each one as the engine does, and
// parses it with tree-sitter, one parser per thread; nothing else. bench/run compares
// `asyncfix check` against this to say how close the rules come to the parser's limit.
//
//   asyncfix-parse-only [-j N] PATH...
//
// Prints "files=N bytes=B errors=E" on stdout.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "engine/run/discover.h"
#include "engine/source/source_file.h"
#include "engine/syntax/ts.h"

int main(int argc, char** argv) {
  asyncfix::DiscoverOptions opts;
  int jobs = static_cast<int>(std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-j") == 0 && i + 1 < argc) {
      jobs = std::atoi(argv[++i]);
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: asyncfix-parse-only [-j N] PATH...\n");
      return 2;
    } else {
      opts.paths.push_back(argv[i]);
    }
  }
  if (opts.paths.empty() || jobs < 1) {
    std::fprintf(stderr, "usage: asyncfix-parse-only [-j N] PATH...\n");
    return 2;
  }
  opts.jobs = jobs;
  auto found = asyncfix::discover(opts);
  if (!found) {
    std::fprintf(stderr, "asyncfix-parse-only: %s\n", found.error().to_string().c_str());
    return 2;
  }
  const auto& files = found->files;
  std::atomic<size_t> next{0}, bytes{0}, errors{0};
  auto work = [&] {
    asyncfix::syntax::Parser parser;
    for (size_t i; (i = next++) < files.size();) {
      auto src = asyncfix::SourceFile::load(files[i].path);
      if (!src) {
        ++errors;
        continue;
      }
      bytes += src->text().size();
      auto tree = parser.parse(src->text());
      if (!tree) ++errors;
    }
  };
  std::vector<std::thread> threads;
  for (int k = 1; k < jobs; ++k) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  std::printf("files=%zu bytes=%zu errors=%zu\n", files.size(), bytes.load(), errors.load());
  return 0;
}

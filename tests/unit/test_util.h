// Helpers shared by the unit tests: parse a snippet and keep everything alive together.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "engine/semantic/model.h"
#include "engine/source/source_file.h"
#include "engine/syntax/node.h"
#include "engine/syntax/ts.h"

namespace asyncfix::testing {

struct Parsed {
  SourceFile source;
  syntax::Tree tree;
  std::unique_ptr<semantic::SemanticModel> model;
  TSNode root() const { return tree.root(); }

  // The first named node of `kind` whose text is `text` (or any text when empty).
  TSNode find(std::string_view kind, std::string_view text = {}) const {
    TSNode found{};
    syntax::walk(root(), [&](TSNode n) {
      if (!ts_node_is_null(found)) return false;
      if (ts_node_is_named(n) && syntax::kind(n) == kind &&
          (text.empty() || syntax::text(n, source.text()) == text)) {
        found = n;
        return false;
      }
      return true;
    });
    return found;
  }
};

inline std::unique_ptr<Parsed> parse(std::string code, std::string module = {}) {
  auto p = std::make_unique<Parsed>(Parsed{*SourceFile::from_bytes("t.py", std::move(code)), {}, nullptr});
  static thread_local syntax::Parser parser;
  p->tree = std::move(parser.parse(p->source.text())).value();
  p->model = std::make_unique<semantic::SemanticModel>(
      semantic::SemanticModel::build(p->root(), p->source.text(), std::move(module)));
  return p;
}

// A fresh directory under the system's temporary directory, removed with everything in it
// when the object goes. Unique per process and per object (tests of one binary may run in
// parallel processes).
class TempDir {
 public:
  TempDir() {
    static int count = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("asyncfix-unit-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
    path_ = std::filesystem::canonical(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The absolute path of `rel` ('/'-separated) in the directory.
  std::string at(const std::string& rel) const { return (path_ / rel).string(); }
  // Writes `text` to `rel`, creating the directories above it; returns its absolute path.
  std::string write(const std::string& rel, const std::string& text) const {
    std::filesystem::path p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace asyncfix::testing

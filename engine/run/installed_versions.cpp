#include "engine/run/installed_versions.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/run/project_config.h"

extern char** environ;

namespace asyncfix {

namespace fs = std::filesystem;

namespace {

// "SQLAlchemy-1.4.46.dist-info" -> ("SQLAlchemy", "1.4.46"); "foo-1.0-py3.11.egg-info" too.
std::optional<std::pair<std::string, std::string>> split_entry(const std::string& name) {
  std::string stem;
  for (const char* ext : {".dist-info", ".egg-info"}) {
    size_t n = std::string(ext).size();
    if (name.size() > n && name.compare(name.size() - n, n, ext) == 0) stem = name.substr(0, name.size() - n);
  }
  if (stem.empty()) return std::nullopt;
  size_t dash = stem.find('-');
  if (dash == std::string::npos || dash == 0) return std::nullopt;
  std::string version = stem.substr(dash + 1);
  size_t py = version.find("-py");
  if (py != std::string::npos) version.resize(py);
  return std::make_pair(stem.substr(0, dash), version);
}

// The `Version:` of a METADATA or PKG-INFO file (Debian names some entries `name-0.dist-info`
// whatever their version; the file inside is right).
std::optional<std::string> metadata_version(const fs::path& entry) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(entry, ec)) files = {entry / "METADATA", entry / "PKG-INFO"};
  else files = {entry};  // an egg-info that is a file
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    int lines = 0;
    while (in && std::getline(in, line) && ++lines < 64) {
      if (line.rfind("Version:", 0) == 0) {
        std::string v = line.substr(8);
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
        while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
        return v;
      }
      if (line.empty()) break;  // the headers end
    }
  }
  return std::nullopt;
}

// Runs argv with stdout to a pipe, for at most `timeout_ms`; its output when it exits 0.
std::optional<std::string> run_and_read(const std::vector<std::string>& argv, int timeout_ms) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return std::nullopt;
  }
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[4096];
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (1u << 20)) break;
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

std::string find_on_path(const std::string& exe) {
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    fs::path p = fs::path(dir) / exe;
    if (access(p.c_str(), X_OK) == 0) return p.string();
  }
  return {};
}

}  // namespace

std::map<std::string, InstalledPackage> installed_in(const std::vector<std::string>& dirs) {
  std::map<std::string, InstalledPackage> out;
  std::error_code ec;
  for (const auto& d : dirs) {
    if (!fs::is_directory(d, ec)) continue;
    std::map<std::string, InstalledPackage> here;
    for (const auto& e : fs::directory_iterator(d, ec)) {
      auto parts = split_entry(e.path().filename().string());
      if (!parts) continue;
      std::string version = metadata_version(e.path()).value_or(parts->second);
      auto v = parse_version(version);
      if (!v) continue;
      here.emplace(normalize_package(parts->first), InstalledPackage{*v, e.path().string()});
    }
    for (auto& [name, pkg] : here) out.emplace(name, std::move(pkg));  // an earlier directory wins
  }
  return out;
}

std::vector<std::string> venv_site_dirs(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const char* venv : {".venv", "venv"}) {
    fs::path lib = fs::path(root) / venv / "lib";
    if (!fs::is_directory(lib, ec)) continue;
    for (const auto& e : fs::directory_iterator(lib, ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind("python", 0) == 0 && fs::is_directory(e.path() / "site-packages", ec))
        out.push_back((e.path() / "site-packages").string());
    }
    if (!out.empty()) break;
  }
  return out;
}

std::vector<std::string> python_search_path(std::string* python) {
  std::string exe = find_on_path("python3");
  if (python) *python = exe;
  if (exe.empty()) return {};
  auto out = run_and_read({exe, "-I", "-c", "import sys\nfor p in sys.path:\n    print(p)"}, 10000);
  if (!out) return {};
  std::vector<std::string> dirs;
  std::stringstream ss(*out);
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.empty()) dirs.push_back(line);
  }
  return dirs;
}

std::map<std::string, InstalledPackage> installed_for_project(const std::string& root, std::string* source) {
  auto venv = venv_site_dirs(root);
  if (!venv.empty()) {
    if (source) *source = fs::path(venv.front()).parent_path().parent_path().parent_path().string();
    return installed_in(venv);
  }
  std::string python;
  auto dirs = python_search_path(&python);
  if (source) *source = python.empty() ? std::string() : "python3 (" + python + ")";
  return installed_in(dirs);
}

}  // namespace asyncfix

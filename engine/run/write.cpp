#include "engine/run/write.h"

#include "engine/base/files.h"

#include <git2.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

namespace asyncfix {

namespace {
Error io_error(const std::string& path, const std::string& what) {
  return make_error(Error::Kind::Io, what, {path});
}
}  // namespace

namespace {
// Writes all of `bytes` to fd.
bool write_all(int fd, std::string_view bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

void fsync_dir(const std::string& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

// Truncates the file and writes `bytes` into it (the same inode: every hard link sees it), fsynced.
bool overwrite(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  if (fd < 0) return false;
  bool ok = write_all(fd, bytes) && ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

}  // namespace

Expected<std::string> real_path(const std::string& given) {
  char* real = ::realpath(given.c_str(), nullptr);
  if (!real) return make_error(Error::Kind::Io, std::string("cannot resolve: ") + std::strerror(errno), {given});
  std::string path = real;
  std::free(real);
  return path;
}

void fault_point(const char* where) {
  static const long at = [] {
    const char* v = std::getenv("ASYNCFIX_TEST_FAULT");
    return v ? std::atol(v) : 0L;
  }();
  if (at <= 0) return;
  static std::atomic<long> reached{0};
  if (++reached == at) {
    std::fprintf(stderr, "asyncfix: ASYNCFIX_TEST_FAULT=%ld: stopped at %s\n", at, where);
    std::_Exit(86);
  }
}

namespace {
// The file's name without its directory.
std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Writes bytes to a temporary file beside `path`, fsyncs it, renames it over `path`. With an
// owner, the new file gets it (and fails rather than change who owns the file).
Status replace_atomically(const std::string& path, std::string_view bytes, mode_t mode, const struct stat* owner = nullptr) {
  std::string dir = dir_of(path);
  std::string base = base_of(path);
  std::string tmpl = dir + "/." + base + ".asyncfix-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return io_error(path, std::string("cannot create a temporary file: ") + std::strerror(errno));
  std::string tmp(name.data());
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return io_error(path, std::string(what) + ": " + std::strerror(err));
  };
  if (!write_all(fd, bytes)) return fail("write failed");
  if (owner && ::fchown(fd, owner->st_uid, owner->st_gid) != 0) return fail("cannot keep the file's owner");
  if (::fchmod(fd, mode) != 0) return fail("cannot set the file mode");
  if (::fsync(fd) != 0) return fail("fsync failed");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return io_error(path, std::string("close failed: ") + std::strerror(errno));
  }
  fault_point("a temporary file written");
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return io_error(path, std::string("rename failed: ") + std::strerror(err));
  }
  fsync_dir(dir);  // make the rename itself durable
  fault_point("a rename");
  return Ok{};
}

// A file with other hard links is written in place, so every link sees the new content: a
// complete backup beside it first (restored by the next run if this one is interrupted:
// recover_interrupted_write), then the file, then the backup is removed.
Status write_in_place(const std::string& path, std::string_view bytes, std::string_view old) {
  std::string backup = backup_path(path);
  if (Status st = replace_atomically(backup, old, 0600); !st) return io_error(path, "cannot write a backup: " + st.error().message);
  fault_point("a backup written");
  if (!overwrite(path, bytes)) {
    int err = errno;
    // Put the old content back (the backup is complete); keep the backup if even that fails.
    if (overwrite(path, old)) ::unlink(backup.c_str());
    return io_error(path, std::string("write failed: ") + std::strerror(err));
  }
  fault_point("a write in place");
  ::unlink(backup.c_str());
  fsync_dir(dir_of(path));
  return Ok{};
}
}  // namespace

std::string backup_path(const std::string& path) {
  std::string dir = dir_of(path);
  std::string base = base_of(path);
  return dir + "/." + base + ".asyncfix-backup";
}

namespace {
// Removes the temporary files in `dir` older than `min_age` seconds; only those of the file
// named `of` when it is not empty.
size_t remove_temp_files(const std::string& dir, long min_age, std::string_view of) {
  size_t removed = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  time_t now = ::time(nullptr);
  while (struct dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    // `.` + the file's name + `.asyncfix-` + six characters of mkstemp's.
    size_t at = name.rfind(".asyncfix-");
    if (name.size() < 2 || name[0] != '.' || at == std::string_view::npos || at < 2 || name.size() != at + 16) continue;
    if (!of.empty() && name.substr(1, at - 1) != of) continue;
    std::string path = dir + "/" + std::string(name);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || now - st.st_mtime < min_age) continue;
    if (::unlink(path.c_str()) == 0) ++removed;
  }
  ::closedir(d);
  return removed;
}
}  // namespace

size_t remove_stale_temp_files(const std::string& dir) { return remove_temp_files(dir, 60, ""); }

void remove_temp_files_of(const std::string& path) {
  std::string base = base_of(path);
  remove_temp_files(dir_of(path), 0, base);
}

Status recover_interrupted_write(const std::string& path) {
  auto real = real_path(path);
  std::string target = real ? *real : path;
  std::string backup = backup_path(target);
  struct stat st {};
  if (::stat(backup.c_str(), &st) != 0) return Ok{};
  auto old = read_whole_file(backup);
  if (!old) return io_error(path, "an interrupted write left a backup that cannot be read: " + backup);
  if (!overwrite(target, *old)) return io_error(path, "cannot restore the file from the backup an interrupted write left: " + backup);
  ::unlink(backup.c_str());
  return Ok{};
}

namespace {
// What check_writable checks, on the resolved path and its stat.
Status writable_and_unchanged(const std::string& given, const std::string& path, const struct stat& st,
                              std::string_view expected) {
  // Checked on the mode bits too: root may write anything, but a file marked read-only is
  // someone's decision.
  if (::access(path.c_str(), W_OK) != 0 || (st.st_mode & 0222) == 0) return io_error(given, "read-only file, not written");
  // The temporary file (or the backup) goes beside it.
  if (::access(dir_of(path).c_str(), W_OK | X_OK) != 0) return io_error(given, "its directory is not writable, not written");
  auto now = read_whole_file(path);
  if (!now || *now != expected) return io_error(given, "changed on disk since it was read, not written");
  return Ok{};
}
}  // namespace

Status check_writable(const std::string& given, std::string_view expected) {
  auto path = real_path(given);
  if (!path) return path.error();
  struct stat st {};
  if (::stat(path->c_str(), &st) != 0) return io_error(given, std::string("cannot stat: ") + std::strerror(errno));
  return writable_and_unchanged(given, *path, st, expected);
}

Status write_file_atomically(const std::string& given, std::string_view bytes, std::string_view expected) {
  // Through a symlink, the file it names is written (the link stays a link).
  auto real = real_path(given);
  if (!real) return real.error();
  const std::string path = *real;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return io_error(given, std::string("cannot stat: ") + std::strerror(errno));
  if (Status ok = writable_and_unchanged(given, path, st, expected); !ok) return ok;
  if (st.st_nlink > 1) {
    Status w = write_in_place(path, bytes, expected);
    return w ? w : Status(io_error(given, w.error().message));
  }
  // Owner and group kept: a new file made by root (or by a group member) would otherwise
  // change who owns the code. Where that cannot be kept, the file is written in place.
  Status w = replace_atomically(path, bytes, st.st_mode & 07777, &st);
  if (!w && st.st_uid != ::geteuid()) w = write_in_place(path, bytes, expected);
  return w ? w : Status(io_error(given, w.error().message));
}

Status write_output_file(const std::string& path, std::string_view bytes) {
  struct stat st {};
  mode_t mode = 0666;
  if (::stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  return replace_atomically(path, bytes, mode);
}

std::string content_hash(std::string_view bytes) {
  static const int init = git_libgit2_init();
  (void)init;
  git_oid oid;
  if (git_odb_hash(&oid, bytes.data(), bytes.size(), GIT_OBJECT_BLOB) != 0) return {};
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

}  // namespace asyncfix

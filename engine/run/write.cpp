#include "engine/run/write.h"

#include <git2.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace asyncfix {

namespace {
Error io_error(const std::string& path, const std::string& what) {
  return make_error(Error::Kind::Io, what, {path});
}
}  // namespace

namespace {
// Writes bytes to a temporary file beside `path`, fsyncs it, renames it over `path`.
Status replace_atomically(const std::string& path, std::string_view bytes, mode_t mode) {
  std::string dir = ".";
  if (size_t slash = path.rfind('/'); slash != std::string::npos) dir = slash == 0 ? "/" : path.substr(0, slash);
  std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
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
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write failed");
    }
    off += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0) return fail("cannot set the file mode");
  if (::fsync(fd) != 0) return fail("fsync failed");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return io_error(path, std::string("close failed: ") + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return io_error(path, std::string("rename failed: ") + std::strerror(err));
  }
  // Make the rename itself durable.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Ok{};
}
}  // namespace

Status write_file_atomically(const std::string& path, std::string_view bytes, std::string_view expected) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return io_error(path, std::string("cannot stat: ") + std::strerror(errno));
  // Checked on the mode bits too: root may write anything, but a file marked read-only is
  // someone's decision.
  if (::access(path.c_str(), W_OK) != 0 || (st.st_mode & 0222) == 0)
    return io_error(path, "read-only file, not written");
  {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in || ss.str() != expected) return io_error(path, "changed on disk since it was read, not written");
  }
  return replace_atomically(path, bytes, st.st_mode & 07777);
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

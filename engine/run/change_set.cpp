#include "engine/run/change_set.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "engine/base/files.h"
#include "engine/run/write.h"

namespace asyncfix {

namespace {

const char* const kIntentHeader = "asyncfix-change-set 1";

Error record_error(const std::string& where, const std::string& what) {
  return make_error(Error::Kind::Io, what, {where});
}

// One target of a record: where, and the blob ids of its content before and after.
struct Target {
  std::string path;  // the real path
  std::string old_hash, new_hash;
  size_t index = 0;  // its staged files are <index>.old and <index>.new
};

// intent: the header, then per target `<old> <new> <index> <path length> <path>`.
std::string intent_text(const std::vector<Target>& targets) {
  std::string text = std::string(kIntentHeader) + "\n";
  for (const Target& t : targets)
    text += t.old_hash + " " + t.new_hash + " " + std::to_string(t.index) + " " + std::to_string(t.path.size()) + " " + t.path + "\n";
  return text;
}

Expected<std::vector<Target>> parse_intent(const std::string& file, const std::string& text) {
  std::vector<Target> out;
  std::istringstream in(text);
  std::string header;
  if (!std::getline(in, header) || header != kIntentHeader) return record_error(file, "not a change-set intent record");
  while (in.peek() != EOF) {
    Target t;
    size_t length = 0;
    if (!(in >> t.old_hash >> t.new_hash >> t.index >> length) || in.get() != ' ')
      return record_error(file, "a malformed entry in the change-set intent record");
    t.path.resize(length);
    if (!in.read(t.path.data(), static_cast<std::streamsize>(length)) || in.get() != '\n')
      return record_error(file, "a malformed entry in the change-set intent record");
    out.push_back(std::move(t));
  }
  return out;
}

// The directory holding every one of the paths (absolute, real).
std::string common_dir(const std::vector<std::string>& paths) {
  std::string common = paths.front().substr(0, paths.front().rfind('/'));
  for (const std::string& p : paths) {
    while (!(p.size() > common.size() && p.compare(0, common.size(), common) == 0 && p[common.size()] == '/')) {
      size_t slash = common.rfind('/');
      if (slash == std::string::npos || slash == 0) return "/";
      common.resize(slash);
    }
  }
  return common.empty() ? "/" : common;
}

// The record's lock, held for as long as the object lives.
class RecordLock {
 public:
  // Takes the lock of `record` (creating its lock file); false when another run holds it.
  bool take(const std::string& record) {
    fd_ = ::open((record + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    return fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
  }
  RecordLock() = default;
  RecordLock(const RecordLock&) = delete;
  RecordLock& operator=(const RecordLock&) = delete;
  ~RecordLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  int fd_ = -1;
};

// Removes the record: `intent` first (from then on, the set is either all written or not begun),
// then the rest.
void remove_record(const std::string& record) {
  ::unlink((record + "/intent").c_str());
  fault_point("a change set's intent record closed");
  if (DIR* d = ::opendir(record.c_str())) {
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") ::unlink((record + "/" + name).c_str());
    }
    ::closedir(d);
  }
  ::rmdir(record.c_str());
}

Expected<std::string> staged(const std::string& record, const Target& t, bool old) {
  std::string file = record + "/" + std::to_string(t.index) + (old ? ".old" : ".new");
  auto bytes = read_whole_file(file);
  if (!bytes) return bytes.error();
  if (content_hash(*bytes) != (old ? t.old_hash : t.new_hash))
    return record_error(file, "the content a change-set record keeps does not match its intent");
  return bytes;
}

// What a target holds now: its old content, its new one, or neither.
enum class State { Old, New, Other };

State state_of(const Target& t) {
  auto now = read_whole_file(t.path);
  if (!now) return State::Other;
  std::string hash = content_hash(*now);
  return hash == t.new_hash ? State::New : hash == t.old_hash ? State::Old : State::Other;
}

// Puts every target in `from` state into the other one (new content, or old).
Status move_targets(const std::string& record, const std::vector<Target>& targets, const std::vector<State>& states,
                    State from, std::vector<std::string>& moved) {
  for (size_t i = 0; i < targets.size(); ++i) {
    if (states[i] != from) continue;
    auto old_bytes = staged(record, targets[i], true);
    if (!old_bytes) return old_bytes.error();
    auto new_bytes = staged(record, targets[i], false);
    if (!new_bytes) return new_bytes.error();
    Status st = from == State::Old ? write_file_atomically(targets[i].path, *new_bytes, *old_bytes)
                                   : write_file_atomically(targets[i].path, *old_bytes, *new_bytes);
    if (!st) return st;
    moved.push_back(targets[i].path);
  }
  return Ok{};
}

std::string plural_files(size_t n) { return std::to_string(n) + (n == 1 ? " file" : " files"); }

std::string joined(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// Finishes a record whose intent is complete: forward when every target holds its old or new
// content, else back.
Status settle(const std::string& record, const std::vector<Target>& targets, std::vector<std::string>& notes) {
  std::vector<State> states;
  std::vector<std::string> changed;
  for (const Target& t : targets) {
    // What a killed write left beside the target: a backup (restored), temporary files (its
    // own and the backup's).
    if (Status st = recover_interrupted_write(t.path); !st) return st;
    remove_temp_files_of(t.path);
    remove_temp_files_of(backup_path(t.path));
    states.push_back(state_of(t));
    if (states.back() == State::Other) changed.push_back(t.path);
  }
  std::vector<std::string> moved;
  if (changed.empty()) {
    Status st = move_targets(record, targets, states, State::Old, moved);
    if (!st) return st;
    notes.push_back("finished the change set an interrupted run left (" + std::to_string(moved.size()) + " of " +
                    plural_files(targets.size()) + " still to write" + (moved.empty() ? "" : ": ") + joined(moved) + ")");
  } else {
    Status st = move_targets(record, targets, states, State::New, moved);
    if (!st) return st;
    notes.push_back("rolled back the change set an interrupted run left, because " + joined(changed) + " changed since (" +
                    plural_files(moved.size()) + " restored" + (moved.empty() ? "" : ": ") + joined(moved) + ")");
  }
  return Ok{};
}

}  // namespace

Status recover_change_set(const std::string& dir, std::vector<std::string>& notes) {
  std::string record = dir + "/" + kChangeSetRecord;
  struct stat st {};
  if (::lstat(record.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return Ok{};
  RecordLock lock;
  if (!lock.take(record)) {
    notes.push_back(record + ": another asyncfix run is writing this change set; left alone");
    return Ok{};
  }
  std::string intent = record + "/intent";
  auto text = read_whole_file(intent);
  if (!text) {
    // Made before any target was written, or closed after all were: nothing to finish.
    remove_record(record);
    notes.push_back(record + ": removed the record of an interrupted change set (no target was left half-written)");
    return Ok{};
  }
  auto targets = parse_intent(intent, *text);
  if (!targets) return targets.error();
  Status settled = settle(record, *targets, notes);
  if (!settled) {
    return record_error(record, "cannot finish the change set an interrupted run left (" + settled.error().to_string() +
                                    "); the record is kept: check its files, then remove it");
  }
  remove_record(record);
  return Ok{};
}

Status recover_change_sets_above(const std::string& dir, std::set<std::string>& checked, std::vector<std::string>& notes) {
  auto real = real_path(dir);
  if (!real) return Ok{};
  std::string at = *real;
  while (checked.insert(at).second) {
    if (Status st = recover_change_set(at, notes); !st) return st;
    if (at == "/") break;
    size_t slash = at.rfind('/');
    at = slash == 0 ? "/" : at.substr(0, slash);
  }
  return Ok{};
}

namespace {
// Writes the targets in order; on a failure, the ones written go back. False: the error, and
// whether the rollback itself failed (then the record must stay).
Status write_targets(const std::vector<PlannedWrite>& writes, const std::vector<Target>& targets, bool& rollback_failed) {
  for (size_t i = 0; i < targets.size(); ++i) {
    Status st = write_file_atomically(targets[i].path, writes[i].new_bytes, writes[i].old_bytes);
    if (st) continue;
    for (size_t j = 0; j < i; ++j)
      rollback_failed |= !write_file_atomically(targets[j].path, writes[j].old_bytes, writes[j].new_bytes);
    return make_error(Error::Kind::Io, st.error().message, {writes[i].path});
  }
  return Ok{};
}
}  // namespace

Status write_change_set(const std::vector<PlannedWrite>& writes) {
  if (writes.empty()) return Ok{};
  std::vector<Target> targets;
  std::vector<std::string> paths;
  for (size_t i = 0; i < writes.size(); ++i) {
    if (Status st = check_writable(writes[i].path, writes[i].old_bytes); !st) return st;
    auto real = real_path(writes[i].path);
    if (!real) return real.error();
    targets.push_back(Target{*real, content_hash(writes[i].old_bytes), content_hash(writes[i].new_bytes), i});
    paths.push_back(*real);
  }
  std::string record = common_dir(paths) + "/" + kChangeSetRecord;
  if (::mkdir(record.c_str(), 0700) != 0) {
    if (errno == EEXIST) return record_error(record, "another asyncfix run is writing a change set here; nothing written");
    return record_error(record, std::string("cannot make the change set's record: ") + std::strerror(errno) + "; nothing written");
  }
  RecordLock lock;
  if (!lock.take(record)) return record_error(record, "cannot lock the change set's record; nothing written");
  for (const Target& t : targets) {
    Status st = write_output_file(record + "/" + std::to_string(t.index) + ".old", writes[t.index].old_bytes);
    if (st) st = write_output_file(record + "/" + std::to_string(t.index) + ".new", writes[t.index].new_bytes);
    if (!st) {
      remove_record(record);
      return record_error(record, "cannot write the change set's record: " + st.error().message + "; nothing written");
    }
  }
  if (Status st = write_output_file(record + "/intent", intent_text(targets)); !st) {
    remove_record(record);
    return record_error(record, "cannot write the change set's record: " + st.error().message + "; nothing written");
  }
  bool rollback_failed = false;
  Status written = write_targets(writes, targets, rollback_failed);
  if (!written && rollback_failed) {
    return make_error(Error::Kind::Io,
                      written.error().message + "; putting back the files already written failed too: the next run finishes "
                                                "the change set from its record, " + record,
                      written.error().location);
  }
  remove_record(record);
  return written;
}

}  // namespace asyncfix

#include "cli/interactive.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/diff/unified.h"

namespace asyncfix::cli {

std::unique_ptr<TerminalReviewer> TerminalReviewer::open(bool color, std::string* why) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    *why = "--interactive needs a terminal (/dev/tty cannot be opened)";
    return nullptr;
  }
  std::unique_ptr<TerminalReviewer> r(new TerminalReviewer());
  r->in_fd_ = fd;
  r->out_ = fdopen(dup(fd), "w");
  r->color_ = color;
  return r;
}

TerminalReviewer::~TerminalReviewer() {
  if (out_) std::fclose(out_);
  if (in_fd_ >= 0) ::close(in_fd_);
}

void TerminalReviewer::print(const std::string& s) {
  std::fputs(s.c_str(), out_);
  std::fflush(out_);
}

std::string TerminalReviewer::paint(const char* code, const std::string& s) const {
  return color_ ? std::string(code) + s + "\x1b[0m" : s;
}

// One key, without waiting for Enter and without echo; -1 at end of input.
int TerminalReviewer::read_key() {
  termios old{};
  bool raw = tcgetattr(in_fd_, &old) == 0;
  if (raw) {
    termios t = old;
    t.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(in_fd_, TCSANOW, &t);
  }
  unsigned char c = 0;
  ssize_t n;
  do {
    n = ::read(in_fd_, &c, 1);
  } while (n < 0 && errno == EINTR);
  if (raw) tcsetattr(in_fd_, TCSANOW, &old);
  return n == 1 ? c : -1;
}

FixReviewer::Decision TerminalReviewer::review(const SourceFile& current, const Finding& f, std::string_view preview,
                                               const std::function<std::string()>& full_preview) {
  const std::string& path = current.path();
  if (all_of_rule_.count(f.rule_id)) {
    print(fmt::format("{}:{}:{}: {} applied (all {} fixes)\n", path, f.start_pos.line, f.start_pos.col, f.rule_id, f.rule_id));
    ++applied_;
    return Decision::Apply;
  }
  const char* sev = f.severity == Severity::P1 ? "\x1b[1;31m" : f.severity == Severity::P2 ? "\x1b[1;33m" : "\x1b[1;36m";
  std::string out = "\n" + paint("\x1b[1m", fmt::format("{}:{}:{}:", path, f.start_pos.line, f.start_pos.col)) + " " +
                    paint(sev, f.rule_id) + fmt::format(" [{}] {}\n", to_string(f.severity), f.message);
  if (!f.note.empty()) out += "  = note: " + f.note + "\n";
  out += "  = fix: " + f.fix->title + (f.fix->applicability == Applicability::Unsafe ? " (unsafe)" : "") + "\n";
  std::string diff = unified_diff(current.text(), preview, diff_label("a/", path), diff_label("b/", path), 3);
  std::istringstream lines(diff);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("---", 0) == 0 || line.rfind("+++", 0) == 0) out += paint("\x1b[1m", line) + "\n";
    else if (line.rfind("@@", 0) == 0) out += paint("\x1b[36m", line) + "\n";
    else if (!line.empty() && line[0] == '+') out += paint("\x1b[32m", line) + "\n";
    else if (!line.empty() && line[0] == '-') out += paint("\x1b[31m", line) + "\n";
    else out += line + "\n";
  }
  print(out);
  const std::string prompt = fmt::format("Apply this fix? [y,n,a,s,q,e,?] ");
  for (;;) {
    print(prompt);
    int k = read_key();
    if (k < 0) {
      print("\n");
      return Decision::Quit;
    }
    print(std::string(1, static_cast<char>(k)) + "\n");
    switch (k) {
      case 'y':
        ++applied_;
        return Decision::Apply;
      case 'n':
        ++skipped_;
        return Decision::Skip;
      case 'a':
        all_of_rule_.insert(f.rule_id);
        ++applied_;
        return Decision::Apply;
      case 's':
        return Decision::SkipFile;
      case 'q':
        return Decision::Quit;
      case 'e': {
        const char* ed = std::getenv("VISUAL");
        if (!ed || !*ed) ed = std::getenv("EDITOR");
        if (!ed || !*ed) ed = "vi";
        char tmpl[] = "/tmp/asyncfix-edit-XXXXXX.py";
        int fd = mkstemps(tmpl, 3);
        if (fd < 0) {
          print("cannot create a temporary file\n");
          continue;
        }
        std::string proposed = full_preview();
        if (::write(fd, proposed.data(), proposed.size()) != static_cast<ssize_t>(proposed.size())) {
          ::close(fd);
          unlink(tmpl);
          print("cannot write the temporary file\n");
          continue;
        }
        ::close(fd);
        std::string cmd = std::string(ed) + " '" + tmpl + "' </dev/tty >/dev/tty 2>&1";
        int rc = std::system(cmd.c_str());
        std::ifstream in(tmpl, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        unlink(tmpl);
        if (rc != 0) {
          print(fmt::format("the editor ({}) failed: nothing changed\n", ed));
          continue;
        }
        edited_ = ss.str();
        ++applied_;
        print("your version of the file will be written; the rest of its fixes are not proposed\n");
        return Decision::Edit;
      }
      case '?':
      default:
        print("  y  apply this fix\n"
              "  n  skip it (recorded in the baseline, with --baseline)\n"
              "  a  apply it and every later fix of " + f.rule_id + "\n"
              "  s  skip the rest of this file\n"
              "  q  quit: fixes accepted so far are written\n"
              "  e  edit the proposed result in $EDITOR; your version is written as the file\n"
              "  ?  this help\n");
        continue;
    }
  }
}

}  // namespace asyncfix::cli

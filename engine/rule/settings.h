// Settings that rules read (targets, limits), from the command line and [tool.asyncfix].
#pragma once

#include <set>
#include <optional>
#include <string>
#include <vector>

namespace asyncfix {

struct Version {
  int major = 0, minor = 0;
  bool operator<(const Version& o) const { return major != o.major ? major < o.major : minor < o.minor; }
  bool operator>=(const Version& o) const { return !(*this < o); }
  std::string to_string() const { return std::to_string(major) + "." + std::to_string(minor); }
};

struct RuleSettings {
  Version target_python{3, 11};
  Version target_fastapi{0, 115};
  Version target_sqlalchemy{2, 0};
  int gather_limit = 10;
  // `client-timeout` (seconds), for AF304; unset, AF304 writes each library's own default.
  std::optional<double> client_timeout;
  // Extra qualified names that block (AF107), e.g. "mylib.crunch".
  std::vector<std::string> extra_blocking_calls;
  // Extra names known to be SQLAlchemy sessions (AF601) when nothing types them, e.g.
  // "session", "self.db".
  std::vector<std::string> session_names;
  // AF502: awaited calls considered slow side effects (qualified name suffixes).
  std::vector<std::string> slow_side_effects;
  // Packages the project depends on (normalized names: "aiofiles", "httpx"); a fix that
  // needs one the project lacks is marked unsafe and says so.
  std::set<std::string> project_packages;
  bool explicit_python = false, explicit_fastapi = false, explicit_sqlalchemy = false;
  // Where the FastAPI and SQLAlchemy targets come from ("--target-sqlalchemy",
  // "requirements.txt: sqlalchemy==1.4.46", "installed: .../SQLAlchemy-1.4.46.egg-info");
  // empty: from nowhere (the defaults above, which the migration never writes for).
  std::string fastapi_from, sqlalchemy_from;
  // `asyncfix migrate async-sqlalchemy`: sync sessions are to become AsyncSession, so the
  // session rules write the async forms and the migration rules are active.
  bool migrate_async_sqlalchemy = false;
};

}  // namespace asyncfix

#include "transforms/blocking_catalog.h"

#include <map>
#include <set>

#include "engine/semantic/model.h"
#include "engine/semantic/types.h"
#include "engine/syntax/node.h"

namespace asyncfix::rules {

namespace {

struct Entry {
  const char* api;
  const char* rule;
  const char* alternative;
};

// Sources: the async review guides in shared/seeds/, and at least what ruff's flake8-async
// rules (ASYNC210, 212, 220, 221, 222, 230, 240, 250, 251) detect.
const Entry kEntries[] = {
    // AF101 blocking-sleep (the rule itself is patterns/AF101-blocking-sleep.yml)
    {"time.sleep", "AF101", "asyncio.sleep"},

    // AF102 blocking-http
    {"requests.get", "AF102", "httpx.AsyncClient.get"},
    {"requests.post", "AF102", "httpx.AsyncClient.post"},
    {"requests.put", "AF102", "httpx.AsyncClient.put"},
    {"requests.patch", "AF102", "httpx.AsyncClient.patch"},
    {"requests.delete", "AF102", "httpx.AsyncClient.delete"},
    {"requests.head", "AF102", "httpx.AsyncClient.head"},
    {"requests.options", "AF102", "httpx.AsyncClient.options"},
    {"requests.request", "AF102", "httpx.AsyncClient.request"},
    {"requests.api.get", "AF102", "httpx.AsyncClient.get"},
    {"requests.api.post", "AF102", "httpx.AsyncClient.post"},
    {"httpx.get", "AF102", "httpx.AsyncClient.get"},
    {"httpx.post", "AF102", "httpx.AsyncClient.post"},
    {"httpx.put", "AF102", "httpx.AsyncClient.put"},
    {"httpx.patch", "AF102", "httpx.AsyncClient.patch"},
    {"httpx.delete", "AF102", "httpx.AsyncClient.delete"},
    {"httpx.head", "AF102", "httpx.AsyncClient.head"},
    {"httpx.options", "AF102", "httpx.AsyncClient.options"},
    {"httpx.request", "AF102", "httpx.AsyncClient.request"},
    {"httpx.stream", "AF102", "httpx.AsyncClient.stream"},
    {"urllib.request.urlopen", "AF102", "httpx.AsyncClient"},
    {"urllib3.request", "AF102", "httpx.AsyncClient"},
    {"requests.Session.get", "AF102", "httpx.AsyncClient.get"},
    {"requests.Session.post", "AF102", "httpx.AsyncClient.post"},
    {"requests.Session.put", "AF102", "httpx.AsyncClient.put"},
    {"requests.Session.patch", "AF102", "httpx.AsyncClient.patch"},
    {"requests.Session.delete", "AF102", "httpx.AsyncClient.delete"},
    {"requests.Session.head", "AF102", "httpx.AsyncClient.head"},
    {"requests.Session.options", "AF102", "httpx.AsyncClient.options"},
    {"requests.Session.request", "AF102", "httpx.AsyncClient.request"},
    {"requests.Session.send", "AF102", "httpx.AsyncClient.send"},
    {"httpx.Client.get", "AF102", "httpx.AsyncClient.get"},
    {"httpx.Client.post", "AF102", "httpx.AsyncClient.post"},
    {"httpx.Client.put", "AF102", "httpx.AsyncClient.put"},
    {"httpx.Client.patch", "AF102", "httpx.AsyncClient.patch"},
    {"httpx.Client.delete", "AF102", "httpx.AsyncClient.delete"},
    {"httpx.Client.head", "AF102", "httpx.AsyncClient.head"},
    {"httpx.Client.options", "AF102", "httpx.AsyncClient.options"},
    {"httpx.Client.request", "AF102", "httpx.AsyncClient.request"},
    {"httpx.Client.send", "AF102", "httpx.AsyncClient.send"},
    {"httpx.Client.stream", "AF102", "httpx.AsyncClient.stream"},
    {"httpx.Client.close", "AF102", "httpx.AsyncClient.aclose"},

    // AF103 blocking-open
    {"open", "AF103", "aiofiles.open"},
    {"io.open", "AF103", "aiofiles.open"},
    {"io.open_code", "AF103", "aiofiles.open"},
    {"codecs.open", "AF103", "aiofiles.open"},
    {"os.fdopen", "AF103", "aiofiles.open"},
    {"pathlib.Path.open", "AF103", "aiofiles.open"},
    {"pathlib.Path.read_text", "AF103", ""},
    {"pathlib.Path.read_bytes", "AF103", ""},
    {"pathlib.Path.write_text", "AF103", ""},
    {"pathlib.Path.write_bytes", "AF103", ""},

    // AF104 blocking-fs (aiofiles.os / aiofiles.os.path where aiofiles has the function)
    {"os.path.exists", "AF104", "aiofiles.os.path.exists"},
    {"os.path.isfile", "AF104", "aiofiles.os.path.isfile"},
    {"os.path.isdir", "AF104", "aiofiles.os.path.isdir"},
    {"os.path.islink", "AF104", "aiofiles.os.path.islink"},
    {"os.path.getsize", "AF104", "aiofiles.os.path.getsize"},
    {"os.path.getmtime", "AF104", "aiofiles.os.path.getmtime"},
    {"os.path.getatime", "AF104", "aiofiles.os.path.getatime"},
    {"os.path.getctime", "AF104", "aiofiles.os.path.getctime"},
    {"os.path.samefile", "AF104", "aiofiles.os.path.samefile"},
    {"os.path.sameopenfile", "AF104", "aiofiles.os.path.sameopenfile"},
    {"os.path.lexists", "AF104", ""},
    {"os.path.ismount", "AF104", ""},
    {"os.path.isjunction", "AF104", ""},
    {"os.path.realpath", "AF104", ""},
    {"os.remove", "AF104", "aiofiles.os.remove"},
    {"os.unlink", "AF104", "aiofiles.os.unlink"},
    {"os.rename", "AF104", "aiofiles.os.rename"},
    {"os.renames", "AF104", "aiofiles.os.renames"},
    {"os.replace", "AF104", "aiofiles.os.replace"},
    {"os.makedirs", "AF104", "aiofiles.os.makedirs"},
    {"os.mkdir", "AF104", "aiofiles.os.mkdir"},
    {"os.rmdir", "AF104", "aiofiles.os.rmdir"},
    {"os.removedirs", "AF104", "aiofiles.os.removedirs"},
    {"os.listdir", "AF104", "aiofiles.os.listdir"},
    {"os.scandir", "AF104", "aiofiles.os.scandir"},
    {"os.stat", "AF104", "aiofiles.os.stat"},
    {"os.link", "AF104", "aiofiles.os.link"},
    {"os.symlink", "AF104", "aiofiles.os.symlink"},
    {"os.readlink", "AF104", "aiofiles.os.readlink"},
    {"os.access", "AF104", "aiofiles.os.access"},
    {"os.lstat", "AF104", ""},
    {"os.walk", "AF104", ""},
    {"os.chmod", "AF104", ""},
    {"os.chown", "AF104", ""},
    {"os.utime", "AF104", ""},
    {"os.truncate", "AF104", ""},
    {"os.statvfs", "AF104", ""},
    {"shutil.copy", "AF104", ""},
    {"shutil.copy2", "AF104", ""},
    {"shutil.copyfile", "AF104", ""},
    {"shutil.copytree", "AF104", ""},
    {"shutil.copyfileobj", "AF104", ""},
    {"shutil.rmtree", "AF104", ""},
    {"shutil.move", "AF104", ""},
    {"shutil.make_archive", "AF104", ""},
    {"shutil.unpack_archive", "AF104", ""},
    {"shutil.disk_usage", "AF104", ""},
    {"shutil.chown", "AF104", ""},
    {"glob.glob", "AF104", ""},
    {"glob.iglob", "AF104", ""},
    {"pathlib.Path.exists", "AF104", ""},
    {"pathlib.Path.is_file", "AF104", ""},
    {"pathlib.Path.is_dir", "AF104", ""},
    {"pathlib.Path.is_symlink", "AF104", ""},
    {"pathlib.Path.is_mount", "AF104", ""},
    {"pathlib.Path.stat", "AF104", ""},
    {"pathlib.Path.lstat", "AF104", ""},
    {"pathlib.Path.mkdir", "AF104", ""},
    {"pathlib.Path.rmdir", "AF104", ""},
    {"pathlib.Path.unlink", "AF104", ""},
    {"pathlib.Path.rename", "AF104", ""},
    {"pathlib.Path.replace", "AF104", ""},
    {"pathlib.Path.iterdir", "AF104", ""},
    {"pathlib.Path.glob", "AF104", ""},
    {"pathlib.Path.rglob", "AF104", ""},
    {"pathlib.Path.touch", "AF104", ""},
    {"pathlib.Path.resolve", "AF104", ""},
    {"pathlib.Path.chmod", "AF104", ""},
    {"pathlib.Path.owner", "AF104", ""},
    {"pathlib.Path.group", "AF104", ""},
    {"pathlib.Path.samefile", "AF104", ""},
    {"pathlib.Path.readlink", "AF104", ""},
    {"pathlib.Path.symlink_to", "AF104", ""},
    {"pathlib.Path.hardlink_to", "AF104", ""},

    // AF105 blocking-subprocess
    {"subprocess.run", "AF105", "asyncio.create_subprocess_exec"},
    {"subprocess.call", "AF105", "asyncio.create_subprocess_exec"},
    {"subprocess.check_call", "AF105", "asyncio.create_subprocess_exec"},
    {"subprocess.check_output", "AF105", "asyncio.create_subprocess_exec"},
    {"subprocess.getoutput", "AF105", "asyncio.create_subprocess_shell"},
    {"subprocess.getstatusoutput", "AF105", "asyncio.create_subprocess_shell"},
    {"subprocess.Popen", "AF105", "asyncio.create_subprocess_exec"},
    {"os.system", "AF105", "asyncio.create_subprocess_shell"},
    {"os.popen", "AF105", "asyncio.create_subprocess_shell"},
    {"os.posix_spawn", "AF105", "asyncio.create_subprocess_exec"},
    {"os.posix_spawnp", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnl", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnle", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnlp", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnlpe", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnv", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnve", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnvp", "AF105", "asyncio.create_subprocess_exec"},
    {"os.spawnvpe", "AF105", "asyncio.create_subprocess_exec"},
    {"os.wait", "AF105", ""},
    {"os.wait3", "AF105", ""},
    {"os.wait4", "AF105", ""},
    {"os.waitid", "AF105", ""},
    {"os.waitpid", "AF105", ""},

    // AF106 sync-db-driver: report, naming the async driver
    {"sqlite3.connect", "AF106", "aiosqlite"},
    {"psycopg2.connect", "AF106", "asyncpg (or psycopg 3's AsyncConnection)"},
    {"psycopg.connect", "AF106", "psycopg.AsyncConnection.connect"},
    {"pymysql.connect", "AF106", "aiomysql"},
    {"MySQLdb.connect", "AF106", "aiomysql"},
    {"mysql.connector.connect", "AF106", "aiomysql"},
    {"redis.Redis", "AF106", "redis.asyncio.Redis"},
    {"redis.StrictRedis", "AF106", "redis.asyncio.Redis"},
    {"redis.from_url", "AF106", "redis.asyncio.from_url"},
    {"redis.Redis.from_url", "AF106", "redis.asyncio.Redis.from_url"},
    {"pymongo.MongoClient", "AF106", "motor.motor_asyncio.AsyncIOMotorClient"},
    {"sqlalchemy.orm.Session.query", "AF106", "AsyncSession + select() (asyncfix migrate async-sqlalchemy)"},
    {"sqlalchemy.orm.Session.execute", "AF106", "AsyncSession.execute"},
    {"sqlalchemy.orm.Session.scalars", "AF106", "AsyncSession.scalars"},
    {"sqlalchemy.orm.Session.scalar", "AF106", "AsyncSession.scalar"},
    {"sqlalchemy.orm.Session.get", "AF106", "AsyncSession.get"},
    {"sqlalchemy.orm.Session.commit", "AF106", "AsyncSession.commit"},
    {"sqlalchemy.orm.Session.flush", "AF106", "AsyncSession.flush"},
    {"sqlalchemy.orm.Session.refresh", "AF106", "AsyncSession.refresh"},
    {"sqlalchemy.orm.Session.merge", "AF106", "AsyncSession.merge"},
    {"sqlalchemy.orm.Session.delete", "AF106", "AsyncSession.delete"},
    {"sqlalchemy.orm.Session.rollback", "AF106", "AsyncSession.rollback"},
    {"sqlalchemy.orm.Session.close", "AF106", "AsyncSession.close"},
    {"sqlalchemy.engine.Engine.connect", "AF106", "AsyncEngine.connect"},
    {"sqlalchemy.engine.Engine.begin", "AF106", "AsyncEngine.begin"},

    // AF107 blocking-input / cpu-bound: run in a thread
    {"input", "AF107", ""},
    {"getpass.getpass", "AF107", ""},
    {"bcrypt.hashpw", "AF107", ""},
    {"bcrypt.checkpw", "AF107", ""},
    {"bcrypt.kdf", "AF107", ""},
    {"hashlib.pbkdf2_hmac", "AF107", ""},
    {"hashlib.scrypt", "AF107", ""},
};

const std::map<std::string_view, const Entry*>& table() {
  static const std::map<std::string_view, const Entry*> t = [] {
    std::map<std::string_view, const Entry*> m;
    for (const Entry& e : kEntries) m.emplace(e.api, &e);
    return m;
  }();
  return t;
}

std::string_view last_part(std::string_view q) {
  size_t dot = q.rfind('.');
  return dot == std::string_view::npos ? q : q.substr(dot + 1);
}

}  // namespace

std::optional<BlockingHit> classify_blocking(TSNode call, const semantic::SemanticModel& model,
                                             const semantic::TypeOracle& types, const RuleSettings* settings) {
  TSNode fn = syntax::field(call, "function");
  if (auto q = model.qualified_name(fn)) {
    auto it = table().find(*q);
    if (it != table().end()) return BlockingHit{it->second->api, it->second->rule, it->second->alternative};
    if (settings) {
      for (const auto& extra : settings->extra_blocking_calls) {
        if (*q == extra) return BlockingHit{extra, "AF107", ""};
      }
    }
  }
  if (syntax::is(fn, "attribute")) {
    // Type inference only for the method names some typed entry has (query, get, read_text...).
    static const std::set<std::string, std::less<>> kMethods = [] {
      std::set<std::string, std::less<>> m;
      for (const Entry& e : kEntries) {
        std::string_view api = e.api;
        size_t dot = api.rfind('.');
        if (dot == std::string_view::npos) continue;
        std::string_view owner = api.substr(0, dot);
        if (!owner.empty() && std::isupper(static_cast<unsigned char>(owner[owner.rfind('.') == std::string_view::npos ? 0 : owner.rfind('.') + 1])))
          m.emplace(api.substr(dot + 1));
      }
      return m;
    }();
    if (!kMethods.count(syntax::text(syntax::field(fn, "attribute"), model.source()))) return std::nullopt;
    auto t = types.type_of(syntax::field(fn, "object"));
    if (t) {
      std::string key = *t + "." + std::string(syntax::text(syntax::field(fn, "attribute"), model.source()));
      auto it = table().find(key);
      if (it != table().end()) return BlockingHit{it->second->api, it->second->rule, it->second->alternative};
    }
  }
  return std::nullopt;
}

std::vector<std::string> blocking_call_names(std::string_view rule, const RuleSettings* settings) {
  std::set<std::string> names;
  for (const Entry& e : kEntries) {
    if (rule == e.rule) names.emplace(last_part(e.api));
  }
  if (settings && rule == "AF107") {
    for (const auto& extra : settings->extra_blocking_calls) names.emplace(last_part(extra));
  }
  return {names.begin(), names.end()};
}

BlockingClassifier index_classifier(RuleSettings settings) {
  return [settings](TSNode call, const semantic::SemanticModel& model,
                    const semantic::TypeOracle& types) -> std::optional<std::pair<std::string, std::string>> {
    auto hit = classify_blocking(call, model, types, &settings);
    if (!hit) return std::nullopt;
    return std::make_pair(hit->api, hit->rule);
  };
}

}  // namespace asyncfix::rules

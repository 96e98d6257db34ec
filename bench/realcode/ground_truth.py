#!/usr/bin/env python3
"""Independent ground truth for bench/realcode: the *sites* of four families in a checkout.

    python3 ground_truth.py CHECKOUT [FOLDER] [--family F ...] [--stats FILE]

Prints one JSON object per line:
    {"family", "file" (relative to CHECKOUT/FOLDER), "line", "span": [first, last],
     "func" (the enclosing function), "why" (the inference chain), "tags" (the features of
     the inference the chain needed: used by `run` to group misses by cause)}
Written from the rules' documentation (docs/rules/*.md) and the bench brief only, with the
standard library's `ast` (Python 3.11): it shares no code or idea of implementation with
asyncfix. Nothing is imported from the checkout; nothing is executed.

"Inside async def" below means lexically in the body of an `async def`, not in a `def`,
`lambda` or `class` nested in it (comprehensions and generator expressions *are* inside).

FAMILIES
--------
direct   (AF101-AF105) a call inside async def whose callee resolves (imports and aliases
         followed: `from time import sleep as nap`, `import requests as r`, `from os import
         path`, `import os.path as osp`) to:
           time.sleep;
           requests.get/post/put/patch/delete/head/options/request, a method of the same
           names (or send) on a `requests.Session()`/`requests.session()` object; httpx.get
           & co. and `httpx.Client()` methods; urllib.request.urlopen; urllib3.request;
           builtin open (not shadowed), io.open, io.open_code, codecs.open, os.fdopen;
           os.path.exists/lexists/isfile/isdir/islink/ismount/getsize/getmtime/getatime/
           getctime/samefile; os.remove/unlink/rename/renames/replace/makedirs/mkdir/rmdir/
           removedirs/listdir/scandir/stat/lstat/walk/chmod/chown/lchown/symlink/link/
           readlink/truncate/utime/access/statvfs; shutil.copy/copy2/copyfile/copytree/
           move/rmtree/make_archive/unpack_archive/disk_usage/copymode/copystat/chown/
           copyfileobj;
           glob.glob/iglob;
           pathlib.Path methods open/read_text/read_bytes/write_text/write_bytes and
           exists/is_file/is_dir/is_symlink/is_mount/stat/lstat/mkdir/rmdir/unlink/rename/
           replace/touch/iterdir/glob/rglob/chmod/lchmod/samefile/owner/group/readlink/
           symlink_to/hardlink_to/walk, on an object inferred to be a concrete Path
           (Path(...)/PosixPath(...), `p / "x"`, .parent, .resolve(), .with_suffix(), ...,
           Path.home()/cwd(), parameters, attributes and returns annotated Path, loop
           variables over Path.glob/iterdir);
           subprocess.run/call/check_call/check_output/getoutput/getstatusoutput/Popen,
           os.system, os.popen, os.spawn*, os.posix_spawn*, os.wait/wait3/wait4/waitid/
           waitpid.
         Excludes: pure path arithmetic (os.path.join, dirname, Path.resolve/absolute:
         not I/O in the documentation), PurePath, anything not resolvable to those
         names (e.g. `self.client.get` of an unknown client), AF107 (input()).
helper   (AF108) a call inside async def to a *sync* function or method defined in the
         project (the measured folder) which, in its own body or through further project
         sync functions (any depth), performs a blocking operation: a `direct` operation
         (same catalogue, anywhere in a sync body) or a sync SQLAlchemy/SQLModel session
         operation (the `session` method list, on a receiver inferred as in `session`), or a
         sync Engine operation (connect/begin/raw_connection/execute on a create_engine()
         result or an `Engine`-annotated value) or a sync driver connect (sqlite3, psycopg2,
         psycopg, pymysql, MySQLdb, pymongo.MongoClient): AF106's catalogue.
         Callees resolved: plain and nested functions, imported ones (absolute, relative,
         namespace packages, re-exports through __init__, star imports, imports inside
         functions, several source roots), `mod.func`, methods on `self`/`cls`/`super()`,
         on instances from constructors, annotations, module-level instances
         (`Users = UsersTable()`), module attributes set elsewhere (`crud.user = ...`),
         class and instance attributes, property getters (an attribute read is the call),
         constructors (`Cls(...)` whose project __init__ blocks), @contextmanager
         functions (the call in `with f() as x:` runs the body), plain generators only
         when iterated in place (`for x in gen()`, list(gen())...).
         Not sites: calls directly under `await`, calls that are arguments of
         asyncio.to_thread / loop.run_in_executor / run_in_threadpool / anyio
         run_sync (they are evaluated there, but such code is not the pattern), calls of
         `async def` functions, callees that block only through code the resolver cannot
         see (external libraries, dynamic dispatch to overrides in subclasses, callbacks).
         One site per call site (file+line+column; lines with two such calls give two
         sites on one line).
session  (AF106) a method call inside async def, named query/execute/exec/add/add_all/
         commit/flush/refresh/get/get_one/scalars/scalar/delete/merge/rollback/close/
         begin/begin_nested/connection/bulk_save_objects/bulk_insert_mappings/
         bulk_update_mappings/expire_all? (no: only names that do database I/O or start
         it; expire/expunge are not included), on a receiver inferred to be a *sync*
         session: sqlalchemy.orm.Session, sqlmodel.Session, scoped_session (and project
         subclasses of them), from: annotations (Optional/Union/`|`/ClassVar/Annotated,
         string annotations, type aliases incl. `SessionDep = Annotated[Session,
         Depends(get_db)]`), `Depends(f)`/`Security(f)` where f returns or yields a sync
         session, `sessionmaker(...)` instances called (not async_sessionmaker, not
         `sessionmaker(class_=AsyncSession)`), `Session(engine)`, `with Session(engine) as
         s`, `with maker.begin() as s`, @contextmanager functions yielding a session
         (annotation Generator[Session, ...]/Iterator[Session]/Session, or the yielded
         expression), returns of project functions (annotated or inferred from their
         return statements), `typing.cast(Session, x)`, class attributes
         (`session: ClassVar[scoped_session[Session]]`, `Trade.session = scoped_session(..)`
         assigned elsewhere), instance attributes set in methods (`self.db = db`),
         decorators that inject a session as first argument (`@with_session`), and
         unannotated parameters whose every resolved call site (at least one; direct
         calls, calls of the base method it overrides, and to_thread/run_in_threadpool/
         run_in_executor forwarding) passes a sync session, provided the function is not
         otherwise referenced as a value (a greatest fixpoint, so that parameters passed
         along chains and cycles of helpers are found, restricted to parameters a real
         session reaches).
         Excludes AsyncSession receivers and unknown receivers (a parameter named
         `db` with no annotation and no resolvable caller is not a site).
query    (AF601) anywhere (module level, sync and async code, lambdas), each `X.query(`
         call whose receiver X is inferred as in `session` to be a sync session (line =
         the line of `.query`). Flask-SQLAlchemy `Model.query` does not occur in this
         corpus; it is not modelled. `.query` on anything else (HTTP params, DataFrames,
         vector stores, project classes with their own `query` method, unknown objects)
         is not a site. Calls on receivers the inference cannot classify are printed as
         family "query-unresolved" (not a site; a measure of what the resolver leaves out).

RESOLVER AND INFERENCE LIMITS
-----------------------------
* Modules: every .py under FOLDER. Source roots (a module's dotted name is its path
  below a root): FOLDER, CHECKOUT, every directory under FOLDER holding pyproject.toml,
  setup.cfg or a setup.py that uses setuptools/distutils, and no __init__.py, and their
  `src/` (and every directory named `src` without __init__.py). A name found
  under several roots resolves to the root nearest the importing file. Directories
  without __init__.py are namespace packages. sys.path manipulation, .pth files,
  installed packages and conftest-magic are not modelled; imports that do not resolve to
  a project file are "external" (only the catalogue above is known of those).
* Flow-insensitive: a variable's value is the union of everything assigned to it in its
  function (plus parameter information); no narrowing by isinstance/None checks.
* Methods are resolved on the static class (its MRO of project classes); a call through a
  base-class method that subclasses override resolves to the base's body only, except
  that an abstract method (@abstractmethod, or a body of only pass/.../raise
  NotImplementedError) blocks when it has project overrides and every one of them
  blocks (tag override-dispatch), and for parameter inference the call sites of a base
  method count for its overrides. No
  duck typing, no generic type parameters (except dict/list element annotations), no
  `getattr`, no `functools.partial`, no callbacks stored in containers.
* Decorators other than property/staticmethod/classmethod/contextmanager/session
  injectors are assumed to return the function unchanged.
* Python 3.12+/3.14 syntax Python 3.11 cannot parse is rewritten first (`type X = ...`,
  `except A, B:`), line numbers unchanged; files still unparsable are skipped (--stats).
"""
import argparse
import ast
import json
import os
import re
import sys
import time
from collections import defaultdict, deque

sys.setrecursionlimit(20000)

# --------------------------------------------------------------------------- catalogue

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
DIRECT_FUNCS = {}  # canonical dotted name -> (family-rule, label)
DIRECT_FUNCS["time.sleep"] = ("AF101", "time.sleep")
for _v in HTTP_VERBS:
    DIRECT_FUNCS["requests." + _v] = ("AF102", "requests." + _v)
for _v in HTTP_VERBS + ("stream",):
    DIRECT_FUNCS["httpx." + _v] = ("AF102", "httpx." + _v)
DIRECT_FUNCS["urllib.request.urlopen"] = ("AF102", "urllib.request.urlopen")
DIRECT_FUNCS["urllib3.request"] = ("AF102", "urllib3.request")
for _f in ("builtins.open", "io.open", "io.open_code", "codecs.open", "os.fdopen"):
    DIRECT_FUNCS[_f] = ("AF103", _f.replace("builtins.", ""))
for _f in ("exists lexists isfile isdir islink ismount getsize getmtime getatime getctime "
           "samefile").split():
    DIRECT_FUNCS["os.path." + _f] = ("AF104", "os.path." + _f)
for _f in ("remove unlink rename renames replace makedirs mkdir rmdir removedirs listdir "
           "scandir stat lstat walk chmod chown lchown symlink link readlink truncate utime "
           "access statvfs").split():
    DIRECT_FUNCS["os." + _f] = ("AF104", "os." + _f)
for _f in ("copy copy2 copyfile copytree move rmtree make_archive unpack_archive disk_usage "
           "copymode copystat chown copyfileobj").split():
    DIRECT_FUNCS["shutil." + _f] = ("AF104", "shutil." + _f)
DIRECT_FUNCS["glob.glob"] = ("AF104", "glob.glob")
DIRECT_FUNCS["glob.iglob"] = ("AF104", "glob.iglob")
for _f in "run call check_call check_output getoutput getstatusoutput Popen".split():
    DIRECT_FUNCS["subprocess." + _f] = ("AF105", "subprocess." + _f)
for _f in ("system popen spawnl spawnle spawnlp spawnlpe spawnv spawnve spawnvp spawnvpe "
           "posix_spawn posix_spawnp wait wait3 wait4 waitid waitpid").split():
    DIRECT_FUNCS["os." + _f] = ("AF105", "os." + _f)

PATH_OPEN_METHODS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}
PATH_FS_METHODS = set(("exists is_file is_dir is_symlink is_mount stat lstat mkdir rmdir unlink "
                       "rename replace touch iterdir glob rglob chmod lchmod samefile owner "
                       "group readlink symlink_to hardlink_to walk").split())
PATH_RETURNING = {"resolve", "absolute", "with_name", "with_suffix", "with_stem", "joinpath",
                  "expanduser", "relative_to", "readlink", "rename", "replace"}
PATH_ATTRS = {"parent"}
PATH_ITER = {"glob", "rglob", "iterdir"}
HTTP_CLIENT_METHODS = set(HTTP_VERBS) | {"send", "stream"}

SESSION_METHODS = set(("query execute exec add add_all commit flush refresh get get_one scalars "
                       "scalar delete merge rollback close begin begin_nested connection "
                       "bulk_save_objects bulk_insert_mappings bulk_update_mappings").split())

# sync engine / driver operations: blocking operations inside a *helper* (AF106's catalogue
# names the Engine and the sync drivers; they are not sites of the `session` family)
ENGINE_CLASSES = {"sqlalchemy.engine.Engine"}
ENGINE_METHODS = {"connect", "begin", "raw_connection", "execute"}
DRIVER_CONNECTS = {"sqlite3.connect", "psycopg2.connect", "psycopg.connect", "pymysql.connect",
                   "MySQLdb.connect", "pymongo.MongoClient"}

# canonical names of external things
CANON_PREFIX = [
    ("posixpath", "os.path"), ("ntpath", "os.path"), ("genericpath", "os.path"),
    ("requests.api", "requests"), ("requests.sessions", "requests"),
    ("pathlib.PosixPath", "pathlib.Path"), ("pathlib.WindowsPath", "pathlib.Path"),
    ("sqlalchemy.orm.session", "sqlalchemy.orm"), ("sqlalchemy.orm.scoping", "sqlalchemy.orm"),
    ("sqlalchemy.engine.base", "sqlalchemy.engine"), ("sqlalchemy.engine.create", "sqlalchemy.engine"),
    ("sqlalchemy.Engine", "sqlalchemy.engine.Engine"),
    ("sqlalchemy.create_engine", "sqlalchemy.engine.create_engine"),
    ("sqlmodel.orm.session", "sqlmodel"),
    ("sqlalchemy.ext.asyncio.session", "sqlalchemy.ext.asyncio"),
    ("sqlalchemy.ext.asyncio.scoping", "sqlalchemy.ext.asyncio"),
    ("starlette.concurrency", "fastapi.concurrency"),
    ("typing_extensions", "typing"),
    ("fastapi.params", "fastapi"), ("fastapi.param_functions", "fastapi"),
    ("httpx._client", "httpx"), ("httpx._api", "httpx"),
]
SYNC_SESSION_CLASSES = {"sqlalchemy.orm.Session", "sqlmodel.Session", "sqlalchemy.orm.scoped_session"}
ASYNC_SESSION_CLASSES = {"sqlalchemy.ext.asyncio.AsyncSession", "sqlmodel.ext.asyncio.session.AsyncSession",
                         "sqlalchemy.ext.asyncio.async_scoped_session"}
PATH_CLASSES = {"pathlib.Path"}
HTTP_CLIENT_CLASSES = {"requests.Session": "requests.Session", "requests.session": "requests.Session",
                       "httpx.Client": "httpx.Client"}
THREAD_WRAPPERS = {"asyncio.to_thread", "fastapi.concurrency.run_in_threadpool",
                   "anyio.to_thread.run_sync", "asyncer.asyncify"}


def canon(name):
    for old, new in CANON_PREFIX:
        if name == old or name.startswith(old + "."):
            return new + name[len(old):]
    return name


def short(node, n=70):
    try:
        s = ast.unparse(node)
    except Exception:
        s = type(node).__name__
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3] + "..."


def clip(s, n=420):
    return s if len(s) <= n else s[: n - 3] + "..."


NEWER_SYNTAX = [
    # PEP 695 (3.12) `type X = ...` -> `X = ...` (type parameters dropped)
    (re.compile(rb"^([ \t]*)type[ \t]+([A-Za-z_]\w*)[ \t]*(\[[^\]\n]*\])?[ \t]*=", re.M), rb"\1\2 ="),
    # PEP 758 (3.14) `except A, B:` -> `except (A, B):`
    (re.compile(rb"^([ \t]*)except(\*?)[ \t]+([^()\n:#]+,[^()\n:#]+?)[ \t]*:", re.M), rb"\1except\2 (\3):"),
]


def is_setup_script(path):
    try:
        with open(path, "rb") as fh:
            text = fh.read(200000)
    except OSError:
        return False
    return b"setuptools" in text or b"distutils" in text


def parse_source(src, rel):
    """ast.parse, and on a SyntaxError once more after rewriting the newer syntax Python 3.11
    does not know (line numbers are kept)."""
    try:
        return ast.parse(src, filename=rel)
    except SyntaxError:
        fixed = src
        for rx, rep in NEWER_SYNTAX:
            fixed = rx.sub(rep, fixed)
        if fixed == src:
            raise
        return ast.parse(fixed, filename=rel)


# --------------------------------------------------------------------------- values


class V:
    """An abstract value. Equality ignores why/tags."""
    __slots__ = ("k", "r", "why", "tags")

    def __init__(self, k, r, why="", tags=frozenset()):
        self.k, self.r, self.why, self.tags = k, r, why, frozenset(tags)

    def __eq__(self, o):
        return isinstance(o, V) and self.k == o.k and self.r == o.r

    def __hash__(self):
        return hash((self.k, self.r))

    def plus(self, why=None, tags=()):
        if why is None and not tags:
            return self
        return V(self.k, self.r, clip(why if why is not None else self.why), self.tags | frozenset(tags))

    def __repr__(self):
        return "V(%s,%r)" % (self.k, getattr(self.r, "qual", self.r))


def uniq(vals):
    seen, out = set(), []
    for v in vals:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def addtags(vals, tags, why_prefix=None):
    out = []
    for v in vals:
        out.append(v.plus(why=(why_prefix + v.why) if why_prefix else None, tags=tags))
    return out


# --------------------------------------------------------------------------- walking


def own_walk(nodes):
    """(node, parent) for the given nodes and their descendants, not entering the bodies of
    nested def / lambda / class (their decorators, defaults and bases are yielded)."""
    stack = [(n, None) for n in reversed(nodes)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            kids = list(node.decorator_list) + list(a.defaults) + [d for d in a.kw_defaults if d is not None]
        elif isinstance(node, ast.Lambda):
            a = node.args
            kids = list(a.defaults) + [d for d in a.kw_defaults if d is not None]
        elif isinstance(node, ast.ClassDef):
            kids = list(node.decorator_list) + list(node.bases) + [k.value for k in node.keywords]
        else:
            kids = list(ast.iter_child_nodes(node))
        for c in reversed(kids):
            stack.append((c, node))


FUNC_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


class Module:
    def __init__(self, key, path, tree, is_dir=False):
        self.key, self.path, self.tree, self.is_dir = key, path, tree, is_dir
        self.dirpath = path if is_dir else os.path.dirname(path)
        self.is_pkg = is_dir or os.path.basename(path) == "__init__.py"
        self.globals = defaultdict(list)   # name -> [binding]
        self.stars = []                    # [(import node, scope)]
        self.compvar = {}                  # id(Name) -> (iter expr, comprehension)
        self.root = None
        self.name = None
        self.qual = key

    def __repr__(self):
        return "Module(%s)" % self.key


class FuncInfo:
    def __init__(self, node, mod, cls, parent):
        self.node, self.mod, self.cls, self.parent = node, mod, cls, parent
        self.is_lambda = isinstance(node, ast.Lambda)
        self.is_async = isinstance(node, ast.AsyncFunctionDef)
        self.name = "<lambda>" if self.is_lambda else node.name
        if cls is not None:
            self.qual = cls.qual + "." + self.name
        elif parent is not None:
            self.qual = parent.qual + "." + self.name
        else:
            self.qual = self.name
        self._locals = None
        self.global_names = set()
        self.nonlocal_names = set()
        self.decos = [] if self.is_lambda else [d for d in node.decorator_list]
        self.deco_names = set()
        for d in self.decos:
            dd = d.func if isinstance(d, ast.Call) else d
            if isinstance(dd, ast.Name):
                self.deco_names.add(dd.id)
            elif isinstance(dd, ast.Attribute):
                self.deco_names.add(dd.attr)
                if isinstance(dd.value, ast.Name):
                    self.deco_names.add(dd.value.id + "." + dd.attr)
        self.is_static = "staticmethod" in self.deco_names
        self.is_classmethod = "classmethod" in self.deco_names
        self.is_property = bool({"property", "cached_property", "functools.cached_property"} & self.deco_names)
        self.is_setter = any(n.endswith(".setter") or n.endswith(".deleter") for n in self.deco_names)
        self.is_cm = bool({"contextmanager", "contextlib.contextmanager"} & self.deco_names)
        self.is_acm = bool({"asynccontextmanager", "contextlib.asynccontextmanager"} & self.deco_names)
        self.is_generator = False
        if not self.is_lambda:
            for n, _ in own_walk(node.body):
                if isinstance(n, (ast.Yield, ast.YieldFrom)):
                    self.is_generator = True
                    break
        self.params = []
        if not self.is_lambda or True:
            a = node.args
            pos = list(a.posonlyargs) + list(a.args)
            defaults = [None] * (len(pos) - len(a.defaults)) + list(a.defaults)
            for i, (p, d) in enumerate(zip(pos, defaults)):
                self.params.append((p, "pos", i, d))
            for p, d in zip(a.kwonlyargs, a.kw_defaults):
                self.params.append((p, "kw", None, d))
            if a.vararg:
                self.params.append((a.vararg, "var", None, None))
            if a.kwarg:
                self.params.append((a.kwarg, "varkw", None, None))
        self.line = node.lineno
        self.is_abstract = False
        if not self.is_lambda and self.cls is not None:
            if "abstractmethod" in self.deco_names or "abc.abstractmethod" in self.deco_names:
                self.is_abstract = True
            else:
                body = list(node.body)
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    body = body[1:]
                def trivial(st):
                    if isinstance(st, ast.Pass):
                        return True
                    if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant) and st.value.value is Ellipsis:
                        return True
                    if isinstance(st, ast.Raise) and st.exc is not None:
                        e = st.exc.func if isinstance(st.exc, ast.Call) else st.exc
                        return isinstance(e, ast.Name) and e.id == "NotImplementedError"
                    return False
                self.is_abstract = all(trivial(st) for st in body)

    def __repr__(self):
        return "Func(%s:%s)" % (self.mod.key, self.qual)

    @property
    def is_method(self):
        return self.cls is not None and not self.is_static

    def self_name(self):
        if self.is_method and self.params and self.params[0][1] == "pos":
            return self.params[0][0].arg
        return None


class ClassInfo:
    def __init__(self, node, mod, parent_func, outer):
        self.node, self.mod, self.parent_func, self.outer = node, mod, parent_func, outer
        self.name = node.name
        self.qual = (outer.qual + "." if outer else (parent_func.qual + "." if parent_func else "")) + node.name
        self.body = defaultdict(list)      # name -> [binding]
        self.methods = {}                  # name -> FuncInfo (getter preferred for properties)
        self.inst_attrs = defaultdict(list)  # name -> [(FuncInfo, kind, a, b)]
        self.ext_attrs = defaultdict(list)   # name -> [(scope, expr)]
        self._mro = None
        self._ext_bases = None

    def __repr__(self):
        return "Class(%s:%s)" % (self.mod.key, self.qual)


class Scope:
    __slots__ = ("mod", "func", "cls_body", "key")

    def __init__(self, mod, func=None, cls_body=None):
        self.mod, self.func, self.cls_body = mod, func, cls_body
        self.key = (id(mod), id(func) if func else 0, id(cls_body) if cls_body else 0)


# --------------------------------------------------------------------------- project


class Project:
    def __init__(self, checkout, folder):
        self.checkout = os.path.abspath(checkout)
        self.base = os.path.abspath(os.path.join(checkout, folder))
        self.mods = {}         # key -> Module (files: relpath; dirs: "dir:relpath")
        self.byname = defaultdict(list)  # dotted -> [(root, key)]
        self.funcs = {}        # id(node) -> FuncInfo
        self.classes = {}      # id(node) -> ClassInfo
        self.parse_failures = []
        self.cache = {}
        self.inprog = set()
        self.ret_cache = {}
        self.yield_cache = {}
        self.param_inferred = defaultdict(dict)  # FuncInfo -> {param name: [V]}
        self.injectors = {}    # FuncInfo(decorator) -> [V] or None
        self.depth = 0
        self.t0 = time.time()
        self.load()

    # ---- loading
    def load(self):
        roots = {self.base, self.checkout}
        files = []
        for dp, dns, fns in os.walk(self.base):
            dns[:] = sorted(d for d in dns if d not in (".git", "node_modules", "__pycache__", ".venv",
                                                       "venv", "site-packages", ".tox", ".mypy_cache"))
            # a packaging file makes a source root, unless the directory is itself a package
            # (onyx has modules named setup.py inside its packages)
            if "__init__.py" not in fns and ("pyproject.toml" in fns or "setup.cfg" in fns or
                                             ("setup.py" in fns and is_setup_script(os.path.join(dp, "setup.py")))):
                roots.add(dp)
                if os.path.isdir(os.path.join(dp, "src")):
                    roots.add(os.path.join(dp, "src"))
            if os.path.basename(dp) == "src" and "__init__.py" not in fns:
                roots.add(dp)
            for f in sorted(fns):
                if f.endswith(".py"):
                    files.append(os.path.join(dp, f))
        self.roots = sorted(roots, key=len, reverse=True)
        for path in files:
            rel = os.path.relpath(path, self.base)
            try:
                with open(path, "rb") as fh:
                    src = fh.read()
                tree = parse_source(src, rel)
            except (SyntaxError, ValueError) as e:
                self.parse_failures.append((rel, str(e).splitlines()[0][:100]))
                continue
            m = Module(rel, path, tree)
            self.mods[rel] = m
        # dotted names
        dirs_seen = set()
        for m in list(self.mods.values()):
            for root in self.roots:
                if not (m.path.startswith(root + os.sep)):
                    continue
                relp = os.path.relpath(m.path, root)[:-3]
                parts = relp.split(os.sep)
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                if not parts or not all(p.isidentifier() for p in parts):
                    continue
                self.byname[".".join(parts)].append((root, m.key))
                # package directories above it
                d = os.path.dirname(m.path)
                dparts = parts if os.path.basename(m.path) == "__init__.py" else parts[:-1]
                while dparts:
                    dotted = ".".join(dparts)
                    if not os.path.exists(os.path.join(d, "__init__.py")):
                        dk = "dir:" + os.path.relpath(d, self.base)
                        if (root, dotted, dk) not in dirs_seen:
                            dirs_seen.add((root, dotted, dk))
                            if dk not in self.mods:
                                self.mods[dk] = Module(dk, d, None, is_dir=True)
                            self.byname[dotted].append((root, dk))
                    d = os.path.dirname(d)
                    dparts = dparts[:-1]
        for m in self.mods.values():
            if not m.is_dir:
                self.index_module(m)
        self.collect_attr_assigns()

    def module_for_dir(self, d):
        """the Module of the package directory d (its __init__.py or a namespace dir)."""
        init = os.path.join(d, "__init__.py")
        k = os.path.relpath(init, self.base)
        if k in self.mods:
            return self.mods[k], False
        dk = "dir:" + os.path.relpath(d, self.base)
        if dk in self.mods:
            return self.mods[dk], True
        if os.path.isdir(d) and (d + os.sep).startswith(self.base + os.sep):
            self.mods[dk] = Module(dk, d, None, is_dir=True)
            return self.mods[dk], True
        return None, False

    def submodule(self, m, name):
        """the submodule `name` of package module m, or None. -> (Module, tags)"""
        if not m.is_pkg:
            return None, ()
        d = m.dirpath
        f = os.path.join(d, name + ".py")
        k = os.path.relpath(f, self.base)
        if k in self.mods:
            return self.mods[k], ()
        sub = os.path.join(d, name)
        if os.path.isdir(sub):
            mm, ns = self.module_for_dir(sub)
            if mm is not None and (mm.tree is not None or self.has_py(sub)):
                return mm, (("namespace-import",) if ns else ())
        return None, ()

    def has_py(self, d):
        for _dp, _dn, fns in os.walk(d):
            if any(f.endswith(".py") for f in fns):
                return True
        return False

    def resolve_abs(self, dotted, from_mod):
        """project module for an absolute dotted name, or None. -> (Module, tags)"""
        cands = self.byname.get(dotted)
        if not cands:
            return None, ()
        src = from_mod.path

        def rank(c):
            root, key = c
            anc = src.startswith(root + os.sep)
            return (0 if anc else 1, -len(root), key.startswith("dir:"))
        root, key = sorted(cands, key=rank)[0]
        tags = []
        if root not in (self.base, self.checkout):
            tags.append("source-root")
        # namespace packages along the way
        m = self.mods[key]
        parts = dotted.split(".")
        d = m.path if m.is_dir else os.path.dirname(m.path)
        if m.is_dir:
            tags.append("namespace-import")
        else:
            n_up = len(parts) - (0 if os.path.basename(m.path) == "__init__.py" else 1)
            dd = os.path.dirname(m.path) if os.path.basename(m.path) == "__init__.py" else d
            for _ in range(n_up):
                if not os.path.exists(os.path.join(dd, "__init__.py")):
                    tags.append("namespace-import")
                    break
                dd = os.path.dirname(dd)
        return m, tuple(tags)

    def resolve_relative(self, mod, level, name):
        d = mod.dirpath if mod.is_pkg else os.path.dirname(mod.path)
        for _ in range(level - 1):
            d = os.path.dirname(d)
        base, ns = self.module_for_dir(d)
        tags = ["relative-import"] + (["namespace-import"] if ns else [])
        if base is None:
            return None, ()
        if not name:
            return base, tuple(tags)
        m = base
        for part in name.split("."):
            sm, t = self.submodule(m, part)
            if sm is None:
                return None, ()
            tags += list(t)
            m = sm
        return m, tuple(tags)

    # ---- indexing
    def index_module(self, m):
        self.index_scope(m.tree.body, m, None, None)
        self.collect_compvars(m)
        for node, _p in own_walk(m.tree.body):
            self.bind_stmt(node, m.globals, Scope(m), m, local_import=False)

    def index_scope(self, nodes, mod, parent_func, parent_cls):
        for node, parent in own_walk(nodes):
            if isinstance(node, FUNC_NODES):
                fi = FuncInfo(node, mod, parent_cls, parent_func)
                self.funcs[id(node)] = fi
                if parent_cls is not None:
                    prev = parent_cls.methods.get(fi.name)
                    if prev is None or not (prev.is_property and fi.is_setter):
                        parent_cls.methods[fi.name] = fi
                self.index_scope(node.body, mod, fi, None)
            elif isinstance(node, ast.Lambda):
                fi = FuncInfo(node, mod, None, parent_func)
                self.funcs[id(node)] = fi
                self.index_scope([node.body], mod, fi, None)
            elif isinstance(node, ast.ClassDef):
                ci = ClassInfo(node, mod, parent_func, parent_cls)
                self.classes[id(node)] = ci
                self.index_scope(node.body, mod, parent_func, ci)
                sc = Scope(mod, parent_func, ci)
                for n2, _p2 in own_walk(node.body):
                    self.bind_stmt(n2, ci.body, sc, mod, local_import=False, in_class=ci)
        # self.X assignments for the methods just made
        if parent_cls is not None:
            for node, _ in own_walk(nodes):
                if isinstance(node, FUNC_NODES):
                    fi = self.funcs[id(node)]
                    sn = fi.self_name()
                    if not sn:
                        continue
                    for n2, _p in own_walk(node.body):
                        if isinstance(n2, ast.Assign):
                            for t in n2.targets:
                                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == sn:
                                    kind = "clsexpr" if fi.is_classmethod else "expr"
                                    if kind == "clsexpr":
                                        parent_cls.ext_attrs[t.attr].append((Scope(mod, fi), n2.value))
                                    else:
                                        parent_cls.inst_attrs[t.attr].append((fi, "expr", n2.value, None))
                        elif isinstance(n2, ast.AnnAssign):
                            t = n2.target
                            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == sn:
                                parent_cls.inst_attrs[t.attr].append((fi, "ann", n2.annotation, n2.value))

    def collect_compvars(self, m):
        for node in ast.walk(m.tree):
            if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                for gi, gen in enumerate(node.generators):
                    names = [t.id for t in ast.walk(gen.target) if isinstance(t, ast.Name)]
                    simple = isinstance(gen.target, ast.Name)
                    later = [g.iter for g in node.generators[gi + 1:]] + [c for g in node.generators[gi:] for c in g.ifs]
                    if isinstance(node, ast.DictComp):
                        later += [node.key, node.value]
                    else:
                        later.append(node.elt)
                    for sub in later:
                        for n, _ in own_walk([sub]):
                            if isinstance(n, ast.Name) and n.id in names:
                                m.compvar[id(n)] = (gen.iter if simple else None)

    def bind_stmt(self, node, table, scope, mod, local_import, in_class=None):
        """record the bindings statement `node` makes in `table` (name -> [binding])."""
        lt = ("local-import",) if local_import else ()
        if isinstance(node, ast.Assign):
            for t in node.targets:
                self.bind_target(t, node.value, table, scope)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            table[node.target.id].append(("ann", scope, node.annotation, node.value))
        elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            table[node.target.id].append(("expr", scope, node.value))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            if isinstance(node.target, ast.Name):
                table[node.target.id].append(("iter", scope, node.iter))
            else:
                for n in ast.walk(node.target):
                    if isinstance(n, ast.Name):
                        table[n.id].append(("unknown",))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for it in node.items:
                if isinstance(it.optional_vars, ast.Name):
                    table[it.optional_vars.id].append(("with", scope, it.context_expr, isinstance(node, ast.AsyncWith)))
                elif it.optional_vars is not None:
                    for n in ast.walk(it.optional_vars):
                        if isinstance(n, ast.Name):
                            table[n.id].append(("unknown",))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    table[a.asname].append(("import", scope, a.name, True, lt))
                else:
                    table[a.name.split(".")[0]].append(("import", scope, a.name.split(".")[0], False, lt))
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                if a.name == "*":
                    if table is mod.globals:
                        mod.stars.append((node, scope))
                    continue
                table[a.asname or a.name].append(("from", scope, node.module, node.level, a.name, lt))
        elif isinstance(node, FUNC_NODES):
            fi = self.funcs.get(id(node))
            if fi is not None:
                table[node.name].append(("def", fi))
        elif isinstance(node, ast.ClassDef):
            ci = self.classes.get(id(node))
            if ci is not None:
                table[node.name].append(("class", ci))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            table[node.name].append(("unknown",))
        elif isinstance(node, (ast.Global,)) and scope.func is not None:
            scope.func.global_names.update(node.names)
        elif isinstance(node, (ast.Nonlocal,)) and scope.func is not None:
            scope.func.nonlocal_names.update(node.names)

    def bind_target(self, t, value, table, scope):
        if isinstance(t, ast.Name):
            table[t.id].append(("expr", scope, value))
        elif isinstance(t, (ast.Tuple, ast.List)):
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(t.elts) and \
                    not any(isinstance(e, ast.Starred) for e in t.elts):
                for te, ve in zip(t.elts, value.elts):
                    self.bind_target(te, ve, table, scope)
            elif not any(isinstance(e, ast.Starred) for e in t.elts):
                # `a, b = f()`: element i of the tuples f returns
                for i, te in enumerate(t.elts):
                    if isinstance(te, ast.Name):
                        table[te.id].append(("unpack", scope, value, i, len(t.elts)))
                    else:
                        for n in ast.walk(te):
                            if isinstance(n, ast.Name):
                                table[n.id].append(("unknown",))
            else:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        table[n.id].append(("unknown",))

    def locals_of(self, f):
        if f._locals is None:
            table = defaultdict(list)
            sc = Scope(f.mod, f)
            body = [f.node.body] if f.is_lambda else f.node.body
            for node, _p in own_walk(body):
                self.bind_stmt(node, table, sc, f.mod, local_import=True)
            # `global x` assignments feed the module's globals
            for g in f.global_names:
                if g in table:
                    for b in table.pop(g):
                        if b[0] != "unknown":
                            f.mod.globals[g].append(b)
            for nl in f.nonlocal_names:
                table.pop(nl, None)
            for p, kind, idx, d in f.params:
                table[p.arg].insert(0, ("param", f, p, kind, idx, d))
            f._locals = table
        return f._locals

    def collect_attr_assigns(self):
        """`X.attr = value` outside the class's own methods: class attributes (Trade.session
        = ...) and module attributes (crud.user = ...)."""
        todo = []
        for m in list(self.mods.values()):
            if m.is_dir:
                continue
            for f in [None] + [fi for fi in self.funcs.values() if fi.mod is m]:
                if f is None:
                    nodes, sc = m.tree.body, Scope(m)
                else:
                    nodes = [f.node.body] if f.is_lambda else f.node.body
                    sc = Scope(m, f)
                for node, _p in own_walk(nodes):
                    if isinstance(node, ast.Assign):
                        for t in node.targets:
                            if isinstance(t, ast.Attribute):
                                if f is not None and f.self_name() and isinstance(t.value, ast.Name) \
                                        and t.value.id == f.self_name():
                                    continue
                                todo.append((sc, t, node.value))
        for f in self.funcs.values():
            self.locals_of(f)   # also moves `global` assignments into module globals
        for sc, t, value in todo:
            for v in self.ev(t.value, sc):
                if v.k == "class":
                    v.r.ext_attrs[t.attr].append((sc, value))
                elif v.k == "mod" and not v.r.is_dir:
                    v.r.globals[t.attr].append(("expr", sc, value, ("module-attr-assign",)))
        self.cache.clear()
        self.ret_cache.clear()
        self.yield_cache.clear()

    # ---- evaluation
    def ev(self, node, scope):
        key = (id(node), scope.key)
        c = self.cache.get(key)
        if c is not None:
            return c
        if key in self.inprog or self.depth > 120:
            return []
        self.inprog.add(key)
        self.depth += 1
        try:
            r = uniq(self._ev(node, scope))
        except RecursionError:
            r = []
        finally:
            self.depth -= 1
            self.inprog.discard(key)
        self.cache[key] = r
        return r

    def _ev(self, node, scope):
        if isinstance(node, ast.Name):
            return self.ev_name(node, scope)
        if isinstance(node, ast.Attribute):
            out = []
            for v in self.ev(node.value, scope):
                out += self.attr(v, node.attr, scope)
            return out
        if isinstance(node, ast.Call):
            return self.ev_call(node, scope)
        if isinstance(node, ast.Await):
            out = []
            for v in self.ev(node.value, scope):
                if v.k == "coro":
                    out += addtags(list(v.r), v.tags)
            return out
        if isinstance(node, ast.BoolOp):
            return [v for x in node.values for v in self.ev(x, scope)]
        if isinstance(node, ast.IfExp):
            return self.ev(node.body, scope) + self.ev(node.orelse, scope)
        if isinstance(node, ast.NamedExpr):
            return self.ev(node.value, scope)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div):
                left = self.ev(node.left, scope)
                return [V("xinst", "pathlib.Path", "Path from `%s`" % short(node), v.tags)
                        for v in left if self.is_path(v)][:1]
            if isinstance(node.op, ast.BitOr):
                t = self.tev(node, scope)
                if t:
                    return [V("type", tuple(t), "type `%s`" % short(node), ("type-alias",))]
            return []
        if isinstance(node, ast.Subscript):
            base = self.ev(node.value, scope)
            out = []
            for b in base:
                if b.k in ("mapping", "seq"):
                    out += addtags(list(b.r), b.tags)
                elif b.k == "ext" and b.r.startswith("typing.") or b.k in ("class",) or \
                        (b.k == "ext" and b.r in SYNC_SESSION_CLASSES | ASYNC_SESSION_CLASSES) or \
                        (b.k == "ext" and b.r.startswith("builtins.")):
                    t = self.tev(node, scope)
                    if t:
                        tag = "annotated-alias" if (b.k == "ext" and b.r == "typing.Annotated") else "type-alias"
                        out.append(V("type", tuple(t), "type `%s`" % short(node), (tag,)))
            return out
        if isinstance(node, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in node.elts) \
                and 1 < len(node.elts) <= 8:
            elts = tuple(tuple(self.ev(e, scope)) for e in node.elts)
            if any(elts):
                return [V("tuple", elts, "tuple")]
            return []
        return []

    def ev_name(self, node, scope):
        name = node.id
        if id(node) in scope.mod.compvar:
            it = scope.mod.compvar[id(node)]
            return self.iter_vals(it, scope) if it is not None else []
        f = scope.func
        if scope.cls_body is not None and name in scope.cls_body.body:
            return self.eval_bindings(scope.cls_body.body[name], name, scope.mod)
        skip_global = False
        while f is not None:
            if name in f.global_names:
                break
            loc = self.locals_of(f)
            if name in loc:
                return addtags(self.eval_bindings(loc[name], name, f.mod),
                               ("closure",) if f is not scope.func else ())
            f = f.parent
        return self.lookup_global(scope.mod, name) or self.builtin(name)

    def builtin(self, name):
        import builtins
        if hasattr(builtins, name):
            return [V("ext", "builtins." + name, "builtin `%s`" % name)]
        return []

    def lookup_global(self, mod, name, seen=None):
        if mod.is_dir:
            return []
        seen = seen or set()
        if (mod.key, name) in seen:
            return []
        seen.add((mod.key, name))
        if name in mod.globals:
            vals = self.eval_bindings(mod.globals[name], name, mod)
            return vals
        for node, sc in mod.stars:
            m, tags = self.import_module_of(node, mod)
            if m is not None:
                r = self.lookup_global(m, name, seen)
                if not r:
                    sm, t2 = self.submodule(m, name)
                    if sm is not None:
                        r = [V("mod", sm, "module %s" % sm.key, t2)]
                if r:
                    return addtags(r, ("star-import",) + tuple(tags))
            elif node.module and node.level == 0:
                pass
        return []

    def import_module_of(self, node, mod):
        if node.level:
            return self.resolve_relative(mod, node.level, node.module or "")
        return self.resolve_abs(node.module or "", mod)

    def eval_bindings(self, bindings, name, mod):
        out = []
        for b in bindings:
            out += self.eval_binding(b, name, mod)
        return out

    def eval_binding(self, b, name, mod):
        kind = b[0]
        if kind == "expr":
            sc, value = b[1], b[2]
            extra = b[3] if len(b) > 3 else ()
            vals = self.ev(value, sc)
            out = []
            for v in vals:
                tags = set(extra)
                if sc.func is None and sc.cls_body is None and v.k in ("inst", "xinst"):
                    tags.add("module-instance")
                if v.k in ("func", "cmfactory") and isinstance(value, (ast.Name, ast.Attribute)):
                    tags.add("function-alias")
                out.append(v.plus(why="`%s = %s`: %s" % (name, short(value, 50), v.why), tags=tags))
            return out
        if kind == "ann":
            sc, ann, value = b[1], b[2], b[3]
            out = self.tev(ann, sc)
            if value is not None:
                out += self.ev(value, sc)
            if sc.func is None and sc.cls_body is None:
                out = addtags(out, ("module-instance",))
            return out
        if kind == "unpack":
            sc, value, i, n = b[1], b[2], b[3], b[4]
            out = []
            for v in self.ev(value, sc):
                if v.k == "tuple" and len(v.r) == n:
                    out += [x.plus(why="element %d of `%s`: %s" % (i, short(value, 40), x.why), tags=("tuple-unpack",))
                            for x in v.r[i]]
            return out
        if kind == "iter":
            return self.iter_vals(b[2], b[1])
        if kind == "with":
            sc, ctx, is_async = b[1], b[2], b[3]
            return self.with_vals(ctx, sc, is_async)
        if kind == "import":
            sc, dotted, is_as, lt = b[1], b[2], b[3], b[4]
            m, tags = self.resolve_abs(dotted, sc.mod)
            if m is not None:
                return [V("mod", m, "module %s" % dotted, tuple(tags) + lt)]
            return [V("ext", canon(dotted), "`import %s`" % dotted, lt)]
        if kind == "from":
            sc, modname, level, attr, lt = b[1], b[2], b[3], b[4], b[5]
            if level:
                m, tags = self.resolve_relative(sc.mod, level, modname or "")
            else:
                m, tags = self.resolve_abs(modname or "", sc.mod)
            if m is None:
                if level:
                    return []
                return [V("ext", canon((modname or "") + "." + attr), "`from %s import %s`" % (modname, attr), lt)]
            tags = tuple(tags) + lt
            sm, t2 = self.submodule(m, attr)
            if sm is not None:
                return [V("mod", sm, "module %s" % sm.key, tags + tuple(t2))]
            vals = self.lookup_global(m, attr)
            bind = m.globals.get(attr, [])
            if any(bb[0] in ("import", "from") for bb in bind):
                tags = tags + ("re-export",)
            if m.key != sc.mod.key:
                tags = tags + ("cross-module",)
            return addtags(vals, tags)
        if kind == "def":
            fi = b[1]
            return [V("func", fi, "`%s` (%s:%d)" % (fi.qual, fi.mod.key, fi.line))]
        if kind == "class":
            ci = b[1]
            return [V("class", ci, "class %s" % ci.qual)]
        if kind == "param":
            return self.param_vals(*b[1:])
        return []

    # ---- parameters
    def param_vals(self, f, p, kind, idx, default):
        name = p.arg
        out = []
        if kind == "pos" and idx == 0 and f.cls is not None and not f.is_static:
            ci = f.cls
            if f.is_classmethod or name == "cls" and "classmethod" in f.deco_names:
                return [V("class", ci, "`%s` is the class %s" % (name, ci.qual), ("self",))]
            if f.name == "__new__":
                return [V("class", ci, "cls", ("self",))]
            return [V("inst", ci, "`%s` is %s" % (name, ci.qual), ("self",))]
        defscope = Scope(f.mod, f.parent)
        if p.annotation is not None:
            for v in self.tev(p.annotation, defscope):
                out.append(v.plus(why="parameter `%s: %s`: %s" % (name, short(p.annotation, 60), v.why),
                                  tags=("param-annotation",)))
        if default is not None:
            dv = self.depends_of(default, defscope)
            if dv is not None:
                out += dv
            elif not (isinstance(default, ast.Constant) and default.value is None) and p.annotation is None:
                out += addtags(self.ev(default, defscope), ("param-default",))
        inj = self.injected(f)
        if inj and kind == "pos" and idx == (1 if f.is_method else 0):
            out += inj
        if name in self.param_inferred.get(f, {}):
            out += self.param_inferred[f][name]
        return out

    def depends_of(self, expr, scope):
        """values of a FastAPI Depends(f)/Security(f) default, or None if it is not one."""
        if not (isinstance(expr, ast.Call) and expr.args):
            return None
        fv = self.ev(expr.func, scope)
        if not any(v.k == "ext" and v.r in ("fastapi.Depends", "fastapi.Security") for v in fv):
            return None
        out = []
        for v in self.ev(expr.args[0], scope):
            for r in self.dep_result(v):
                out.append(r.plus(why="Depends(%s): %s" % (short(expr.args[0], 40), r.why),
                                  tags=("depends",) + tuple(v.tags)))
        return out

    def dep_result(self, v):
        if v.k == "func":
            f = v.r
            if f.is_generator or f.is_cm or f.is_acm:
                return self.yields(f)
            return self.ret_plain(f)
        if v.k == "class":
            return [V("inst", v.r, "instance of %s" % v.r.qual)]
        if v.k == "inst":
            m = self.find_method(v.r, "__call__")
            if m:
                return self.ret_plain(m) if not (m.is_generator or m.is_cm) else self.yields(m)
        return []

    def injected(self, f):
        """a session a decorator of f passes as f's first argument (chatchat's @with_session)."""
        out = []
        for d in f.decos:
            if isinstance(d, ast.Call):
                continue
            for dv in self.ev(d, Scope(f.mod, f.parent)):
                if dv.k != "func" or dv.r.is_async:
                    continue
                D = dv.r
                if D not in self.injectors:
                    self.injectors[D] = None
                    res = []
                    if D.params:
                        wname = D.params[0][0].arg
                        for n, _ in own_walk(D.node.body):
                            if isinstance(n, FUNC_NODES):
                                W = self.funcs[id(n)]
                                for c, _p in own_walk(n.body):
                                    if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and \
                                            c.func.id == wname and c.args and not isinstance(c.args[0], ast.Starred):
                                        for s in self.ev(c.args[0], Scope(f.mod if False else D.mod, W)):
                                            if self.is_sync_session(s):
                                                res.append(s.plus(
                                                    why="decorator `%s` (%s:%d) passes a session first: %s" % (
                                                        D.qual, D.mod.key, D.line, s.why),
                                                    tags=("decorator-injected",)))
                    self.injectors[D] = uniq(res)
                if self.injectors[D]:
                    out += self.injectors[D]
        return out

    def injection_shift(self, f):
        return 1 if self.injected(f) else 0

    # ---- types
    def tev(self, node, scope):
        """instances described by a type annotation."""
        if node is None:
            return []
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                try:
                    expr = ast.parse(node.value.strip(), mode="eval").body
                except SyntaxError:
                    return []
                # remember the string's tree so that ids stay alive
                scope.mod.__dict__.setdefault("_strann", []).append(expr)
                return addtags(self.tev(expr, scope), ("string-annotation",))
            return []
        if isinstance(node, (ast.Name, ast.Attribute)):
            out = []
            for v in self.ev(node, scope):
                if v.k == "class":
                    out.append(V("inst", v.r, "%s instance (annotation)" % v.r.qual, v.tags))
                elif v.k == "ext":
                    nm = canon(v.r)
                    if nm.startswith("typing.") or nm.startswith("builtins."):
                        continue
                    t = set(v.tags)
                    if nm.startswith("sqlmodel."):
                        t.add("sqlmodel")
                    out.append(V("xinst", self.ext_class(nm), "`%s` (annotation)" % short(node, 50), t))
                elif v.k == "type":
                    out += addtags(list(v.r), v.tags)
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.tev(node.left, scope) + self.tev(node.right, scope)
        if isinstance(node, ast.Subscript):
            bases = self.ev(node.value, scope)
            sl = node.slice
            elts = list(sl.elts) if isinstance(sl, ast.Tuple) else [sl]
            out = []
            for b in bases:
                nm = canon(b.r) if b.k == "ext" else None
                if nm in ("typing.Optional", "typing.Union"):
                    for e in elts:
                        out += self.tev(e, scope)
                elif nm == "typing.Annotated":
                    inner = self.tev(elts[0], scope)
                    if not inner:
                        for e in elts[1:]:
                            dv = self.depends_of(e, scope)
                            if dv:
                                inner += dv
                    out += addtags(inner, ("annotated",))
                elif nm in ("typing.ClassVar", "typing.Final", "typing.Required", "typing.NotRequired"):
                    out += self.tev(elts[0], scope)
                elif nm in ("builtins.dict", "typing.Dict", "typing.Mapping", "typing.MutableMapping",
                            "collections.abc.Mapping", "typing.DefaultDict", "collections.defaultdict") and len(elts) == 2:
                    inner = self.tev(elts[1], scope)
                    if inner:
                        out.append(V("mapping", tuple(inner), "mapping of %s" % inner[0].why))
                elif nm in ("builtins.list", "typing.List", "typing.Sequence", "builtins.set", "typing.Set",
                            "typing.Iterable", "typing.Iterator", "collections.abc.Iterable",
                            "collections.abc.Iterator", "collections.abc.Sequence", "builtins.tuple") and elts:
                    inner = self.tev(elts[0], scope)
                    if inner:
                        out.append(V("seq", tuple(inner), "sequence of %s" % inner[0].why))
                elif nm == "sqlalchemy.orm.scoped_session" or (b.k == "ext" and nm and nm.endswith("scoped_session")):
                    out.append(V("xinst", "sqlalchemy.orm.scoped_session", "`%s` (annotation)" % short(node, 50),
                                 ("scoped_session",)))
                elif b.k == "class":
                    out.append(V("inst", b.r, "%s instance (annotation)" % b.r.qual, b.tags))
                elif b.k == "type":
                    out += addtags(list(b.r), b.tags)
            return out
        return []

    def ext_class(self, nm):
        return HTTP_CLIENT_CLASSES.get(nm, nm)

    def yields_from_annotation(self, f):
        ann = f.node.returns if not f.is_lambda else None
        if ann is None:
            return []
        sc = Scope(f.mod, f.parent)
        a = ann
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            try:
                a = ast.parse(a.value, mode="eval").body
                f.mod.__dict__.setdefault("_strann", []).append(a)
            except SyntaxError:
                return []
        if isinstance(a, ast.Subscript):
            for b in self.ev(a.value, sc):
                nm = canon(b.r) if b.k == "ext" else ""
                if nm.split(".")[-1] in ("Generator", "Iterator", "Iterable", "ContextManager",
                                         "AbstractContextManager", "AsyncGenerator", "AsyncIterator"):
                    sl = a.slice
                    first = sl.elts[0] if isinstance(sl, ast.Tuple) else sl
                    return addtags(self.tev(first, sc), ("return-annotation",))
        # a sloppy `-> Session` on a generator / contextmanager
        return addtags(self.tev(a, sc), ("return-annotation",))

    def yields(self, f):
        if f in self.yield_cache:
            return self.yield_cache[f]
        self.yield_cache[f] = []
        out = [v for v in self.yields_from_annotation(f) if v.k in ("xinst", "inst")]
        if not out:
            sc = Scope(f.mod, f)
            for n, _ in own_walk(f.node.body):
                if isinstance(n, ast.Yield) and n.value is not None:
                    out += addtags(self.ev(n.value, sc), ("return-inference",))
        out = [v.plus(why="yielded by `%s` (%s:%d): %s" % (f.qual, f.mod.key, f.line, v.why)) for v in uniq(out)]
        self.yield_cache[f] = out
        return out

    def ret(self, f):
        if f.is_async:
            if f.is_generator or f.is_acm:
                return []
            return [V("coro", tuple(self.ret_plain(f)), "coroutine")]
        if f.is_cm:
            y = self.yields(f)
            return [V("cm", tuple(y), "context manager `%s`" % f.qual, ("contextmanager",))]
        if f.is_generator:
            return [V("gen", tuple(self.yields(f)), "generator `%s`" % f.qual)]
        return self.ret_plain(f)

    def ret_plain(self, f):
        if f in self.ret_cache:
            return self.ret_cache[f]
        self.ret_cache[f] = []
        out = []
        if not f.is_lambda and f.node.returns is not None:
            out = [v.plus(why="returned by `%s` (annotated `%s`): %s" % (f.qual, short(f.node.returns, 40), v.why),
                          tags=("return-annotation",))
                   for v in self.tev(f.node.returns, Scope(f.mod, f.parent))]
        if not out:
            sc = Scope(f.mod, f)
            if f.is_lambda:
                rets = [f.node.body]
            else:
                rets = [n.value for n, _ in own_walk(f.node.body) if isinstance(n, ast.Return) and n.value is not None]
            for r in rets:
                for v in self.ev(r, sc):
                    out.append(v.plus(why="returned by `%s` (%s:%d): %s" % (f.qual, f.mod.key, f.line, v.why),
                                      tags=("return-inference",)))
        out = uniq(out)
        self.ret_cache[f] = out
        return out

    # ---- classes
    def mro(self, ci):
        if ci._mro is None:
            ci._mro = [ci]
            ext = set()
            sc = Scope(ci.mod, ci.parent_func, ci.outer) if ci.outer else Scope(ci.mod, ci.parent_func)
            for b in ci.node.bases:
                bb = b.value if isinstance(b, ast.Subscript) else b
                for v in self.ev(bb, sc):
                    if v.k == "class" and v.r is not ci:
                        for c in self.mro(v.r):
                            if c not in ci._mro:
                                ci._mro.append(c)
                        ext |= self.ext_bases(v.r)
                    elif v.k == "ext":
                        ext.add(self.ext_class(canon(v.r)))
            ci._ext_bases = ext
        return ci._mro

    def ext_bases(self, ci):
        self.mro(ci)
        return ci._ext_bases or set()

    def subclasses(self, ci):
        if not hasattr(self, "_subs"):
            self._subs = defaultdict(list)
            for c in list(self.classes.values()):
                for b in self.mro(c)[1:]:
                    self._subs[b].append(c)
        return self._subs.get(ci, [])

    def overrides(self, f):
        """methods of project subclasses that override method f."""
        if f.cls is None:
            return []
        return [sub.methods[f.name] for sub in self.subclasses(f.cls) if f.name in sub.methods
                and sub.methods[f.name] is not f]

    def find_method(self, ci, name):
        for c in self.mro(ci):
            if name in c.methods:
                return c.methods[name]
            if name in c.body:
                return None
        return None

    def class_attr(self, ci, name, scope, via):
        for c in self.mro(ci):
            if name in c.methods:
                f = c.methods[name]
                if f.is_classmethod:
                    return [V("bound", (f, V("class", ci)), "`%s`" % f.qual)]
                return [V("func", f, "`%s` (%s:%d)" % (f.qual, f.mod.key, f.line))]
            if name in c.body or name in c.ext_attrs:
                out = []
                if name in c.body:
                    out += addtags(self.eval_bindings(c.body[name], name, c.mod), ("class-attr",))
                for sc, expr in c.ext_attrs.get(name, []):
                    out += [v.plus(why="`%s.%s = %s` (%s:%d): %s" % (c.name, name, short(expr, 40), sc.mod.key,
                                                                      expr.lineno, v.why),
                                   tags=("ext-attr-assign",)) for v in self.ev(expr, sc)]
                return out
        return []

    def inst_attr(self, ci, name, recv):
        out = []
        for c in self.mro(ci):
            if name in c.methods:
                f = c.methods[name]
                if f.is_property:
                    return addtags(self.ret(f), ("property",))
                if f.is_static:
                    return [V("func", f, "`%s`" % f.qual)]
                return [V("bound", (f, recv), "`%s` (%s:%d)" % (f.qual, f.mod.key, f.line))]
            for (mf, kind, a, b) in c.inst_attrs.get(name, []):
                sc = Scope(mf.mod, mf)
                vals = self.tev(a, sc) + (self.ev(b, sc) if b is not None else []) if kind == "ann" else self.ev(a, sc)
                out += [v.plus(why="`self.%s` set in `%s`: %s" % (name, mf.qual, v.why), tags=("instance-attr",))
                        for v in vals]
            if name in c.body or name in c.ext_attrs:
                out += self.class_attr(c, name, None, "inst")
                break
        return out

    def attr(self, v, name, scope):
        k = v.k
        if k == "mod":
            m = v.r
            if not m.is_dir and name in m.globals:
                r = self.lookup_global(m, name)
                if m.key != scope.mod.key:
                    r = addtags(r, ("cross-module",))
                return addtags(r, v.tags)
            sm, t = self.submodule(m, name)
            if sm is not None:
                return [V("mod", sm, "module %s" % sm.key, tuple(v.tags) + tuple(t))]
            r = self.lookup_global(m, name)
            return addtags(r, tuple(v.tags) + ("cross-module",))
        if k == "ext":
            nm = canon(v.r + "." + name)
            return [V("ext", nm, v.why, v.tags)]
        if k == "class":
            return addtags(self.class_attr(v.r, name, scope, "class"), v.tags)
        if k == "inst":
            r = self.inst_attr(v.r, name, v)
            if not r:
                eb = self.ext_bases(v.r)
                for e in eb:
                    if e in SYNC_SESSION_CLASSES:
                        pass
            return addtags(r, v.tags)
        if k == "xinst":
            if v.r in PATH_CLASSES and name in PATH_ATTRS:
                return [V("xinst", "pathlib.Path", "`.%s` of %s" % (name, v.why), v.tags)]
            if v.r in PATH_CLASSES or v.r in SYNC_SESSION_CLASSES or v.r == "sqlalchemy.orm.sessionmaker" \
                    or v.r in HTTP_CLIENT_CLASSES.values() or v.r in ENGINE_CLASSES:
                return [V("xmethod", (v.r, name), v.why, v.tags)]
            return []
        if k == "super":
            ci = v.r
            mro = self.mro(ci)
            for c in mro[1:]:
                if name in c.methods:
                    f = c.methods[name]
                    return [V("bound", (f, V("inst", ci)), "`%s` via super()" % f.qual, ("super",))]
            return []
        if k == "mapping" and name == "get":
            return [V("xmethod", ("mapping.get", v), "", v.tags)]
        return []

    def ev_call(self, node, scope):
        out = []
        for fv in self.ev(node.func, scope):
            out += self.call_result(fv, node, scope)
        return out

    def call_result(self, fv, node, scope):
        k = fv.k
        if k == "func":
            f = fv.r
            if f.is_property:
                return []
            return addtags(self.ret(f), fv.tags)
        if k == "bound":
            return addtags(self.ret(fv.r[0]), fv.tags)
        if k == "class":
            return [V("inst", fv.r, "%s(...) instance" % fv.r.qual, fv.tags)]
        if k == "inst":
            m = self.find_method(fv.r, "__call__")
            if m is not None:
                return addtags(self.ret(m), fv.tags)
            return []
        if k == "super":
            return []
        if k == "ext":
            nm = fv.r
            if nm == "builtins.super":
                f = scope.func
                while f is not None and f.cls is None:
                    f = f.parent
                if f is not None:
                    return [V("super", f.cls, "super()")]
                return []
            if nm == "typing.cast" and node.args:
                return addtags(self.tev(node.args[0], scope), ("cast",))
            if nm in SYNC_SESSION_CLASSES and nm != "sqlalchemy.orm.scoped_session":
                t = {"with-session"} | set(fv.tags) | ({"sqlmodel"} if nm.startswith("sqlmodel") else set())
                return [V("xinst", nm, "`%s`" % short(node, 50), t)]
            if nm == "sqlalchemy.orm.scoped_session":
                return [V("xinst", nm, "`%s`" % short(node, 50), set(fv.tags) | {"scoped_session"})]
            if nm == "sqlalchemy.orm.sessionmaker":
                for kw in node.keywords:
                    if kw.arg == "class_":
                        for cv in self.ev(kw.value, scope):
                            if cv.k == "ext" and cv.r in ASYNC_SESSION_CLASSES:
                                return [V("xinst", "sqlalchemy.ext.asyncio.async_sessionmaker", "async sessionmaker")]
                return [V("xinst", nm, "`%s`" % short(node, 50), set(fv.tags) | {"sessionmaker"})]
            if nm in ("contextlib.contextmanager",) and node.args:
                out = []
                for a in self.ev(node.args[0], scope):
                    if a.k == "func":
                        out.append(V("cmfactory", a.r, "contextmanager(%s)" % a.r.qual, ("contextmanager",)))
                return out
            if nm == "sqlalchemy.engine.create_engine":
                return [V("xinst", "sqlalchemy.engine.Engine", "`%s`" % short(node, 50), fv.tags)]
            if nm in PATH_CLASSES:
                return [V("xinst", "pathlib.Path", "`%s`" % short(node, 50), fv.tags)]
            if nm in ("pathlib.Path.home", "pathlib.Path.cwd"):
                return [V("xinst", "pathlib.Path", "`%s`" % short(node, 50), fv.tags)]
            if nm in HTTP_CLIENT_CLASSES:
                return [V("xinst", HTTP_CLIENT_CLASSES[nm], "`%s`" % short(node, 50), fv.tags)]
            if nm in ("builtins.list", "builtins.sorted", "builtins.tuple", "builtins.set", "builtins.reversed") \
                    and node.args:
                inner = self.iter_vals(node.args[0], scope)
                return [V("seq", tuple(inner), "list")] if inner else []
            if nm in ASYNC_SESSION_CLASSES or nm == "sqlalchemy.ext.asyncio.async_sessionmaker":
                return [V("xinst", nm if nm != "sqlalchemy.ext.asyncio.async_sessionmaker" else nm, "async")]
            last = nm.rsplit(".", 1)[-1]
            if last[:1].isupper() and not nm.startswith("builtins."):
                return [V("xinst", nm, "`%s(...)`" % short(node.func, 40), fv.tags)]
            return []
        if k == "xinst":
            if fv.r in ("sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.scoped_session"):
                return [V("xinst", "sqlalchemy.orm.Session", "session from calling %s" % fv.why,
                          set(fv.tags) | {"sessionmaker"})]
            if fv.r == "sqlalchemy.ext.asyncio.async_sessionmaker":
                return [V("xinst", "sqlalchemy.ext.asyncio.AsyncSession", "async")]
            return []
        if k == "xmethod":
            cls, m = fv.r
            if cls in PATH_CLASSES and m in PATH_RETURNING:
                return [V("xinst", "pathlib.Path", "`.%s()` of %s" % (m, fv.why), fv.tags)]
            if cls in PATH_CLASSES and m in PATH_ITER:
                return [V("gen", (V("xinst", "pathlib.Path", "item of `.%s()` of %s" % (m, fv.why), fv.tags),), "")]
            if cls == "sqlalchemy.orm.sessionmaker" and m == "begin":
                return [V("cm", (V("xinst", "sqlalchemy.orm.Session", "`%s`" % short(node, 50),
                                   set(fv.tags) | {"sessionmaker"}),), "sessionmaker.begin()")]
            if cls == "mapping.get":
                return addtags(list(m.r), m.tags)
            return []
        if k == "cmfactory":
            return [V("cm", tuple(self.yields(fv.r)), "contextmanager", ("contextmanager",))]
        if k == "type":
            return []
        return []

    def with_vals(self, ctx, scope, is_async):
        out = []
        for v in self.ev(ctx, scope):
            if v.k == "cm":
                out += [x.plus(why="`with %s`: %s" % (short(ctx, 50), x.why), tags=set(v.tags) | {"contextmanager"})
                        for x in v.r]
            elif v.k == "xinst":
                if v.r in SYNC_SESSION_CLASSES:
                    out.append(v.plus(why="`with %s`: %s" % (short(ctx, 50), v.why), tags=("with-session",)))
                elif not is_async:
                    out.append(v)
                elif v.r in ASYNC_SESSION_CLASSES:
                    out.append(v)
            elif v.k == "inst":
                m = self.find_method(v.r, "__aenter__" if is_async else "__enter__")
                if m is None:
                    if self.session_base(v.r):
                        out.append(v)
                    continue
                r = self.ret(m)
                if m.is_async:
                    r = [x for c in r if c.k == "coro" for x in c.r]
                out += r
        return out

    def iter_vals(self, it, scope):
        out = []
        for v in self.ev(it, scope):
            if v.k in ("gen", "seq"):
                out += addtags(list(v.r), v.tags)
        return out

    # ---- predicates
    def session_base(self, ci):
        eb = self.ext_bases(ci)
        for e in eb:
            if e in SYNC_SESSION_CLASSES:
                return e
        return None

    def is_sync_session(self, v):
        if v.k == "xinst":
            return v.r in SYNC_SESSION_CLASSES
        if v.k == "inst":
            return self.session_base(v.r) is not None
        return False

    def is_async_session(self, v):
        if v.k == "xinst":
            return v.r in ASYNC_SESSION_CLASSES
        if v.k == "inst":
            return any(e in ASYNC_SESSION_CLASSES for e in self.ext_bases(v.r))
        return False

    def is_path(self, v):
        if v.k == "xinst":
            return v.r in PATH_CLASSES
        if v.k == "inst":
            return any(e in PATH_CLASSES for e in self.ext_bases(v.r))
        return False

    # ---- classification of one call
    def classify_direct(self, call, scope):
        """(rule, label, why, tags) if `call` is a direct-family blocking call, else None."""
        fn = call.func
        vals = self.ev(fn, scope)
        for v in vals:
            if v.k == "ext" and v.r in DIRECT_FUNCS:
                rule, label = DIRECT_FUNCS[v.r]
                tags = set(v.tags)
                how = short(fn, 40)
                if how != label and how != v.r:
                    tags.add("import-alias")
                return rule, label, "`%s` is %s" % (how, label), tags
        if isinstance(fn, ast.Attribute):
            m = fn.attr
            for rv in self.ev(fn.value, scope):
                if self.is_path(rv) and (m in PATH_OPEN_METHODS or m in PATH_FS_METHODS):
                    if rv.k == "inst" and self.find_method(rv.r, m):
                        continue
                    rule = "AF103" if m in PATH_OPEN_METHODS else "AF104"
                    return rule, "Path." + m, "Path.%s on %s" % (m, rv.why), set(rv.tags) | {"pathlib"}
                http = None
                if rv.k == "xinst" and rv.r in ("requests.Session", "httpx.Client"):
                    http = rv.r
                elif rv.k == "inst":
                    for e in self.ext_bases(rv.r):
                        if e in ("requests.Session", "httpx.Client") and not self.find_method(rv.r, m):
                            http = e
                if http and m in HTTP_CLIENT_METHODS:
                    return "AF102", http + "." + m, "%s.%s on %s" % (http, m, rv.why), set(rv.tags) | {"http-client"}
        return None

    def classify_session(self, call, scope):
        fn = call.func
        if not (isinstance(fn, ast.Attribute) and fn.attr in SESSION_METHODS):
            return None
        vals = self.ev(fn.value, scope)
        sess = [v for v in vals if self.is_sync_session(v)]
        if not sess or any(self.is_async_session(v) for v in vals):
            return None
        for v in sess:
            if v.k == "inst" and self.find_method(v.r, fn.attr):
                return None
        v = sess[0]
        return "`%s.%s()`: %s" % (short(fn.value, 40), fn.attr, v.why), set(v.tags)

    def classify_engine(self, call, scope):
        """a sync Engine operation or a sync driver connect (blocking inside a helper)."""
        fn = call.func
        for v in self.ev(fn, scope):
            if v.k == "ext" and v.r in DRIVER_CONNECTS:
                return "%s (%s:%d)" % (v.r, scope.mod.key, call.lineno), set(v.tags)
        if isinstance(fn, ast.Attribute) and fn.attr in ENGINE_METHODS:
            for v in self.ev(fn.value, scope):
                if v.k == "xinst" and v.r in ENGINE_CLASSES:
                    return "Engine.%s on %s (%s:%d)" % (fn.attr, v.why[:120], scope.mod.key, call.lineno), set(v.tags)
        return None

    def callees(self, call, scope, parent):
        """project sync functions a call runs: [(FuncInfo, how, tags)]."""
        out = []
        for fv in self.ev(call.func, scope):
            k = fv.k
            f = None
            how = ""
            tags = set(fv.tags)
            if k == "func":
                f = fv.r
                how = "call"
                if f.parent is not None and f.cls is None:
                    tags.add("nested-def")
                if f.cls is not None:
                    tags.add("method")
            elif k == "bound":
                f = fv.r[0]
                how = "method"
                tags.add("method")
                if fv.r[1].k in ("inst", "class") and "self" in fv.r[1].tags:
                    tags.add("self-method")
            elif k == "class":
                f = self.find_method(fv.r, "__init__")
                how = "constructor"
                tags.add("constructor")
            elif k == "cmfactory":
                f = fv.r
                how = "contextmanager"
                tags.add("cm-helper")
            elif k == "inst":
                f = self.find_method(fv.r, "__call__")
                how = "__call__"
                tags.add("method")
            if f is not None and f.is_abstract and f.cls is not None:
                tags.add("override-dispatch")
            if f is None or f.is_async:
                continue
            if f.is_generator and not f.is_cm and how != "contextmanager":
                if not self.iterated_here(call, parent):
                    continue
                tags.add("generator-iterated")
            if f.is_cm:
                tags.add("cm-helper")
            if f.mod is not scope.mod:
                tags.add("cross-module")
            out.append((f, how, tags))
        return out

    def iterated_here(self, call, parent):
        if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is call:
            return True
        if isinstance(parent, ast.comprehension) and parent.iter is call:
            return True
        if isinstance(parent, ast.YieldFrom):
            return True
        if isinstance(parent, ast.Call) and call in parent.args and isinstance(parent.func, ast.Name) and \
                parent.func.id in ("list", "tuple", "set", "sorted", "next", "sum", "any", "all", "dict"):
            return True
        return False

    def property_callees(self, node, scope):
        """an attribute read that runs a project property getter."""
        out = []
        if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            return out
        for v in self.ev(node.value, scope):
            if v.k == "inst":
                for c in self.mro(v.r):
                    if node.attr in c.methods:
                        f = c.methods[node.attr]
                        if f.is_property and not f.is_async:
                            out.append((f, "property", set(v.tags) | {"property"}))
                        break
        return out

    def is_wrapper_call(self, call, scope):
        fn = call.func
        if isinstance(fn, ast.Attribute) and fn.attr in ("run_in_executor", "run_in_threadpool", "to_thread",
                                                         "run_sync"):
            return True
        if isinstance(fn, ast.Name) and fn.id in ("run_in_threadpool", "to_thread", "run_sync"):
            return True
        return any(v.k == "ext" and v.r in THREAD_WRAPPERS for v in self.ev(fn, scope))

    # ---- whole-project passes
    def all_scopes(self):
        """(scope, nodes) for module bodies, class bodies and every function/lambda body."""
        for m in self.mods.values():
            if m.is_dir:
                continue
            yield Scope(m), m.tree.body
        for ci in self.classes.values():
            yield Scope(ci.mod, ci.parent_func, ci), ci.node.body
        for f in self.funcs.values():
            yield Scope(f.mod, f), ([f.node.body] if f.is_lambda else f.node.body)

    def infer_params(self):
        """unannotated parameters whose every call site passes a sync session."""
        # which functions have unannotated, non-self parameters at all
        cand = {}
        for f in self.funcs.values():
            if f.is_lambda:
                continue
            ps = []
            for (p, kind, idx, d) in f.params:
                if kind in ("var", "varkw") or p.annotation is not None:
                    continue
                if kind == "pos" and idx == 0 and f.cls is not None and not f.is_static:
                    continue
                if d is not None and not (isinstance(d, ast.Constant) and d.value is None):
                    continue
                ps.append((p, kind, idx, d))
            if ps:
                cand[f] = ps
        if not cand:
            return
        names = {f.name for f in cand}
        sites = defaultdict(list)   # f -> [(call, scope, shift, args, keywords)]
        escapes = set()
        for scope, nodes in self.all_scopes():
            for node, parent in own_walk(nodes):
                if isinstance(node, ast.Call):
                    fn = node.func
                    nm = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else None
                    if nm in names:
                        for fv in self.ev(fn, scope):
                            tgt, shift = self._site_target(fv)
                            if tgt is not None and tgt.name in names:
                                sites[tgt].append((node, scope, shift, node.args, node.keywords))
                    # forwarding wrappers: to_thread(f, a, b), run_in_executor(None, f, a)
                    if nm in ("to_thread", "run_in_threadpool", "run_in_executor", "run_sync"):
                        pos = 1 if nm == "run_in_executor" else 0
                        if len(node.args) > pos:
                            target = node.args[pos]
                            for fv in self.ev(target, scope):
                                tgt, shift = self._site_target(fv)
                                if tgt is not None and tgt.name in names:
                                    sites[tgt].append((node, scope, shift, node.args[pos + 1:],
                                                       node.keywords if nm != "run_in_executor" else []))
                elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                    nm = node.id if isinstance(node, ast.Name) else node.attr
                    if nm in names and not (isinstance(parent, ast.Call) and parent.func is node):
                        if isinstance(parent, ast.Call) and isinstance(parent.func, (ast.Name, ast.Attribute)) and \
                                (parent.func.id if isinstance(parent.func, ast.Name) else parent.func.attr) in (
                                    "to_thread", "run_in_threadpool", "run_in_executor", "run_sync"):
                            continue
                        if isinstance(parent, ast.Attribute):
                            continue
                        for fv in self.ev(node, scope):
                            tgt, _ = self._site_target(fv)
                            if tgt is not None and tgt.name in names:
                                escapes.add(tgt)
        # a call of a base-class method may run an override: its sites are the override's too
        for f in list(cand):
            if f.cls is None:
                continue
            for b in self.mro(f.cls)[1:]:
                g = b.methods.get(f.name)
                if g is not None and g is not f:
                    sites[f] = sites.get(f, []) + sites.get(g, [])
                    if g in escapes:
                        escapes.add(f)
        for f in cand:
            if f.decos and any(not (isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod"))
                               for d in f.decos):
                # decorated: callers may not call the function itself; only session injectors known
                if not self.injected(f):
                    pass
        # Greatest fixpoint: assume every candidate parameter (with at least one informative call
        # site, the function not referenced as a value) is a session, drop those with a call site
        # that does not pass one, until nothing changes; then keep only the parameters a real
        # session reaches (grounding), so that a cycle of parameters feeding each other with no
        # session entering it is not accepted.
        entries = []   # (f, p, kind, idx, shift0)
        for f, ps in cand.items():
            if f in escapes or not sites.get(f):
                continue
            shift0 = self.injection_shift(f)
            for (p, kind, idx, d) in ps:
                if shift0 and kind == "pos" and idx == (1 if f.is_method else 0):
                    continue
                args = [self.arg_for(f, p, kind, idx, sh + shift0, a, k) for (_c, _s, sh, a, k) in sites[f]]
                if any(a == "?" for a in args) or not any(a is not None for a in args):
                    continue
                entries.append((f, p, kind, idx, shift0))
        ASSUMED = "sqlalchemy.orm.Session"

        def assume(accepted):
            self.param_inferred.clear()
            for (f, p, kind, idx, shift0) in accepted:
                self.param_inferred[f][p.arg] = [V("xinst", ASSUMED, "assumed", ("unannotated-param", "assumed"))]
            self.cache.clear()
            self.ret_cache.clear()
            self.yield_cache.clear()

        def site_values(e):
            f, p, kind, idx, shift0 = e
            for (call, scope, shift, args, kws) in sites[f]:
                a = self.arg_for(f, p, kind, idx, shift + shift0, args, kws)
                if a is None:
                    continue
                yield call, scope, self.ev(a, scope)

        accepted = list(entries)
        for _ in range(30):
            assume(accepted)
            keep = []
            for e in accepted:
                ok = True
                for call, scope, vs in site_values(e):
                    if not any(self.is_sync_session(v) for v in vs) or any(self.is_async_session(v) for v in vs):
                        ok = False
                        break
                if ok:
                    keep.append(e)
            if len(keep) == len(accepted):
                break
            accepted = keep
        # grounding: a least fixpoint inside the accepted set
        grounded = {}
        accepted_set = {(e[0], e[1].arg) for e in accepted}
        while True:
            self.param_inferred.clear()
            for (f, name), val in grounded.items():
                self.param_inferred[f][name] = val
            self.cache.clear()
            self.ret_cache.clear()
            self.yield_cache.clear()
            added = False
            for e in accepted:
                f, p = e[0], e[1]
                if (f, p.arg) in grounded:
                    continue
                n_sites, example = 0, None
                for call, scope, vs in site_values(e):
                    n_sites += 1
                    sess = [v for v in vs if self.is_sync_session(v)]
                    if sess and example is None:
                        example = (scope.mod.key, call.lineno, sess[0])
                if example is not None:
                    ex = example
                    grounded[(f, p.arg)] = [V(
                        "xinst", ex[2].r,
                        clip("unannotated parameter `%s` of `%s`: all %d call sites pass a session (e.g. %s:%d: %s)" % (
                            p.arg, f.qual, n_sites, ex[0], ex[1], ex[2].why)),
                        set(ex[2].tags) | {"unannotated-param"})]
                    added = True
            if not added:
                break
        self.param_inferred_candidates = len(entries)
        self.param_inferred_accepted = len(accepted_set)

    def _site_target(self, fv):
        if fv.k == "func":
            f = fv.r
            return f, 0
        if fv.k == "bound":
            f = fv.r[0]
            return f, (0 if f.is_static else 1)
        if fv.k == "class":
            f = self.find_method(fv.r, "__init__")
            return f, 1
        return None, 0

    def arg_for(self, f, p, kind, idx, shift, args, kws):
        """the expression passed for parameter p, None if omitted, '?' if unknowable."""
        for kw in kws:
            if kw.arg == p.arg:
                return kw.value
        if kind == "pos":
            j = idx - shift
            if j < 0:
                return "?"
            for i, a in enumerate(args):
                if isinstance(a, ast.Starred):
                    return "?" if i <= j else None
                if i == j:
                    return a
        if any(kw.arg is None for kw in kws):
            return "?"
        return None

    def compute_blocking(self):
        """blocking[f] = (chain text, tags, depth) for project sync functions that block."""
        ops = {}
        edges = defaultdict(list)   # callee -> [(caller, line, tags)]
        for f in self.funcs.values():
            if f.is_async or f.is_lambda:
                continue
            sc = Scope(f.mod, f)
            first = None
            for node, parent in own_walk(f.node.body):
                if isinstance(node, ast.Call):
                    d = self.classify_direct(node, sc)
                    if d:
                        if first is None:
                            first = ("%s (%s:%d)" % (d[1], f.mod.key, node.lineno), set(d[3]) | {"op:direct"})
                        continue
                    s = self.classify_session(node, sc)
                    if s:
                        if first is None:
                            first = ("session `%s.%s()` (%s:%d) [%s]" % (short(node.func.value, 30), node.func.attr,
                                                                         f.mod.key, node.lineno, s[0][:160]),
                                     set(s[1]) | {"op:session"})
                        continue
                    e = self.classify_engine(node, sc)
                    if e:
                        if first is None:
                            first = ("sync engine/driver %s" % e[0], set(e[1]) | {"op:engine"})
                        continue
                    for g, how, tags in self.callees(node, sc, parent):
                        if g is not f:
                            edges[g].append((f, node.lineno, tags))
                elif isinstance(node, ast.Attribute):
                    for g, how, tags in self.property_callees(node, sc):
                        if g is not f:
                            edges[g].append((f, node.lineno, tags))
            if first:
                ops[f] = first
        blocking = {}
        dq = deque()
        for f, (txt, tags) in ops.items():
            blocking[f] = ("%s -> %s" % (f.qual, txt), tags, 1)
            dq.append(f)
        def abstract_bases(g):
            if g.cls is None:
                return []
            out = []
            for b in self.mro(g.cls)[1:]:
                h = b.methods.get(g.name)
                if h is not None and h is not g and h.is_abstract:
                    out.append(h)
            return out
        while dq:
            g = dq.popleft()
            chain, tags, depth = blocking[g]
            # an abstract method blocks when every concrete override of it blocks
            for h in abstract_bases(g):
                if h in blocking:
                    continue
                concrete = [o for o in self.overrides(h) if not o.is_abstract]
                if concrete and all(o in blocking and not o.is_async for o in concrete):
                    blocking[h] = ("%s [abstract; all %d overrides block, e.g.] -> %s" % (h.qual, len(concrete), chain),
                                   set(tags) | {"override-dispatch"}, depth + 1)
                    dq.append(h)
            for (caller, line, etags) in edges.get(g, []):
                if caller in blocking:
                    continue
                blocking[caller] = ("%s -> %s" % (caller.qual, chain), set(tags) | {"transitive"}, depth + 1)
                dq.append(caller)
        self.blocking = blocking

    # ---- sites
    def sites(self, families):
        out = []
        want = set(families)
        if want & {"direct", "session", "helper"}:
            for f in self.funcs.values():
                if not f.is_async:
                    continue
                sc = Scope(f.mod, f)
                for node, parent in own_walk(f.node.body):
                    if isinstance(node, ast.Call):
                        span = [node.lineno, node.func.end_lineno]
                        if "direct" in want:
                            d = self.classify_direct(node, sc)
                            if d:
                                out.append(dict(family="direct", file=f.mod.key, line=node.lineno, span=span,
                                                col=node.col_offset, func=f.qual, rule=d[0],
                                                why="%s: %s" % (f.qual, d[2]), tags=sorted(d[3]),
                                                what=d[1]))
                                continue
                        if "session" in want:
                            s = self.classify_session(node, sc)
                            if s and not isinstance(parent, ast.Await):
                                out.append(dict(family="session", file=f.mod.key, line=node.lineno, span=span,
                                                col=node.col_offset, func=f.qual, why="%s: %s" % (f.qual, s[0]),
                                                tags=sorted(s[1]), what=node.func.attr))
                                continue
                        if "helper" in want:
                            if isinstance(parent, ast.Await):
                                continue
                            if isinstance(parent, ast.Call) and node in parent.args and self.is_wrapper_call(parent, sc):
                                continue
                            for g, how, tags in self.callees(node, sc, parent):
                                if g in self.blocking:
                                    chain, btags, depth = self.blocking[g]
                                    t = set(tags) | {"chain:" + x for x in btags}
                                    if depth >= 2:
                                        t.add("depth>=2")
                                    out.append(dict(family="helper", file=f.mod.key, line=node.lineno, span=span,
                                                    col=node.col_offset, func=f.qual,
                                                    why=clip("%s -> [%s %s:%d] %s" % (f.qual, how, g.mod.key, g.line,
                                                                                       chain), 600),
                                                    tags=sorted(t), what=g.qual))
                                    break
                    elif "helper" in want and isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                        for g, how, tags in self.property_callees(node, sc):
                            if g in self.blocking:
                                chain, btags, depth = self.blocking[g]
                                t = set(tags) | {"chain:" + x for x in btags}
                                out.append(dict(family="helper", file=f.mod.key, line=node.lineno,
                                                span=[node.lineno, node.end_lineno], col=node.col_offset,
                                                func=f.qual, why=clip("%s -> [property] %s" % (f.qual, chain), 600),
                                                tags=sorted(t), what=g.qual))
                                break
        if "query" in want:
            for scope, nodes in self.all_scopes():
                for node, parent in own_walk(nodes):
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query":
                        vals = self.ev(node.func.value, scope)
                        sess = [v for v in vals if self.is_sync_session(v)]
                        where = scope.func.qual if scope.func else (scope.cls_body.qual if scope.cls_body else "<module>")
                        line = node.func.end_lineno
                        if sess and not any(self.is_async_session(v) for v in vals) and not any(
                                v.k == "inst" and self.find_method(v.r, "query") for v in sess):
                            v = sess[0]
                            out.append(dict(family="query", file=scope.mod.key, line=line,
                                            span=[node.lineno, line], col=node.col_offset, func=where,
                                            why="`%s.query(`: %s" % (short(node.func.value, 40), v.why),
                                            tags=sorted(v.tags), what="query"))
                        elif not vals:
                            out.append(dict(family="query-unresolved", file=scope.mod.key, line=line,
                                            span=[node.lineno, line], col=node.col_offset, func=where,
                                            why="receiver `%s` not inferred" % short(node.func.value, 50),
                                            tags=[], what="query"))
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkout")
    ap.add_argument("folder", nargs="?", default=".")
    ap.add_argument("--family", action="append", choices=["direct", "helper", "session", "query"])
    ap.add_argument("--stats", help="write a JSON object of statistics to this file")
    a = ap.parse_args()
    fams = a.family or ["direct", "helper", "session", "query"]
    t0 = time.time()
    p = Project(a.checkout, a.folder)
    t1 = time.time()
    p.infer_params()
    t2 = time.time()
    if "helper" in fams:
        p.compute_blocking()
    t3 = time.time()
    sites = p.sites(fams)
    sites.sort(key=lambda s: (s["family"], s["file"], s["line"], s["col"]))
    for s in sites:
        print(json.dumps(s, ensure_ascii=False))
    t4 = time.time()
    stats = dict(files=sum(1 for m in p.mods.values() if not m.is_dir), parse_failures=p.parse_failures,
                 roots=[os.path.relpath(r, p.checkout) for r in p.roots],
                 async_functions=sum(1 for f in p.funcs.values() if f.is_async),
                 functions=len(p.funcs), classes=len(p.classes),
                 inferred_params=sum(len(v) for v in p.param_inferred.values()),
                 param_candidates=getattr(p, "param_inferred_candidates", 0),
                 blocking_functions=len(getattr(p, "blocking", {})),
                 seconds=dict(load=round(t1 - t0, 1), params=round(t2 - t1, 1), blocking=round(t3 - t2, 1),
                              sites=round(t4 - t3, 1)))
    if a.stats:
        with open(a.stats, "w") as fh:
            json.dump(stats, fh, indent=1)
    print("ground_truth: %d files (%d unparsable), %d sites, %.1fs" % (
        stats["files"], len(p.parse_failures), len(sites), t4 - t0), file=sys.stderr)


if __name__ == "__main__":
    main()

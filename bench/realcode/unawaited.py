#!/usr/bin/env python3
"""Independent ground-truth checker: find un-awaited calls to project coroutines.

Usage:  python3 unawaited.py ROOT [--json] [--only-files FILE]

Every *.py under ROOT is parsed once (skipping .git, node_modules, __pycache__,
.venv, venv); files that fail to parse are listed in "unparsed".  Module names
come from the path relative to ROOT (a/b/c.py -> a.b.c, a/b/__init__.py -> a.b).
Absolute imports resolve by suffix (x.y matches module x.y, else the module
with the fewest components among those ending in ".x.y"; a tie is ignored).
Relative imports resolve against the importing module's package.

Project functions (module-level ``def``s and methods of module-level classes):
  * coroutine: ``async def`` whose own body has no ``yield``;
  * async generator: ``async def`` with ``yield`` (only checked for sync-for);
  * async context manager: ``async def`` decorated ``...asynccontextmanager``
    (only checked for sync-for);
  * ``async def`` decorated property/cached_property/setter/getter/deleter is
    ignored; ``@overload`` stubs are skipped.  If a scope (module or class) also
    has a plain ``def`` of the same name, the name counts as a sync function.
  The last binding of a name in the module/class body wins (defs, classes,
  imports, assignments; bodies of top-level if/try/with/for/while/match are
  included).

Callee resolution (anything else is ignored, for precision):
  * bare name -> module-level def/class or ``from M import f [as g]``
    (re-exports via ``from X import f`` / ``from X import *`` followed up to 5
    hops).  A name bound locally in an enclosing function (parameter,
    assignment, nested def, import, for/with/except target, ...) shadows it,
    unless declared ``global``;
  * ``m.f`` / ``a.b.f`` where m / a.b is a module (import alias, from-import of
    a submodule);
  * ``self.m()`` / ``cls.m()`` (the method's first parameter; not in
    staticmethods) inside a method of a module-level class C, ``C.m()`` and
    ``mod.C.m()``: look up m in C, then in its project bases depth-first
    (<= 10 levels); ``super().m()`` / ``super(C, x).m()`` starts at C's bases.
    The first definition found decides (a sync def means "not a coroutine").

A coroutine call is HANDLED (no finding) when it is: the operand of ``await``;
an argument (positional, keyword, ``*args``) of another call, unless that
call's func is a bare name in len/list/str/int/bool/sorted/print/isinstance/
repr/float/tuple/set/dict; an element of a list/tuple/set literal or a dict
key/value (``**`` unpacking is not); the value of return/yield/yield from; the
right side of =, annotated = or :=; a lambda body; the element (or dict-comp
key/value) of a comprehension; the object of coroutine-protocol attribute
access (``c().__await__``, ``.send``, ``.throw``, ``.close`` - e.g. in a
``__await__`` method).  Conditional expressions are transparent: the branches
of ``a if c else b`` are judged by how the whole expression is used.

Finding kinds:
  * in-sync-def - unhandled and the nearest enclosing function is a plain def
    or a lambda (class bodies and comprehensions are not functions);
  * statement   - an expression statement on its own in an async def, at module
    level or in a class body at module level;
  * value-use   - any other unhandled use in an async def / module (conditions,
    operators, attribute/subscript of the result, f-strings, consumer calls,
    augmented assignment, ``for``/``with``/``async with``/``async for``
    over the coroutine, decorators, defaults, ...);
  * sync-for    - an async generator call iterated by a plain ``for`` or a sync
    comprehension ``for``, or an async-context-manager call used as a plain
    ``with`` item (any enclosing function).

"caller" is the qualified name of the nearest enclosing function
(mod.f, mod.C.m, mod.outer.<locals>.inner, ...<lambda>) or "<module>".
Limitations: no type inference (calls on instances, attributes, returned
objects, aliases stored in variables are ignored); decorators other than those
listed are assumed to keep the function's nature; shadowing of the consumer
builtins is not tracked; dynamic imports are not followed.
"""

import argparse
import ast
import gc
import json
import os
import re
import sys
import threading
import warnings

SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv"}
CONSUMERS = {"len", "list", "str", "int", "bool", "sorted", "print",
             "isinstance", "repr", "float", "tuple", "set", "dict"}
CORO, AGEN, ACM, SYNC, IGNORED, OTHER = ("coro", "agen", "acm", "sync",
                                         "ignored", "other")
ASYNC_KINDS = (CORO, AGEN, ACM)
PROP_DECOS = {"property", "cached_property", "setter", "getter", "deleter",
              "abstractproperty"}
MAX_HOPS = 5
MAX_MRO = 10

_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
# leaves that never contain a call: not visited at all
_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator,
           ast.unaryop, ast.cmpop, ast.boolop, ast.alias, ast.Pass, ast.Break,
           ast.Continue, ast.Global, ast.Nonlocal, ast.Import, ast.ImportFrom)
_SKIP_FIELDS = {"ctx", "op", "ops", "type_comment", "lineno", "col_offset",
                "end_lineno", "end_col_offset", "id", "arg", "attr", "name",
                "names", "module", "level", "is_async", "conversion", "kind",
                "asname"}
_FIELDS = {}
_IDENT_RE = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# attributes of a coroutine object whose use is coroutine-protocol handling
PROTOCOL_ATTRS = {"__await__", "send", "throw", "close"}


# --------------------------------------------------------------------------
# helpers

def deco_name(d):
    if isinstance(d, ast.Call):
        d = d.func
    if isinstance(d, ast.Attribute):
        return d.attr
    if isinstance(d, ast.Name):
        return d.id
    return None


def own_body_yields(fn):
    stack = list(fn.body)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(n, _SCOPES):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return False


def func_kind(fn):
    """Kind of a def, or None for @overload stubs."""
    decos = {deco_name(d) for d in fn.decorator_list}
    if "overload" in decos:
        return None
    if isinstance(fn, ast.FunctionDef):
        return SYNC
    if decos & PROP_DECOS:
        return IGNORED
    if "asynccontextmanager" in decos:
        return ACM
    if own_body_yields(fn):
        return AGEN
    return CORO


def target_names(t, out):
    stack = [t]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Name):
            out.append(n.id)
        elif isinstance(n, (ast.Tuple, ast.List)):
            stack.extend(n.elts)
        elif isinstance(n, ast.Starred):
            stack.append(n.value)
    return out


def flat_stmts(stmts):
    """Statements of a module/class body, including those nested in
    if/try/with/for/while/match blocks (in source order)."""
    for s in stmts:
        yield s
        if isinstance(s, (ast.If, ast.While, ast.For, ast.AsyncFor)):
            yield from flat_stmts(s.body)
            yield from flat_stmts(s.orelse)
        elif isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            yield from flat_stmts(s.body)
            for h in s.handlers:
                yield from flat_stmts(h.body)
            yield from flat_stmts(s.orelse)
            yield from flat_stmts(s.finalbody)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            yield from flat_stmts(s.body)
        elif isinstance(s, ast.Match):
            for c in s.cases:
                yield from flat_stmts(c.body)


def body_locals(stmts, loc, glob):
    """Names bound in a function/class body (not descending into nested
    scopes, except that comprehension targets are included - conservative)."""
    stack = list(stmts)
    while stack:
        n = stack.pop()
        t = type(n)
        if t is ast.Name:
            if not isinstance(n.ctx, ast.Load):
                loc.add(n.id)
            continue
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef or t is ast.ClassDef:
            loc.add(n.name)
            continue
        if t is ast.Lambda:
            continue
        if t is ast.Import or t is ast.ImportFrom:
            for al in n.names:
                if al.name != "*":
                    loc.add(al.asname or al.name.split(".")[0])
            continue
        if t is ast.Global:
            glob.update(n.names)
            continue
        if t is ast.Nonlocal:
            loc.update(n.names)
            continue
        if t is ast.ExceptHandler and n.name:
            loc.add(n.name)
        elif (t is ast.MatchAs or t is ast.MatchStar) and n.name:
            loc.add(n.name)
        elif t is ast.MatchMapping and n.rest:
            loc.add(n.rest)
        stack.extend(ast.iter_child_nodes(n))
    loc -= glob


def arg_names(a):
    out = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    if a.vararg:
        out.append(a.vararg.arg)
    if a.kwarg:
        out.append(a.kwarg.arg)
    return out


# --------------------------------------------------------------------------
# project index

class Module:
    __slots__ = ("name", "relpath", "tree", "is_pkg", "bindings", "sync_names",
                 "stars", "src")

    def __init__(self, name, relpath, tree, is_pkg):
        self.name = name
        self.relpath = relpath
        self.tree = tree
        self.is_pkg = is_pkg
        self.bindings = {}
        self.sync_names = set()
        self.stars = []
        self.src = None

    def qual(self, name):
        return self.name + "." + name if self.name else name


class ClassInfo:
    __slots__ = ("qual", "module", "pos", "bases", "methods", "rbases")

    def __init__(self, qual, module, node):
        self.qual = qual
        self.module = module
        self.pos = (node.lineno, node.col_offset)
        self.bases = node.bases
        self.methods = {}
        self.rbases = None


class Project:
    def __init__(self):
        self.modules = {}
        self.by_path = {}
        self.suffix = {}
        self.classes = {}
        self.unparsed = []
        self._modcache = {}
        self._bindcache = {}
        self.async_names = set()
        self._bnames = None

    # ---- loading
    def load(self, root, keep=None):
        """Parse every file once and index it; the AST (and source) is kept
        only for files in `keep` (all files if keep is None)."""
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for fn in sorted(filenames):
                if not fn.endswith(".py"):
                    continue
                full = os.path.join(dirpath, fn)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                try:
                    with open(full, "rb") as f:
                        src = f.read()
                    tree = ast.parse(src, filename=rel)
                except (SyntaxError, ValueError, RecursionError, MemoryError,
                        OSError):
                    self.unparsed.append(rel)
                    continue
                parts = rel[:-3].split("/")
                is_pkg = parts[-1] == "__init__"
                if is_pkg:
                    parts = parts[:-1]
                name = ".".join(parts)
                mod = Module(name, rel, tree, is_pkg)
                mod.src = src
                self.by_path[rel] = mod
                if name not in self.modules:
                    self.modules[name] = mod
                self.index_module(mod)
                if keep is not None and rel not in keep:
                    mod.tree = mod.src = None
        for name in self.modules:
            if not name:
                continue
            parts = name.split(".")
            for i in range(1, len(parts)):
                self.suffix.setdefault(".".join(parts[i:]), []).append(name)
        self.compute_async_names()

    def abs_from(self, mod, level, module):
        if not level:
            return module
        pkg = mod.name if mod.is_pkg else mod.name.rpartition(".")[0]
        parts = pkg.split(".") if pkg else []
        up = level - 1
        if up > len(parts):
            return None
        parts = parts[:len(parts) - up]
        if module:
            parts = parts + module.split(".")
        return ".".join(parts)

    def scope_bindings(self, mod, stmts, bindings, sync_names, on_class=None,
                       stars=None):
        for s in flat_stmts(stmts):
            if isinstance(s, _FUNCS):
                k = func_kind(s)
                if k is None:
                    continue
                if k == SYNC:
                    sync_names.add(s.name)
                bindings[s.name] = ("def", k)
            elif isinstance(s, ast.ClassDef):
                if on_class is not None:
                    bindings[s.name] = on_class(s)
                else:
                    bindings[s.name] = ("other",)
            elif isinstance(s, ast.Import):
                for al in s.names:
                    if al.asname:
                        bindings[al.asname] = ("import", al.name)
                    else:
                        first = al.name.split(".")[0]
                        bindings[first] = ("import", first)
            elif isinstance(s, ast.ImportFrom):
                base = self.abs_from(mod, s.level, s.module)
                for al in s.names:
                    if al.name == "*":
                        if base is not None and stars is not None:
                            stars.append(base)
                        continue
                    bound = al.asname or al.name
                    if base is None:
                        bindings[bound] = ("other",)
                    else:
                        bindings[bound] = ("from", base, al.name)
            else:
                names = []
                if isinstance(s, ast.Assign):
                    for t in s.targets:
                        target_names(t, names)
                elif isinstance(s, (ast.AnnAssign, ast.AugAssign)):
                    if not (isinstance(s, ast.AnnAssign) and s.value is None):
                        target_names(s.target, names)
                elif isinstance(s, (ast.For, ast.AsyncFor)):
                    target_names(s.target, names)
                elif isinstance(s, (ast.With, ast.AsyncWith)):
                    for it in s.items:
                        if it.optional_vars is not None:
                            target_names(it.optional_vars, names)
                elif isinstance(s, ast.Delete):
                    for t in s.targets:
                        target_names(t, names)
                elif isinstance(s, (ast.Try, getattr(ast, "TryStar", ast.Try))):
                    names.extend(h.name for h in s.handlers if h.name)
                for n in names:
                    bindings[n] = ("other",)

    def index_module(self, mod):
        def on_class(node):
            qual = mod.qual(node.name)
            ci = ClassInfo(qual, mod, node)
            methods, sync_names = {}, set()
            self.scope_bindings(mod, node.body, methods, sync_names)
            for n, b in methods.items():
                if b[0] == "def":
                    k = b[1]
                    if k in ASYNC_KINDS and n in sync_names:
                        k = SYNC
                    ci.methods[n] = k
                else:
                    ci.methods[n] = OTHER
            self.classes[qual] = ci
            return ("class", qual)
        self.scope_bindings(mod, mod.tree.body, mod.bindings, mod.sync_names,
                            on_class, mod.stars)

    def compute_async_names(self):
        names = self.async_names
        for ci in self.classes.values():
            for n, k in ci.methods.items():
                if k in ASYNC_KINDS:
                    names.add(n)
        for mod in self.by_path.values():
            for n, b in mod.bindings.items():
                if b[0] == "def" and b[1] in ASYNC_KINDS:
                    names.add(n)
        for mod in self.by_path.values():
            for n, b in mod.bindings.items():
                if b[0] == "from" and n not in names:
                    r = self.resolve_binding(mod, n)
                    if r is not None and r[0] == "func" and r[2] in ASYNC_KINDS:
                        names.add(n)

    def may_have_candidates(self, mod):
        """Cheap text pre-filter: a finding needs a call whose last name
        component is a (re-exported) async function/method name."""
        src = mod.src
        if src is None or not src.isascii():
            return True
        if self._bnames is None:
            self._bnames = {n.encode() for n in self.async_names}
        return not self._bnames.isdisjoint(_IDENT_RE.findall(src))

    # ---- resolution
    def resolve_module(self, name):
        if name is None:
            return None
        try:
            return self._modcache[name]
        except KeyError:
            pass
        r = None
        if name in self.modules:
            r = name
        else:
            cands = self.suffix.get(name)
            if cands:
                best = min(c.count(".") for c in cands)
                short = [c for c in cands if c.count(".") == best]
                if len(short) == 1:
                    r = short[0]
        self._modcache[name] = r
        return r

    def get_module(self, name):
        r = self.resolve_module(name)
        return None if r is None else self.modules[r]

    def resolve_binding(self, mod, name, depth=0):
        """Symbol bound to `name` at module level of `mod`:
        ('func', qual, kind) | ('class', qual) | ('mod', dotted) | None."""
        if depth == 0:
            key = (mod.name, name)
            try:
                return self._bindcache[key]
            except KeyError:
                pass
            r = self._resolve_binding(mod, name, 0)
            self._bindcache[key] = r
            return r
        return self._resolve_binding(mod, name, depth)

    def _resolve_binding(self, mod, name, depth):
        b = mod.bindings.get(name)
        if b is None:
            if depth < MAX_HOPS and not name.startswith("_"):
                for star in mod.stars:
                    m2 = self.get_module(star)
                    if m2 is not None and m2 is not mod:
                        r = self.resolve_binding(m2, name, depth + 1)
                        if r is not None:
                            return r
            return None
        t = b[0]
        if t == "def":
            k = b[1]
            if k in ASYNC_KINDS and name in mod.sync_names:
                k = SYNC
            return ("func", mod.qual(name), k)
        if t == "class":
            return b
        if t == "import":
            return ("mod", b[1])
        if t == "from":
            if depth >= MAX_HOPS:
                return None
            base, orig = b[1], b[2]
            m2 = self.get_module(base)
            if m2 is not None:
                if orig in m2.bindings or m2.stars:
                    r = self.resolve_binding(m2, orig, depth + 1)
                    if r is not None:
                        return r
                    if orig in m2.bindings:
                        return None
                sub = m2.qual(orig)
            else:
                sub = base + "." + orig if base else orig
            subname = self.resolve_module(sub)
            return ("mod", subname) if subname is not None else None
        return None

    def mod_attr(self, path, attr):
        mn = self.resolve_module(path)
        if mn is not None:
            m = self.modules[mn]
            if attr in m.bindings or m.stars:
                r = self.resolve_binding(m, attr)
                if r is not None:
                    return r
                if attr in m.bindings:
                    return None
            return ("mod", m.qual(attr))
        return ("mod", path + "." + attr)

    def attr_of(self, sym, attr):
        if sym is None:
            return None
        t = sym[0]
        if t == "mod":
            return self.mod_attr(sym[1], attr)
        if t == "class" or t == "inst":
            r = self.lookup_method(sym[1], attr)
            return ("func", r[0], r[1]) if r is not None else None
        return None

    def resolve_static(self, mod, expr):
        if isinstance(expr, ast.Subscript):
            expr = expr.value
        if isinstance(expr, ast.Name):
            return self.resolve_binding(mod, expr.id)
        if isinstance(expr, ast.Attribute):
            return self.attr_of(self.resolve_static(mod, expr.value), expr.attr)
        return None

    def class_bases(self, qual):
        ci = self.classes.get(qual)
        if ci is None:
            return ()
        if ci.rbases is None:
            ci.rbases = []
            for b in ci.bases:
                s = self.resolve_static(ci.module, b)
                if s is not None and s[0] == "class" and s[1] != qual:
                    ci.rbases.append(s[1])
        return ci.rbases

    def lookup_method(self, qual, name, depth=0, seen=None):
        ci = self.classes.get(qual)
        if ci is None:
            return None
        k = ci.methods.get(name)
        if k is not None:
            return (qual + "." + name, k)
        if depth >= MAX_MRO:
            return None
        if seen is None:
            seen = set()
        seen.add(qual)
        for b in self.class_bases(qual):
            if b in seen:
                continue
            r = self.lookup_method(b, name, depth + 1, seen)
            if r is not None:
                return r
        return None

    def lookup_in_bases(self, qual, name):
        for b in self.class_bases(qual):
            r = self.lookup_method(b, name, 1, {qual})
            if r is not None:
                return r
        return None


# --------------------------------------------------------------------------
# per-file walk

class Scope:
    __slots__ = ("kind", "node", "parent", "qual", "prefix", "is_async", "cls",
                 "first_arg", "is_static", "_loc", "_glob")

    def __init__(self, kind, node, parent, qual, prefix):
        self.kind = kind
        self.node = node
        self.parent = parent
        self.qual = qual
        self.prefix = prefix
        self.is_async = False
        self.cls = None
        self.first_arg = None
        self.is_static = False
        self._loc = None
        self._glob = None

    def names(self):
        if self._loc is None:
            loc, glob = set(), set()
            n = self.node
            if self.kind in ("function", "lambda"):
                loc.update(arg_names(n.args))
                if self.kind == "function":
                    body_locals(n.body, loc, glob)
            elif self.kind == "class":
                body_locals(n.body, loc, glob)
            elif self.kind == "comp":
                for g in n.generators:
                    loc.update(target_names(g.target, []))
            self._loc, self._glob = loc, glob
        return self._loc, self._glob


class FileChecker:
    def __init__(self, project, mod):
        self.p = project
        self.mod = mod
        self.parents = {}
        self.findings = []

    def run(self):
        m = self.mod
        scope = Scope("module", m.tree, None, "<module>",
                      m.name + "." if m.name else "")
        for s in m.tree.body:
            self.parents[s] = m.tree
            self.visit(s, scope)
        return self.findings

    # ---- traversal
    def visit(self, node, scope):
        parents = self.parents
        t = type(node)
        if t is ast.Call:
            self.check_call(node, scope)
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
            for d in node.decorator_list:
                parents[d] = node
                self.visit(d, scope)
            parents[node.args] = node
            self.visit(node.args, scope)
            if node.returns is not None:
                parents[node.returns] = node
                self.visit(node.returns, scope)
            qual = scope.prefix + node.name
            s = Scope("function", node, scope, qual, qual + ".<locals>.")
            s.is_async = t is ast.AsyncFunctionDef
            if scope.kind == "class":
                a = node.args.posonlyargs + node.args.args
                s.first_arg = a[0].arg if a else None
                s.is_static = any(deco_name(d) == "staticmethod"
                                  for d in node.decorator_list)
            for c in node.body:
                parents[c] = node
                self.visit(c, s)
        elif t is ast.Lambda:
            parents[node.args] = node
            self.visit(node.args, scope)
            qual = scope.prefix + "<lambda>"
            s = Scope("lambda", node, scope, qual, qual + ".<locals>.")
            parents[node.body] = node
            self.visit(node.body, s)
        elif t is ast.ClassDef:
            for c in node.decorator_list + node.bases + node.keywords:
                parents[c] = node
                self.visit(c, scope)
            qual = scope.prefix + node.name
            s = Scope("class", node, scope, qual, qual + ".")
            if scope.kind == "module":
                ci = self.p.classes.get(qual)
                if ci is not None and ci.module is self.mod \
                        and ci.pos == (node.lineno, node.col_offset):
                    s.cls = ci
            for c in node.body:
                parents[c] = node
                self.visit(c, s)
        elif t in _COMPS:
            s = Scope("comp", node, scope, scope.qual, scope.prefix)
            for i, g in enumerate(node.generators):
                parents[g] = node
                parents[g.target] = g
                self.visit(g.target, s)
                parents[g.iter] = g
                self.visit(g.iter, scope if i == 0 else s)
                for c in g.ifs:
                    parents[c] = g
                    self.visit(c, s)
            if t is ast.DictComp:
                parents[node.key] = node
                self.visit(node.key, s)
                parents[node.value] = node
                self.visit(node.value, s)
            else:
                parents[node.elt] = node
                self.visit(node.elt, s)
        else:
            fields = _FIELDS.get(t)
            if fields is None:
                fields = _FIELDS[t] = tuple(f for f in t._fields
                                            if f not in _SKIP_FIELDS)
            leaves = _LEAVES
            for f in fields:
                v = getattr(node, f, None)
                if v.__class__ is list:
                    for c in v:
                        if isinstance(c, ast.AST) and not isinstance(c, leaves):
                            parents[c] = node
                            self.visit(c, scope)
                elif isinstance(v, ast.AST) and not isinstance(v, leaves):
                    parents[v] = node
                    self.visit(v, scope)

    # ---- resolution in scope
    def resolve_name(self, name, scope):
        s = scope
        innermost = True
        while s.kind != "module":
            loc, glob = s.names()
            if s.kind == "class":
                if innermost and name in loc:
                    return None
            else:
                if name in glob:
                    break
                if name in loc:
                    if (s.kind == "function" and name == s.first_arg
                            and not s.is_static and s.parent.cls is not None):
                        return ("inst", s.parent.cls.qual)
                    return None
            innermost = False
            s = s.parent
        return self.p.resolve_binding(self.mod, name)

    def resolve_expr(self, expr, scope):
        if isinstance(expr, ast.Name):
            return self.resolve_name(expr.id, scope)
        if isinstance(expr, ast.Attribute):
            base = self.resolve_expr(expr.value, scope)
            if base is None:
                return None
            return self.p.attr_of(base, expr.attr)
        return None

    def super_class(self, call, scope):
        if call.args:
            if len(call.args) != 2:
                return None
            s = self.resolve_expr(call.args[0], scope)
            if s is not None and s[0] == "class" and s[1] in self.p.classes:
                return s[1]
            return None
        s = scope
        while s.kind in ("comp", "lambda"):
            s = s.parent
        if s.kind == "function" and s.parent.kind == "class" \
                and s.parent.cls is not None:
            return s.parent.cls.qual
        return None

    def resolve_callee(self, func, scope):
        if isinstance(func, ast.Name):
            return self.resolve_name(func.id, scope)
        if isinstance(func, ast.Attribute):
            v = func.value
            if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) \
                    and v.func.id == "super" and not v.keywords:
                cq = self.super_class(v, scope)
                if cq is None:
                    return None
                r = self.p.lookup_in_bases(cq, func.attr)
                return ("func", r[0], r[1]) if r is not None else None
            base = self.resolve_expr(v, scope)
            if base is None:
                return None
            return self.p.attr_of(base, func.attr)
        return None

    # ---- classification
    def check_call(self, call, scope):
        f = call.func
        if isinstance(f, ast.Name):
            term = f.id
        elif isinstance(f, ast.Attribute):
            term = f.attr
        else:
            return
        if term not in self.p.async_names:
            return
        sym = self.resolve_callee(f, scope)
        if sym is None or sym[0] != "func" or sym[2] not in ASYNC_KINDS:
            return
        kind = self.classify(call, scope, sym[2])
        if kind is None:
            return
        fn = scope
        while fn.kind in ("class", "comp"):
            fn = fn.parent
        caller = "<module>" if fn.kind == "module" else fn.qual
        self.findings.append({
            "path": self.mod.relpath, "line": call.lineno,
            "col": call.col_offset, "kind": kind, "callee": sym[1],
            "caller": caller})

    def classify(self, call, scope, ckind):
        parents = self.parents
        node = call
        parent = parents.get(node)
        while isinstance(parent, ast.IfExp) and node is not parent.test:
            node = parent
            parent = parents.get(node)
        if ckind == AGEN:
            if isinstance(parent, ast.For) and node is parent.iter:
                return "sync-for"
            if isinstance(parent, ast.comprehension) and node is parent.iter \
                    and not parent.is_async:
                return "sync-for"
            return None
        if ckind == ACM:
            if isinstance(parent, ast.withitem) and node is parent.context_expr \
                    and isinstance(parents.get(parent), ast.With):
                return "sync-for"
            return None
        if self.handled(node, parent):
            return None
        fn = scope
        while fn.kind in ("class", "comp"):
            fn = fn.parent
        if fn.kind in ("function", "lambda") and not fn.is_async:
            return "in-sync-def"
        if isinstance(parent, ast.Expr):
            return "statement"
        return "value-use"

    def handled(self, node, parent):
        parents = self.parents
        if isinstance(parent, ast.Await):
            return True
        if isinstance(parent, ast.Call):
            if node is parent.func:
                return False
            return not _is_consumer(parent)
        if isinstance(parent, ast.Starred):
            gp = parents.get(parent)
            if isinstance(gp, ast.Call) and any(a is parent for a in gp.args):
                return not _is_consumer(gp)
            return False
        if isinstance(parent, ast.keyword):
            gp = parents.get(parent)
            if isinstance(gp, ast.Call):
                return not _is_consumer(gp)
            return False
        if isinstance(parent, (ast.List, ast.Tuple, ast.Set)):
            return True
        if isinstance(parent, ast.Dict):
            for k, v in zip(parent.keys, parent.values):
                if v is node:
                    return k is not None
            return True
        if isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            return node is parent.value
        if isinstance(parent, ast.Lambda):
            return node is parent.body
        if isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return node is parent.elt
        if isinstance(parent, ast.DictComp):
            return node is parent.key or node is parent.value
        if isinstance(parent, ast.Attribute) and parent.attr in PROTOCOL_ATTRS:
            return True
        return False


def _is_consumer(call):
    return isinstance(call.func, ast.Name) and call.func.id in CONSUMERS


# --------------------------------------------------------------------------

def norm_rel(p):
    p = os.path.normpath(p.strip()).replace(os.sep, "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def main(argv, result):
    ap = argparse.ArgumentParser(description="Find un-awaited calls to "
                                 "project coroutines (see module docstring).")
    ap.add_argument("root")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only-files", metavar="FILE")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.root):
        ap.error("ROOT is not a directory: %s" % args.root)
    only = None
    if args.only_files:
        try:
            with open(args.only_files, encoding="utf-8") as f:
                only = {norm_rel(l) for l in f if l.strip()}
        except OSError as e:
            ap.error("cannot read --only-files: %s" % e)
    warnings.simplefilter("ignore")  # SyntaxWarnings from ast.parse
    gc.disable()  # millions of long-lived AST nodes: cyclic GC only costs time
    p = Project()
    p.load(args.root, only)
    findings = []
    for rel in sorted(p.by_path):
        if only is not None and rel not in only:
            continue
        mod = p.by_path[rel]
        if mod.tree is None or not p.may_have_candidates(mod):
            continue
        try:
            findings.extend(FileChecker(p, mod).run())
        except Exception as e:  # never abort the whole run on one file
            sys.stderr.write("unawaited: %s: internal error: %r\n" % (rel, e))
    findings.sort(key=lambda d: (d["path"], d["line"], d["col"], d["kind"],
                                 d["callee"]))
    if args.json:
        json.dump({"findings": findings, "files": len(p.by_path),
                   "unparsed": p.unparsed}, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for d in findings:
            print("%s:%d:%d: %s: %s (in %s)" % (d["path"], d["line"], d["col"],
                                               d["kind"], d["callee"],
                                               d["caller"]))
        print("%d finding(s) in %d parsed file(s); %d unparsed"
              % (len(findings), len(p.by_path), len(p.unparsed)))
    result[0] = 0


if __name__ == "__main__":
    sys.setrecursionlimit(200000)
    threading.stack_size(512 * 1024 * 1024)
    res = [1]

    def _target():
        try:
            main(sys.argv[1:], res)
        except SystemExit as e:
            res[0] = 0 if e.code is None else (e.code if isinstance(e.code, int) else 2)
    th = threading.Thread(target=_target)
    th.start()
    th.join()
    sys.stdout.flush()
    sys.exit(res[0])

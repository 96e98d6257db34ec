"""The compile check (engine/syntax/compile_check.h) against CPython itself.

tree-sitter accepts code that `compile()` refuses: `await` in a plain def, `async with` at
module level, `return 1` in an async generator, `except` beside `except*`. asyncfix reports
those (AF202 the async ones, AF000 the rest) and every write path refuses to produce them.
This generates a few thousand small modules, each one construct in one nesting of scopes
(module, class, def, async def, lambda, comprehensions, generator expressions, loops, default
values), asks the Python running the tests whether each compiles, and checks that asyncfix
reports exactly the modules Python refuses, on the line Python names, with Python's words.
AF000 asks this of files with async code or an `except*` (a `break` outside a loop in a
plain module is pyflakes' F701): in the others it must say nothing.
"""
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ASYNCFIX = os.environ["ASYNCFIX"]

# Expressions, each with at most one thing Python may refuse. `{}` is left for nothing.
EXPRESSIONS = [
    "x",
    "await x",
    "[y async for y in z]",
    "(y async for y in z)",
    "{y: 1 async for y in z}",
    "{y async for y in z}",
    "[await y for y in z]",
    "(await y for y in z)",
    "[y for y in await z]",
    "(y for y in await z)",
    "[y for y in z if await y]",
    "[[await y for y in a] for a in b]",
    "([await y for y in a] for a in b)",
    "[(await y for y in a) for a in b]",
    "[y for a in b for y in await a]",
    "[[y for y in a] async for a in b]",
    "((y for y in await a) for a in b)",
    "(x for x in [await y for y in z])",
    "[(yield) for y in z]",
    "((yield) for y in z)",
    "(yield)",
    "(yield from x)",
    "lambda: await x",
    "lambda: (await y for y in z)",
    "lambda: [y async for y in z]",
    "lambda: (yield)",
    "f(await x, key=[await y for y in z])",
    "{'k': await x}",
    "[*await x]",
]

# Statements: a list of lines (indented by the context).
STATEMENTS = [[f"v = {e}"] for e in EXPRESSIONS] + [
    ["async with a:", "    pass"],
    ["async with a as b, c:", "    pass"],
    ["async for a in b:", "    pass"],
    ["async for a in b:", "    pass", "else:", "    pass"],
    ["with a:", "    pass"],
    ["return 1"],
    ["return"],
    ["yield 1", "return 2"],
    ["yield 1", "return"],
    ["yield 1", "return None"],
    ["v = yield 1", "if v:", "    return (v, 1)"],
    ["yield from x"],
    ["def inner():", "    yield 1", "return 2"],
    ["break"],
    ["continue"],
    ["if c:", "    break"],
    ["try:", "    pass", "except* E:", "    pass", "except F:", "    pass"],
    ["try:", "    pass", "except E:", "    pass", "except* F:", "    pass"],
    ["try:", "    pass", "except* E:", "    pass", "except* F:", "    pass"],
    ["try:", "    pass", "except E:", "    break", "finally:", "    pass"],
    ["for a in b:", "    pass", "else:", "    break"],
    ["while c:", "    pass", "else:", "    continue"],
    ["def g(a=await x):", "    pass"],
    ["async def g(a=await x):", "    pass"],
    ["class K(await x):", "    pass"],
    ["@(await d)", "def g():", "    pass"],
]

# Contexts: lines that open scopes (each later line one level deeper).
CONTEXTS = [
    [],
    ["def f():"],
    ["async def f():"],
    ["class C:"],
    ["async def f():", "def g():"],
    ["def f():", "async def g():"],
    ["async def f():", "class C:"],
    ["class C:", "async def m(self):"],
    ["for i in r:"],
    ["while c:"],
    ["async def f():", "for i in r:"],
    ["def f():", "while c:"],
    ["for i in r:", "def g():"],
    ["async def f():", "async with m:"],
    ["async def f():", "try:"],
    ["def f():", "if c:"],
]


def render(context, statement):
    lines = []
    for depth, opener in enumerate(context):
        lines.append("    " * depth + opener)
    pad = "    " * len(context)
    for s in statement:
        lines.append(pad + s)
    if context and context[-1] == "async def f():" and statement == []:
        lines.append(pad + "pass")
    if context and context[-1] == "try:":
        lines.append("    " * (len(context) - 1) + "finally:")
        lines.append(pad + "pass")
    return "\n".join(lines) + "\n"


def cpython_says(source):
    try:
        compile(source, "m.py", "exec", dont_inherit=True)
        return None
    except SyntaxError as e:
        return (e.lineno, e.msg)


# What asyncfix says for CPython's message: the rule, and (for AF000) its message.
AF202_MESSAGES = {
    "'await' outside async function",
    "'await' outside function",
    "'async with' outside async function",
    "'async for' outside async function",
    "asynchronous comprehension outside of an asynchronous function",
}


def test_reports_exactly_what_cpython_refuses(tmp_path):
    cases = {}
    for k, (context, statement) in enumerate(itertools.product(CONTEXTS, STATEMENTS)):
        src = render(context, statement)
        name = f"m{k:05d}.py"
        (tmp_path / name).write_text(src)
        cases[name] = (src, cpython_says(src))
    out = subprocess.run(
        [ASYNCFIX, "check", "--select", "AF000,AF202", "--output-format", "json", "--no-progress", "-j", "2",
         str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    found = {}
    for f in json.loads(out.stdout)["findings"]:
        found.setdefault(Path(f["path"]).name, []).append(f)

    refused = sum(1 for _, said in cases.values() if said)
    assert refused > 300 and len(cases) - refused > 300, "the cases should cover both sides"
    wrong = []
    for name, (src, said) in sorted(cases.items()):
        got = found.get(name, [])
        if said is None:
            if got:
                wrong.append(f"{name}: Python compiles it, asyncfix says {got[0]['message']!r}\n{src}")
            continue
        line, msg = said
        if msg not in AF202_MESSAGES and not re.search(r"async|await|except[ \t]*\*", src):
            if got:
                wrong.append(f"{name}: a plain module, asyncfix says {got[0]['message']!r}\n{src}")
            continue
        if not got:
            wrong.append(f"{name}: Python refuses it ({msg!r}, line {line}), asyncfix says nothing\n{src}")
            continue
        first = got[0]
        rule = "AF202" if msg in AF202_MESSAGES else "AF000"
        if first["rule"] != rule or first["start"]["line"] != line or (
                rule == "AF000" and first["message"] != "syntax error: " + msg):
            wrong.append(f"{name}: Python says {msg!r} at line {line}, asyncfix {first['rule']} "
                         f"{first['message']!r} at line {first['start']['line']}\n{src}")
    assert not wrong, f"{len(wrong)} of {len(cases)} disagree:\n" + "\n".join(wrong[:15])

#!/usr/bin/env python3
"""Every #include goes down the layers (or stays in its own).

    check_layers.py SOURCE_DIR LAYERS_TXT

LAYERS_TXT is written by CMakeLists.txt: one line per layer, `name: the layers it links`.
A file in engine/NAME/ may include engine/X/... only when X is NAME or a layer that NAME
links, directly or through others. transforms/ and cli/ are layers of the same table. Every
directory of engine/ must be a layer of the table. Prints each include that goes up, with
its file and line, and exits 1 if there is one.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
table = {}
for line in pathlib.Path(sys.argv[2]).read_text().splitlines():
    if not line.strip():
        continue
    name, _, deps = line.partition(":")
    table[name.strip()] = deps.split()


def below(name, seen=None):
    seen = set() if seen is None else seen
    for d in table.get(name, []):
        if d not in seen:
            seen.add(d)
            below(d, seen)
    return seen


def layer_of(include):
    parts = include.split("/")
    if parts[0] == "engine" and len(parts) > 2:
        return parts[1]
    if parts[0] in ("transforms", "cli") and len(parts) > 1:
        return parts[0]
    return None


problems = []
engine_dirs = sorted(p.name for p in (root / "engine").iterdir() if p.is_dir())
for d in engine_dirs:
    if d not in table:
        problems.append(f"engine/{d}/: a directory that is no layer of CMakeLists.txt's table")

include_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
checked = 0
for layer, folder in [(d, root / "engine" / d) for d in engine_dirs] + [
    ("transforms", root / "transforms"),
    ("cli", root / "cli"),
]:
    allowed = below(layer) | {layer}
    for f in sorted(folder.glob("*")):
        if f.suffix not in (".h", ".cpp"):
            continue
        for n, text in enumerate(f.read_text(errors="replace").splitlines(), 1):
            m = include_re.match(text)
            if not m:
                continue
            checked += 1
            target = layer_of(m.group(1))
            if target is None or target in allowed:
                continue
            problems.append(
                f"{f.relative_to(root)}:{n}: includes {m.group(1)}: layer `{target}` is not "
                f"below `{layer}` (it links: {', '.join(sorted(below(layer))) or 'nothing'})"
            )

for p in problems:
    print(p)
print(f"{checked} includes checked, {len(problems)} going up")
sys.exit(1 if problems else 0)

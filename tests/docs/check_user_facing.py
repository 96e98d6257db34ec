#!/usr/bin/env python3
"""No user-facing text cites a file outside the repository.

    check_user_facing.py SOURCE_DIR ASYNCFIX

A user has the repository (or the binary), not the folder beside it that the project was
built from: README.md, docs/ (the rule pages too), the rules' own documentation (patterns/,
transforms/*.yml), every command's --help and every rule's `explain` must not mention
`shared/`. Prints each place that does, and exits 1 if there is one.
"""
import pathlib
import subprocess
import sys

root = pathlib.Path(sys.argv[1])
binary = sys.argv[2]
needle = "shared/"
problems = []

files = [root / "README.md"] + sorted((root / "docs").rglob("*.md"))
files += sorted((root / "patterns").glob("*.yml")) + sorted((root / "transforms").glob("*.yml"))
for f in files:
    for n, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
        if needle in line:
            problems.append(f"{f.relative_to(root)}:{n}: {line.strip()}")


def output(*args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    return r.stdout + r.stderr


commands = [[]] + [[c] for c in ("check", "migrate", "apply", "rules", "explain", "test-rules", "gen-docs")]
commands.append(["migrate", "async-sqlalchemy"])
texts = {" ".join(["asyncfix", *c, "--help"]): output(*c, "--help") for c in commands}
ids = [line.split()[0] for line in output("rules").splitlines() if line[:2].isalpha() and line.split()]
if len(ids) < 20:
    problems.append(f"`asyncfix rules` listed {len(ids)} rules: the check needs them all")
for rule_id in ids:
    texts[f"asyncfix explain {rule_id}"] = output("explain", rule_id)
for what, text in texts.items():
    for line in text.splitlines():
        if needle in line:
            problems.append(f"{what}: {line.strip()}")

for p in problems:
    print(p)
print(f"{len(files)} files and {len(texts)} command outputs checked, {len(problems)} citing {needle}")
sys.exit(1 if problems else 0)

"""What the real-code harnesses share (bench/realcode/migrate, bench/fixcheck): the corpus of
CORPUS.tsv, its .py files, Python's compiler over a tree, which files a run changed."""
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = "/usr/bin/python3"  # Debian's: the Python the checks are made with (3.11)

COMPILE_ALL = r"""
import sys
bad = []
for p in sys.stdin.read().split("\0"):
    if not p:
        continue
    try:
        compile(open(p, "rb").read(), p, "exec")
    except (SyntaxError, ValueError) as e:
        bad.append(p + ": " + str(e).splitlines()[0][:200])
print("\n".join(bad))
"""


def corpus():
    lines = (HERE / "CORPUS.tsv").read_text().splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:] if l.strip()]


def py_files(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*.py")
                  if not any(part in (".git", "node_modules", "__pycache__") for part in p.parts))


def compile_failures(root, files=None):
    """{relative path: Python's error} for the files of root (or those given) that do not compile."""
    files = py_files(root) if files is None else files
    r = subprocess.run([PY, "-c", COMPILE_ALL], cwd=root, input="\0".join(files), capture_output=True, text=True)
    return {l.split(": ", 1)[0]: l.split(": ", 1)[1] for l in r.stdout.splitlines() if ": " in l}


def changed_files(orig, copy):
    out = []
    for rel in py_files(copy):
        a, b = Path(orig) / rel, Path(copy) / rel
        if not a.exists() or a.read_bytes() != b.read_bytes():
            out.append(rel)
    return out

"""The measurements of bench/run (which sets everything up first) and bench/RESULTS.md."""
import argparse
import os
import re
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

STDLIB = "/usr/lib/python3.11"
DIST = "/usr/lib/python3/dist-packages"


def measure(cmd):
    """Wall seconds and peak RSS (KB) of one run, through GNU time."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        rss = int(t.read().strip().splitlines()[-1])
    return wall, rss


def compare(tools, runs):
    """Runs each tool `runs` times, alternating them; median wall time, max peak RSS."""
    for cmd in tools.values():  # warm the page cache and the binaries
        measure(cmd)
    walls = {k: [] for k in tools}
    rss = {k: 0 for k in tools}
    for _ in range(runs):
        for name, cmd in tools.items():
            w, r = measure(cmd)
            walls[name].append(w)
            rss[name] = max(rss[name], r)
    return {k: (statistics.median(walls[k]), rss[k]) for k in tools}


def python_files(root):
    """(path, bytes) of every readable .py file under root."""
    for d, dirs, names in os.walk(root):
        for n in names:
            if n.endswith(".py"):
                p = os.path.join(d, n)
                try:
                    with open(p, "rb") as f:
                        yield p, f.read()
                except OSError:
                    continue


def corpus_stats(path):
    files = lines = size = 0
    for _, data in python_files(path):
        files += 1
        size += len(data)
        lines += data.count(b"\n")
    return files, lines, size


# An `async def` (the spacing asyncfix's prefilter allows): AF108 and the blocking rules
# need one, so asyncfix must parse every such file.
ASYNC_DEF = re.compile(rb"async[ \t\f\r\n\\]*def")


def async_subset(dest):
    """The files of both corpora that contain an `async def`: asyncfix must parse every one."""
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    for src, tag in ((STDLIB, "stdlib"), (DIST, "dist")):
        for p, data in python_files(src):
            if ASYNC_DEF.search(data):
                out = os.path.join(dest, tag, os.path.relpath(p, src))
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "wb") as f:
                    f.write(data)
    return dest


def copies(scratch, n):
    dest = os.path.join(scratch, "stdlib-x%d" % n)
    if not os.path.isdir(dest):
        for i in range(n):
            shutil.copytree(STDLIB, os.path.join(dest, "copy%d" % i), symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "site-packages", "dist-packages"))
    return dest


STAGES = re.compile(r"^time by stage \(summed over threads\): (.*)$", re.M)
PHASES = re.compile(r"^time: plan \(discovery, configuration, project index\) ([\d.]+) s, check ([\d.]+) s", re.M)


def stage_profile(asyncfix, path, j, extra=()):
    """One `check -v` run: wall seconds of the plan and check phases, thread seconds by stage."""
    r = subprocess.run([asyncfix, "check", "--no-progress", "--no-cache", "-v", "-j", str(j), *extra, path],
                       capture_output=True, text=True, cwd=path)
    phases = PHASES.search(r.stderr)
    stages = {}
    m = STAGES.search(r.stderr)
    if m:
        for part in m.group(1).split(", "):
            name, secs = part.rsplit(" ", 2)[0], float(part.rsplit(" ", 2)[1])
            stages[name] = secs
    return (float(phases.group(1)), float(phases.group(2))) if phases else (0.0, 0.0), stages


def write_profile(w, a, corpora, cores):
    """The section "Where the time goes": `check -v` on each corpus (and the real services of
    bench/realcode that are checked out), one run each."""
    names = ["index: read", "index: parse", "index: summarize", "check: read", "check: prefilter", "check: parse",
             "check: rules", "check: fixes", "check: wrap"]
    w("## Where the time goes\n")
    w("`asyncfix check -v -j %d` (every rule), one run each: the wall time of the two phases, then the time of each "
      "stage summed over the threads. A file of the project index is parsed there and again in the check: "
      "`index: parse` is the cost of the second parse (issue 19's first item).\n" % cores)
    w("| corpus | plan (wall) | check (wall) | " + " | ".join(names) + " |")
    w("|---|---|---|" + "---|" * len(names))
    targets = list(corpora)
    for name in ("onyx/backend", "freqtrade", "mlrun"):
        d = os.path.join(a.realcode, name)
        if os.path.isdir(d):
            targets.append((name, d))
    for name, path in targets:
        (plan_s, check_s), st = stage_profile(a.asyncfix, path, cores)
        w("| %s | %.2f s | %.2f s | " % (name, plan_s, check_s) + " | ".join("%.2f s" % st.get(n, 0.0) for n in names) + " |")
    w("")


def write_reruns(w, a, runs, cores):
    """The section "Reruns": onyx's backend checked cold, then again with the cache, after
    nothing changed, after `touch` of one file, and after a comment was added to one file."""
    d = os.path.join(a.realcode, "onyx/backend")
    if not os.path.isdir(d):
        return
    cache = os.path.join(a.scratch, "rerun-cache")
    shutil.rmtree(cache, ignore_errors=True)
    leaf = os.path.join(d, "onyx/utils/logger.py")
    base = [a.asyncfix, "check", "--no-progress", "-j", str(cores), "."]

    def run(extra):
        start = time.perf_counter()
        r = subprocess.run(base[:3] + extra + base[3:], capture_output=True, text=True, cwd=d)
        return time.perf_counter() - start, r.stdout

    cold = [run(["--no-cache"]) for _ in range(runs)]
    cold_s = statistics.median(t for t, _ in cold)
    ref = cold[0][1]
    first, first_out = run(["--cache-dir", cache])
    rows = [("cold, no cache", cold_s, ref), ("cold, writing the cache", first, first_out)]
    warm = [run(["--cache-dir", cache]) for _ in range(runs)]
    rows.append(("nothing changed", statistics.median(t for t, _ in warm), warm[0][1]))
    touched = []
    for _ in range(runs):
        os.utime(leaf)
        touched.append(run(["--cache-dir", cache]))
    rows.append(("`touch` of one file", statistics.median(t for t, _ in touched), touched[0][1]))
    with open(leaf) as f:
        original = f.read()
    try:
        with open(leaf, "a") as f:
            f.write("# a comment\n")
        edited_ref = run(["--no-cache"])[1]
        rows.append(("a comment added at the end of one file", *run(["--cache-dir", cache])))
        ref_edit = edited_ref
    finally:
        with open(leaf, "w") as f:
            f.write(original)
    w("## Reruns\n")
    w("onyx's backend, every rule, -j %d, median of %d runs: cold without the cache, then with it (`--cache-dir` in "
      "a scratch directory), as pre-commit, an editor or CI rerun it. \"output\" compares stdout with the cold run "
      "over the same bytes.\n" % (cores, runs))
    w("| run | wall | cold / this | output |")
    w("|---|---|---|---|")
    for i, (name, t, out) in enumerate(rows):
        same = out == (ref_edit if name.startswith("a comment") else ref)
        w("| %s | %.2f s | %.1fx | %s |" % (name, t, cold_s / t, "identical" if same else "**differs**"))
    w("")
    return cold_s / rows[3][1], all(out == (ref_edit if n.startswith("a comment") else ref) for n, _, out in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--asyncfix", required=True)
    ap.add_argument("--parse-only", required=True)
    ap.add_argument("--ast-grep", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="stdlib only, 1 run: a smoke test of the script")
    ap.add_argument("--baseline-asyncfix", help="asyncfix built at another commit, measured side by side")
    ap.add_argument("--baseline-rev", default="")
    ap.add_argument("--realcode", default="/work/realcode", help="checkouts of bench/realcode (profiled when present)")
    a = ap.parse_args()
    cores = os.cpu_count() or 1
    runs = 1 if a.quick else a.runs
    sgconfig = os.path.join(a.root, "bench", "ast-grep", "sgconfig.yml")

    def tools(path, j):
        return {
            "asyncfix": [a.asyncfix, "check", "--no-progress", "--no-cache", "-j", str(j), path],
            "asyncfix-3": [a.asyncfix, "check", "--no-progress", "--no-cache", "-j", str(j), "--select", "AF101,AF102,AF401", path],
            "ast-grep": [a.ast_grep, "scan", "-c", sgconfig, "-j", str(j), path],
            "parse-only": [a.parse_only, "-j", str(j), path],
            **({"baseline": [a.baseline_asyncfix, "check", "--no-progress", "--no-cache", "-j", str(j), path]}
               if a.baseline_asyncfix else {}),
        }

    out = []
    w = out.append
    commit = subprocess.run(["git", "-C", a.root, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", a.root, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / 1024 / 1024
    sg_version = subprocess.run([a.ast_grep, "--version"], capture_output=True, text=True).stdout.strip()
    w("# Benchmarks\n")
    w("Written by `bench/run` (%s); do not edit by hand.\n" % time.strftime("%Y-%m-%d"))
    w("- Machine: %s, %d cores, %.0f GiB RAM, %s %s" % (cpu, cores, mem_gib, platform.system(), platform.release()))
    w("- asyncfix commit `%s`%s, Release build; %s from npm; median of %d runs, tools alternated; "
      "peak RSS is the largest of the runs." % (commit, " (with uncommitted changes)" if dirty else "", sg_version, runs))
    listing = subprocess.run([a.asyncfix, "rules"], capture_output=True, text=True).stdout
    n_rules = sum(1 for line in listing.splitlines() if line.startswith("AF"))
    w("- asyncfix runs every built-in rule (%d rules, with the project index), and, as `asyncfix, same 3 rules`, "
      "`--select AF101,AF102,AF401`; ast-grep runs three rules "
      "(AF101, AF102, AF401 in `bench/ast-grep/rules/`); parse-only reads and parses the same files with "
      "tree-sitter and does nothing else (`bench/parse_only.cpp`).\n" % n_rules)

    results = {}
    growth = {}  # copies -> (median wall, peak RSS)
    corpora = [("stdlib", STDLIB)] if a.quick else [("stdlib", STDLIB), ("dist-packages", DIST)]
    w("## Whole corpora\n")
    w("| corpus | files | lines | MB | threads | asyncfix | ast-grep (3 rules) | parse-only | ast-grep / asyncfix | asyncfix / parse-only | asyncfix, same 3 rules | ast-grep / asyncfix (3 rules) | asyncfix peak RSS | ast-grep peak RSS |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, path in corpora:
        files, lines, size = corpus_stats(path)
        for j in ([1, cores] if cores > 1 else [1]):
            r = compare(tools(path, j), runs)
            results[(name, j)] = r
            af, sg, po, a3 = r["asyncfix"], r["ast-grep"], r["parse-only"], r["asyncfix-3"]
            w("| %s | %d | %d | %.1f | %d | %.2f s | %.2f s | %.2f s | **%.2fx** | %.2fx | %.2f s | %.2fx | %.1f MB | %.1f MB |" % (
                name, files, lines, size / 1e6, j, af[0], sg[0], po[0], sg[0] / af[0], af[0] / po[0], a3[0],
                sg[0] / a3[0], af[1] / 1024, sg[1] / 1024))
            print("bench: %s -j%d done" % (name, j), file=sys.stderr)
    w("")
    if a.baseline_asyncfix:
        w("## Against %s\n" % a.baseline_rev)
        w("asyncfix of this tree and asyncfix built at `%s` (same build options), every rule, in the same runs "
          "as the table above (tools alternated).\n" % a.baseline_rev)
        w("| corpus | threads | this tree | %s | this / %s | this peak RSS | %s peak RSS |" % ((a.baseline_rev,) * 3))
        w("|---|---|---|---|---|---|---|")
        for (name, j), r in results.items():
            af, base = r["asyncfix"], r["baseline"]
            w("| %s | %d | %.2f s | %.2f s | **%.2fx** | %.1f MB | %.1f MB |" % (
                name, j, af[0], base[0], af[0] / base[0], af[1] / 1024, base[1] / 1024))
        w("")

    if not a.quick:
        sub = async_subset(os.path.join(a.scratch, "async-subset"))
        files, lines, size = corpus_stats(sub)
        w("## Every file must be parsed\n")
        w("The files of both corpora that contain an `async def` (%d files, %d lines, %.1f MB): the prefilter "
          "rules none out, so this is asyncfix against the parser's limit.\n" % (files, lines, size / 1e6))
        w("| threads | asyncfix | parse-only | asyncfix / parse-only | ast-grep (3 rules) | asyncfix peak RSS |")
        w("|---|---|---|---|---|---|")
        for j in ([1, cores] if cores > 1 else [1]):
            r = compare(tools(sub, j), runs)
            results[("async", j)] = r
            w("| %d | %.2f s | %.2f s | **%.2fx** | %.2f s | %.1f MB |" % (
                j, r["asyncfix"][0], r["parse-only"][0], r["asyncfix"][0] / r["parse-only"][0], r["ast-grep"][0],
                r["asyncfix"][1] / 1024))
        w("")
        print("bench: async subset done", file=sys.stderr)

        w("## Growth with the corpus\n")
        w("Copies of the stdlib side by side, %d threads.\n" % cores)
        w("| copies | asyncfix | per copy | peak RSS |")
        w("|---|---|---|---|")
        base = None
        for n in (1, 2, 4):
            d = copies(a.scratch, n)
            r = compare({"asyncfix": tools(d, cores)["asyncfix"]}, runs)["asyncfix"]
            growth[n] = r
            base = base or r[0]
            w("| %dx | %.2f s | %.2f s (%.2fx of 1x) | %.1f MB |" % (n, r[0], r[0] / n, r[0] / n / base, r[1] / 1024))
        w("")
        print("bench: growth done", file=sys.stderr)

    write_profile(w, a, corpora, cores)
    print("bench: profile done", file=sys.stderr)
    reruns = None if a.quick else write_reruns(w, a, runs, cores)
    print("bench: reruns done", file=sys.stderr)

    # The targets of issue 8, said plainly.
    w("## Targets\n")
    rows = []
    for (name, j), r in sorted(results.items()):
        if name == "async":
            continue
        ratio = r["ast-grep"][0] / r["asyncfix"][0]
        rows.append("- %s, %d thread%s: asyncfix (every rule) is %.2fx as fast as ast-grep's three-rule scan (target: 3x) — %s; "
                    "with the same three rules, %.2fx" % (
            name, j, "s" if j > 1 else "", ratio, "met" if ratio >= 3 else "not met",
            r["ast-grep"][0] / r["asyncfix-3"][0]))
    for j in ([1, cores] if cores > 1 else [1]):
        if ("async", j) in results:
            r = results[("async", j)]
            ratio = r["asyncfix"][0] / r["parse-only"][0]
            rows.append("- every file parsed, %d thread%s: asyncfix takes %.2fx the parse-only time (target: within 1.3x) — %s" % (
                j, "s" if j > 1 else "", ratio, "met" if ratio <= 1.3 else "not met"))
    if growth.get(1) and growth.get(4):
        g = growth[4][0] / growth[1][0]
        rows.append("- growth: 4 copies of the stdlib take %.2fx the time of one (target: linear, at most 4x) — %s" % (
            g, "met" if g <= 4.0 else "not met"))
    if reruns:
        rows.append("- a rerun after `touch` of one file of onyx's backend is %.1fx as fast as a cold run (target: 10x), "
                    "output %s — %s" % (reruns[0], "identical" if reruns[1] else "**differs**",
                                        "met" if reruns[0] >= 10 and reruns[1] else "not met"))
    peak = max([r["asyncfix"][1] for r in results.values()] + [r[1] for r in growth.values()]) / 1024
    rows.append("- peak RSS of asyncfix, every run above: %.1f MB at most (target: under 64 MB) — %s" % (
        peak, "met" if peak < 64 else "not met"))
    w("\n".join(rows))
    w("")
    text = "\n".join(out) + "\n"
    dest = os.path.join(a.root, "bench", "RESULTS.md")
    with open(dest, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# The cache (engine/run/cache.h): a warm run prints exactly what a cold one and a run without
# the cache print, for any -j; it is invalidated by a changed file, a changed summary of a
# module another file depends on, a changed configuration, rule file or library model, and
# another build of asyncfix; a damaged cache is said, ignored and rebuilt; two runs at once
# leave a cache both can trust; `asyncfix clean`, --no-cache and cache-dir do what they say.
source "$(dirname "$0")/lib.sh"

make_project() {  # make_project DIR
  local d=$1
  mkdir -p "$d/app"
  printf '[tool.asyncfix]\n' > "$d/pyproject.toml"
  : > "$d/app/__init__.py"
  cat > "$d/app/helpers.py" <<'PY'
def load(path):
    return path.upper()
PY
  cat > "$d/app/api.py" <<'PY'
from app.helpers import load


async def handler(path):
    return load(path)
PY
  cat > "$d/app/jobs.py" <<'PY'
import time


async def tick():
    time.sleep(1)
PY
  for i in 1 2 3 4 5 6; do printf 'def f%s():\n    return %s\n' "$i" "$i" > "$d/app/clean$i.py"; done
}

make_project "$TMP/p"
cd "$TMP/p"
run() {  # run NAME ARGS...: check's stdout in $TMP/NAME.out, stderr in $TMP/NAME.err
  local name=$1
  shift
  set +e
  "$ASYNCFIX" check --no-progress "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"
  echo $? > "$TMP/$name.rc"
  set -e
}
same() {  # same A B: the runs printed the same and exited the same
  cmp -s "$TMP/$1.out" "$TMP/$2.out" || fail "$1 and $2 print different findings: $(diff "$TMP/$1.out" "$TMP/$2.out" | head -5)"
  cmp -s "$TMP/$1.rc" "$TMP/$2.rc" || fail "$1 and $2 exit differently"
}
known() {  # known NAME N: -v of run NAME says N files were known clean
  grep -q "cache: .*: $2 of [0-9]* files' results from the cache" "$TMP/$1.err" ||
    fail "$1: not $2 files' results from the cache: $(grep 'cache:' "$TMP/$1.err")"
}

# Cold, warm, without: the same output; the warm run checks only the files with findings.
run plain --no-cache app
[ -e .asyncfix_cache ] && fail "--no-cache made a cache"
run cold -v app
run warm -v app
run warm_j1 -v -j 1 app
run warm_json --output-format json app
run plain_json --no-cache --output-format json app
same plain cold; same plain warm; same plain warm_j1; same plain_json warm_json
expect_not_contains "$TMP/plain.out" "app/api.py"
expect_contains "$TMP/plain.out" "app/jobs.py:5:5: AF101"
known cold 0
known warm 10
# Nothing changed: no index is built at all.
grep -q ", 0 of 0 summaries" "$TMP/warm.err" || fail "warm: the index was built: $(grep 'cache:' "$TMP/warm.err")"
[ -f .asyncfix_cache/.gitignore ] && grep -qx '\*' .asyncfix_cache/.gitignore || fail ".asyncfix_cache/.gitignore does not ignore everything"
[ -f .asyncfix_cache/CACHEDIR.TAG ] || fail "no CACHEDIR.TAG"
run diff_cold --no-cache --diff app
run diff_warm --diff app
same diff_cold diff_warm

# A changed file is checked again; a file of no interest to the project index changes the
# results of no other file.
printf 'def f1():\n    return 11\n' > app/clean1.py
run changed -v app
known changed 8
grep -q ", [1-9][0-9]* of [1-9][0-9]* summaries" "$TMP/changed.err" || fail "changed: no summary from the cache: $(grep 'cache:' "$TMP/changed.err")"
printf 'import time\n\n\nasync def g():\n    time.sleep(2)\n' > app/clean1.py
run changed2 -v app
run changed2_plain --no-cache app
same changed2_plain changed2
expect_contains "$TMP/changed2.out" "app/clean1.py:5:5: AF101"

# A module's summary changes (the helper now blocks): api.py, unchanged, gets its finding.
printf 'import time\n\n\ndef load(path):\n    time.sleep(1)\n    return path\n' > app/helpers.py
run dep -v app
run dep_plain --no-cache app
same dep_plain dep
expect_contains "$TMP/dep.out" "app/api.py:5:12: AF108"
expect_contains "$TMP/dep.out" "time.sleep"

# The configuration changes: what it ignores is gone.
printf '[tool.asyncfix]\nignore = ["AF108"]\n' > pyproject.toml
run config app
expect_not_contains "$TMP/config.out" "AF108"
expect_contains "$TMP/config.out" "AF101"
printf '[tool.asyncfix]\n' > pyproject.toml

# A rule file changes: its new message is printed.
mkdir -p "$TMP/rules"
cat > "$TMP/rules/r.yml" <<'YML'
id: MY001
name: no-upper
severity: P3
message: "first message"
rule:
  pattern: $X.upper()
YML
printf 'def f(s):\n    return s.upper()\n' > app/clean2.py
run rules1 --rules "$TMP/rules" app
expect_contains "$TMP/rules1.out" "first message"
sed -i 's/first message/second message/' "$TMP/rules/r.yml"
run rules2 --rules "$TMP/rules" app
expect_contains "$TMP/rules2.out" "second message"

# A library model changes: the wrapper it says blocks is found.
printf 'from mysdk import fetch\n\n\nasync def h():\n    return fetch()\n' > app/sdk.py
printf 'asyncfix-library-model: 1\nfunctions:\n  - {name: mysdk.other, blocks: AF102}\n' > "$TMP/lib.yml"
run lib1 --library-model "$TMP/lib.yml" app
expect_not_contains "$TMP/lib1.out" "app/sdk.py"
sed -i 's/mysdk.other/mysdk.fetch/' "$TMP/lib.yml"
run lib2 --library-model "$TMP/lib.yml" app
expect_contains "$TMP/lib2.out" "app/sdk.py:5:12"

# Another build of asyncfix trusts nothing of this one's.
run before_copy app
cp "$ASYNCFIX" "$TMP/asyncfix-other"
touch -d '2001-01-01' "$TMP/asyncfix-other"
set +e
"$TMP/asyncfix-other" check --no-progress -v app > "$TMP/other.out" 2> "$TMP/other.err"
echo $? > "$TMP/other.rc"
set -e
same before_copy other
known other 0

# A damaged cache: said, ignored, written again.
run ref_damage --no-cache app
for f in .asyncfix_cache/run-*/summaries .asyncfix_cache/run-*/results; do
  head -c 100 "$f" > "$f.cut" && mv "$f.cut" "$f"
done
run damaged -v app
same ref_damage damaged
expect_contains "$TMP/damaged.err" "is damaged: ignored, written again"
run repaired -v app
same ref_damage repaired
expect_not_contains "$TMP/repaired.err" "damaged"
for f in .asyncfix_cache/run-*/summaries; do printf 'garbage' > "$f"; done
run garbage app
same ref_damage garbage

# Two runs at once: both right, and what they leave is whole.
rm -rf .asyncfix_cache
( set +e; "$ASYNCFIX" check --no-progress app > "$TMP/c1.out" 2>/dev/null; echo $? > "$TMP/c1.rc" ) &
( set +e; "$ASYNCFIX" check --no-progress app > "$TMP/c2.out" 2>/dev/null; echo $? > "$TMP/c2.rc" ) &
wait
same ref_damage c1; same ref_damage c2
run after -v app
same ref_damage after
expect_not_contains "$TMP/after.err" "damaged"
known after 11

# cache-dir in the configuration; ASYNCFIX_CACHE_DIR; clean.
printf '[tool.asyncfix]\ncache-dir = "build/af-cache"\n' > pyproject.toml
run configured app
[ -d build/af-cache ] || fail "cache-dir of the configuration not used"
expect_exit 0 "$ASYNCFIX" clean .
expect_contains "$TMP/err" "Removed $TMP/p/build/af-cache"
[ -e build/af-cache ] && fail "clean left the configured cache"
printf '[tool.asyncfix]\n' > pyproject.toml
ASYNCFIX_CACHE_DIR="$TMP/envcache" "$ASYNCFIX" check --no-progress app > /dev/null 2>&1 || true
[ -d "$TMP/envcache" ] || fail "ASYNCFIX_CACHE_DIR not used"
expect_exit 0 "$ASYNCFIX" clean
expect_contains "$TMP/err" "Removed $TMP/p/.asyncfix_cache"
[ -e .asyncfix_cache ] && fail "clean left .asyncfix_cache"
expect_exit 0 "$ASYNCFIX" clean
expect_contains "$TMP/err" "No cache to remove."
mkdir -p notmine && : > notmine/x
expect_exit 2 "$ASYNCFIX" clean --cache-dir notmine
expect_contains "$TMP/err" "not a cache asyncfix made"
[ -f notmine/x ] || fail "clean removed a directory it did not make"

# In a git repository without configuration, the cache is at the repository's root.
mkdir -p "$TMP/repo/src"
git -C "$TMP/repo" init -q
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' > "$TMP/repo/src/a.py"
(cd "$TMP/repo/src" && "$ASYNCFIX" check --no-progress a.py > /dev/null 2>&1 || true)
[ -d "$TMP/repo/.asyncfix_cache" ] || fail "no cache at the repository root"
[ -z "$(git -C "$TMP/repo" status --porcelain --ignored=no | grep asyncfix_cache)" ] || fail "git sees the cache"

# The repository's own corpora: with and without the cache, cold and warm, the same.
cd "$SOURCE_DIR"
for args in "corpus/demo" "--diff corpus/demo" "--output-format json corpus/rules"; do
  # shellcheck disable=SC2086
  "$ASYNCFIX" check --no-progress --no-cache $args > "$TMP/c_plain" 2>&1 || true
  # shellcheck disable=SC2086
  "$ASYNCFIX" check --no-progress --cache-dir "$TMP/corpus-cache" $args > "$TMP/c_cold" 2>&1 || true
  # shellcheck disable=SC2086
  "$ASYNCFIX" check --no-progress --cache-dir "$TMP/corpus-cache" $args > "$TMP/c_warm" 2>&1 || true
  cmp -s "$TMP/c_plain" "$TMP/c_cold" || fail "check $args: the cold cached run differs"
  cmp -s "$TMP/c_plain" "$TMP/c_warm" || fail "check $args: the warm cached run differs"
done
finish

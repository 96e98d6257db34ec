#!/usr/bin/env bash
# A change set survives a crash (issue 15, item 2): after a `kill -9` during a migration, a
# rerun said "0 remaining" and never added the missing `await`s. Now the writer stops the
# process at each point where a write reaches disk in turn (ASYNCFIX_TEST_FAULT=N: a temporary
# file complete, a rename, the change set's record made or closed), and after each, a rerun
# of the same command gives a project byte-identical to an uninterrupted run: no file half
# migrated, no record, backup or temporary file left behind.
source "$(dirname "$0")/lib.sh"
# The blog's pinned versions, given: no run asks python3 what is installed (hundreds of runs).
TARGETS="--target-sqlalchemy 1.4 --target-fastapi 0.92"

cp -r "$SOURCE_DIR/corpus/apps/blog" "$TMP/orig"
cp -r "$TMP/orig" "$TMP/ref"
(cd "$TMP/ref" && "$ASYNCFIX" migrate async-sqlalchemy $TARGETS --no-progress --fix . > /dev/null 2>&1) || true
diff -rq -x .asyncfix_cache "$TMP/orig" "$TMP/ref" > /dev/null && fail "the migration changed nothing: the test needs a change set"

# The record is made in the targets' common directory.
rec=app/.asyncfix-change-set
# crash_loop [LINKED]: kills the migration at each point in turn, reruns, compares. With
# LINKED (a file of the change set), that file has a second hard link outside the project, so
# it is written in place after a backup; the link must end up with the migrated content too.
crash_loop() {
  local linked=${1:-}
  points=0
  for n in $(seq 1 400); do
    rm -rf "$TMP/run" "$TMP/link"
    cp -r "$TMP/orig" "$TMP/run"
    [ -n "$linked" ] && ln "$TMP/run/$linked" "$TMP/link"
    set +e
    (cd "$TMP/run" && ASYNCFIX_TEST_FAULT=$n "$ASYNCFIX" migrate async-sqlalchemy $TARGETS --no-progress --fix . > /dev/null 2> "$TMP/err")
    rc=$?
    set -e
    if [ "$rc" != 86 ]; then
      # The run ended before reaching point n: every point has been tried.
      diff -r -x .asyncfix_cache "$TMP/ref" "$TMP/run" > /dev/null || fail "a run with a fault point it never reached differs from an uninterrupted one"
      break
    fi
    points=$n
    where=$(sed -n 's/.*stopped at //p' "$TMP/err")
    (cd "$TMP/run" && "$ASYNCFIX" migrate async-sqlalchemy $TARGETS --no-progress --fix . > "$TMP/rerun.out" 2> "$TMP/rerun.err") || true
    if ! diff -r -x .asyncfix_cache "$TMP/ref" "$TMP/run" > "$TMP/d"; then
      fail "killed at point $n ($where)${linked:+ with $linked hard-linked}, then rerun: the project differs from an uninterrupted run"
      sed 's/^/  killed: /' "$TMP/err" | head -5 >&2
      head -20 "$TMP/d" >&2
      sed 's/^/  rerun: /' "$TMP/rerun.err" | head -5 >&2
    fi
    if [ -n "$linked" ] && ! cmp -s "$TMP/ref/$linked" "$TMP/link"; then
      fail "killed at point $n ($where), then rerun: the hard link of $linked does not hold the migrated file"
    fi
  done
  [ "$points" -lt 400 ] || fail "the fault points never ran out"
}

crash_loop
[ "$points" -ge 10 ] || fail "only $points fault points reached: the migration's writes are not instrumented"
echo "fault points tried: $points"
crash_loop app/services.py
echo "fault points tried with a hard link: $points"

# What the rerun says when it finishes the set: killed after the first target was written.
cd "$TMP"
first_target=""
for n in $(seq 1 400); do
  rm -rf "$TMP/run" && cp -r "$TMP/orig" "$TMP/run"
  set +e
  (cd "$TMP/run" && ASYNCFIX_TEST_FAULT=$n "$ASYNCFIX" migrate async-sqlalchemy $TARGETS --no-progress --fix . > /dev/null 2> "$TMP/err")
  set -e
  if [ -f "$TMP/run/$rec/intent" ] && ! diff -rq -x .asyncfix_cache -x .asyncfix-change-set -x ".*.asyncfix-*" "$TMP/orig" "$TMP/run" > /dev/null; then
    first_target=$n
    break
  fi
done
[ -n "$first_target" ] || fail "no fault point between the first and the last target"
cd "$TMP/run"
expect_exit 0 "$ASYNCFIX" check --no-progress --select AF101 .
expect_contains "$TMP/err" "finished the change set an interrupted run left"
[ -e "$TMP/run/$rec" ] && fail "the record is still there after the rerun"
diff -r -x .asyncfix_cache "$TMP/ref" "$TMP/run" > /dev/null || fail "a plain check did not finish the interrupted change set"

# A target changed by someone since: the set is rolled back, not forward.
rm -rf "$TMP/run" && cp -r "$TMP/orig" "$TMP/run"
set +e
(cd "$TMP/run" && ASYNCFIX_TEST_FAULT=$first_target "$ASYNCFIX" migrate async-sqlalchemy $TARGETS --no-progress --fix . > /dev/null 2>&1)
set -e
written=$(cd "$TMP/run" && { diff -rq -x .asyncfix_cache -x .asyncfix-change-set -x ".*.asyncfix-*" "$TMP/orig" . || true; } | sed -n 's#^Files [^ ]* and \./\(.*\) differ$#\1#p' | head -1)
unwritten=""
for f in $(cd "$TMP/orig" && find . -name '*.py' | sort); do
  if cmp -s "$TMP/orig/$f" "$TMP/run/$f" && ! cmp -s "$TMP/ref/$f" "$TMP/orig/$f"; then unwritten=$f; break; fi
done
[ -n "$written" ] && [ -n "$unwritten" ] || fail "the interrupted run should have written some targets, not all"
echo "# edited by hand" >> "$TMP/run/$unwritten"
cp "$TMP/run/$unwritten" "$TMP/edited"
cd "$TMP/run"
expect_exit 0 "$ASYNCFIX" check --no-progress --select AF101 .
expect_contains "$TMP/err" "rolled back the change set an interrupted run left, because"
cmp -s "$TMP/orig/$written" "$TMP/run/$written" || fail "$written was not rolled back"
cmp -s "$TMP/edited" "$TMP/run/$unwritten" || fail "the hand-edited $unwritten was touched"
[ -e "$TMP/run/$rec" ] && fail "the record is still there after the rollback"

# A record another run holds (its lock taken) is left alone.
rm -rf "$TMP/run" && cp -r "$TMP/orig" "$TMP/run"
mkdir "$TMP/run/$rec"
( flock 9; sleep 3 ) 9> "$TMP/run/$rec/lock" &
sleep 0.5
cd "$TMP/run"
expect_exit 2 "$ASYNCFIX" migrate async-sqlalchemy $TARGETS --no-progress --fix .
expect_contains "$TMP/err" "another asyncfix run is writing this change set; left alone"
expect_contains "$TMP/err" "another asyncfix run is writing a change set here; nothing written"
wait
diff -rq -x .asyncfix_cache -x .asyncfix-change-set -x ".*.asyncfix-*" "$TMP/orig" "$TMP/run" > /dev/null || fail "files were written while another run held the record"
finish

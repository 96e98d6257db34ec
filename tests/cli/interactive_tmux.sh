#!/usr/bin/env bash
# --interactive driven for real: the binary runs in a tmux pane, keys are typed with
# send-keys, the screen is read with capture-pane, and the files are checked afterwards.
source "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { echo "tmux is missing (scripts/setup installs it)" >&2; exit 1; }

# One tmux server per scenario, on its own socket: a new session on the socket of a server
# that is still shutting down fails ("server exited unexpectedly") on a loaded machine.
RUN=0
SOCK="$TMP/tmux.0.sock"
tm() { tmux -S "$SOCK" "$@"; }
cleanup() {
  for s in "$TMP"/tmux.*.sock; do
    if [ -S "$s" ]; then tmux -S "$s" kill-server 2>/dev/null || true; fi
  done
  chmod -R u+w "$TMP" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

three_sleeps() {  # three_sleeps FILE: three AF101 findings, one per function
  printf 'import time\n\n\nasync def one():\n    time.sleep(1)\n\n\nasync def two():\n    time.sleep(2)\n\n\nasync def three():\n    time.sleep(3)\n' > "$1"
}

# start CMD...: runs CMD in a fresh pane; its exit code lands in $TMP/rc.
start() {
  rm -f "$TMP/rc"
  tm kill-server 2>/dev/null || true
  RUN=$((RUN + 1))
  SOCK="$TMP/tmux.$RUN.sock"
  local cmd
  cmd=$(printf '%q ' "$@")
  tm new-session -d -s review -x 200 -y 60 "sh -c '$cmd; echo \$? > $TMP/rc; sleep 600'"
}

screen() { tm capture-pane -p -J -S -2000 -t review; }

# wait_for TEXT [COUNT]: until TEXT is on the screen COUNT times (default 1), at most 20 s.
wait_for() {
  local want=${2:-1}
  for _ in $(seq 1 200); do
    if [ "$(screen | grep -cF -- "$1")" -ge "$want" ]; then return 0; fi
    sleep 0.1
  done
  fail "never saw '$1' (x$want) on the screen"
  screen | tail -30 | sed 's/^/  screen: /' >&2
  return 1
}

key() { tm send-keys -t review -l "$1"; }

wait_exit() {  # wait_exit CODE
  for _ in $(seq 1 200); do [ -s "$TMP/rc" ] && break; sleep 0.1; done
  if [ "$(cat "$TMP/rc" 2>/dev/null)" != "$1" ]; then
    fail "exit $(cat "$TMP/rc" 2>/dev/null || echo none) (want $1)"
    screen | tail -30 | sed 's/^/  screen: /' >&2
  fi
}

PROMPT="Apply this fix? [y,n,a,s,q,e,?]"

# --- y / n / s / a and ? over two files ---------------------------------------------------
mkdir -p "$TMP/p1"
three_sleeps "$TMP/p1/a.py"
three_sleeps "$TMP/p1/b.py"
start "$ASYNCFIX" check --fix -i --color never "$TMP/p1"
wait_for "$PROMPT"
screen > "$TMP/s1"
expect_contains "$TMP/s1" "p1/a.py:5:5: AF101 [P1]"
expect_contains "$TMP/s1" "+    await asyncio.sleep(1)"
expect_contains "$TMP/s1" "-    time.sleep(1)"
expect_contains "$TMP/s1" "+++ b/"
key "?"
wait_for "skip the rest of this file"
key y                                  # a.py: one() fixed
wait_for "p1/a.py:9:5: AF101"
key n                                  # two() kept
wait_for "p1/a.py:13:5: AF101"
key s                                  # three() kept, rest of a.py skipped
wait_for "p1/b.py:5:5: AF101"
key a                                  # b.py: this and every later AF101
wait_exit 1                            # a.py still has findings
screen > "$TMP/s1"
expect_contains "$TMP/s1" "AF101 applied (all AF101 fixes)"
cat > "$TMP/want_a" <<'PY'
import asyncio
import time


async def one():
    await asyncio.sleep(1)


async def two():
    time.sleep(2)


async def three():
    time.sleep(3)
PY
cmp -s "$TMP/want_a" "$TMP/p1/a.py" || { fail "a.py after y/n/s"; diff "$TMP/want_a" "$TMP/p1/a.py" >&2 || true; }
expect_exit 0 "$ASYNCFIX" check "$TMP/p1/b.py"         # b.py: all three fixed
expect_not_contains "$TMP/p1/b.py" "import time"         # the import left unused is gone
python3 -c "import ast,sys; ast.parse(open(sys.argv[1]).read())" "$TMP/p1/b.py" || fail "b.py does not parse"

# --- q keeps what was accepted; the rest of the run writes nothing -------------------------
mkdir -p "$TMP/p2"
three_sleeps "$TMP/p2/a.py"
three_sleeps "$TMP/p2/b.py"
cp "$TMP/p2/b.py" "$TMP/b_before"
start "$ASYNCFIX" check --fix -i --color never "$TMP/p2"
wait_for "$PROMPT"
key y
wait_for "p2/a.py:9:5: AF101"
key q
wait_exit 1
# "N remaining" counts the files after the one reviewed too: a.py's two, b.py's three.
screen > "$TMP/screen"
expect_contains "$TMP/screen" "Fixed 1 finding in 1 file; 5 remaining."
expect_contains "$TMP/screen" "p2/b.py:5:5: AF101"
expect_contains "$TMP/p2/a.py" "await asyncio.sleep(1)"
expect_contains "$TMP/p2/a.py" "    time.sleep(2)"
cmp -s "$TMP/b_before" "$TMP/p2/b.py" || fail "q: b.py was written"

# --- the hunk shows the import the fix leaves unused going (issue 15, item 18: it was
# removed without being shown)
mkdir -p "$TMP/p9"
printf 'import time\n\n\nasync def one():\n    time.sleep(1)\n' > "$TMP/p9/a.py"
start "$ASYNCFIX" check --fix -i --color never "$TMP/p9"
wait_for "$PROMPT"
screen > "$TMP/screen"
expect_contains "$TMP/screen" "-import time"
expect_contains "$TMP/screen" "+import asyncio"
key y
wait_exit 0
expect_not_contains "$TMP/p9/a.py" "import time"

# --- e: the reviewer's own version is written -----------------------------------------------
mkdir -p "$TMP/p3"
three_sleeps "$TMP/p3/a.py"
cat > "$TMP/editor.sh" <<'SH'
#!/bin/sh
# An "editor" that changes the proposed result: a comment on the fixed line.
sed -i 's/await asyncio.sleep(1)/await asyncio.sleep(1)  # reviewed/' "$1"
SH
chmod +x "$TMP/editor.sh"
start env EDITOR="$TMP/editor.sh" "$ASYNCFIX" check --fix -i --color never "$TMP/p3"
wait_for "$PROMPT"
key e
wait_exit 1
expect_contains "$TMP/p3/a.py" "await asyncio.sleep(1)  # reviewed"
expect_contains "$TMP/p3/a.py" "    time.sleep(2)"           # the rest of the file: not proposed

# --- e: what the editor saved must parse (issue 15, item 6: `def (` was written, "Fixed") -------
mkdir -p "$TMP/p3b"
three_sleeps "$TMP/p3b/a.py"
cp "$TMP/p3b/a.py" "$TMP/p3b_before"
cat > "$TMP/bad_editor.sh" <<'SH'
#!/bin/sh
printf 'def (\n' >> "$1"
SH
chmod +x "$TMP/bad_editor.sh"
start env EDITOR="$TMP/bad_editor.sh" "$ASYNCFIX" check --fix -i --color never "$TMP/p3b"
wait_for "$PROMPT"
key e
wait_exit 1
cmp -s "$TMP/p3b_before" "$TMP/p3b/a.py" || fail "e: an edit that does not parse was written"

# --- a fix that overlaps an accepted one is proposed again on the next pass -------------------
mkdir -p "$TMP/p4"
printf 'import time\n\n\nasync def f():\n    time.sleep(1); time.sleep(2)\n' > "$TMP/p4/c.py"
start "$ASYNCFIX" check --fix -i --color never "$TMP/p4"
wait_for "$PROMPT"
key y
wait_for "$PROMPT" 2
key y
wait_exit 0
expect_contains "$TMP/p4/c.py" "await asyncio.sleep(1); await asyncio.sleep(2)"

# --- with --baseline, a rejected fix is not proposed again ------------------------------------
mkdir -p "$TMP/p5"
three_sleeps "$TMP/p5/a.py"
start "$ASYNCFIX" check --fix -i --color never --baseline "$TMP/p5.baseline.json" --update-baseline "$TMP/p5"
wait_for "$PROMPT"
key n
wait_for "p5/a.py:9:5: AF101"
key y
wait_for "p5/a.py:13:5: AF101"
key n
wait_exit 0                            # what was declined is in the baseline: nothing new
[ -s "$TMP/p5.baseline.json" ] || fail "no baseline written"
expect_exit 0 "$ASYNCFIX" check --baseline "$TMP/p5.baseline.json" "$TMP/p5"   # nothing new

# --- a file changed on disk while it was reviewed is not overwritten -------------------------
mkdir -p "$TMP/p6"
three_sleeps "$TMP/p6/a.py"
start "$ASYNCFIX" check --fix -i --color never "$TMP/p6"
wait_for "$PROMPT"
printf '# edited meanwhile\n' >> "$TMP/p6/a.py"
key a
wait_exit 2
expect_contains "$TMP/p6/a.py" "# edited meanwhile"
expect_contains "$TMP/p6/a.py" "    time.sleep(1)"
screen > "$TMP/s6"
expect_contains "$TMP/s6" "changed on disk since it was read, not written"

# --- migrate --interactive: accept everything, the result is what --fix writes ---------------
cp -r "$SOURCE_DIR/corpus/apps/blog" "$TMP/blog_i"
cp -r "$SOURCE_DIR/corpus/apps/blog" "$TMP/blog_f"
"$ASYNCFIX" migrate async-sqlalchemy --fix "$TMP/blog_f" >/dev/null 2>&1 || true
start "$ASYNCFIX" migrate async-sqlalchemy --fix -i --color never "$TMP/blog_i"
for _ in $(seq 1 400); do
  [ -s "$TMP/rc" ] && break
  # a prompt waiting for its key is the last line on the screen
  if [ "$(screen | sed 's/ *$//' | grep -v '^$' | tail -1)" = "$PROMPT" ]; then key a; fi
  sleep 0.1
done
[ -s "$TMP/rc" ] || fail "migrate -i did not finish"
if ! diff -r -x .asyncfix_cache "$TMP/blog_f" "$TMP/blog_i" >"$TMP/mdiff"; then
  fail "migrate -i accepting everything differs from --fix"
  head -30 "$TMP/mdiff" >&2
fi

finish

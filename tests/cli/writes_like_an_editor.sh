#!/usr/bin/env bash
# --fix writes files the way editors do (issue 15, item 3): through a symlink the file it names
# is written and the link stays a link; owner, group and mode are kept; a file with other hard
# links is written in place, so every link sees it, with no backup left behind; a backup an
# interrupted in-place write left is restored by the next run before anything reads the file.
source "$(dirname "$0")/lib.sh"

sleepy() { printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' > "$1"; }
mkdir -p "$TMP/real" "$TMP/src"
sleepy "$TMP/real/a.py"
ln -s "$TMP/real/a.py" "$TMP/src/link.py"
expect_exit 0 "$ASYNCFIX" check --no-progress --fix "$TMP/src/link.py"
[ -L "$TMP/src/link.py" ] || fail "the symlink was replaced by a regular file"
expect_contains "$TMP/real/a.py" "await asyncio.sleep(1)"

sleepy "$TMP/real/b.py"
ln "$TMP/real/b.py" "$TMP/real/b_link.py"
chmod 0640 "$TMP/real/b.py"
expect_exit 0 "$ASYNCFIX" check --no-progress --fix "$TMP/real/b.py"
expect_contains "$TMP/real/b_link.py" "await asyncio.sleep(1)"
[ "$(stat -c %h "$TMP/real/b.py")" = 2 ] || fail "the hard link was broken"
[ "$(stat -c %a "$TMP/real/b.py")" = 640 ] || fail "the mode was not kept"
ls -a "$TMP/real" | grep -q asyncfix && fail "a backup or temp file was left: $(ls -a "$TMP/real")"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  sleepy "$TMP/real/c.py"
  chown nobody:nogroup "$TMP/real/c.py" 2>/dev/null || chown nobody "$TMP/real/c.py"
  owner=$(stat -c %U:%G "$TMP/real/c.py")
  expect_exit 0 "$ASYNCFIX" check --no-progress --fix "$TMP/real/c.py"
  [ "$(stat -c %U:%G "$TMP/real/c.py")" = "$owner" ] || fail "root's --fix changed the owner to $(stat -c %U:%G "$TMP/real/c.py")"
fi

# An interrupted in-place write: half-written file, complete backup beside it.
sleepy "$TMP/real/d.py"
cp "$TMP/real/d.py" "$TMP/real/.d.py.asyncfix-backup"
printf 'import ti' > "$TMP/real/d.py"
expect_exit 1 "$ASYNCFIX" check --no-progress "$TMP/real/d.py"
expect_contains "$TMP/out" "d.py:5:5: AF101"
[ ! -e "$TMP/real/.d.py.asyncfix-backup" ] || fail "the backup was not removed after the restore"
expect_contains "$TMP/real/d.py" "    time.sleep(1)"
# The temporary files a killed run left are removed by the next run (only old ones: a run
# going on now may be about to rename its own).
sleepy "$TMP/real/e.py"
printf 'half' > "$TMP/real/.e.py.asyncfix-Ab12Cd"
touch -d '5 minutes ago' "$TMP/real/.e.py.asyncfix-Ab12Cd"
printf 'new' > "$TMP/real/.e.py.asyncfix-Zz99Yy"
expect_exit 1 "$ASYNCFIX" check --no-progress "$TMP/real/e.py"
[ ! -e "$TMP/real/.e.py.asyncfix-Ab12Cd" ] || fail "a stale temp file was left"
[ -e "$TMP/real/.e.py.asyncfix-Zz99Yy" ] || fail "a fresh temp file (another run's) was removed"
rm -f "$TMP/real/.e.py.asyncfix-Zz99Yy"
finish

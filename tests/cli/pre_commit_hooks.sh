#!/usr/bin/env bash
# .pre-commit-hooks.yaml, run by the real pre-commit framework (`pre-commit try-repo`) in a
# throwaway git repository: the check hook fails on a blocking call, the fix hook fixes it.
source "$(dirname "$0")/lib.sh"
command -v pre-commit >/dev/null || { echo "pre-commit is missing (scripts/setup installs it)" >&2; exit 1; }

# The hooks repository: this checkout's hook file, committed in a repository of its own (the
# checkout under test may not be a git repository, or have other changes).
mkdir -p "$TMP/hooks" "$TMP/bin" "$TMP/user"
cp "$SOURCE_DIR/.pre-commit-hooks.yaml" "$TMP/hooks/"
git -C "$TMP/hooks" init -q
git -C "$TMP/hooks" add .pre-commit-hooks.yaml
git -C "$TMP/hooks" -c user.email=t@t -c user.name=t commit -qm hooks
ln -s "$ASYNCFIX" "$TMP/bin/asyncfix"
export PATH="$TMP/bin:$PATH" PRE_COMMIT_HOME="$TMP/cache"

cd "$TMP/user"
git init -q
printf 'import time\n\n\nasync def handler():\n    time.sleep(1)\n' > app.py
printf 'def fine():\n    return 1\n' > other.py
git add app.py other.py

expect_exit 1 pre-commit try-repo "$TMP/hooks" asyncfix --files app.py other.py
expect_contains "$TMP/out" "app.py:5:5: AF101"
expect_exit 0 pre-commit try-repo "$TMP/hooks" asyncfix --files other.py

expect_exit 1 pre-commit try-repo "$TMP/hooks" asyncfix-fix --files app.py   # files were modified
expect_contains app.py "await asyncio.sleep(1)"
expect_exit 0 pre-commit try-repo "$TMP/hooks" asyncfix --files app.py
finish

#!/usr/bin/env bash
# Every function of engine/, transforms/ and cli/ within the limits of .clang-tidy: at most 120
# lines (readability-function-size) and cognitive complexity at most 60
# (readability-function-cognitive-complexity). Prints each function over a limit.
#   run_clang_tidy.sh SOURCE_DIR BUILD_DIR     (BUILD_DIR holds compile_commands.json)
set -uo pipefail
SRC=$1 BUILD=$2
cd "$SRC" || exit 2
command -v clang-tidy >/dev/null || { echo "clang-tidy is not installed (scripts/setup installs it)"; exit 2; }
[ -f "$BUILD/compile_commands.json" ] || { echo "no $BUILD/compile_commands.json"; exit 2; }
files=(engine/*/*.cpp transforms/*.cpp cli/*.cpp)
out=$(printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 6 clang-tidy -p "$BUILD" --quiet 2>/dev/null)
over=$(printf '%s\n' "$out" | grep -E "(warning|error): " | sed "s#^$SRC/##" | sort -u)
if [ -n "$over" ]; then
  printf '%s\n' "$over"
  echo "$(printf '%s\n' "$over" | wc -l) over the limits of .clang-tidy in ${#files[@]} files"
  exit 1
fi
echo "${#files[@]} files: every function within the limits of .clang-tidy"

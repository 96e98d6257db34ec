#!/usr/bin/env bash
# The custom-rule example of README.md and docs/writing-rules.md works as printed: loaded
# from the page, run with --fix on a coroutine that prints, the fixed file compiles and
# pyflakes finds no undefined name in it (the README's example once wrote `logger.info` with
# no `logger` anywhere). The writing-rules page's example also passes its own tests.
source "$SOURCE_DIR/tests/cli/lib.sh"
extract() {  # extract PAGE OUT: the first ```yaml block that defines MY001
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
    if "id: MY001" in block:
        open(sys.argv[2], "w").write(block)
        break
else:
    sys.exit(f"no MY001 example in {sys.argv[1]}")
PY
}
for page in README.md docs/writing-rules.md; do
  d="$TMP/$(basename "$page" .md)"
  mkdir -p "$d/rules" "$d/src"
  extract "$SOURCE_DIR/$page" "$d/rules/print-in-async.yml"
  printf 'async def handler(request):\n    print("got a request")\n    return request\n' > "$d/src/app.py"
  expect_exit 0 "$ASYNCFIX" check --no-progress --select MY001 --rules "$d/rules" --fix "$d/src"
  expect_contains "$d/src/app.py" "logging.info(\"got a request\")"
  /usr/bin/python3 -m py_compile "$d/src/app.py" || fail "$page: the fixed file does not compile"
  /usr/bin/python3 -m pyflakes "$d/src/app.py" > "$TMP/flakes" 2>&1 || true
  if grep -q "undefined name" "$TMP/flakes"; then fail "$page: pyflakes: $(cat "$TMP/flakes")"; fi
done
expect_exit 0 "$ASYNCFIX" test-rules "$TMP/writing-rules/rules"
finish

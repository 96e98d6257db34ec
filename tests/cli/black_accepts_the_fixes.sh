#!/usr/bin/env bash
# What the fixes write is formatted as black formats it: the expected fixed file of every
# rule fixture whose input black accepts is accepted by black too (the migration's fixtures
# included), and a project's own line length ([tool.black] line-length) is the one the
# wrapped lines keep to.
source "$(dirname "$0")/lib.sh"
command -v black >/dev/null || fail "black is not installed (scripts/setup installs Debian's black)"

clean=0
rules_with_clean=""
for fixed in $(find "$SOURCE_DIR/corpus/rules" -name '*.fixed.py' | sort); do
  input="${fixed%.fixed.py}.py"
  [ -f "$input" ] || continue
  black -q --check --fast "$input" 2>/dev/null || continue
  clean=$((clean + 1))
  rule=$(echo "$fixed" | sed -E 's|.*/corpus/rules/(AF[0-9]+)/.*|\1|')
  rules_with_clean="$rules_with_clean $rule"
  if ! black -q --check --fast "$fixed" 2>/dev/null; then
    black -q --diff --fast "$fixed" 2>/dev/null | head -40
    fail "black would reformat ${fixed#$SOURCE_DIR/} (its input is black-clean)"
  fi
done
[ "$clean" -ge 30 ] || fail "only $clean black-clean fixtures: the test has lost its inputs"
for r in AF101 AF102 AF103 AF104 AF105 AF107 AF108 AF201 AF203 AF204 AF205 AF301 AF303 AF304 AF401 AF402 AF403 AF404 AF501 AF601 AF602; do
  case " $rules_with_clean " in *" $r "*) ;; *) fail "no black-clean fixture for $r" ;; esac
done

# A fix that writes a long line, in a project with line-length = 60 and with the default.
mkdir -p "$TMP/p60" "$TMP/p88"
cat > "$TMP/p60/pyproject.toml" <<'TOML'
[tool.black]
line-length = 60
TOML
for d in p60 p88; do
  cat > "$TMP/$d/hashing.py" <<'PY'
import hashlib


async def derive(password: bytes, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password, salt, 600_000, dklen=64)
PY
  (cd "$TMP/$d" && "$ASYNCFIX" check --fix --unsafe-fixes --select AF107 . >/dev/null 2>&1)
  grep -q "asyncio.to_thread" "$TMP/$d/hashing.py" || fail "$d: AF107 did not fix"
done
(cd "$TMP/p60" && black -q --check -l 60 hashing.py) || { cat "$TMP/p60/hashing.py"; fail "line-length 60 not kept"; }
(cd "$TMP/p88" && black -q --check hashing.py) || { cat "$TMP/p88/hashing.py"; fail "default 88 not kept"; }
awk 'length > 60 { exit 1 }' "$TMP/p60/hashing.py" || fail "a line over 60 columns in the line-length 60 project"
grep -q '^    return await asyncio.to_thread($' "$TMP/p60/hashing.py" || { cat "$TMP/p60/hashing.py"; fail "not split at the call"; }
finish

#!/usr/bin/env bash
# Run .jan programs through the Java front end (JanC) and the C VM (jvmrun), checking
# their `// expect: LINE` and `// expect runtime error: NAME` comments.
#   tests/vm/run_corpus.sh [JVMRUN_FLAGS...] -- FILE.jan...
# Needs the interpreter jar (./mvnw -q -pl interpreter -am -DskipTests package).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
native="$(cd "$here/../.." && pwd)"
root="$(cd "$native/.." && pwd)"
flags=()
while [[ $# -gt 0 && "$1" != "--" ]]; do flags+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
jar=$(ls "$root"/interpreter/target/janus-interpreter-*.jar 2>/dev/null | head -1)
antlr=$(find ~/.m2 -name 'antlr4-runtime-4.13*.jar' 2>/dev/null | head -1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
java -cp "$jar:$antlr" "$here/JanC.java" "$out" "$@" 2>"$out/compile.log" || true
pass=0; fail=0; skip=0
for src in "$@"; do
  name=$(basename "$(dirname "$(readlink -f "$src")")")__$(basename "$src" .jan)
  grep -q '// expect' "$src" || { skip=$((skip+1)); continue; }
  grep -q '// expect error' "$src" && { skip=$((skip+1)); continue; }
  if [[ ! -f "$out/$name.jbc" ]]; then echo "FAIL $src: did not compile"; fail=$((fail+1)); continue; fi
  want=$(grep -o '// expect: .*' "$src" | sed 's|^// expect: ||')
  want_err=$(grep -o '// expect runtime error: .*' "$src" | sed 's|^// expect runtime error: ||' | head -1)
  got=$(timeout 20 "$native/build/jvmrun" "${flags[@]}" "$out/$name.jbc" 2>"$out/err.txt")
  status=$?
  ok=1
  [[ "$got" == "$want" ]] || ok=0
  if [[ -n "$want_err" ]]; then
    [[ $status -eq 1 ]] && grep -qF "$want_err" "$out/err.txt" || ok=0
  else
    [[ $status -eq 0 ]] || ok=0
  fi
  if [[ $ok -eq 1 ]]; then pass=$((pass+1)); else
    fail=$((fail+1)); echo "FAIL $src (status $status)"
    diff <(echo "$want") <(echo "$got") | head -10
    tail -5 "$out/err.txt"
  fi
done
echo "corpus: $pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 ]]

#!/usr/bin/env bash
# Regenerate tests/vm/modules/ from .jan programs: the corpus (../../tests/programs),
# the fib benchmark (../../tests/bench/fib.jan) and the VM's own programs
# (tests/vm/programs). Each program that compiles becomes NAME.jbc (module bytes, from
# the Java front end through JanC.java) and NAME.expect:
#   line 1..k  `# result ok|error|aborted [TEXT]`, `# config KEY=VALUE...`, `# modes det live`
#   the rest   the expected stdout (the `// expect:` lines)
# Programs with `// expect error:` (compile errors) are skipped.
# Needs the interpreter jar: ./mvnw -q -pl interpreter -am -DskipTests package
#
#   regen.sh           rewrite tests/vm/modules
#   regen.sh --check   regenerate into a scratch folder and fail, naming the files, if the
#                      checked-in modules differ (a program edited without a regen leaves
#                      the C tests running its old version: the tests module runs this)
set -euo pipefail
check=0
[[ "${1:-}" == "--check" ]] && check=1
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
# JANC_CLASSPATH and JAVA (the tests module passes its own) override the defaults
if [[ -z "${JANC_CLASSPATH:-}" ]]; then
  jar=$(ls "$root"/interpreter/target/janus-interpreter-*.jar | head -1)
  antlr=$(find ~/.m2 -name 'antlr4-runtime-4.13*.jar' | head -1)
  JANC_CLASSPATH="$jar:$antlr"
fi
java="${JAVA:-java}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if (( check )); then out="$tmp/modules"; else out="$here/modules"; fi
rm -rf "$out"
mkdir -p "$out"
srcs="$(find "$root/tests/programs" "$here/programs" -name '*.jan' | sort) $root/tests/bench/fib.jan"
"$java" -cp "$JANC_CLASSPATH" "$here/JanC.java" "$tmp" $(for s in $srcs; do grep -q '// expect error' "$s" || echo "$s"; done) \
  2>"$tmp/compile.log" || true
n=0
for s in $srcs; do
  name=$(basename "$(dirname "$s")")__$(basename "$s" .jan)
  [[ -f "$tmp/$name.jbc" ]] || continue
  grep -q '// expect' "$s" || grep -q '// vm-result' "$s" || continue
  cp "$tmp/$name.jbc" "$out/"
  {
    err=$(grep -o '// expect runtime error: .*' "$s" | sed 's|^// expect runtime error: ||' | head -1 || true)
    res=$(grep -o '// vm-result: .*' "$s" | sed 's|^// vm-result: ||' | head -1 || true)
    grep -q '^// expect aborted' "$s" && res=aborted
    if [[ -n "$res" ]]; then echo "# result $res"
    elif [[ -n "$err" ]]; then echo "# result error $err"
    else echo "# result ok"; fi
    cfg=$(grep -o '// vm-config: .*' "$s" | sed 's|^// vm-config: ||' | head -1 || true)
    # the corpus' `// run: --flag N` lines (janus-lab run flags) become config keys
    run=$(grep -o '^// run: .*' "$s" | sed 's|^// run: ||' | head -1 || true)
    if [[ -n "$run" ]]; then
      cfg="$cfg $(echo "$run" | sed -E 's/--max-run-ms /max_run_ms=/; s/--max-tasks /max_tasks_per_nursery=/;
        s/--max-total-tasks /max_total_tasks=/; s/--quantum /quantum=/; s/--task-memory /task_memory=/')"
    fi
    cfg=$(echo $cfg)
    [[ -n "$cfg" ]] && echo "# config $cfg"
    modes=$(grep -o '// modes: .*' "$s" | sed 's|^// modes: ||' | head -1 || true)
    [[ -n "$modes" ]] && echo "# modes $modes"
    grep -o '// expect: .*' "$s" | sed 's|^// expect: ||' || true
  } > "$out/$name.expect"
  n=$((n+1))
done
grep -c 'compile errors' "$tmp/compile.log" | sed 's/^/regen: programs that did not compile: /' || true
if (( check )); then
  if ! stale=$(diff -rq "$here/modules" "$out"); then
    echo "regen --check: tests/vm/modules is out of date with its programs:"
    echo "$stale" | sed -E "s|$out|(regenerated)|; s|$here/||"
    echo "run native/tests/vm/regen.sh and commit the result"
    exit 1
  fi
  echo "regen --check: $n modules match their programs"
else
  echo "regen: $n modules in $out"
fi

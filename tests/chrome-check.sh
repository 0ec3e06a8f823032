#!/usr/bin/env bash
# Opens Chrome Trace Event JSON exports with Chrome DevTools' own trace engine (npm package
# @paulirish/trace_engine, installed on first use into tests/chrome/node_modules) and prints
# what it understood: worker threads and their slices, bound flows, warnings. Needs node+npm.
# Perfetto UI itself is a web page this machine cannot reach; this is the viewer we can run.
#
#   tests/chrome-check.sh FILE.json...        check exports you made
#   tests/chrome-check.sh                     export every lesson (det, pinned settings) and check each
#
# Build first: ./mvnw -B -Dnative.sanitizers.skip -DskipTests package
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/tests/chrome"
command -v node >/dev/null || { echo "chrome-check: needs node and npm" >&2; exit 3; }
[[ -d "$dir/node_modules/@paulirish/trace_engine" ]] || (cd "$dir" && npm install --no-audit --no-fund --silent)
files=("$@")
if ((${#files[@]} == 0)); then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    # each lesson's pinned settings, as `janus-lab lessons` lists them (ID  TITLE  FLAGS...)
    while read -r id flags; do
        # shellcheck disable=SC2086
        "$root/janus-lab" run "$root/lessons/$id/program.jan" $flags --chrome-trace "$out/$id.json" </dev/null >/dev/null 2>&1 || true
        files+=("$out/$id.json")
    done < <("$root/janus-lab" lessons | sed -E 's/^([^ ]+) .* (--workers .*)$/\1 \2/')
fi
status=0
for f in "${files[@]}"; do node "$dir/check.mjs" "$f" || status=1; done
exit $status

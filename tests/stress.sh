#!/usr/bin/env bash
# Stress: runs the whole runtime corpus (tests/programs) N times in live mode (default
# 1,000), alternating 2 and 4 workers, and reports every output mismatch or trace
# invariant violation. Exit status 0 when every run passed. Not part of `./mvnw verify`.
#
#   tests/stress.sh [N] [--workers 2,4] [--programs DIR]
#
# Build first: ./mvnw -B -Dnative.sanitizers.skip -DskipTests package
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/tests"
# The reactor's own classes (not whatever is installed in ~/.m2) plus the third-party jars
# the app build copied to app/target/lib.
classpath() {
    [[ -d target/test-classes && -d "$root/app/target/lib" ]] || {
        echo "stress: build first: ./mvnw -B -Dnative.sanitizers.skip -DskipTests package" >&2; exit 3; }
    local cp="target/test-classes"
    for m in scheduler interpreter lessons app; do cp="$cp:$root/$m/target/classes"; done
    for j in "$root"/app/target/lib/*.jar; do [[ "$(basename "$j")" == janus-* ]] || cp="$cp:$j"; done
    echo "$cp"
}
exec java -Xmx4g -cp "$(classpath)" dev.januslab.tests.runtime.RuntimeStress "$@"

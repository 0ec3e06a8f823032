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
source "$root/tests/classpath.sh"
cp=$(tests_classpath stress) || exit 3
exec java -Xmx4g -cp "$cp" dev.januslab.tests.runtime.RuntimeStress "$@"

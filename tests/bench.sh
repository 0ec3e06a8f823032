#!/usr/bin/env bash
# Benchmarks of the Java <-> runtime path (not part of the default test suite).
#
#   tests/bench.sh pipeline [FILE.jan] [RUNS] [WORKERS]
#       events/s drained into a Java Trace from a deterministic run (default
#       tests/bench/skynet.jan, 3 runs, 2 workers); the bar is >= 5 M events/s, 0 dropped.
#   tests/bench.sh stats
#       `janus-lab run --stats` of tests/bench/{fib,skynet,idle}.jan, 3 runs each
#       (run_ms is run start to run end; peak_rss_mb for idle.jan).
#
# Build first: ./mvnw -B -Dnative.sanitizers.skip -DskipTests package
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/tests"
source "$root/tests/classpath.sh"
case "${1:-}" in
    pipeline)
        shift
        cp=$(tests_classpath bench) || exit 3
        exec java -Xmx6g -cp "$cp" dev.januslab.tests.runtime.EventPipelineBench "$@" ;;
    stats)
        for b in fib skynet idle; do
            for mode in "--workers 2"; do
                for i in 1 2 3; do
                    echo "== $b.jan $mode (run $i)"
                    "$root/janus-lab" run "bench/$b.jan" $mode --stats
                done
            done
        done ;;
    *)
        sed -n '2,12p' "$0"; exit 3 ;;
esac

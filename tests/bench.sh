#!/usr/bin/env bash
# Benchmarks of the Java <-> runtime path (not part of the default test suite).
#
#   tests/bench.sh pipeline [FILE.jan] [RUNS] [WORKERS]
#       events/s drained into a Java Trace from a deterministic run (default
#       tests/bench/skynet.jan, 3 runs, 2 workers); the bar is >= 5 M events/s, 0 dropped.
#       Runs on the collector `janus-lab run` uses (Parallel); JAVA_GC=-XX:+UseG1GC compares.
#   tests/bench.sh stats
#       `janus-lab run --stats` of tests/bench/{fib,skynet,idle}.jan, 3 runs each
#       (run_ms is run start to run end; peak_rss_mb for idle.jan).
#   tests/bench.sh compile
#       front-end compile time of a generated 10,000-line program (bar: <= 300 ms warm).
#   tests/bench.sh trace [EVENTS]
#       the trace model on ~1,000,000 events (append, write, open, seek, step, invariants,
#       Chrome export), then 3 cold opens of that file, each in a fresh JVM (bars: open
#       <= 3 s, seek p95 <= 50 ms).
#
# Build first: ./mvnw -B -Dnative.sanitizers.skip -DskipTests package
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
caller="$PWD"
cd "$root/tests"
source "$root/tests/classpath.sh"
case "${1:-}" in
    pipeline)
        shift
        # a FILE named from where the command was typed (the default is tests/bench/skynet.jan)
        [[ $# -gt 0 && -f "$caller/$1" ]] && set -- "$(cd "$caller" && realpath "$1")" "${@:2}"
        cp=$(tests_classpath bench) || exit 3
        # the collector `janus-lab run` uses (the launcher says why); JAVA_GC=-XX:+UseG1GC compares
        exec java -Xmx6g ${JAVA_GC:--XX:+UseParallelGC} -cp "$cp" dev.januslab.tests.runtime.EventPipelineBench "$@" ;;
    compile)
        cp=$(tests_classpath bench) || exit 3
        exec java -cp "$root/interpreter/target/test-classes:$cp" dev.januslab.interpreter.bench.CompileBenchmark ;;
    trace)
        cp=$(tests_classpath bench) || exit 3
        cp="$root/scheduler/target/test-classes:$cp"
        java -Xmx6g -cp "$cp" dev.januslab.scheduler.trace.TraceBenchmark ${2:-1000000}
        file=$(mktemp -d)/cold.jtrace
        java -Xmx6g -cp "$cp" dev.januslab.scheduler.trace.TraceBenchmark write "$file" ${2:-1000000}
        for i in 1 2 3; do java -Xmx6g -cp "$cp" dev.januslab.scheduler.trace.TraceBenchmark open "$file"; done
        rm -rf "$(dirname "$file")" ;;
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
        sed -n '2,19p' "$0"; exit 3 ;;
esac

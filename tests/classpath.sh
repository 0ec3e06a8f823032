# Sourced by tests/stress.sh and tests/bench.sh: the classpath of the reactor's own classes
# (not whatever is installed in ~/.m2) plus the third-party jars the app build copied to
# app/target/lib. $1 names the calling script in the "build first" message.
# Expects $root (the project root) and the current directory tests/.
tests_classpath() {
    [[ -d target/test-classes && -d "$root/app/target/lib" ]] || {
        echo "$1: build first: ./mvnw -B -Dnative.sanitizers.skip -DskipTests package" >&2; exit 3; }
    local cp="target/test-classes"
    for m in scheduler interpreter lessons app; do cp="$cp:$root/$m/target/classes"; done
    for j in "$root"/app/target/lib/*.jar; do [[ "$(basename "$j")" == janus-* ]] || cp="$cp:$j"; done
    echo "$cp"
}

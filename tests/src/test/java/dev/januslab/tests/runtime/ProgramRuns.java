package dev.januslab.tests.runtime;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.scheduler.run.ConsoleRun;
import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.InvariantChecker;
import dev.januslab.scheduler.trace.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Runs corpus programs in this JVM through the binding (no process per run) and checks
 * one run against the program's expectations and TRACE.md §2. Modules are compiled once
 * per program and cached.
 */
final class ProgramRuns {
    /** A run that does not end in this long is stopped and reported. */
    static final long RUN_TIMEOUT_MS = Long.getLong("janus.test.runTimeoutMs", 60_000);

    /** As the CLI: rings large enough that live runs rarely drop events. */
    static final int RING_KB = 4096;

    private static final ConcurrentHashMap<String, BytecodeModule> MODULES = new ConcurrentHashMap<>();

    private ProgramRuns() {}

    static BytecodeModule compile(CorpusProgram p) {
        return MODULES.computeIfAbsent(p.name(), k -> {
            JanusCompiler.Result r = JanusCompiler.compile(p.name(), p.source());
            if (!r.ok()) {
                throw new AssertionError(p.name() + " does not compile:\n" + r.diagnostics().stream()
                        .map(d -> d.headline()).collect(Collectors.joining("\n")));
            }
            return r.module();
        });
    }

    /** The result of one run: its outcome and its stdout. */
    record Ran(ConsoleRun.Outcome outcome, String stdout) {
        List<String> lines() {
            if (stdout.isEmpty()) return List.of();
            String s = stdout.endsWith("\n") ? stdout.substring(0, stdout.length() - 1) : stdout;
            return List.of(s.split("\n", -1));
        }
    }

    static Ran run(CorpusProgram p, RunConfig config, boolean keepTrace) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleRun.Outcome o = ConsoleRun.runCompiled(p.name(), p.source(), compile(p), 0,
                p.configure(config).withRingKb(RING_KB),
                keepTrace, out, RUN_TIMEOUT_MS);
        return new Ran(o, out.toString(StandardCharsets.UTF_8));
    }

    /** Every way this run differs from what the program expects, plus the trace's invariant violations. */
    static List<String> problems(CorpusProgram p, Ran r, boolean checkTrace) {
        List<String> problems = new ArrayList<>();
        ConsoleRun.Outcome o = r.outcome();
        if (o.pumpFailure() != null) problems.add("event pump failed: " + o.pumpFailure());
        if (o.ending() == ConsoleRun.Ending.TIMED_OUT) problems.add("did not end within " + RUN_TIMEOUT_MS + " ms");
        if (!r.lines().equals(p.expectedOutput())) {
            problems.add("stdout differs\n    expected: " + p.expectedOutput() + "\n    actual:   " + r.lines());
        }
        if (p.expectAborted()) {
            if (o.result() != dev.januslab.scheduler.run.Run.Result.ABORTED) {
                problems.add("expected the run to be aborted, but it ended " + o.result() + " " + o.resultText());
            }
        } else if (p.expectedError() != null) {
            if (!p.expectedError().equals(o.escapedError())) {
                problems.add("expected " + p.expectedError() + " to escape main, got "
                        + (o.escapedError() == null ? "none (" + o.result() + ")" : o.escapedError())
                        + (o.report().isEmpty() ? "" : "\n    " + o.report().strip()));
            }
        } else if (o.ending() != ConsoleRun.Ending.OK) {
            problems.add("expected a clean run, got " + o.result() + ": " + o.report().strip());
        }
        long dropped = o.stats() == null ? 0 : o.stats().dropped();
        if (dropped > 0 && o.trace() != null && o.trace().header().config().mode() == dev.januslab.scheduler.trace.Wire.Mode.DETERMINISTIC) {
            problems.add(dropped + " events dropped in deterministic mode");
        }
        // A live run that overflowed its rings has an incomplete trace (TRACE.md allows it
        // and the app says so); its invariants cannot be judged, its output still can.
        if (checkTrace && o.trace() != null && dropped == 0) {
            List<InvariantChecker.Violation> vs = InvariantChecker.check(o.trace());
            if (!vs.isEmpty()) {
                problems.add(vs.size() + " invariant violation(s):\n    "
                        + vs.stream().limit(20).map(Object::toString).collect(Collectors.joining("\n    ")));
            }
            long n = o.trace().size();
            if (n == 0 || !(o.trace().get(n - 1) instanceof TraceEvent.RunEnd)) {
                problems.add("the trace does not end with run_end (" + n + " events)");
            }
        }
        return problems;
    }
}

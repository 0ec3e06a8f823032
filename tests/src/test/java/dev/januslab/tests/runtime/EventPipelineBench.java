package dev.januslab.tests.runtime;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.scheduler.run.Run;
import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.run.RunStats;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benchmark of the event pipeline (not a unit test; documented in the README): a
 * deterministic run of {@code tests/bench/skynet.jan}, every event drained into a Java
 * {@link Trace}. Reports events/s into Java (events drained / time from start until the
 * pump has appended run_end) and dropped events (must be 0), median of the runs.
 *
 * <pre>  tests/bench.sh pipeline [FILE.jan] [RUNS] [WORKERS]</pre>
 */
public final class EventPipelineBench {
    private EventPipelineBench() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "bench/skynet.jan");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        // trace: every event appended to a Trace (the figure that counts; trace-indexed: with keyframes);
        // decode: every event decoded, nothing kept; drain: records copied out, only run_end decoded
        String sink = args.length > 3 ? args[3] : "trace";
        String source = Files.readString(file);
        JanusCompiler.Result compiled = JanusCompiler.compile(file.toString(), source);
        if (!compiled.ok()) throw new IllegalStateException(compiled.diagnostics().toString());
        RunConfig config = RunConfig.defaults().withMode(Mode.DETERMINISTIC).withWorkers(workers).withSeed(1);
        List<Double> rates = new ArrayList<>();
        List<Double> pumpNs = new ArrayList<>();
        System.out.printf("event pipeline: %s, deterministic, %d workers, sink %s%n", file, workers, sink);
        for (int i = 0; i <= runs; i++) {
            // trace: recorded as `janus-lab run --trace` does (keyframes folded on first seek);
            // trace-indexed: keyframes folded on every append, as the app's live view does
            Trace.Indexing indexing = sink.equals("trace-indexed") ? Trace.Indexing.ON_APPEND : Trace.Indexing.ON_DEMAND;
            Trace trace = sink.startsWith("trace") ? Run.newTrace(file.getFileName().toString(), source, config, indexing) : null;
            long[] decoded = new long[1];
            dev.januslab.scheduler.run.EventListener count = sink.equals("decode") ? e -> decoded[0]++ : null;
            long t0 = System.nanoTime();
            RunStats s;
            try (Run run = Run.start(compiled.module(), config, trace, count)) {
                run.awaitEnd(-1);
                long ns = System.nanoTime() - t0;
                s = run.stats();
                double rate = s.eventsDrained() / (ns / 1e9);
                System.out.printf("  %s: %,d events in %.0f ms = %.2f M events/s; runtime run_ms %.0f; dropped %d; kept/decoded %,d;"
                                + " %,d reads of %,d events on average; pump CPU %.0f ns/event%n",
                        i == 0 ? "warm-up" : "run " + i, s.eventsDrained(), ns / 1e6, rate / 1e6, s.runNs() / 1e6,
                        s.dropped(), trace != null ? trace.size() : decoded[0], run.pump().batches(),
                        s.eventsDrained() / Math.max(1, run.pump().batches()),
                        run.pump().cpuNanos() / (double) Math.max(1, s.eventsDrained()));
                if (i > 0) pumpNs.add(run.pump().cpuNanos() / (double) Math.max(1, s.eventsDrained()));
                if (i > 0) rates.add(rate);
                if (run.pump().failure() != null) throw new IllegalStateException(run.pump().failure());
            }
        }
        Collections.sort(rates);
        Collections.sort(pumpNs);
        System.out.printf("median: %.2f M events/s; pump CPU %.0f ns/event (%.1f M events/s per pump core)%n",
                rates.get(rates.size() / 2) / 1e6, pumpNs.get(pumpNs.size() / 2), 1e3 / pumpNs.get(pumpNs.size() / 2));
    }
}

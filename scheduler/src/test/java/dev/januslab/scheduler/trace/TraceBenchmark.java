package dev.januslab.scheduler.trace;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The trace model's benchmark (issue 6's bars: open a 1,000,000-event trace in ≤ 3 s, seek
 * to any moment in ≤ 50 ms p95). Not a unit test: run it by hand, on a quiet machine:
 *
 * <pre>
 * tests/bench.sh trace [EVENTS]     (after ./mvnw -B -Dnative.sanitizers.skip -DskipTests package)
 * </pre>
 *
 * It builds a synthetic fan-out trace of about EVENTS events (default 1,000,000), appends
 * it again to measure the live pump's cost per event, writes and reopens it as
 * {@code .jtrace} and {@code .jtrace.gz}, seeks to 2,000 random seqs, steps back and
 * forward, and reports heap use per event, the invariant check and the Chrome export.
 *
 * <p>{@code write FILE [EVENTS]} only writes such a trace; {@code open FILE}
 * opens it once in this fresh JVM and seeks: the cold open a user sees when the app starts on a trace.
 */
public final class TraceBenchmark {
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("write")) {
            long n = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
            Trace t = SyntheticRun.fanOut("bench.jan", 4, (int) Math.max(2, Math.round(Math.sqrt(n / 10.0))), 2, 2, 1);
            TraceFiles.write(t, Path.of(args[1]));
            System.out.printf("wrote %,d events to %s (%,d bytes)%n", t.size(), args[1], Files.size(Path.of(args[1])));
            return;
        }
        if (args.length >= 2 && args[0].equals("open")) {
            System.out.printf("load        %.1f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            Clock c = new Clock();
            Trace t = TraceFiles.read(Path.of(args[1]));
            System.out.printf("cold open   %,d events in %s%n", t.size(), c.since());
            seek(t);
            return;
        }
        long target = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int branch = (int) Math.max(2, Math.round(Math.sqrt(target / 10.0)));
        Path dir = Files.createTempDirectory("janus-trace-bench");
        System.out.printf("JVM %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        System.out.printf("load        %.1f (1-minute load average; figures below are noisy when it exceeds the cores)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Clock c = new Clock();
        Trace built = SyntheticRun.fanOut("bench.jan", 4, branch, 2, 2, 1);
        System.out.printf("generated   %,d events (%,d tasks, 4 workers) in %s%n", built.size(),
                built.latestState().taskCount(), c.since());
        long t0;

        List<TraceEvent> events = built.events();
        for (int round = 0; round < 3; round++) {
            Trace again = new Trace(built.header());
            TraceEvent[] array = events.toArray(new TraceEvent[0]);
            c.mark();
            t0 = System.nanoTime();
            for (TraceEvent e : array) again.append(e);
            long ns = System.nanoTime() - t0;
            System.out.printf("append      %,d events in %s = %.1f M events/s wall (fold + keyframes included)%n",
                    again.size(), c.since(), again.size() * 1e3 / ns);
        }

        {
            Trace recordOnly = new Trace(built.header(), Trace.Indexing.ON_DEMAND);
            TraceEvent[] array = events.toArray(new TraceEvent[0]);
            c.mark();
            t0 = System.nanoTime();
            for (TraceEvent e : array) recordOnly.append(e);
            long ns = System.nanoTime() - t0;
            System.out.printf("append      %,d events in %s = %.1f M events/s wall (Indexing.ON_DEMAND: store only)%n",
                    recordOnly.size(), c.since(), recordOnly.size() * 1e3 / ns);
        }

        Path plain = dir.resolve("bench.jtrace"), gz = dir.resolve("bench.jtrace.gz");
        c.mark();
        TraceFiles.write(built, plain);
        System.out.printf("write       %s: %,d bytes in %s%n", plain.getFileName(), Files.size(plain), c.since());
        TraceFiles.write(built, gz);
        System.out.printf("write       %s: %,d bytes in %s%n", gz.getFileName(), Files.size(gz), c.since());
        built = null;
        events = null;

        Trace opened = null;
        for (Path p : List.of(plain, gz)) {
            for (int round = 0; round < 3; round++) {
                opened = null;
                System.gc();
                c.mark();
                opened = TraceFiles.read(p);
                System.out.printf("open        %s: %s (read + parse + fold + keyframes)%n", p.getFileName(), c.since());
            }
        }

        System.gc();
        Thread.sleep(200);
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("heap        %,d MB with the trace open = %.0f bytes/event (events + %d keyframes)%n",
                heap >> 20, (double) heap / opened.size(), opened.keyframeCount());

        seek(opened);

        c.mark();
        List<InvariantChecker.Violation> v = InvariantChecker.check(opened);
        System.out.printf("invariants  %d violations in %s%n", v.size(), c.since());
        ChromeTraceExporter.export(opened, OutputStream.nullOutputStream());
        System.out.printf("chrome      export in %s%n", c.since());

        recordsForComparison(opened);
        for (Path p : List.of(plain, gz)) Files.deleteIfExists(p);
        Files.deleteIfExists(dir);
    }

    private static void seek(Trace t) {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 200; i++) t.stateAt(r.nextLong(t.size())); // warm-up
        int n = 2000;
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            long seq = r.nextLong(t.size());
            long t0 = System.nanoTime();
            SchedulerState s = t.stateAt(seq);
            ns[i] = System.nanoTime() - t0;
            if (s.seq() != seq) throw new AssertionError();
        }
        report("seek random", ns);
        long[] step = new long[n];
        long seq = t.size() / 2;
        for (int i = 0; i < n; i++) {
            long to = i % 2 == 0 ? seq - 1 : seq;  // ← then →
            long t0 = System.nanoTime();
            t.stateAt(to);
            step[i] = System.nanoTime() - t0;
            if (i % 2 == 1) seq += 7;
        }
        report("step ←/→", step);
    }

    private static void report(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf("%-11s n=%d p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms%n", what, s.length,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6, s[(int) (s.length * 0.99)] / 1e6,
                s[s.length - 1] / 1e6);
    }

    /** Heap of the same events held as one record each, to justify the columnar store. */
    private static void recordsForComparison(Trace t) throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        List<TraceEvent> records = new ArrayList<>((int) t.size());
        t.forEach(records::add);
        System.gc();
        Thread.sleep(200);
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("comparison  the same events as records in an ArrayList: %.0f bytes/event%n",
                (double) (after - before) / records.size());
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Wall time since the last mark, with this thread's CPU time and all GC time: the machine may be shared. */
    private static final class Clock {
        private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
        private long wall, cpu, gc;

        Clock() {
            mark();
        }

        void mark() {
            wall = System.nanoTime();
            cpu = THREADS.getCurrentThreadCpuTime();
            gc = gcMillis();
        }

        String since() {
            String s = String.format("%d ms (cpu %d ms + gc %d ms)", (System.nanoTime() - wall) / 1_000_000,
                    (THREADS.getCurrentThreadCpuTime() - cpu) / 1_000_000, gcMillis() - gc);
            mark();
            return s;
        }

        private static long gcMillis() {
            long sum = 0;
            for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, b.getCollectionTime());
            return sum;
        }
    }
}

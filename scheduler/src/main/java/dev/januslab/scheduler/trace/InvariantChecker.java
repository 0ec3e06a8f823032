package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.RunStatus;
import dev.januslab.scheduler.trace.Wire.TargetKind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Checks TRACE.md §2 invariants 1–7 on a trace, and invariant 8 (determinism) by comparing
 * two trace files byte for byte apart from the header's creation time.
 *
 * <p>Readings of the spec made here, for the cases it leaves open:
 * <ul>
 * <li>Checks that need the end of the run (a task never finished, a nursery never closed)
 *     are made only when the trace has a {@code run_end}, and not for status
 *     {@code aborted} (Stop may abandon a task that never checks, DESIGN.md §4).</li>
 * <li>Cancellation "reaches" a task when it was requested for the task itself, for its
 *     nursery, or for a nursery further up its path to the root (LANGUAGE.md §6.4: a
 *     cancelled owner cancels the nurseries it owns, each with its own request): invariant 4
 *     is checked at each {@code task_done} and invariant 5 at each first {@code task_run}
 *     against what had been requested by then.</li>
 * <li>Invariant 6 treats a child error spelled {@code Runtime.Cancelled} or
 *     {@code Cancelled} as a cancellation, not a failure.</li>
 * </ul>
 */
public final class InvariantChecker {

    /** One broken invariant: its number (1–8), the seq where it showed, and what happened. */
    public record Violation(int invariant, long seq, String message) {
        @Override
        public String toString() {
            return "invariant " + invariant + " at seq " + seq + ": " + message;
        }
    }

    private InvariantChecker() {}

    public static List<Violation> check(Trace trace) {
        return check(trace.events());
    }

    public static List<Violation> check(List<? extends TraceEvent> events) {
        Run run = new Run();
        for (TraceEvent e : events) run.event(e);
        run.finish();
        return run.violations;
    }

    private static final class TaskRec {
        final int id;
        final String name;
        final int nursery;
        final long spawnSeq;
        long doneSeq = -1;
        int runningOn = Integer.MIN_VALUE;
        boolean ran;
        long cancelSeq = -1;
        final List<Integer> owned = new ArrayList<>(0);

        TaskRec(int id, String func, int nursery, long spawnSeq) {
            this.id = id;
            this.name = TraceEvent.taskName(func, id);
            this.nursery = nursery;
            this.spawnSeq = spawnSeq;
        }
    }

    private static final class NurseryRec {
        final int id;
        final int owner;
        final long openSeq;
        long closeSeq = -1;
        long cancelSeq = -1;
        final List<Integer> children = new ArrayList<>();
        int live;
        String firstChildError;
        long firstChildErrorSeq = -1;

        NurseryRec(int id, int owner, long openSeq) {
            this.id = id;
            this.owner = owner;
            this.openSeq = openSeq;
        }
    }

    /** The checker's walk over one trace. */
    private static final class Run implements TraceEvent.Visitor<Void> {
        final List<Violation> violations = new ArrayList<>();
        final Map<Integer, TaskRec> tasks = new HashMap<>();
        final Map<Integer, NurseryRec> nurseries = new HashMap<>();
        final Map<Integer, Integer> running = new HashMap<>();
        final Map<Integer, Long> lastT = new HashMap<>();
        long expectedSeq;
        long seq;
        RunStatus endStatus;
        boolean ended;

        void event(TraceEvent e) {
            seq = e.seq();
            if (e.seq() != expectedSeq) {
                report(7, "seq " + e.seq() + " follows seq " + (expectedSeq - 1) + " (expected " + expectedSeq + ")");
            }
            expectedSeq = e.seq() + 1;
            Long prev = lastT.get(e.w());
            if (prev != null && e.t() < prev) {
                report(7, "time goes back on " + workerName(e.w()) + ": t=" + e.t() + " after t=" + prev);
            }
            lastT.put(e.w(), e.t());
            e.accept(this);
        }

        void report(int invariant, String message) {
            violations.add(new Violation(invariant, seq, message));
        }

        void report(int invariant, long at, String message) {
            violations.add(new Violation(invariant, at, message));
        }

        static String workerName(int w) {
            return w < 0 ? "the runtime" : "W" + w;
        }

        String name(int task) {
            TaskRec t = tasks.get(task);
            return t != null ? t.name : "task#" + task;
        }

        /** The seq of the request by which cancellation reaches {@code task}, or -1. */
        /*
         * When cancellation reached the task: a request for the task itself, or for a nursery
         * on its path to the root. An ANCESTOR task's own request does not count: the runtime
         * records a task's cancel_request before it walks the nurseries that task owns, and
         * each of those nurseries' cancel_request after all of that nursery's children were
         * reached (janusrt.h, nursery.c), so the nursery requests are the moments the
         * cancellation reaches the subtree.
         */
        long cancelReaching(int task) {
            for (int depth = 0; depth < 100_000; depth++) {
                TaskRec t = tasks.get(task);
                if (t == null) return -1;
                if (depth == 0 && t.cancelSeq >= 0) return t.cancelSeq;
                NurseryRec n = nurseries.get(t.nursery);
                if (n == null) return -1;
                if (n.cancelSeq >= 0) return n.cancelSeq;
                task = n.owner;
            }
            return -1;
        }

        String describeCancel(int task) {
            for (int depth = 0; depth < 100_000; depth++) {
                TaskRec t = tasks.get(task);
                if (t == null) return "cancellation";
                if (depth == 0 && t.cancelSeq >= 0) return "cancellation of " + t.name + " (seq " + t.cancelSeq + ")";
                NurseryRec n = nurseries.get(t.nursery);
                if (n == null) return "cancellation";
                if (n.cancelSeq >= 0) return "cancellation of nursery " + n.id + " (seq " + n.cancelSeq + ")";
                task = n.owner;
            }
            return "cancellation";
        }

        void stopRunning(TaskRec t, String what) {
            if (t.runningOn == Integer.MIN_VALUE) return;
            running.remove(t.runningOn);
            t.runningOn = Integer.MIN_VALUE;
        }

        void finish() {
            if (!ended || endStatus == RunStatus.ABORTED) return;
            for (TaskRec t : sorted(tasks)) {
                if (t.doneSeq < 0) report(1, t.spawnSeq, t.name + " was spawned but never finished (no task_done)");
            }
            for (NurseryRec n : sorted(nurseries)) {
                if (n.closeSeq < 0) report(3, n.openSeq, "nursery " + n.id + " opened but never closed");
            }
            violations.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        }

        private static <V> List<V> sorted(Map<Integer, V> m) {
            Integer[] keys = m.keySet().toArray(new Integer[0]);
            Arrays.sort(keys);
            List<V> out = new ArrayList<>(keys.length);
            for (Integer k : keys) out.add(m.get(k));
            return out;
        }

        @Override
        public Void taskSpawn(TaskSpawn e) {
            if (tasks.containsKey(e.task())) {
                report(1, name(e.task()) + " is spawned a second time (first at seq " + tasks.get(e.task()).spawnSeq + ")");
                return null;
            }
            TaskRec t = new TaskRec(e.task(), e.func(), e.nursery(), e.seq());
            tasks.put(e.task(), t);
            NurseryRec n = nurseries.get(e.nursery());
            if (n != null) {
                if (n.closeSeq >= 0) {
                    report(3, t.name + " is spawned into nursery " + n.id + " after it closed (seq " + n.closeSeq + ")");
                }
                n.children.add(e.task());
                n.live++;
            }
            return null;
        }

        @Override
        public Void taskRun(TaskRun e) {
            TaskRec t = tasks.get(e.task());
            Integer other = running.get(e.w());
            if (other != null && other != e.task()) {
                report(2, workerName(e.w()) + " switches in " + name(e.task()) + " while " + name(other)
                        + " is still running on it");
            }
            if (t == null) return null;
            if (t.runningOn != Integer.MIN_VALUE) {
                report(2, t.name + " is switched in on " + workerName(e.w()) + " while still running on "
                        + workerName(t.runningOn));
                running.remove(t.runningOn);
            }
            if (t.doneSeq >= 0) report(1, t.name + " runs after its task_done (seq " + t.doneSeq + ")");
            if (!t.ran) {
                long c = cancelReaching(t.id);
                if (c >= 0) {
                    report(5, t.name + " had not run when " + describeCancel(t.id) + " reached it, but is switched in");
                }
            }
            t.ran = true;
            t.runningOn = e.w();
            running.put(e.w(), t.id);
            return null;
        }

        private void switchOut(int task, String kind) {
            TaskRec t = tasks.get(task);
            if (t == null) return;
            if (t.runningOn == Integer.MIN_VALUE) {
                report(2, kind + " of " + t.name + ", which is not running");
                return;
            }
            stopRunning(t, kind);
        }

        @Override
        public Void taskYield(TaskYield e) {
            switchOut(e.task(), "task_yield");
            return null;
        }

        @Override
        public Void taskBlock(TaskBlock e) {
            switchOut(e.task(), "task_block");
            return null;
        }

        @Override
        public Void taskDone(TaskDone e) {
            TaskRec t = tasks.get(e.task());
            if (t == null) {
                report(1, "task_done of task#" + e.task() + ", which was never spawned");
                return null;
            }
            if (t.doneSeq >= 0) {
                report(1, t.name + " finishes a second time (first at seq " + t.doneSeq + ")");
                return null;
            }
            t.doneSeq = e.seq();
            stopRunning(t, "task_done");
            for (int nid : t.owned) {
                NurseryRec n = nurseries.get(nid);
                if (n != null && n.closeSeq < 0) {
                    report(3, t.name + " finishes while its nursery " + n.id + " is still open");
                }
            }
            if (cancelReaching(t.id) >= 0 && e.outcome() != Outcome.CANCELLED && !e.cancelRequested()) {
                report(4, describeCancel(t.id) + " did not reach " + t.name + ": it ends " + e.outcome().wire()
                        + " without cancel_requested");
            }
            NurseryRec n = nurseries.get(t.nursery);
            if (n != null) {
                n.live--;
                if (e.outcome() == Outcome.ERROR && n.firstChildError == null
                        && !StateFolder.isCancelledError(e.error())) {
                    n.firstChildError = String.valueOf(e.error());
                    n.firstChildErrorSeq = e.seq();
                }
            }
            return null;
        }

        @Override
        public Void nurseryOpen(NurseryOpen e) {
            if (nurseries.containsKey(e.nursery())) {
                report(3, "nursery " + e.nursery() + " is opened a second time");
                return null;
            }
            nurseries.put(e.nursery(), new NurseryRec(e.nursery(), e.owner(), e.seq()));
            TaskRec owner = tasks.get(e.owner());
            if (owner != null) owner.owned.add(e.nursery());
            return null;
        }

        @Override
        public Void nurseryClose(NurseryClose e) {
            NurseryRec n = nurseries.get(e.nursery());
            if (n == null) return null;
            if (n.closeSeq >= 0) {
                report(3, "nursery " + n.id + " closes a second time");
                return null;
            }
            n.closeSeq = e.seq();
            if (n.live > 0) {
                List<String> left = new ArrayList<>();
                for (int c : n.children) {
                    TaskRec t = tasks.get(c);
                    if (t != null && t.doneSeq < 0 && left.size() < 5) left.add(t.name);
                }
                report(3, "nursery " + n.id + " closes while " + n.live + " child(ren) have not finished: "
                        + String.join(", ", left) + (n.live > left.size() ? ", …" : ""));
            }
            if (n.firstChildError != null) {
                if (e.outcome() != Outcome.ERROR) {
                    report(6, "nursery " + n.id + " closes " + e.outcome().wire() + " although a child failed with "
                            + n.firstChildError + " (seq " + n.firstChildErrorSeq + ")");
                } else if (!n.firstChildError.equals(e.error())) {
                    report(6, "nursery " + n.id + " closes with " + e.error() + " instead of the first child error "
                            + n.firstChildError + " (seq " + n.firstChildErrorSeq + ")");
                }
            }
            return null;
        }

        @Override
        public Void cancelRequest(CancelRequest e) {
            if (e.targetKind() == TargetKind.TASK) {
                TaskRec t = tasks.get(e.target());
                if (t != null && t.cancelSeq < 0) t.cancelSeq = e.seq();
            } else {
                NurseryRec n = nurseries.get(e.target());
                if (n != null && n.cancelSeq < 0) n.cancelSeq = e.seq();
            }
            return null;
        }

        @Override
        public Void runEnd(RunEnd e) {
            ended = true;
            endStatus = e.status();
            return null;
        }

        @Override public Void runStart(RunStart e) { return null; }
        @Override public Void workerPark(WorkerPark e) { return null; }
        @Override public Void workerUnpark(WorkerUnpark e) { return null; }
        @Override public Void taskPush(TaskPush e) { return null; }
        @Override public Void taskPop(TaskPop e) { return null; }
        @Override public Void taskSteal(TaskSteal e) { return null; }
        @Override public Void taskWake(TaskWake e) { return null; }
        @Override public Void cancelObserve(CancelObserve e) { return null; }
        @Override public Void nurseryJoin(NurseryJoin e) { return null; }
        @Override public Void print(Print e) { return null; }
        @Override public Void line(Line e) { return null; }
        @Override public Void taskError(TaskError e) { return null; }
        @Override public Void unknown(Unknown e) { return null; }
    }

    // ---- invariant 8 ----

    /**
     * Invariant 8: whether two trace files (plain or gzip) hold the same bytes, apart from the
     * header's {@code created} value. Empty if identical, else the first difference, whose
     * seq is that of the differing event line (-1 for the header).
     */
    public static Optional<Violation> compareIgnoringCreated(Path a, Path b) throws IOException {
        return compareIgnoringCreated(readAll(a), readAll(b));
    }

    /** Invariant 8 for two in-memory traces: their serialisations compared as in {@link #compareIgnoringCreated(Path, Path)}. */
    public static Optional<Violation> compareIgnoringCreated(Trace a, Trace b) {
        return compareIgnoringCreated(bytes(a), bytes(b));
    }

    private static byte[] bytes(Trace t) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TraceFiles.write(t, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(Path p) throws IOException {
        try (InputStream raw = Files.newInputStream(p)) {
            byte[] all = raw.readAllBytes();
            if (all.length >= 2 && (all[0] & 0xff) == 0x1f && (all[1] & 0xff) == 0x8b) {
                try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(all))) {
                    return in.readAllBytes();
                }
            }
            return all;
        }
    }

    static Optional<Violation> compareIgnoringCreated(byte[] a, byte[] b) {
        int ia = 0, ib = 0;
        long line = 0;
        while (ia < a.length || ib < b.length) {
            int ea = lineEnd(a, ia), eb = lineEnd(b, ib);
            byte[] la = Arrays.copyOfRange(a, ia, ea), lb = Arrays.copyOfRange(b, ib, eb);
            if (line == 0) {
                la = withoutCreated(la);
                lb = withoutCreated(lb);
            }
            if (!Arrays.equals(la, lb)) {
                String msg = (line == 0 ? "headers differ" : "event lines differ") + ": "
                        + clip(new String(la, StandardCharsets.UTF_8)) + " vs " + clip(new String(lb, StandardCharsets.UTF_8));
                if (ia >= a.length) msg = "the first trace ends before line " + (line + 1);
                else if (ib >= b.length) msg = "the second trace ends before line " + (line + 1);
                return Optional.of(new Violation(8, line - 1, msg));
            }
            ia = Math.min(a.length, ea + 1);
            ib = Math.min(b.length, eb + 1);
            line++;
        }
        return Optional.empty();
    }

    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == '\n') return i;
        return b.length;
    }

    private static byte[] withoutCreated(byte[] header) {
        String s = new String(header, StandardCharsets.UTF_8);
        return s.replaceFirst("\"created\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"", "\"created\":\"\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}

package dev.januslab.scheduler.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.TargetKind;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a trace as Chrome Trace Event Format JSON (TRACE.md §4), the object form
 * {@code {"traceEvents":[...],"displayTimeUnit":"ns"}} that Perfetto UI and
 * chrome://tracing open:
 * <ul>
 * <li>pid 1 is the run; tid {@code w+1} is worker {@code w} ("W0"...), tid
 *     {@value #RUNTIME_TID} the runtime itself (events with w = -1); {@code M} events name them
 *     and keep them in worker order.</li>
 * <li>One complete ({@code X}) slice per task run: from {@code task_run} to the task's
 *     next yield, block or done on that worker, named {@code FUNC#ID}. Slices on one worker
 *     never overlap (a run cut short by a broken trace is closed where the next begins).</li>
 * <li>Flow events for spawn, steal and wake edges: {@code s} where the edge starts and
 *     {@code f} with {@code "bp":"e"} at the start of the target task's next run slice.
 *     Each flow start gets a zero-length marker slice ("spawn leaf#3") at its moment on its
 *     thread, so that both viewers bind it: Perfetto binds a flow to the slice that encloses
 *     it (there may be none: the runtime, an idle victim, a timer wake), Chrome DevTools to
 *     the slice with the same ts, tid and category (so flows, markers and task slices share
 *     the category "task"). Edges whose task never runs again are left out.</li>
 * <li>{@code C} counters "W0 queue"... (and "inject queue") whenever a queue length changes.</li>
 * <li>Instant ({@code i}, thread-scoped) events for cancel_request, cancel_observe and error.</li>
 * </ul>
 * Timestamps are microseconds (the trace's ns / 1000, exact in a double).
 */
public final class ChromeTraceExporter {
    static final int PID = 1;
    static final int RUNTIME_TID = 100_000;
    /** The category of task slices, flow markers and flows alike (Chrome DevTools binds a flow only within one). */
    static final String FLOW_CAT = "task";

    private ChromeTraceExporter() {}

    public static void export(Trace trace, Path out) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            export(trace, o);
        }
    }

    /** Writes the JSON to {@code out}, which is flushed but not closed. */
    public static void export(Trace trace, OutputStream out) throws IOException {
        JsonGenerator g = TraceWriter.JSON.createGenerator(out, JsonEncoding.UTF8);
        g.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        new Export(trace, g).run();
        g.flush();
    }

    private record OpenRun(int task, long start, long seq) {}

    private record PendingFlow(long id, String name, int tid, long t) {}

    private static final class Export {
        private final Trace trace;
        private final JsonGenerator g;
        private final Map<Integer, String> names = new HashMap<>();
        private final Map<Integer, OpenRun> open = new HashMap<>();
        private final Map<Integer, List<PendingFlow>> pending = new HashMap<>();
        private final StateFolder queues;
        private int[] lastLen = new int[0];
        private int lastInject;
        private long flowIds;

        Export(Trace trace, JsonGenerator g) {
            this.trace = trace;
            this.g = g;
            this.queues = new StateFolder(trace.initialState());
        }

        void run() throws IOException {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeObjectFieldStart("otherData");
            g.writeStringField("program", trace.header().program().name());
            g.writeStringField("mode", trace.header().config().mode().wire());
            g.writeNumberField("seed", trace.header().config().seed());
            g.writeNumberField("workers", trace.header().config().workers());
            g.writeEndObject();
            g.writeArrayFieldStart("traceEvents");
            long n = trace.size();
            int maxWorker = trace.header().config().workers() - 1;
            boolean runtime = false;
            long lastT = 0;
            for (long i = 0; i < n; i++) {
                TraceEvent e = trace.get(i);
                maxWorker = Math.max(maxWorker, e.w());
                if (e.w() < 0) runtime = true;
                if (e instanceof RunStart rs) maxWorker = Math.max(maxWorker, rs.workers() - 1);
                lastT = Math.max(lastT, e.t());
                event(e);
                queues.apply(e);
                counters(e.t());
            }
            for (Map.Entry<Integer, OpenRun> o : new ArrayList<>(open.entrySet())) {
                slice(o.getKey(), o.getValue(), lastT, "trace ends");
            }
            metadata(maxWorker, runtime);
            g.writeEndArray();
            g.writeEndObject();
        }

        private void metadata(int maxWorker, boolean runtime) throws IOException {
            meta("process_name", RUNTIME_TID, "name", "Janus Lab: " + trace.header().program().name());
            for (int w = 0; w <= maxWorker; w++) {
                meta("thread_name", tid(w), "name", "W" + w);
                metaInt("thread_sort_index", tid(w), w);
            }
            if (runtime) {
                meta("thread_name", RUNTIME_TID, "name", "runtime");
                metaInt("thread_sort_index", RUNTIME_TID, maxWorker + 1);
            }
        }

        private void meta(String name, int tid, String key, String value) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeStringField("ph", "M");
            g.writeNumberField("pid", PID);
            g.writeNumberField("tid", tid);
            g.writeObjectFieldStart("args");
            g.writeStringField(key, value);
            g.writeEndObject();
            g.writeEndObject();
        }

        private void metaInt(String name, int tid, int sortIndex) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeStringField("ph", "M");
            g.writeNumberField("pid", PID);
            g.writeNumberField("tid", tid);
            g.writeObjectFieldStart("args");
            g.writeNumberField("sort_index", sortIndex);
            g.writeEndObject();
            g.writeEndObject();
        }

        private static int tid(int w) {
            return w < 0 ? RUNTIME_TID : w + 1;
        }

        private String name(int task) {
            String s = names.get(task);
            return s != null ? s : TraceEvent.taskName(null, task);
        }

        private void ts(long ns) throws IOException {
            g.writeFieldName("ts");
            micros(ns);
        }

        /** ns as µs: exact for any run shorter than ~100 days (doubles hold 15 digits). */
        private void micros(long ns) throws IOException {
            g.writeNumber(ns / 1000.0);
        }

        private void common(String ph, String name, String cat, int tid, long t) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", name);
            if (cat != null) g.writeStringField("cat", cat);
            g.writeStringField("ph", ph);
            g.writeNumberField("pid", PID);
            g.writeNumberField("tid", tid);
            ts(t);
        }

        /** The X slice of one run of a task on worker {@code w}. */
        private void slice(int w, OpenRun r, long end, String how) throws IOException {
            open.remove(w);
            common("X", name(r.task), FLOW_CAT, tid(w), r.start);
            g.writeFieldName("dur");
            micros(Math.max(0, end - r.start));
            g.writeObjectFieldStart("args");
            g.writeNumberField("task", r.task);
            g.writeNumberField("seq", r.seq);
            g.writeStringField("ended", how);
            g.writeEndObject();
            g.writeEndObject();
        }

        private void closeRunOf(int task, long t, String how) throws IOException {
            for (Map.Entry<Integer, OpenRun> o : new ArrayList<>(open.entrySet())) {
                if (o.getValue().task == task) slice(o.getKey(), o.getValue(), t, how);
            }
        }

        /** Starts a flow edge at (w, t) towards the next run of {@code task}. */
        private void flowFrom(String kind, int w, long t, int task, String marker) throws IOException {
            common("X", marker, FLOW_CAT, tid(w), t);
            g.writeFieldName("dur");
            micros(0);
            g.writeEndObject();
            pending.computeIfAbsent(task, k -> new ArrayList<>(1)).add(new PendingFlow(++flowIds, kind, tid(w), t));
        }

        private void instant(String name, String cat, int w, long t, String detail) throws IOException {
            common("i", name, cat, tid(w), t);
            g.writeStringField("s", "t");
            g.writeObjectFieldStart("args");
            g.writeStringField("detail", detail);
            g.writeEndObject();
            g.writeEndObject();
        }

        private void counters(long t) throws IOException {
            int n = queues.workerCount();
            if (lastLen.length < n) lastLen = Arrays.copyOf(lastLen, n);
            for (int w = 0; w < n; w++) {
                int len = queues.queueLength(w);
                if (len != lastLen[w]) {
                    lastLen[w] = len;
                    counter("W" + w + " queue", t, len);
                }
            }
            int inj = queues.injectLength();
            if (inj != lastInject) {
                lastInject = inj;
                counter("inject queue", t, inj);
            }
        }

        private void counter(String name, long t, int value) throws IOException {
            common("C", name, "queue", RUNTIME_TID, t);
            g.writeObjectFieldStart("args");
            g.writeNumberField("tasks", value);
            g.writeEndObject();
            g.writeEndObject();
        }

        private void event(TraceEvent e) throws IOException {
            if (e instanceof TaskSpawn s) {
                names.put(s.task(), s.name());
                flowFrom("spawn", s.w(), s.t(), s.task(), "spawn " + s.name());
            } else if (e instanceof TaskRun r) {
                OpenRun prev = open.get(r.w());
                if (prev != null) slice(r.w(), prev, r.t(), "cut short: " + name(r.task()) + " switched in");
                closeRunOf(r.task(), r.t(), "cut short: switched in elsewhere");
                open.put(r.w(), new OpenRun(r.task(), r.t(), r.seq()));
                List<PendingFlow> flows = pending.remove(r.task());
                if (flows != null) {
                    for (PendingFlow f : flows) {
                        common("s", f.name, FLOW_CAT, f.tid, f.t);
                        g.writeNumberField("id", f.id);
                        g.writeEndObject();
                        common("f", f.name, FLOW_CAT, tid(r.w()), r.t());
                        g.writeStringField("bp", "e");
                        g.writeNumberField("id", f.id);
                        g.writeEndObject();
                    }
                }
            } else if (e instanceof TaskYield y) {
                closeRunOf(y.task(), y.t(), "yield (" + y.reason().wire() + ")");
            } else if (e instanceof TaskBlock b) {
                closeRunOf(b.task(), b.t(), "block on " + b.on().wire());
            } else if (e instanceof TaskDone d) {
                closeRunOf(d.task(), d.t(), "done " + d.outcome().wire());
            } else if (e instanceof TaskSteal s) {
                flowFrom("steal", s.victim(), s.t(), s.task(), "stolen " + name(s.task()) + " by W" + s.w());
            } else if (e instanceof TaskWake wk) {
                flowFrom("wake", wk.w(), wk.t(), wk.task(), "wake " + name(wk.task()));
            } else if (e instanceof CancelRequest c) {
                String target = c.targetKind() == TargetKind.TASK ? name(c.target()) : "nursery " + c.target();
                instant("cancel " + target, "cancel", c.w(), c.t(),
                        c.reason().wire() + (c.by() >= 0 ? ", by " + name(c.by()) : ""));
            } else if (e instanceof CancelObserve o) {
                instant("cancel observed by " + name(o.task()), "cancel", o.w(), o.t(),
                        o.how().wire() + " at line " + o.line());
            } else if (e instanceof TaskError err) {
                instant("error in " + name(err.task()), "error", err.w(), err.t(),
                        err.error() + " at line " + err.line());
            }
        }
    }
}

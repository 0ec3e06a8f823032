package dev.januslab.scheduler.trace;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Consumer;

/**
 * The events of one run, append-only, with the folded {@link SchedulerState} at any seq.
 *
 * <p><b>Threads.</b> One writer (the live event pump, or a file reader) calls
 * {@link #append}; any number of readers (the FX thread, an exporter) call everything
 * else at the same time. A reader sees a consistent prefix: every event below the
 * {@link #size()} it read, and keyframes that fold exactly those events.
 *
 * <p><b>Seeking.</b> An immutable keyframe of the folded state is kept every
 * {@value #KEYFRAME_INTERVAL} events. {@link #stateAt(long)} copies the nearest keyframe at
 * or before the seq and folds at most {@value #KEYFRAME_INTERVAL}−1 events forward (or
 * fewer, from the last state asked for, when stepping). A state depends only on the
 * events folded into it, so seeking and stepping agree exactly.
 *
 * <p><b>Indexing.</b> By default ({@link Indexing#ON_APPEND}) the writer folds each event as
 * it appends it, so keyframes are always ready (what the app and replay want). A writer that
 * only records — {@code janus-lab run --trace} — can choose {@link Indexing#ON_DEMAND}: appending
 * then only stores, and the first {@code stateAt} folds up to where it needs keyframes.
 *
 * <p>In this class a "seq" is a position in the trace; it equals the event's {@code seq}
 * field in every trace that keeps invariant 7 (the {@link InvariantChecker} reports the others).
 */
public final class Trace {
    public static final int KEYFRAME_INTERVAL = 1024;

    /** When keyframes are built: as events are appended, or when a state is first asked for. */
    public enum Indexing { ON_APPEND, ON_DEMAND }

    private volatile TraceHeader header;
    private final EventStore events = new EventStore();
    private final SchedulerState initial;

    private final Indexing indexing;
    /** Guards {@link #indexer} and {@link #indexed}: the fold that makes keyframes. */
    private final Object indexLock = new Object();
    private final StateFolder indexer;
    private long indexed;
    /** keyframes[k] = state after the first k*KEYFRAME_INTERVAL events; published via keyframeCount. */
    private volatile SchedulerState[] keyframes;
    private volatile int keyframeCount;

    /** The last state a reader asked for, so stepping folds one event instead of hundreds. */
    private volatile Cached cached;

    private record Cached(long seq, SchedulerState state) {}

    public Trace(TraceHeader header) {
        this(header, Indexing.ON_APPEND);
    }

    public Trace(TraceHeader header, Indexing indexing) {
        this.header = Objects.requireNonNull(header, "header");
        this.indexing = Objects.requireNonNull(indexing, "indexing");
        this.initial = SchedulerState.initial(header.config().workers());
        this.indexer = new StateFolder(initial);
        this.keyframes = new SchedulerState[64];
        this.keyframes[0] = initial;
        this.keyframeCount = 1;
    }

    public TraceHeader header() {
        return header;
    }

    /** Replaces the header (e.g. to record the lesson step before saving). */
    public void setHeader(TraceHeader header) {
        this.header = Objects.requireNonNull(header, "header");
    }

    /** Appends one event. Single writer; synchronized only to make a second writer safe, not fast. */
    public synchronized void append(TraceEvent e) {
        Objects.requireNonNull(e, "event");
        events.append(e);
        if (indexing == Indexing.ON_APPEND) {
            synchronized (indexLock) {
                if (indexed == events.size() - 1) fold(e);
            }
        }
    }

    /**
     * Appends one event given as the fields of a binary record of janusrt.h ("Events": native
     * kind and enum codes, {@code a}..{@code e} as laid out there), without building a
     * {@link TraceEvent}: the live pump's fast path. {@code text} is the record's text, or null
     * if it has none; for task_spawn it is the function name instead. Returns false, appending
     * nothing, when the event cannot be stored this way (run_start, error, run_end, unknown
     * kinds, a seq that is not the next position, an enum code the decoder would not know):
     * the caller then decodes the record and calls {@link #append}. Single writer, like append;
     * the stored event is exactly the one {@code append(decoded record)} would store.
     */
    public synchronized boolean appendRaw(int kind, long seq, long t, int w, long a, long b, long c, int d, int e,
                                          String text) {
        if (!events.appendRaw(kind, seq, t, w, a, b, c, d, e, text)) return false;
        if (indexing == Indexing.ON_APPEND) {
            synchronized (indexLock) {
                int n = events.size();
                if (indexed == n - 1) fold(events.get(n - 1));
            }
        }
        return true;
    }

    /** Folds one more event into the indexer; publishes a keyframe at each interval. Holds indexLock. */
    private void fold(TraceEvent e) {
        indexer.apply(e);
        long n = ++indexed;
        if (n % KEYFRAME_INTERVAL == 0) {
            int k = (int) (n / KEYFRAME_INTERVAL);
            SchedulerState[] kf = keyframes;
            if (k >= kf.length) kf = Arrays.copyOf(kf, kf.length * 2);
            kf[k] = indexer.snapshot();
            keyframes = kf;
            keyframeCount = k + 1;
        }
    }

    /** Makes sure keyframes cover the first {@code n} events (rounded down to the interval). */
    void indexUpTo(long n) {
        long target = n - n % KEYFRAME_INTERVAL;
        if ((long) (keyframeCount - 1) * KEYFRAME_INTERVAL >= target) return;
        synchronized (indexLock) {
            while (indexed < target) fold(events.get((int) indexed));
        }
    }

    public Indexing indexing() {
        return indexing;
    }

    public void appendAll(Iterable<? extends TraceEvent> es) {
        for (TraceEvent e : es) append(e);
    }

    /** How many events the trace holds now (grows while a live run appends). */
    public long size() {
        return events.size();
    }

    public boolean isEmpty() {
        return events.size() == 0;
    }

    public TraceEvent get(long seq) {
        return events.get(index(seq));
    }

    /** The time of event {@code seq} without building the record (timeline drawing). */
    public long time(long seq) {
        return events.t(index(seq));
    }

    /** The worker of event {@code seq} without building the record. */
    public int worker(long seq) {
        return events.w(index(seq));
    }

    /** The task event {@code seq} is about, or -1, without building the record. */
    public int taskOf(long seq) {
        return events.task(index(seq));
    }

    /** The {@code seq} field of the event at this position (equal to it in a valid trace). */
    public long recordedSeq(long position) {
        return events.seq(index(position));
    }

    /**
     * The next event after {@code from} (or, if {@code forward} is false, before it) about
     * {@code task}; -1 if none. For "jump to the selected task's next event".
     */
    public long nextEventOfTask(int task, long from, boolean forward) {
        int n = events.size();
        if (forward) {
            for (long i = Math.max(0, from + 1); i < n; i++) if (events.task((int) i) == task) return i;
        } else {
            for (long i = Math.min(n, from) - 1; i >= 0; i--) if (events.task((int) i) == task) return i;
        }
        return -1;
    }

    /** Like {@link #nextEventOfTask} for the events of worker {@code w}. */
    public long nextEventOfWorker(int w, long from, boolean forward) {
        int n = events.size();
        if (forward) {
            for (long i = Math.max(0, from + 1); i < n; i++) if (events.w((int) i) == w) return i;
        } else {
            for (long i = Math.min(n, from) - 1; i >= 0; i--) if (events.w((int) i) == w) return i;
        }
        return -1;
    }

    /** A read-only list view of the first {@link #size()} events at the time of the call. */
    public List<TraceEvent> events() {
        int n = events.size();
        return new EventList(0, n);
    }

    /** Events {@code from} (inclusive) to {@code to} (exclusive), as a list view. */
    public List<TraceEvent> events(long from, long to) {
        int n = events.size();
        if (from < 0 || to > n || from > to) throw new IndexOutOfBoundsException(from + ".." + to + " of " + n);
        return new EventList((int) from, (int) to);
    }

    public void forEach(Consumer<? super TraceEvent> action) {
        int n = events.size();
        for (int i = 0; i < n; i++) action.accept(events.get(i));
    }

    /** The state before the first event (workers from the header, all idle). */
    public SchedulerState initialState() {
        return initial;
    }

    /** The state once the last appended event has happened. */
    public SchedulerState latestState() {
        return stateAt(events.size() - 1);
    }

    /**
     * The state once event {@code seq} has happened; -1 gives the initial state. Costs one
     * keyframe copy (the worker deques) and at most {@value #KEYFRAME_INTERVAL}−1 folded events.
     */
    public SchedulerState stateAt(long seq) {
        int n = events.size();
        if (seq < -1 || seq >= n) throw new IndexOutOfBoundsException("seq " + seq + " of " + n + " events");
        if (indexing == Indexing.ON_DEMAND) indexUpTo(seq + 1);
        int kCount = keyframeCount;
        SchedulerState[] kf = keyframes;
        int k = (int) Math.min((seq + 1) / KEYFRAME_INTERVAL, kCount - 1);
        long from = (long) k * KEYFRAME_INTERVAL - 1;
        SchedulerState start = kf[k];
        Cached c = cached;
        if (c != null && c.seq == seq) return c.state;
        if (c != null && c.seq < seq && c.seq > from) {
            from = c.seq;
            start = c.state;
        }
        StateFolder f = new StateFolder(start);
        for (long i = from + 1; i <= seq; i++) f.apply(events.get((int) i));
        SchedulerState s = f.snapshot();
        cached = new Cached(seq, s);
        return s;
    }

    /** Folds every event from the start, ignoring keyframes: the reference {@link #stateAt} must equal. */
    public SchedulerState foldFromStart(long seq) {
        StateFolder f = new StateFolder(initial);
        for (long i = 0; i <= seq; i++) f.apply(events.get((int) i));
        return f.snapshot();
    }

    public int keyframeCount() {
        return keyframeCount;
    }

    private int index(long seq) {
        if (seq < 0 || seq >= events.size()) throw new IndexOutOfBoundsException("seq " + seq + " of " + events.size());
        return (int) seq;
    }

    private final class EventList extends AbstractList<TraceEvent> implements RandomAccess {
        private final int from;
        private final int to;

        EventList(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public TraceEvent get(int i) {
            if (i < 0 || i >= to - from) throw new IndexOutOfBoundsException(i);
            return events.get(from + i);
        }

        @Override
        public int size() {
            return to - from;
        }
    }

    @Override
    public String toString() {
        return "Trace{" + header.program().name() + ", " + size() + " events}";
    }
}

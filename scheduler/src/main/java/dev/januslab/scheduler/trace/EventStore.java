package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.CancelHow;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.Pos;
import dev.januslab.scheduler.trace.Wire.TargetKind;
import dev.januslab.scheduler.trace.Wire.YieldReason;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The events of a {@link Trace}, stored by columns in chunks of 4,096 rather than as one
 * object each: about 32 bytes an event and a few thousand arrays for the garbage collector
 * to trace, instead of a million records. {@link #get} rebuilds the record on demand
 * (young, short-lived garbage).
 *
 * <p>Columns: kind, one byte of enum codes ({@code x}), worker, time, four ints
 * ({@code a}..{@code d}, meaning per kind, see {@link Encoder}) and one object slot for
 * strings. Anything that does not fit — rare kinds (run_start, error, run_end, unknown),
 * a seq that is not its index, a value out of range — is kept as the record itself.
 *
 * <p>One writer appends; any number of readers read indices below {@link #size()}. The
 * writer fills a slot and only then publishes the new size (a volatile write), so a
 * reader that sees the size sees the slot.
 */
final class EventStore {
    private static final int SHIFT = 12;
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private static final byte PARK = 0, UNPARK = 1, NURSERY_OPEN = 2, SPAWN = 3, PUSH = 4, POP = 5,
            STEAL = 6, RUN = 7, YIELD = 8, BLOCK = 9, WAKE = 10, CANCEL_REQ = 11, CANCEL_OBS = 12,
            DONE = 13, JOIN = 14, CLOSE = 15, PRINT = 16, LINE = 17, RECORD = 18;

    /** In DONE's x byte: set when cancel_requested is true / when the string slot holds the error. */
    private static final int DONE_CANCEL_REQUESTED = 0x10, DONE_OBJ_IS_ERROR = 0x20;

    private static final class Chunk {
        final byte[] kind = new byte[CHUNK];
        final byte[] x = new byte[CHUNK];
        final short[] w = new short[CHUNK];
        final long[] t = new long[CHUNK];
        final int[] a = new int[CHUNK];
        final int[] b = new int[CHUNK];
        final int[] c = new int[CHUNK];
        final int[] d = new int[CHUNK];
        final Object[] obj = new Object[CHUNK];
    }

    private volatile Chunk[] chunks = new Chunk[16];
    private volatile int size;
    /** Function names, so a million spawns of {@code fetch} share one string. Writer only. */
    private final Map<String, String> names = new HashMap<>();
    private final Encoder encoder = new Encoder();
    /** Function names {@link #appendRaw} interned lately, and what they became. Writer only. */
    private static final int NAME_CACHE = 64;
    private final String[] nameKeys = new String[NAME_CACHE], nameValues = new String[NAME_CACHE];

    int size() {
        return size;
    }

    /** Appends {@code e}; the caller guarantees a single writer. */
    void append(TraceEvent e) {
        int i = size;
        if (i == Integer.MAX_VALUE) throw new IllegalStateException("trace full");
        Chunk[] dir = chunks;
        int ci = i >>> SHIFT;
        if (ci >= dir.length) {
            dir = Arrays.copyOf(dir, dir.length * 2);
            chunks = dir;
        }
        Chunk ch = dir[ci];
        if (ch == null) {
            ch = new Chunk();
            dir[ci] = ch;
        }
        int s = i & MASK;
        boolean columnar = e.seq() == i && e.w() >= Short.MIN_VALUE && e.w() <= Short.MAX_VALUE
                && encoder.encode(ch, s, e);
        if (columnar) {
            ch.w[s] = (short) e.w();
            ch.t[s] = e.t();
        } else {
            ch.kind[s] = RECORD;
            ch.obj[s] = e;
            ch.t[s] = e.t();
            ch.w[s] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, e.w()));
        }
        size = i + 1;
    }

    // Native kind codes of janusrt.h (the same as nativert.EventRecords; RawAppendTest checks them).
    private static final int N_WORKER_PARK = 2, N_WORKER_UNPARK = 3, N_NURSERY_OPEN = 4, N_TASK_SPAWN = 5,
            N_TASK_PUSH = 6, N_TASK_POP = 7, N_TASK_STEAL = 8, N_TASK_RUN = 9, N_TASK_YIELD = 10, N_TASK_BLOCK = 11,
            N_TASK_WAKE = 12, N_CANCEL_REQUEST = 13, N_CANCEL_OBSERVE = 14, N_TASK_DONE = 15, N_NURSERY_JOIN = 16,
            N_NURSERY_CLOSE = 17, N_PRINT = 18, N_LINE = 19;
    /** janusrt.h enum code -> Wire ordinal (the x byte), -1 for a code the decoder maps to null. */
    private static final int[] POS = {Pos.TOP.ordinal(), Pos.BOTTOM.ordinal()};
    private static final int[] YIELD_REASON = {YieldReason.BUDGET.ordinal(), YieldReason.YIELD.ordinal()};
    private static final int[] BLOCK_ON = {BlockOn.AWAIT.ordinal(), BlockOn.SLEEP.ordinal(), BlockOn.IO.ordinal(),
            BlockOn.JOIN.ordinal()};
    private static final int[] TARGET_KIND = {TargetKind.TASK.ordinal(), TargetKind.NURSERY.ordinal()};
    private static final int[] CANCEL_REASON = {CancelReason.EXPLICIT.ordinal(), CancelReason.FAILURE.ordinal(),
            CancelReason.PARENT.ordinal()};
    private static final int[] CANCEL_HOW = {CancelHow.POLL.ordinal(), CancelHow.CHECKPOINT.ordinal()};
    private static final int[] OUTCOME = {Outcome.OK.ordinal(), Outcome.ERROR.ordinal(), Outcome.CANCELLED.ordinal()};
    private static final int OUTCOME_OK = 0;

    private static int code(int[] table, long v) {
        return v >= 0 && v < table.length ? table[(int) v] : -1;
    }

    /**
     * Appends an event given as the fields of a janusrt.h record (native kind and enum codes,
     * see nativert.EventRecords), without building the record. {@code text} is the record's
     * text (null if it has none), or for task_spawn the function name. Returns false, storing
     * nothing, when the event must go through {@link #append} instead: rare kinds (run_start,
     * error, run_end, unknown), a seq that is not its index, an enum code out of range.
     * The caller guarantees a single writer.
     */
    boolean appendRaw(int kind, long seq, long t, int w, long a, long b, long c, int d, int e, String text) {
        int i = size;
        if (seq != i || i == Integer.MAX_VALUE || w < Short.MIN_VALUE || w > Short.MAX_VALUE) return false;
        byte k;
        int x = 0, ca = (int) a, cb = 0, cc = 0, cd = 0;
        Object o = null;
        switch (kind) {
            case N_WORKER_PARK: k = PARK; ca = 0; break;
            case N_WORKER_UNPARK: k = UNPARK; ca = 0; break;
            case N_NURSERY_OPEN: k = NURSERY_OPEN; cb = (int) b; cc = (int) c; cd = e; break;
            case N_TASK_SPAWN:
                k = SPAWN; cb = (int) b; cc = (int) c; cd = e;
                if (text != null) {
                    // the pump passes the same String for the same function: an identity hit
                    int slot = text.hashCode() & (NAME_CACHE - 1);
                    if (nameKeys[slot] == text) {
                        o = nameValues[slot];
                    } else {
                        String f = names.get(text);
                        if (f == null) {
                            f = text;
                            names.put(f, f);
                        }
                        nameKeys[slot] = text;
                        nameValues[slot] = f;
                        o = f;
                    }
                }
                break;
            case N_TASK_PUSH: k = PUSH; x = code(POS, c); cb = (int) b; break;
            case N_TASK_POP: k = POP; break;
            case N_TASK_STEAL: k = STEAL; cb = (int) b; break;
            case N_TASK_RUN: k = RUN; break;
            case N_TASK_YIELD: k = YIELD; x = code(YIELD_REASON, b); break;
            case N_TASK_BLOCK: k = BLOCK; x = code(BLOCK_ON, b); cc = (int) (c >>> 32); cd = (int) c; break;
            case N_TASK_WAKE: k = WAKE; cb = (int) b; break;
            case N_CANCEL_REQUEST: {
                int tk = code(TARGET_KIND, a), r = code(CANCEL_REASON, d);
                if (tk < 0 || r < 0) return false;
                k = CANCEL_REQ; x = tk << 2 | r; ca = (int) b; cb = (int) c;
                break;
            }
            case N_CANCEL_OBSERVE: k = CANCEL_OBS; x = code(CANCEL_HOW, b); cd = e; break;
            case N_TASK_DONE: {
                int out = code(OUTCOME, b);
                if (out < 0) return false;
                k = DONE;
                o = text;
                x = out | (c != 0 ? DONE_CANCEL_REQUESTED : 0)
                        | (b != OUTCOME_OK && text != null ? DONE_OBJ_IS_ERROR : 0);
                break;
            }
            case N_NURSERY_JOIN: k = JOIN; break;
            case N_NURSERY_CLOSE: k = CLOSE; x = code(OUTCOME, b); o = text; break;
            case N_PRINT: k = PRINT; o = text == null ? "" : text; break;
            case N_LINE: k = LINE; cd = e; break;
            default: return false;
        }
        if (x < 0) return false;
        Chunk[] dir = chunks;
        int ci = i >>> SHIFT;
        if (ci >= dir.length) {
            dir = Arrays.copyOf(dir, dir.length * 2);
            chunks = dir;
        }
        Chunk ch = dir[ci];
        if (ch == null) {
            ch = new Chunk();
            dir[ci] = ch;
        }
        int s = i & MASK;
        ch.kind[s] = k;
        ch.x[s] = (byte) x;
        ch.w[s] = (short) w;
        ch.t[s] = t;
        ch.a[s] = ca;
        ch.b[s] = cb;
        ch.c[s] = cc;
        ch.d[s] = cd;
        ch.obj[s] = o;
        size = i + 1;
        return true;
    }

    private Chunk chunk(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("event " + i + " of " + size);
        return chunks[i >>> SHIFT];
    }

    long t(int i) {
        return chunk(i).t[i & MASK];
    }

    /** The worker of event {@code i} (exact unless it is out of short range). */
    int w(int i) {
        Chunk ch = chunk(i);
        int s = i & MASK;
        return ch.kind[s] == RECORD ? ((TraceEvent) ch.obj[s]).w() : ch.w[s];
    }

    long seq(int i) {
        Chunk ch = chunk(i);
        int s = i & MASK;
        return ch.kind[s] == RECORD ? ((TraceEvent) ch.obj[s]).seq() : i;
    }

    /** The task an event is about (task kinds, print, line, error), else -1. Allocation-free. */
    int task(int i) {
        Chunk ch = chunk(i);
        int s = i & MASK;
        switch (ch.kind[s]) {
            case SPAWN, PUSH, POP, STEAL, RUN, YIELD, BLOCK, WAKE, CANCEL_OBS, DONE, PRINT, LINE:
                return ch.a[s];
            case CANCEL_REQ:
                return (ch.x[s] >> 2) == TargetKind.TASK.ordinal() ? ch.a[s] : -1;
            case RECORD:
                return TraceEvents.taskOf((TraceEvent) ch.obj[s]);
            default:
                return -1;
        }
    }

    TraceEvent get(int i) {
        Chunk ch = chunk(i);
        int s = i & MASK;
        long t = ch.t[s];
        int w = ch.w[s];
        int a = ch.a[s], b = ch.b[s], c = ch.c[s], d = ch.d[s];
        int x = ch.x[s];
        Object o = ch.obj[s];
        switch (ch.kind[s]) {
            case PARK: return new WorkerPark(i, t, w);
            case UNPARK: return new WorkerUnpark(i, t, w);
            case NURSERY_OPEN: return new NurseryOpen(i, t, w, a, b, c, d);
            case SPAWN: return new TaskSpawn(i, t, w, a, b, c, (String) o, d);
            case PUSH: return new TaskPush(i, t, w, a, b, Pos.values()[x]);
            case POP: return new TaskPop(i, t, w, a);
            case STEAL: return new TaskSteal(i, t, w, a, b);
            case RUN: return new TaskRun(i, t, w, a);
            case YIELD: return new TaskYield(i, t, w, a, YieldReason.values()[x]);
            case BLOCK: return new TaskBlock(i, t, w, a, BlockOn.values()[x], ((long) c << 32) | (d & 0xFFFF_FFFFL));
            case WAKE: return new TaskWake(i, t, w, a, b);
            case CANCEL_REQ: return new CancelRequest(i, t, w, TargetKind.values()[x >> 2], a,
                    CancelReason.values()[x & 3], b);
            case CANCEL_OBS: return new CancelObserve(i, t, w, a, CancelHow.values()[x], d);
            case DONE: {
                boolean isError = (x & DONE_OBJ_IS_ERROR) != 0;
                return new TaskDone(i, t, w, a, Outcome.values()[x & 0xF], isError ? null : (String) o,
                        isError ? (String) o : null, (x & DONE_CANCEL_REQUESTED) != 0);
            }
            case JOIN: return new NurseryJoin(i, t, w, a);
            case CLOSE: return new NurseryClose(i, t, w, a, Outcome.values()[x], (String) o);
            case PRINT: return new Print(i, t, w, a, (String) o);
            case LINE: return new Line(i, t, w, a, d);
            case RECORD: return (TraceEvent) o;
            default: throw new IllegalStateException("bad kind code " + ch.kind[s] + " at " + i);
        }
    }

    /** Writes an event's fields into a slot; returns false when it must be kept as a record. */
    private final class Encoder implements TraceEvent.Visitor<Boolean> {
        private Chunk ch;
        private int s;

        boolean encode(Chunk ch, int s, TraceEvent e) {
            this.ch = ch;
            this.s = s;
            ch.obj[s] = null;
            return e.accept(this);
        }

        private boolean put(byte kind, int x, int a, int b, int c, int d) {
            ch.kind[s] = kind;
            ch.x[s] = (byte) x;
            ch.a[s] = a;
            ch.b[s] = b;
            ch.c[s] = c;
            ch.d[s] = d;
            return true;
        }

        @Override public Boolean runStart(RunStart e) { return false; }
        @Override public Boolean workerPark(WorkerPark e) { return put(PARK, 0, 0, 0, 0, 0); }
        @Override public Boolean workerUnpark(WorkerUnpark e) { return put(UNPARK, 0, 0, 0, 0, 0); }

        @Override
        public Boolean nurseryOpen(NurseryOpen e) {
            return put(NURSERY_OPEN, 0, e.nursery(), e.owner(), e.parent(), e.line());
        }

        @Override
        public Boolean taskSpawn(TaskSpawn e) {
            String f = e.func() == null ? null : names.computeIfAbsent(e.func(), k -> k);
            ch.obj[s] = f;
            return put(SPAWN, 0, e.task(), e.parent(), e.nursery(), e.line());
        }

        @Override
        public Boolean taskPush(TaskPush e) {
            return e.pos() != null && put(PUSH, e.pos().ordinal(), e.task(), e.queue(), 0, 0);
        }

        @Override public Boolean taskPop(TaskPop e) { return put(POP, 0, e.task(), 0, 0, 0); }
        @Override public Boolean taskSteal(TaskSteal e) { return put(STEAL, 0, e.task(), e.victim(), 0, 0); }
        @Override public Boolean taskRun(TaskRun e) { return put(RUN, 0, e.task(), 0, 0, 0); }

        @Override
        public Boolean taskYield(TaskYield e) {
            return e.reason() != null && put(YIELD, e.reason().ordinal(), e.task(), 0, 0, 0);
        }

        @Override
        public Boolean taskBlock(TaskBlock e) {
            // the target may be a wake time in ns: a long, split over c (high) and d (low)
            return e.on() != null && put(BLOCK, e.on().ordinal(), e.task(), 0, (int) (e.target() >>> 32), (int) e.target());
        }

        @Override public Boolean taskWake(TaskWake e) { return put(WAKE, 0, e.task(), e.by(), 0, 0); }

        @Override
        public Boolean cancelRequest(CancelRequest e) {
            return e.targetKind() != null && e.reason() != null
                    && put(CANCEL_REQ, e.targetKind().ordinal() << 2 | e.reason().ordinal(), e.target(), e.by(), 0, 0);
        }

        @Override
        public Boolean cancelObserve(CancelObserve e) {
            return e.how() != null && put(CANCEL_OBS, e.how().ordinal(), e.task(), 0, 0, e.line());
        }

        @Override
        public Boolean taskDone(TaskDone e) {
            if (e.outcome() == null || (e.value() != null && e.error() != null)) return false;
            int x = e.outcome().ordinal() | (e.cancelRequested() ? DONE_CANCEL_REQUESTED : 0)
                    | (e.error() != null ? DONE_OBJ_IS_ERROR : 0);
            ch.obj[s] = e.error() != null ? e.error() : e.value();
            return put(DONE, x, e.task(), 0, 0, 0);
        }

        @Override public Boolean nurseryJoin(NurseryJoin e) { return put(JOIN, 0, e.nursery(), 0, 0, 0); }

        @Override
        public Boolean nurseryClose(NurseryClose e) {
            if (e.outcome() == null) return false;
            ch.obj[s] = e.error();
            return put(CLOSE, e.outcome().ordinal(), e.nursery(), 0, 0, 0);
        }

        @Override
        public Boolean print(Print e) {
            ch.obj[s] = e.text();
            return put(PRINT, 0, e.task(), 0, 0, 0);
        }

        @Override public Boolean line(Line e) { return put(LINE, 0, e.task(), 0, 0, e.line()); }
        @Override public Boolean taskError(TaskError e) { return false; }
        @Override public Boolean runEnd(RunEnd e) { return false; }
        @Override public Boolean unknown(Unknown e) { return false; }
    }
}

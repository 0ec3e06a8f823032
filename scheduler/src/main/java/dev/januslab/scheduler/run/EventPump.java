package dev.januslab.scheduler.run;

import dev.januslab.scheduler.nativert.EventRecords;
import dev.januslab.scheduler.nativert.NativeRuntime;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;

/**
 * The Java thread that drains a run's event rings (DESIGN.md §3).
 *
 * <p>One native call moves many events: {@code jrt_events_read} copies whole records,
 * already merged in seq order, into a large direct buffer; this thread decodes them
 * ({@link EventRecords}), appends them to the run's {@link Trace} (if it keeps one) and
 * hands them to the {@link EventListener}. When the rings are empty it spins briefly,
 * then parks for growing intervals up to {@value #MAX_PARK_MICROS} µs, so an idle or
 * paused run costs almost nothing and a busy one is drained without a syscall per batch.
 *
 * <p>It must keep draining until the end: in deterministic mode the runtime waits for
 * ring space rather than dropping events. So a failing listener is detached (the failure
 * is kept for {@link #failure()}) and a record that cannot be decoded stops decoding, but
 * never the draining. The stream ends when the run has finished and a read returns 0.
 */
public final class EventPump {
    /** Default drain buffer: several MiB, so one call takes a whole ring's worth. */
    public static final int DEFAULT_BUFFER_BYTES = 8 << 20;
    private static final int MAX_PARK_MICROS = 200;

    private final NativeRuntime rt;
    private final long handle;
    private final EventRecords decoder;
    private final IntFunction<String> funcNames;
    private final int smallReadBytes;
    private final long batchPauseNanos;
    /** Scratch for record texts on the fast path, and a small cache of short texts (task values). */
    private byte[] scratch = new byte[256];
    private final String[] textCache = new String[TEXT_CACHE_SIZE];
    private String[] funcNameCache = new String[64];
    private static final int TEXT_CACHE_SIZE = 1024, TEXT_CACHE_MAX_LEN = 24;
    private final Trace trace;
    private volatile EventListener listener;
    private final long decodeMask;
    private final ByteBuffer buffer;
    private final long bufferAddress;
    private final Thread thread;

    private volatile long events;
    private volatile long bytes;
    private volatile long batches;
    private volatile boolean done;
    private volatile long cpuNanos = -1;
    private volatile boolean abandoned;
    private volatile Throwable failure;
    private volatile TraceEvent.RunEnd runEnd;

    /**
     * @param trace    where every event goes, or null to keep none (then only the kinds the
     *                 listener asks for are decoded)
     * @param listener the live consumer, or null
     */
    public EventPump(NativeRuntime rt, long handle, EventRecords decoder, Trace trace, EventListener listener,
                     int bufferBytes, jnr.ffi.Runtime ffi) {
        this(rt, handle, decoder, null, trace, listener, bufferBytes, 0, ffi);
    }

    /**
     * @param funcNames the decoder's function names (func_id to name), so that task_spawn
     *                  records can take the fast path into the trace too; null: they are decoded
     * @param ringBytes the size of one event ring (the run's ring KiB * 1024), or 0 if unknown:
     *                  lets the pump wait briefly after a small read, so the next one moves a
     *                  real batch, while never letting a ring fill up
     */
    public EventPump(NativeRuntime rt, long handle, EventRecords decoder, IntFunction<String> funcNames, Trace trace,
                     EventListener listener, int bufferBytes, int ringBytes, jnr.ffi.Runtime ffi) {
        this.funcNames = funcNames;
        // a small read: less than 1/16 of a ring; the pause after it: the time the fastest run
        // (~10 M events/s of 64 bytes) takes to fill 1/8 of a ring, at most MAX_PARK_MICROS
        this.smallReadBytes = ringBytes / 16;
        this.batchPauseNanos = ringBytes <= 0 ? 0
                : Math.min(MAX_PARK_MICROS * 1000L, (long) ringBytes / 8 / 64 * 100);
        this.rt = rt;
        this.handle = handle;
        this.decoder = decoder;
        this.trace = trace;
        this.listener = listener;
        long wanted = listener == null ? 0 : listener.kinds();
        this.decodeMask = trace != null ? EventListener.ALL_KINDS : wanted | 1L << EventRecords.RUN_END;
        this.buffer = acquireBuffer(bufferBytes);
        this.bufferAddress = Pointer.wrap(ffi, buffer).address();
        this.thread = new Thread(this::drainLoop, "janus-event-pump");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits for the end of the stream; true if it ended within the timeout. */
    public boolean join(long timeoutMs) throws InterruptedException {
        if (timeoutMs < 0) thread.join();
        else thread.join(Math.max(1, timeoutMs));
        return done;
    }

    public boolean isDone() {
        return done;
    }

    /** Records drained so far (decoded or not). */
    public long events() {
        return events;
    }

    public long bytes() {
        return bytes;
    }

    /** Native calls that returned at least one record. */
    public long batches() {
        return batches;
    }

    /**
     * CPU time the pump thread used, ns, once it is done (-1 before, or if the JVM cannot
     * tell): what draining cost, whatever else the machine was doing.
     */
    public long cpuNanos() {
        return cpuNanos;
    }

    private static long threadCpuNanos() {
        try {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
        } catch (Throwable t) {  // no java.management: not worth failing a run for
            return -1;
        }
    }

    /** The run_end event, once seen. */
    public TraceEvent.RunEnd runEnd() {
        return runEnd;
    }

    /** A listener or decoding failure, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Makes the thread quit at its next empty read (only for a run that never started). */
    void abandon() {
        abandoned = true;
    }

    /** Replaces the listener (the app attaching to a running run); null detaches. */
    public void setListener(EventListener l) {
        this.listener = l;
    }

    private void drainLoop() {
        int idle = 0;
        boolean decoding = true;
        try {
            while (true) {
                long n = rt.jrt_events_read(handle, bufferAddress, buffer.capacity());
                boolean finished = false;
                if (n == 0) {  // ended? then read once more: the last events may have come in between
                    finished = rt.jrt_status(handle) == NativeRuntime.STATUS_FINISHED;
                    if (finished) n = rt.jrt_events_read(handle, bufferAddress, buffer.capacity());
                }
                if (n > 0) {
                    idle = 0;
                    batches++;
                    bytes += n;
                    try {
                        if (decoding) decoding = decodeBatch((int) n);
                        else events += countRecords((int) n);
                    } catch (Throwable t) { // OutOfMemoryError in the trace: stop decoding, keep draining
                        fail(t);
                        decoding = false;
                    }
                    // A busy run read as fast as it writes gives 1-2 events a call, and the
                    // calls, not the events, cost the time (and the CPU the workers need): after
                    // a small read, let the rings fill for a moment (far from full).
                    if (n < smallReadBytes && batchPauseNanos > 0) LockSupport.parkNanos(batchPauseNanos);
                    continue;
                }
                if (n < 0) {
                    fail(new IllegalStateException("jrt_events_read returned " + n));
                    break;
                }
                if (finished || abandoned) break;
                idle = backOff(idle);
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            cpuNanos = threadCpuNanos();
            releaseBuffer(buffer);
            done = true;
            EventListener l = listener;
            if (l != null) {
                try {
                    l.onEnd();
                } catch (Throwable t) {
                    fail(t);
                }
            }
        }
    }

    /** Decodes [0, n) of the buffer; false if a record was broken (decoding stops, draining goes on). */
    private boolean decodeBatch(int n) {
        ByteBuffer b = buffer;
        Trace tr = trace;
        EventListener l = listener;
        long wantedByListener = l == null ? 0 : l.kinds();
        long mask = decodeMask | wantedByListener;
        int pos = 0;
        long count = 0;
        try {
            while (pos < n) {
                int size = EventRecords.size(b, pos);
                int kind = EventRecords.kind(b, pos);
                if (size < EventRecords.HEADER_BYTES || pos + size > n) {
                    throw new IllegalStateException("broken event record at byte " + pos + " of a " + n
                            + "-byte batch: size " + size + ", kind " + kind);
                }
                if (kind != EventRecords.PAD) {
                    count++;
                    long bit = 1L << Math.min(kind, 63);
                    // fast path: straight into the trace's columns, no record, when no listener wants it
                    if (tr != null && (wantedByListener & bit) == 0 && appendRaw(tr, b, pos, size, kind)) {
                        pos += size;
                        continue;
                    }
                    if ((mask & bit) != 0) {
                        TraceEvent e = decoder.decode(b, pos);
                        if (tr != null) tr.append(e);
                        if (e instanceof TraceEvent.RunEnd end) runEnd = end;
                        if (l != null && (wantedByListener & (1L << Math.min(kind, 63))) != 0) {
                            try {
                                l.onEvent(e);
                            } catch (Throwable t) {
                                fail(t);
                                listener = null;
                                l = null;
                            }
                        }
                    }
                }
                pos += size;
            }
            if (l != null) {
                try {
                    l.onBatchEnd();
                } catch (Throwable t) {
                    fail(t);
                    listener = null;
                }
            }
            return true;
        } catch (RuntimeException e) {
            fail(e);
            return false;
        } finally {
            events += count;
        }
    }

    /**
     * Appends the record at {@code pos} to the trace without decoding it into a record; false
     * if it must take the ordinary path (rare kinds, anything odd: the decoder then reports
     * or maps it exactly as before).
     */
    private boolean appendRaw(Trace tr, ByteBuffer b, int pos, int size, int kind) {
        if (kind < EventRecords.WORKER_PARK || kind > EventRecords.LINE || (size & 7) != 0) return false;
        if (kind == EventRecords.TASK_SPAWN && funcNames == null) return false;
        int textLen = b.getInt(pos + 56);
        if (textLen < 0 || EventRecords.HEADER_BYTES + (long) textLen > size) return false;
        int d = b.getInt(pos + 48);
        String text;
        switch (kind) {
            case EventRecords.TASK_SPAWN: text = funcName(d); break;
            case EventRecords.TASK_DONE, EventRecords.NURSERY_CLOSE, EventRecords.PRINT:
                text = textLen == 0 ? null : text(b, pos + EventRecords.HEADER_BYTES, textLen);
                break;
            default: text = null;
        }
        return tr.appendRaw(kind, b.getLong(pos + 8), b.getLong(pos + 16), b.getShort(pos + 6),
                b.getLong(pos + 24), b.getLong(pos + 32), b.getLong(pos + 40), d, b.getInt(pos + 52), text);
    }

    /** funcNames.apply, one String per id (the fallback names of FunctionNames are built per call). */
    private String funcName(int id) {
        if (id < 0 || id >= 1 << 16) return funcNames.apply(id);
        String[] cache = funcNameCache;
        if (id >= cache.length) cache = funcNameCache = Arrays.copyOf(cache, Math.max(id + 1, cache.length * 2));
        String name = cache[id];
        if (name == null) name = cache[id] = funcNames.apply(id);
        return name;
    }

    /** The UTF-8 text at [at, at+len); short ones shared through a small cache (task values repeat). */
    private String text(ByteBuffer b, int at, int len) {
        if (len > scratch.length) scratch = new byte[Math.max(len, scratch.length * 2)];
        byte[] s = scratch;
        b.get(at, s, 0, len);
        if (len > TEXT_CACHE_MAX_LEN) return new String(s, 0, len, StandardCharsets.UTF_8);
        int h = len;
        for (int i = 0; i < len; i++) h = 31 * h + s[i];
        int slot = (h ^ (h >>> 16)) & (TEXT_CACHE_SIZE - 1);
        String cached = textCache[slot];
        if (cached != null && sameBytes(cached, s, len)) return cached;
        String str = new String(s, 0, len, StandardCharsets.UTF_8);
        textCache[slot] = str;
        return str;
    }

    /** Whether {@code str} is exactly the ASCII bytes s[0, len) (a non-ASCII text is never matched). */
    private static boolean sameBytes(String str, byte[] s, int len) {
        if (str.length() != len) return false;
        for (int i = 0; i < len; i++) {
            if (s[i] < 0 || str.charAt(i) != s[i]) return false;
        }
        return true;
    }

    /**
     * Drain buffers are MiB-sized direct memory, which the JVM frees only when a GC gets
     * round to it; a JVM running thousands of runs (the corpus tests) reuses them instead.
     */
    private static final ConcurrentLinkedQueue<ByteBuffer> SPARE_BUFFERS = new ConcurrentLinkedQueue<>();
    private static final int MAX_SPARE_BUFFERS = 4;

    private static ByteBuffer acquireBuffer(int bytes) {
        for (ByteBuffer b; (b = SPARE_BUFFERS.poll()) != null; ) {
            if (b.capacity() >= bytes) return b;
        }
        return EventRecords.littleEndian(ByteBuffer.allocateDirect(bytes));
    }

    private static void releaseBuffer(ByteBuffer b) {
        if (SPARE_BUFFERS.size() < MAX_SPARE_BUFFERS) SPARE_BUFFERS.offer(b);
    }

    private int countRecords(int n) {
        int pos = 0, count = 0;
        while (pos < n) {
            int size = EventRecords.size(buffer, pos);
            if (size < EventRecords.HEADER_BYTES) break;
            if (EventRecords.kind(buffer, pos) != EventRecords.PAD) count++;
            pos += size;
        }
        return count;
    }

    private static int backOff(int idle) {
        if (idle < 64) {
            Thread.onSpinWait();
        } else if (idle < 80) {
            Thread.yield();
        } else {
            long micros = Math.min(MAX_PARK_MICROS, 10L << Math.min(idle - 80, 7));
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
        }
        return idle + 1;
    }

    private void fail(Throwable t) {
        if (failure == null) failure = t;
    }
}

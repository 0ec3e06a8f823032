package dev.januslab.scheduler.run;

import dev.januslab.scheduler.nativert.EventRecords;
import dev.januslab.scheduler.nativert.NativeRuntime;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
                boolean finished = rt.jrt_status(handle) == NativeRuntime.STATUS_FINISHED;
                long n = rt.jrt_events_read(handle, bufferAddress, buffer.capacity());
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
                    if ((mask & (1L << Math.min(kind, 63))) != 0) {
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

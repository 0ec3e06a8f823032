package dev.januslab.scheduler.run;

import static dev.januslab.scheduler.nativert.EventRecords.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.nativert.EventRecords;
import dev.januslab.scheduler.nativert.NativeRuntime;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceHeader;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

/** The pump's loop against a fake runtime that hands out prepared batches of records. */
class EventPumpTest {
    private static final jnr.ffi.Runtime FFI = jnr.ffi.Runtime.getSystemRuntime();

    /** Serves one batch per read; reports FINISHED once they are all handed out. */
    static final class FakeRuntime implements NativeRuntime {
        final Deque<byte[]> batches = new ArrayDeque<>();
        final AtomicInteger reads = new AtomicInteger();

        FakeRuntime(byte[]... bs) {
            for (byte[] b : bs) batches.add(b);
        }

        @Override public synchronized long jrt_events_read(long rt, long buf, long cap) {
            reads.incrementAndGet();
            byte[] b = batches.poll();
            if (b == null) return 0;
            assertTrue(b.length <= cap);
            Pointer.wrap(FFI, buf).put(0, b, 0, b.length);
            return b.length;
        }

        @Override public synchronized int jrt_status(long rt) {
            return batches.isEmpty() ? STATUS_FINISHED : STATUS_RUNNING;
        }

        @Override public void jrt_config_init(long cfg) {}
        @Override public long jrt_config_size() { return 0; }
        @Override public long jrt_create(long cfg) { return 0; }
        @Override public int jrt_wait(long rt, long timeoutMs) { return 0; }
        @Override public void jrt_pause(long rt) {}
        @Override public void jrt_step(long rt) {}
        @Override public void jrt_resume(long rt) {}
        @Override public void jrt_stop(long rt) {}
        @Override public int jrt_result(long rt) { return RESULT_OK; }
        @Override public String jrt_result_text(long rt) { return ""; }
        @Override public void jrt_destroy(long rt) {}
        @Override public long jrt_stat(long rt, int key) { return 0; }
        @Override public String jrt_event_kind_name(int kind) { return null; }
    }


    private static Trace trace() {
        return new Trace(TraceHeader.of(new TraceHeader.Program("t.jan", ""),
                new TraceHeader.Config(1, Mode.DETERMINISTIC, 0, 1000, 8), null));
    }

    /** Two batches of a tiny run: main prints twice and ends. */
    private static byte[][] tinyRun() {
        Records r = new Records(4096);
        r.add(RUN_START, -1, 0, 1, 1, 0, 0, 0, null);
        r.add(NURSERY_OPEN, -1, 0, 0, -1, -1, 0, 0, null);
        r.add(TASK_SPAWN, -1, 0, 0, -1, 0, 0, 1, null);
        r.add(TASK_PUSH, -1, 0, 0, 0, 0, 0, 0, null);
        r.add(TASK_RUN, 0, 10, 0, 0, 0, 0, 0, null);
        r.add(PRINT, 0, 20, 0, 0, 0, 0, 0, "a\n");
        byte[] first = r.bytes();
        r.add(PAD, 0, 0, 0, 0, 0, 0, 0, null);
        r.add(PRINT, 0, 30, 0, 0, 0, 0, 0, "b\n");
        r.add(TASK_DONE, 0, 40, 0, 0, 0, 0, 0, null);
        r.add(NURSERY_CLOSE, -1, 50, 0, 0, 0, 0, 0, null);
        r.add(RUN_END, -1, 60, 0, 0, 0, 0, 0, null);
        byte[] all = r.bytes();
        byte[] second = java.util.Arrays.copyOfRange(all, first.length, all.length);
        return new byte[][] {first, second};
    }

    @Test
    void drainsEveryBatchIntoTheTraceAndTheListenerInOrder() throws Exception {
        byte[][] run = tinyRun();
        FakeRuntime rt = new FakeRuntime(run);
        Trace trace = trace();
        List<String> seen = new ArrayList<>();
        AtomicInteger ends = new AtomicInteger();
        AtomicInteger batchEnds = new AtomicInteger();
        EventListener l = new EventListener() {
            @Override public void onEvent(TraceEvent e) { seen.add(e.kind()); }
            @Override public void onBatchEnd() { batchEnds.incrementAndGet(); }
            @Override public void onEnd() { ends.incrementAndGet(); }
        };
        EventPump pump = new EventPump(rt, 1, new EventRecords(new FunctionNames(List.of("main"))), trace, l, 1 << 16, FFI);
        pump.start();
        assertTrue(pump.join(5000));
        assertNull(pump.failure());
        assertEquals(10, trace.size());
        assertEquals(10, pump.events());
        assertEquals(List.of("run_start", "nursery_open", "task_spawn", "task_push", "task_run", "print", "print",
                "task_done", "nursery_close", "run_end"), seen);
        assertEquals(2, batchEnds.get());
        assertEquals(1, ends.get());
        assertNotNull(pump.runEnd());
        for (int i = 0; i < trace.size(); i++) assertEquals(i, trace.get(i).seq());
    }

    @Test
    void withoutATraceOnlyTheListenersKindsAreDecoded() throws Exception {
        FakeRuntime rt = new FakeRuntime(tinyRun());
        List<TraceEvent> seen = new ArrayList<>();
        EventListener l = new EventListener() {
            @Override public long kinds() { return EventListener.kinds("print"); }
            @Override public void onEvent(TraceEvent e) { seen.add(e); }
        };
        EventPump pump = new EventPump(rt, 1, new EventRecords(i -> "f"), null, l, 1 << 16, FFI);
        pump.start();
        assertTrue(pump.join(5000));
        assertEquals(2, seen.size());
        assertEquals("a\n", ((TraceEvent.Print) seen.get(0)).text());
        assertEquals("b\n", ((TraceEvent.Print) seen.get(1)).text());
        assertEquals(10, pump.events(), "records are still counted");
        assertNotNull(pump.runEnd(), "run_end is always decoded");
    }

    @Test
    void aFailingListenerIsDetachedButTheRunIsStillDrained() throws Exception {
        FakeRuntime rt = new FakeRuntime(tinyRun());
        Trace trace = trace();
        EventListener l = e -> {
            if (e instanceof TraceEvent.Print) throw new IllegalStateException("listener bug");
        };
        EventPump pump = new EventPump(rt, 1, new EventRecords(i -> "f"), trace, l, 1 << 16, FFI);
        pump.start();
        assertTrue(pump.join(5000));
        assertInstanceOf(IllegalStateException.class, pump.failure());
        assertEquals(10, trace.size());
    }

    @Test
    void aBrokenRecordStopsDecodingNotDraining() throws Exception {
        byte[][] run = tinyRun();
        run[0][5 * 64] = 3; // record 5 (print, 72 bytes) now claims 3 bytes
        FakeRuntime rt = new FakeRuntime(run);
        Trace trace = trace();
        EventPump pump = new EventPump(rt, 1, new EventRecords(i -> "f"), trace, null, 1 << 16, FFI);
        pump.start();
        assertTrue(pump.join(5000));
        assertNotNull(pump.failure());
        assertTrue(pump.failure().getMessage().contains("broken event record"), pump.failure().getMessage());
        assertTrue(rt.batches.isEmpty(), "every batch was still read");
        assertEquals(5, trace.size(), "events before the broken record were kept");
    }
}

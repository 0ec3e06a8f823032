package dev.januslab.scheduler.run;

import static dev.januslab.scheduler.nativert.EventRecords.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.nativert.EventRecords;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceHeader;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pump's fast path ({@link Trace#appendRaw}, no record built) must store exactly what
 * decoding the record and {@link Trace#append}ing it stores: every kind, every enum code (also
 * ones the decoder maps to null), texts empty, absent, repeated, non-ASCII.
 */
class RawAppendTest {
    private static final List<String> FUNCS = List.of("main", "fetch", "skynet");

    private static Trace trace(Trace.Indexing indexing) {
        return new Trace(TraceHeader.of(new TraceHeader.Program("t.jan", ""),
                new TraceHeader.Config(2, Mode.DETERMINISTIC, 0, 1000, 8), null), indexing);
    }

    /** The reference: each record decoded and appended as a TraceEvent. */
    private static List<TraceEvent> decoded(byte[] bytes) {
        EventRecords dec = new EventRecords(new FunctionNames(FUNCS));
        ByteBuffer b = EventRecords.littleEndian(ByteBuffer.wrap(bytes));
        Trace t = trace(Trace.Indexing.ON_APPEND);
        for (int pos = 0; pos < bytes.length; pos += EventRecords.size(b, pos)) {
            TraceEvent e = dec.decode(b, pos);
            if (e != null) t.append(e);
        }
        return new ArrayList<>(t.events());
    }

    private static Trace pumped(byte[] bytes, Trace.Indexing indexing) throws Exception {
        EventPumpTest.FakeRuntime rt = new EventPumpTest.FakeRuntime(bytes);
        Trace t = trace(indexing);
        EventPump pump = new EventPump(rt, 1, new EventRecords(new FunctionNames(FUNCS)), new FunctionNames(FUNCS), t,
                null, Math.max(1 << 16, bytes.length), 1 << 20, jnr.ffi.Runtime.getSystemRuntime());
        pump.start();
        assertTrue(pump.join(10_000));
        assertNull(pump.failure());
        return t;
    }

    private static byte[] randomRecords(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] texts = {null, "", "1", "42", "hello\n", "grüße ✓", "x".repeat(40), "a\0b"};
        Records rec = new Records(n * 200 + 4096);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10) == 0 ? r.nextInt(1, 25) : r.nextInt(WORKER_PARK, LINE + 1);
            if (kind == RUN_END) kind = LINE;
            String text = switch (r.nextInt(4)) {
                case 0 -> texts[r.nextInt(texts.length)];
                case 1 -> Integer.toString(r.nextInt(3000));  // many short values: the text cache evicts
                default -> null;
            };
            long c = r.nextInt(8) == 0 ? r.nextLong() : r.nextInt(-1, 5);
            rec.add(kind, r.nextInt(-1, 3), r.nextLong(1L << 40), r.nextInt(-1, 5), r.nextInt(-1, 5), c,
                    r.nextInt(-1, 5), r.nextInt(0, 100), text);
        }
        rec.add(RUN_END, -1, 1L << 41, 0, 0, 0, 0, 0, null);
        return rec.bytes();
    }

    @Test
    void theFastPathStoresExactlyTheDecodedEvents() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            byte[] bytes = randomRecords(seed, 20_000);
            List<TraceEvent> expected = decoded(bytes);
            for (Trace.Indexing ix : Trace.Indexing.values()) {
                Trace got = pumped(bytes, ix);
                assertEquals(expected.size(), got.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i), got.get(i), "seed " + seed + ", event " + i + ", " + ix);
                    assertEquals(expected.get(i).t(), got.time(i));
                    assertEquals(expected.get(i).w(), got.worker(i));
                }
            }
        }
    }

    @Test
    void foldedStatesAgreeWithTheRecordPath() throws Exception {
        Records r = new Records(1 << 16);
        r.add(RUN_START, -1, 0, 1, 1, 0, 0, 0, null);
        r.add(NURSERY_OPEN, -1, 0, 0, -1, -1, 0, 3, null);
        r.add(TASK_SPAWN, -1, 0, 0, -1, 0, 0, 1, null);
        r.add(TASK_PUSH, -1, 0, 0, 0, 0, 0, 0, null);
        r.add(TASK_POP, 0, 5, 0, 0, 0, 0, 0, null);
        r.add(TASK_RUN, 0, 10, 0, 0, 0, 0, 0, null);
        r.add(NURSERY_OPEN, 0, 11, 1, 0, 0, 0, 4, null);
        r.add(TASK_SPAWN, 0, 12, 1, 0, 1, 1, 5, null);
        r.add(TASK_PUSH, 0, 13, 1, 0, 1, 0, 0, null);
        r.add(TASK_BLOCK, 0, 14, 0, 3, 1, 0, 0, null);
        r.add(TASK_STEAL, 1, 15, 1, 0, 0, 0, 0, null);
        r.add(TASK_RUN, 1, 16, 1, 0, 0, 0, 0, null);
        r.add(PRINT, 1, 17, 1, 0, 0, 0, 0, "hi\n");
        r.add(TASK_DONE, 1, 18, 1, 0, 0, 0, 0, "7");
        r.add(NURSERY_JOIN, 0, 19, 1, 0, 0, 0, 0, null);
        r.add(TASK_WAKE, 0, 20, 0, 1, 0, 0, 0, null);
        r.add(NURSERY_CLOSE, 0, 21, 1, 0, 0, 0, 0, null);
        r.add(TASK_RUN, 0, 22, 0, 0, 0, 0, 0, null);
        r.add(TASK_DONE, 0, 23, 0, 0, 0, 0, 0, null);
        r.add(NURSERY_CLOSE, -1, 24, 0, 0, 0, 0, 0, null);
        r.add(RUN_END, -1, 25, 0, 0, 0, 0, 0, null);
        byte[] bytes = r.bytes();
        Trace reference = trace(Trace.Indexing.ON_APPEND);
        reference.appendAll(decoded(bytes));
        for (Trace.Indexing ix : Trace.Indexing.values()) {
            Trace got = pumped(bytes, ix);
            assertEquals(reference.events(), got.events());
            for (long s = -1; s < got.size(); s++) assertEquals(reference.stateAt(s), got.stateAt(s), ix + " at " + s);
        }
    }
}

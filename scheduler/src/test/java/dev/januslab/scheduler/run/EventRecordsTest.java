package dev.januslab.scheduler.run;

import static dev.januslab.scheduler.nativert.EventRecords.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.nativert.EventRecords;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.*;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The record decoder against records built byte by byte from janusrt.h's layout. */
class EventRecordsTest {
    private final EventRecords decoder = new EventRecords(new FunctionNames(List.of("main", "fetch")));

    private TraceEvent one(Consumer<Records> build) {
        Records r = new Records(4096);
        build.accept(r);
        return decoder.decode(r.buffer(), 0);
    }

    @Test
    void everyKindDecodesToItsRecord() {
        Records r = new Records(1 << 16);
        r.add(RUN_START, -1, 0, 4, 1, 42, 0, 0, null);
        r.add(WORKER_PARK, 1, 5, 0, 0, 0, 0, 0, null);
        r.add(WORKER_UNPARK, 1, 6, 0, 0, 0, 0, 0, null);
        r.add(NURSERY_OPEN, 0, 7, 3, 0, 0, 0, 12, null);
        r.add(TASK_SPAWN, 0, 8, 4, 0, 3, 1, 13, null);
        r.add(TASK_PUSH, 0, 9, 4, -1, 1, 0, 0, null);
        r.add(TASK_POP, 0, 10, 4, 0, 0, 0, 0, null);
        r.add(TASK_STEAL, 2, 11, 4, 0, 0, 0, 0, null);
        r.add(TASK_RUN, 2, 12, 4, 0, 0, 0, 0, null);
        r.add(TASK_YIELD, 2, 13, 4, 1, 0, 0, 0, null);
        r.add(TASK_BLOCK, 2, 14, 4, 1, 5_000_000_000L, 0, 0, null);
        r.add(TASK_WAKE, -1, 15, 4, -1, 0, 0, 0, null);
        r.add(CANCEL_REQUEST, 0, 16, 1, 3, 0, 2, 0, null);
        r.add(CANCEL_OBSERVE, 2, 17, 4, 1, 0, 0, 20, null);
        r.add(TASK_DONE, 2, 18, 4, 2, 1, 0, 0, "Runtime.Cancelled");
        r.add(NURSERY_JOIN, 0, 19, 3, 0, 0, 0, 0, null);
        r.add(NURSERY_CLOSE, 0, 20, 3, 1, 0, 0, 0, "NetError.Timeout");
        r.add(PRINT, 0, 21, 0, 0, 0, 0, 0, "héllo ✓\n");
        r.add(LINE, 0, 22, 0, 0, 0, 0, 31, null);
        r.add(ERROR, 0, 23, 0, 0, 0, 0, 9, "Runtime.DivByZero\0  at main (x.jan:9)");
        r.add(TASK_DONE, 0, 24, 0, 0, 0, 0, 0, "42");
        r.add(RUN_END, -1, 25, 1, 7, 0, 0, 0, "error escaped main");

        List<TraceEvent> got = decodeAll(r.buffer());
        List<TraceEvent> want = List.of(
                new RunStart(0, 0, -1, 4, Mode.DETERMINISTIC, 42),
                new WorkerPark(1, 5, 1),
                new WorkerUnpark(2, 6, 1),
                new NurseryOpen(3, 7, 0, 3, 0, 0, 12),
                new TaskSpawn(4, 8, 0, 4, 0, 3, "fetch", 13),
                new TaskPush(5, 9, 0, 4, -1, Pos.BOTTOM),
                new TaskPop(6, 10, 0, 4),
                new TaskSteal(7, 11, 2, 4, 0),
                new TaskRun(8, 12, 2, 4),
                new TaskYield(9, 13, 2, 4, YieldReason.YIELD),
                new TaskBlock(10, 14, 2, 4, BlockOn.SLEEP, 5_000_000_000L),
                new TaskWake(11, 15, -1, 4, -1),
                new CancelRequest(12, 16, 0, TargetKind.NURSERY, 3, CancelReason.PARENT, 0),
                new CancelObserve(13, 17, 2, 4, CancelHow.CHECKPOINT, 20),
                new TaskDone(14, 18, 2, 4, Outcome.CANCELLED, null, "Runtime.Cancelled", true),
                new NurseryJoin(15, 19, 0, 3),
                new NurseryClose(16, 20, 0, 3, Outcome.ERROR, "NetError.Timeout"),
                new Print(17, 21, 0, 0, "héllo ✓\n"),
                new Line(18, 22, 0, 0, 31),
                new TaskError(19, 23, 0, 0, "Runtime.DivByZero", 9, "  at main (x.jan:9)"),
                new TaskDone(20, 24, 0, 0, Outcome.OK, "42", null, false),
                new RunEnd(21, 25, -1, RunStatus.ERROR, 7));
        assertEquals(want, got);
    }

    @Test
    void padRecordsAreSkippedAndUnknownKindsKept() {
        Records r = new Records(1024);
        r.add(PAD, 0, 0, 0, 0, 0, 0, 0, null);
        r.add(99, 3, 50, 1, 2, 3, 4, 5, "x\"y");
        ByteBuffer b = r.buffer();
        assertNull(decoder.decode(b, 0));
        TraceEvent u = decoder.decode(b, 64);
        assertEquals(new Unknown(0, 50, 3, "kind_99", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"text\":\"x\\\"y\"}"), u);
    }

    @Test
    void okDoneWithoutTextHasNoValueAndEmptyPrintIsEmpty() {
        TaskDone d = (TaskDone) one(r -> r.add(TASK_DONE, 0, 1, 2, 0, 0, 0, 0, null));
        assertNull(d.value());
        assertNull(d.error());
        assertEquals(Outcome.OK, d.outcome());
        Print p = (Print) one(r -> r.add(PRINT, 0, 1, 2, 0, 0, 0, 0, ""));
        assertEquals("", p.text());
    }

    @Test
    void errorWithoutTraceHasNullTrace() {
        TaskError e = (TaskError) one(r -> r.add(ERROR, 1, 1, 5, 0, 0, 0, 44, "Runtime.Overflow"));
        assertEquals("Runtime.Overflow", e.error());
        assertNull(e.trace());
        assertEquals(44, e.line());
        assertEquals(5, e.task());
    }

    @Test
    void builtinFuncIdsNameTheBuiltin() {
        TaskSpawn s = (TaskSpawn) one(r -> r.add(TASK_SPAWN, 0, 1, 9, 0, 0, FunctionNames.BUILTIN_BASE + 1, 3, null));
        assertEquals("println", s.func());
        TaskSpawn bad = (TaskSpawn) one(r -> r.add(TASK_SPAWN, 0, 1, 9, 0, 0, 77, 3, null));
        assertEquals("func77", bad.func());
    }

    @Test
    void brokenRecordsAreRefusedWithTheirPosition() {
        ByteBuffer b = new Records(256).add(PRINT, 0, 0, 0, 0, 0, 0, 0, "abc").buffer();
        b.putInt(0, 60);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decoder.decode(b, 0));
        assertTrue(e.getMessage().contains("byte 0"), e.getMessage());
        ByteBuffer c = new Records(256).add(PRINT, 0, 0, 0, 0, 0, 0, 0, "abc").buffer();
        c.putInt(56, 500);
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(c, 0));
    }

    @Test
    void kindNamesMatchTheTraceVocabulary() {
        assertEquals("task_spawn", EventRecords.kindName(TASK_SPAWN));
        assertEquals("error", EventRecords.kindName(ERROR));
        assertEquals(RUN_END, EventRecords.kindCode("run_end"));
        assertEquals(-1, EventRecords.kindCode("nope"));
        assertNull(EventRecords.kindName(KIND_COUNT));
    }

    private List<TraceEvent> decodeAll(ByteBuffer b) {
        List<TraceEvent> out = new ArrayList<>();
        int pos = 0;
        while (pos < b.limit()) {
            TraceEvent e = decoder.decode(b, pos);
            if (e != null) out.add(e);
            pos += EventRecords.size(b, pos);
        }
        return out;
    }
}

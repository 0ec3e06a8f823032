package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.*;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EventStoreTest {

    @Test
    void everyKindComesBackEqual() {
        Trace t = TraceFilesTest.everyKind();
        EventStore s = new EventStore();
        for (TraceEvent e : t.events()) s.append(e);
        assertEquals(t.size(), s.size());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(t.get(i), s.get(i));
            assertEquals(t.get(i).t(), s.t(i));
            assertEquals(t.get(i).w(), s.w(i));
            assertEquals(TraceEvents.taskOf(t.get(i)), s.task(i));
        }
    }

    @Test
    void valuesThatDoNotFitTheColumnsAreKeptAsRecords() {
        EventStore s = new EventStore();
        List<TraceEvent> odd = List.of(
                new TaskRun(5, 1, 0, 1),                                   // seq is not its index
                new TaskBlock(1, 2, 0, 1, BlockOn.SLEEP, 1L << 40),        // columnar: target split over two ints
                new WorkerPark(2, 3, 70_000),                              // worker beyond short
                new TaskDone(3, 4, 0, 1, Outcome.ERROR, "v", "e", true),   // both strings
                new TaskPush(4, 5, 0, 1, 0, null));                        // missing enum
        for (TraceEvent e : odd) s.append(e);
        for (int i = 0; i < odd.size(); i++) assertEquals(odd.get(i), s.get(i));
        assertEquals(5, s.seq(0));
        assertEquals(70_000, s.w(2));
    }

    @Test
    void blockTargetsKeepAllSixtyFourBits() {
        EventStore s = new EventStore();
        long[] targets = {-1, 0, 7, Integer.MAX_VALUE + 1L, 12_345_678_901L, Long.MAX_VALUE, Long.MIN_VALUE, -12_345_678_901L};
        for (int i = 0; i < targets.length; i++) s.append(new TaskBlock(i, i, 0, 1, BlockOn.IO, targets[i]));
        for (int i = 0; i < targets.length; i++) assertEquals(targets[i], ((TaskBlock) s.get(i)).target());
    }

    @Test
    void manyChunks() {
        EventStore s = new EventStore();
        int n = EventStore.CHUNK * 20 + 17;
        for (int i = 0; i < n; i++) s.append(new TaskRun(i, i * 10L, i % 7, i % 1000));
        assertEquals(n, s.size());
        assertEquals(new TaskRun(n - 1, (n - 1) * 10L, (n - 1) % 7, (n - 1) % 1000), s.get(n - 1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(n));
    }

    @Test
    void funcNamesAreShared() {
        EventStore s = new EventStore();
        s.append(new TaskSpawn(0, 0, 0, 1, 0, 0, new String("fetch"), 1));
        s.append(new TaskSpawn(1, 0, 0, 2, 0, 0, new String("fetch"), 1));
        assertSame(((TaskSpawn) s.get(0)).func(), ((TaskSpawn) s.get(1)).func());
    }
}

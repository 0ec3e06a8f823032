package dev.januslab.scheduler.trace;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class SeekingTest {
    /** ~30,000 events, 4 workers, nested nurseries: many keyframes and steals. */
    private static final Trace TREE = SyntheticRun.fanOut("tree.jan", 4, 40, 2, 2, 99);

    @Property(tries = 60)
    void seekingEqualsFoldingFromTheStart(@ForAll @LongRange(min = -1, max = 1_000_000) long raw) {
        long seq = raw % TREE.size();
        SchedulerState seek = TREE.stateAt(seq);
        SchedulerState fold = TREE.foldFromStart(seq);
        assertEquals(fold, seek, () -> "at seq " + seq + "\nseek:\n" + seek.describe() + "\nfold:\n" + fold.describe());
        assertEquals(seq, seek.seq());
    }

    @Property(tries = 40)
    void stepBackThenForwardGivesTheSameState(@ForAll @LongRange(min = 1, max = 1_000_000) long raw) {
        long seq = 1 + raw % (TREE.size() - 2);
        SchedulerState here = TREE.stateAt(seq);
        SchedulerState back = TREE.stateAt(seq - 1);
        SchedulerState again = TREE.stateAt(seq);
        assertEquals(here, again);
        assertEquals(back.apply(TREE.get(seq)), again);
        assertNotEquals(here, back);
    }

    @Test
    void keyframesEveryIntervalAndBoundaries() {
        assertEquals(TREE.size() / Trace.KEYFRAME_INTERVAL + 1, TREE.keyframeCount());
        for (long seq : new long[] {-1, 0, 1022, 1023, 1024, 2047, 2048, TREE.size() - 1}) {
            assertEquals(TREE.foldFromStart(seq), TREE.stateAt(seq), "seq " + seq);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> TREE.stateAt(TREE.size()));
        assertThrows(IndexOutOfBoundsException.class, () -> TREE.stateAt(-2));
    }

    @Test
    void keyframesDoNotChangeWhenTheFoldGoesOn() {
        SchedulerState early = TREE.stateAt(3000);
        String before = early.describe();
        TREE.stateAt(TREE.size() - 1);
        TREE.foldFromStart(5000);
        assertEquals(before, early.describe());
        assertEquals(TREE.foldFromStart(3000), early);
    }

    @Test
    void readersSeeAConsistentPrefixWhileTheWriterAppends() throws Exception {
        Trace source = SyntheticRun.fanOut("live.jan", 3, 30, 2, 2, 5);
        Trace live = new Trace(source.header());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            for (TraceEvent e : source.events()) live.append(e);
        });
        writer.start();
        SplittableRandom r = new SplittableRandom(1);
        int checks = 0;
        while (writer.isAlive() || checks < 50) {
            long n = live.size();
            if (n == 0) continue;
            long seq = r.nextLong(n);
            SchedulerState s = live.stateAt(seq);
            if (s.seq() != seq) failure.set(new AssertionError("state at " + seq + " says " + s.seq()));
            if (checks % 10 == 0 && !s.equals(source.stateAt(seq))) failure.set(new AssertionError("differs at " + seq));
            checks++;
        }
        writer.join();
        assertNull(failure.get());
        assertEquals(source.size(), live.size());
        assertEquals(source.latestState(), live.latestState());
    }

    @Test
    void onDemandIndexingGivesTheSameStates() {
        Trace lazy = new Trace(TREE.header(), Trace.Indexing.ON_DEMAND);
        lazy.appendAll(TREE.events());
        assertEquals(1, lazy.keyframeCount(), "appending alone builds no keyframes");
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 30; i++) {
            long seq = r.nextLong(-1, TREE.size());
            assertEquals(TREE.stateAt(seq), lazy.stateAt(seq), "seq " + seq);
        }
        lazy.stateAt(TREE.size() - 1);
        assertEquals(TREE.keyframeCount(), lazy.keyframeCount());
    }

    @Test
    void jumpToNextEventOfTaskAndWorker() {
        Trace t = SampleTraces.steal();
        long first = t.nextEventOfTask(1, -1, true);
        assertEquals("task_spawn", t.get(first).kind());
        long next = t.nextEventOfTask(1, first, true);
        assertEquals(1, TraceEvents.taskOf(t.get(next)));
        assertEquals(first, t.nextEventOfTask(1, next, false));
        long w1 = t.nextEventOfWorker(1, -1, true);
        assertEquals(1, t.get(w1).w());
        assertEquals(-1, t.nextEventOfTask(99, -1, true));
    }
}

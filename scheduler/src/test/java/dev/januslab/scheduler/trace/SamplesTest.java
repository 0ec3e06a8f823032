package dev.januslab.scheduler.trace;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The shipped sample files must match the code that makes them (regenerate with SampleTraces.main). */
class SamplesTest {

    @Test
    void shippedFilesMatchTheGenerator() throws Exception {
        for (Map.Entry<String, Trace> e : SampleTraces.all().entrySet()) {
            Trace shipped = SampleTraces.load(e.getKey());
            assertEquals(e.getValue().header(), shipped.header(), e.getKey());
            assertEquals(e.getValue().events(), shipped.events(), e.getKey() + " is stale: run SampleTraces.main");
        }
    }

    @Test
    void samplesShowWhatTheyPromise() {
        SchedulerState steal = SampleTraces.steal().latestState();
        assertEquals(1, steal.steals());
        assertEquals("30\n", steal.outputText());

        SchedulerState fan = SampleTraces.fanOut10k().latestState();
        assertEquals(10_001, fan.taskCount());
        assertEquals(10_000, fan.nursery(1).childCount());
        assertTrue(fan.steals() > 100, "the other workers steal: " + fan.steals());
        assertEquals(0, fan.liveTaskCount());

        Trace wave = SampleTraces.cancelWave();
        SchedulerState end = wave.latestState();
        assertFalse(end.task(6).hasRun(), "worker#6 is cancelled before it ever runs");
        assertTrue(end.task(3).cancelRequested() && !end.task(3).cancelObserved(), "stubborn never checks");
        assertEquals(Wire.Outcome.OK, end.task(3).outcome());
    }

    @Test
    void syntheticRunsAreDeterministic() {
        assertTrue(InvariantChecker.compareIgnoringCreated(
                SyntheticRun.fanOut("a.jan", 3, 20, 2, 2, 4), SyntheticRun.fanOut("a.jan", 3, 20, 2, 2, 4)).isEmpty());
        assertTrue(InvariantChecker.compareIgnoringCreated(
                SyntheticRun.fanOut("a.jan", 3, 20, 2, 2, 4), SyntheticRun.fanOut("a.jan", 3, 20, 2, 2, 5)).isPresent());
    }
}

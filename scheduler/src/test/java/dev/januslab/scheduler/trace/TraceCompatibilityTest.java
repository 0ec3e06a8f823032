package dev.januslab.scheduler.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * "Old trace versions keep loading" (issue 6): the files under {@code compat/} were written
 * by the version-1 writer (lessons 7 and 8 run by {@code janus-lab run --trace}) and are
 * frozen — never regenerate them. When the format changes, add fixtures of the new version
 * beside them; these must go on loading with the same meaning.
 */
class TraceCompatibilityTest {
    private static Trace load(String name) throws Exception {
        try (InputStream in = TraceCompatibilityTest.class.getResourceAsStream("compat/" + name)) {
            return TraceFiles.read(in, name);
        }
    }

    @Test
    void aVersionOneTraceOfNestedNurseriesKeepsItsMeaning() throws Exception {
        Trace t = load("v1-nested-nurseries.jtrace");
        assertEquals(1, t.header().version());
        assertEquals(114, t.size());
        assertTrue(InvariantChecker.check(t).isEmpty(), InvariantChecker.check(t).toString());
        // seq 68: main cancels the outer nursery; every task under it is marked by then
        SchedulerState s = t.stateAt(68);
        for (int task = 1; task <= 6; task++) assertTrue(s.task(task).cancelRequested(), "task " + task + " at seq 68");
        SchedulerState end = t.stateAt(t.size() - 1);
        assertEquals(7, end.taskCount());
        assertEquals(0, end.liveTaskCount());
        for (int task = 0; task <= 6; task++) assertEquals(TaskState.DONE, end.task(task).state(), "task " + task);
        for (int task = 1; task <= 6; task++) assertEquals("cancelled", end.task(task).outcome().wire(), "task " + task);
        assertEquals("ok", end.task(0).outcome().wire());
        assertTrue(t.get(t.size() - 1) instanceof TraceEvent.RunEnd);
    }

    @Test
    void aGzippedVersionOneTraceOfAFailingChildKeepsItsMeaning() throws Exception {
        Trace t = load("v1-errors-cancel-siblings.jtrace.gz");
        assertEquals(73, t.size());
        assertTrue(InvariantChecker.check(t).isEmpty(), InvariantChecker.check(t).toString());
        SchedulerState end = t.stateAt(t.size() - 1);
        assertEquals("FetchError.NotFound", end.task(3).error(), "a child fails");
        assertEquals("cancelled", end.task(4).outcome().wire(), "its sibling is cancelled");
        assertEquals("FetchError.NotFound", end.task(1).error(), "the error travels up to the parent");
        assertEquals("ok", end.task(0).outcome().wire(), "where main catches it");
        assertTrue(t.events().stream().anyMatch(e -> e instanceof TraceEvent.CancelRequest c
                && c.reason().wire().equals("failure") && c.by() == 3), "the failure cancels the nursery");
    }
}

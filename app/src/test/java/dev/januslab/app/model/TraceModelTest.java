package dev.januslab.app.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.NurseryInfo;
import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.TaskInfo;
import dev.januslab.scheduler.trace.TaskState;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.RunStatus;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the views read from the shared trace model, checked on the shared sample traces. */
class TraceModelTest {
    static long find(Trace rec, long from, String kind) {
        for (long i = from; i < rec.size(); i++) if (rec.get(i).kind().equals(kind)) return i;
        return -1;
    }

    @Test
    void aStealMovesTheTaskFromTheVictimsFarEndToTheThief() {
        Trace rec = SampleTraces.steal();
        long steal = find(rec, 0, "task_steal");
        assertTrue(steal > 0, "the steal sample steals");
        TraceEvent.TaskSteal e = (TraceEvent.TaskSteal) rec.get(steal);
        int victim = e.victim(), thief = e.thief(), task = e.task();
        SchedulerState before = rec.stateAt(steal - 1);
        var q = before.worker(victim).queue();
        assertEquals(task, q.id(q.size() - 1), "stolen from the far end (the bottom)");
        SchedulerState after = rec.stateAt(steal);
        assertFalse(after.worker(victim).queue().containsId(task));
        assertTrue(after.worker(thief).queue().containsId(task));
        assertEquals(TaskState.QUEUED, after.task(task).state());
        long run = steal + 1;
        while (!rec.get(run).kind().equals("task_run")) run++;
        assertEquals(thief, rec.get(run).w());
        assertEquals(task, ((TraceEvent.TaskRun) rec.get(run)).task());
    }

    @Test
    void seekingFromKeyframesGivesTheSameStateAsFoldingFromTheStart() {
        Trace rec = SampleTraces.fanOut10k();
        assertTrue(rec.size() > 3 * Trace.KEYFRAME_INTERVAL);
        Random r = new Random(7);
        for (int i = 0; i < 12; i++) {
            long seq = r.nextInt((int) rec.size());
            SchedulerState folded = rec.foldFromStart(seq);
            SchedulerState seeked = rec.stateAt(seq);
            assertEquals(folded, seeked, "seq " + seq);
            assertEquals(folded.describe(), seeked.describe(), "seq " + seq);
        }
    }

    @Test
    void cancellationMarksEachTaskRequestedThenObservedOrNot() {
        Trace rec = SampleTraces.cancelWave();
        long req = find(rec, 0, "cancel_request");
        SchedulerState s = rec.stateAt(req + 9); // the whole wave
        TaskInfo hog = s.tasks().stream().filter(t -> t.func().equals("stubborn")).findFirst().orElseThrow();
        TaskInfo poller = s.task(7);
        assertTrue(s.isCancelRequested(hog.id()));
        assertTrue(hog.cancelRequested());
        assertTrue(poller.cancelRequested());
        SchedulerState end = rec.stateAt(rec.size() - 1);
        assertEquals("observed at line 3", TaskLook.cancelStatus(end.task(poller.id())));
        assertEquals("finished without observing it", TaskLook.cancelStatus(end.task(hog.id())));
        assertEquals("cancelled before it ran", TaskLook.cancelStatus(end.task(6)));
        assertEquals(TaskLook.DONE, TaskLook.of(end.task(hog.id())));
        // somewhere in between the hog ran on with the request unobserved
        boolean sawUnobserved = false;
        for (long q = req; q < rec.size() && !sawUnobserved; q++) {
            TaskInfo h = rec.stateAt(q).task(hog.id());
            sawUnobserved = TaskLook.of(h) == TaskLook.RUNNING
                    && TaskLook.cancelStatus(h).equals("still running — no checkpoint yet");
        }
        assertTrue(sawUnobserved);
    }

    @Test
    void aFailingChildCancelsItsSiblingsAndTheErrorTravelsUp() {
        Trace rec = SampleTraces.failingChild();
        SchedulerState end = rec.stateAt(rec.size() - 1);
        NurseryInfo n = end.nursery(1);
        assertEquals(Outcome.ERROR, n.outcome());
        assertEquals("NetError.Refused", n.error());
        assertEquals(TaskLook.FAILED, TaskLook.of(end.task(0)), "main fails with the error raised at the nursery's end");
        long cancelled = end.tasks().stream().filter(t -> TaskLook.of(t) == TaskLook.CANCELLED).count();
        assertEquals(2, cancelled, "both siblings are cancelled");
        assertEquals(RunStatus.ERROR, end.runStatus());
    }

    @Test
    void eventFieldsUseTheWireNames() {
        Trace rec = SampleTraces.cancelWave();
        var f = EventFields.of(rec.get(find(rec, 0, "cancel_request")));
        assertEquals("nursery", f.get("target_kind"));
        assertEquals(1, f.get("target"));
        assertEquals("explicit", f.get("reason"));
    }
}

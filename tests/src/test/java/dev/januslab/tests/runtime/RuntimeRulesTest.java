package dev.januslab.tests.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceEvent.CancelObserve;
import dev.januslab.scheduler.trace.TraceEvent.CancelRequest;
import dev.januslab.scheduler.trace.TraceEvent.NurseryClose;
import dev.januslab.scheduler.trace.TraceEvent.TaskDone;
import dev.januslab.scheduler.trace.TraceEvent.TaskRun;
import dev.januslab.scheduler.trace.TraceEvent.TaskSpawn;
import dev.januslab.scheduler.trace.Wire.CancelHow;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Mode;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.TargetKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of LANGUAGE.md §6 that output alone cannot show, checked on the trace of a
 * deterministic run of the corresponding corpus program: who was cancelled, why, how the
 * cancellation was observed, and what never ran.
 */
class RuntimeRulesTest {
    private static Trace trace(String program, int workers) throws Exception {
        Path file = CorpusProgram.ROOT.resolve(program);
        CorpusProgram p = CorpusProgram.parse(CorpusProgram.ROOT, file);
        RunConfig c = RunConfig.defaults().withMode(Mode.DETERMINISTIC).withWorkers(workers).withSeed(1);
        ProgramRuns.Ran r = ProgramRuns.run(p, c, true);
        List<String> problems = ProgramRuns.problems(p, r, true);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        return r.outcome().trace();
    }

    private static <T extends TraceEvent> List<T> all(Trace t, Class<T> kind) {
        return t.events().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static int taskOf(Trace t, String func) {
        return all(t, TaskSpawn.class).stream().filter(s -> func.equals(s.func())).findFirst()
                .orElseThrow(() -> new AssertionError("no task of " + func)).task();
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRuns() throws Exception {
        Trace t = trace("runtime/cancel/cancel_before_run.jan", 1);
        int task = taskOf(t, "never");
        assertTrue(all(t, CancelRequest.class).stream().anyMatch(c -> c.targetKind() == TargetKind.TASK
                && c.target() == task && c.reason() == CancelReason.EXPLICIT && c.by() == 0));
        assertFalse(all(t, TaskRun.class).stream().anyMatch(r -> r.task() == task), "task_run of never");
        TaskDone done = all(t, TaskDone.class).stream().filter(d -> d.task() == task).findFirst().orElseThrow();
        assertEquals(Outcome.CANCELLED, done.outcome());
    }

    @Test
    void pollingIsObservedAsPoll() throws Exception {
        Trace t = trace("runtime/cancel/observed_by_polling.jan", 2);
        int task = taskOf(t, "busy");
        assertTrue(all(t, CancelObserve.class).stream().anyMatch(o -> o.task() == task && o.how() == CancelHow.POLL));
        TaskDone done = all(t, TaskDone.class).stream().filter(d -> d.task() == task).findFirst().orElseThrow();
        assertEquals(Outcome.OK, done.outcome(), "returning after polling completes the task");
        assertTrue(done.cancelRequested());
    }

    @Test
    void aSleepIsACheckpoint() throws Exception {
        Trace t = trace("runtime/cancel/explicit_cancel_task.jan", 2);
        int task = taskOf(t, "sleeper");
        assertTrue(all(t, CancelObserve.class).stream().anyMatch(o -> o.task() == task && o.how() == CancelHow.CHECKPOINT));
        TaskDone done = all(t, TaskDone.class).stream().filter(d -> d.task() == task).findFirst().orElseThrow();
        assertEquals(Outcome.CANCELLED, done.outcome());
    }

    @Test
    void aTaskThatNeverChecksCompletesWithCancelRequested() throws Exception {
        Trace t = trace("runtime/cancel/never_checks_runs_to_completion.jan", 2);
        int task = taskOf(t, "stubborn");
        assertTrue(all(t, CancelObserve.class).stream().noneMatch(o -> o.task() == task));
        TaskDone done = all(t, TaskDone.class).stream().filter(d -> d.task() == task).findFirst().orElseThrow();
        assertEquals(Outcome.OK, done.outcome());
        assertTrue(done.cancelRequested());
        assertEquals("200000", done.value());
    }

    @Test
    void aFailingChildCancelsItsNurseryForFailure() throws Exception {
        Trace t = trace("runtime/nursery/failure_cancels_siblings.jan", 2);
        assertTrue(all(t, CancelRequest.class).stream().anyMatch(c -> c.targetKind() == TargetKind.NURSERY
                && c.reason() == CancelReason.FAILURE), "cancel_request nursery reason failure");
        int sibling = taskOf(t, "sibling");
        TaskDone done = all(t, TaskDone.class).stream().filter(d -> d.task() == sibling).findFirst().orElseThrow();
        assertEquals(Outcome.CANCELLED, done.outcome());
        assertTrue(all(t, NurseryClose.class).stream().anyMatch(n -> n.outcome() == Outcome.ERROR
                && "Job.Broke".equals(n.error())));
    }

    @Test
    void theFirstErrorIsTheOneTheNurseryCloses() throws Exception {
        Trace t = trace("runtime/nursery/first_error_wins.jan", 4);
        NurseryClose failed = all(t, NurseryClose.class).stream().filter(n -> n.outcome() == Outcome.ERROR)
                .findFirst().orElse(null);
        assertNotNull(failed);
        assertEquals("E.First", failed.error());
    }

    @Test
    void aNamedCancelIsExplicitAndReachesGrandchildren() throws Exception {
        Trace t = trace("runtime/cancel/transitive_to_grandchildren.jan", 4);
        assertTrue(all(t, CancelRequest.class).stream().anyMatch(c -> c.targetKind() == TargetKind.TASK
                && c.reason() == CancelReason.EXPLICIT));
        for (TaskSpawn s : all(t, TaskSpawn.class)) {
            if (!s.func().equals("leaf")) continue;
            TaskDone d = all(t, TaskDone.class).stream().filter(x -> x.task() == s.task()).findFirst().orElseThrow();
            assertEquals(Outcome.CANCELLED, d.outcome(), s.name());
        }
    }
}

package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.YieldReason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FoldingTest {

    /** main#0 on W0 with nursery 1 open; seq of the last event is returned by b.nextSeq()-1. */
    private static TraceBuilder started() {
        return new TraceBuilder()
                .on(-1).runStart(2, "deterministic", 42)
                .nurseryOpen(0, -1, -1, 0)
                .spawn(0, -1, 0, "main", 1)
                .push(0, 0, "top")
                .on(0).pop(0).run(0)
                .nurseryOpen(1, 0, 0, 2);
    }

    @Test
    void taskLifeFromSpawnToDone() {
        TraceBuilder b = started();
        b.spawn(1, 0, 1, "fetch", 3);
        long spawned = b.nextSeq() - 1;
        b.push(1, 0, "top");
        long pushed = b.nextSeq() - 1;
        b.block(0, "join", 1);
        b.pop(1);
        long popped = b.nextSeq() - 1;
        b.run(1);
        long ran = b.nextSeq() - 1;
        b.yield(1, "budget");
        long yielded = b.nextSeq() - 1;
        b.push(1, 0, "bottom").pop(1).run(1).block(1, "sleep", 5000);
        long blocked = b.nextSeq() - 1;
        b.on(-1).wake(1, -1);
        long woken = b.nextSeq() - 1;
        b.on(0).run(1).print(1, "hi\n").ok(1, "42");
        long done = b.nextSeq() - 1;
        Trace t = b.build();

        TaskInfo s = t.stateAt(spawned).task(1);
        assertEquals("fetch#1", s.name());
        assertEquals(TaskState.SPAWNED, s.state());
        assertEquals(0, s.parent());
        assertEquals(1, s.nursery());
        assertEquals(3, s.line());
        assertEquals(List.of(1), t.stateAt(spawned).nursery(1).children());

        SchedulerState atPush = t.stateAt(pushed);
        assertEquals(TaskState.QUEUED, atPush.task(1).state());
        assertEquals(List.of(1), atPush.worker(0).queue());
        assertEquals(0, atPush.task(1).queue());

        SchedulerState atPop = t.stateAt(popped);
        assertEquals(TaskState.RUNNABLE, atPop.task(1).state());
        assertTrue(atPop.worker(0).queue().isEmpty());
        assertEquals(TaskState.BLOCKED, atPop.task(0).state());
        assertEquals(BlockOn.JOIN, atPop.task(0).blockedOn());
        assertEquals(List.of(0), atPop.blocked().stream().map(TaskInfo::id).toList());

        SchedulerState atRun = t.stateAt(ran);
        assertEquals(1, atRun.worker(0).running());
        assertEquals(TaskState.RUNNING, atRun.task(1).state());
        assertEquals(1, atRun.task(1).runs());

        SchedulerState atYield = t.stateAt(yielded);
        assertEquals(TaskState.YIELDED, atYield.task(1).state());
        assertEquals(YieldReason.BUDGET, atYield.task(1).yieldReason());
        assertEquals(-1, atYield.worker(0).running());

        SchedulerState atBlock = t.stateAt(blocked);
        assertEquals(BlockOn.SLEEP, atBlock.task(1).blockedOn());
        assertEquals(5000, atBlock.task(1).blockTarget());
        assertEquals(List.of(1), atBlock.sleeping().stream().map(TaskInfo::id).toList());

        SchedulerState atWake = t.stateAt(woken);
        assertEquals(TaskState.RUNNABLE, atWake.task(1).state());
        assertEquals(-1, atWake.task(1).wokenBy());
        assertTrue(atWake.sleeping().isEmpty());

        SchedulerState end = t.stateAt(done);
        TaskInfo d = end.task(1);
        assertEquals(TaskState.DONE, d.state());
        assertEquals(Outcome.OK, d.outcome());
        assertEquals("42", d.value());
        assertEquals(3, d.runs());
        assertEquals(-1, end.worker(0).running());
        assertEquals("hi\n", end.outputText());
        assertEquals(1, end.output().get(0).task());
        assertEquals(0, end.nursery(1).liveChildren());
        assertTrue(end.waitingFor(1).isEmpty());
        assertEquals(2, end.taskCount());
        assertEquals(1, end.doneTaskCount());
    }

    @Test
    void dequeOrderTopToBottomAndStealMovesTaskBetweenDeques() {
        TraceBuilder b = started()
                .spawn(1, 0, 1, "a", 3).push(1, 0, "top")
                .spawn(2, 0, 1, "b", 4).push(2, 0, "top")
                .spawn(3, 0, 1, "c", 5).push(3, 0, "bottom");
        long before = b.nextSeq() - 1;
        b.on(1).steal(3, 0);
        long stolen = b.nextSeq() - 1;
        b.run(3);
        Trace t = b.build();

        assertEquals(List.of(2, 1, 3), t.stateAt(before).worker(0).queue());
        SchedulerState s = t.stateAt(stolen);
        assertEquals(List.of(2, 1), s.worker(0).queue());
        assertEquals(List.of(3), s.worker(1).queue());
        assertEquals(new SchedulerState.StealMark(stolen, 3, 0, 1), s.lastSteal());
        assertEquals(1, s.steals());

        SchedulerState r = t.latestState();
        assertTrue(r.worker(1).queue().isEmpty());
        assertEquals(3, r.worker(1).running());
        assertEquals(0, r.worker(0).running());
        assertEquals(1, r.task(3).worker());
    }

    @Test
    void spawnMarkAndParking() {
        TraceBuilder b = started().on(1).park();
        long parked = b.nextSeq() - 1;
        b.on(0).spawn(1, 0, 1, "f", 3);
        long spawned = b.nextSeq() - 1;
        b.on(1).unpark();
        Trace t = b.build();
        assertTrue(t.stateAt(parked).worker(1).parked());
        assertEquals(new SchedulerState.SpawnMark(spawned, 1, 0, 1, 0), t.stateAt(spawned).lastSpawn());
        assertFalse(t.latestState().worker(1).parked());
    }

    @Test
    void injectQueue() {
        Trace t = started().on(-1).spawn(1, 0, 1, "f", 3).push(1, -1, "bottom").push(0, -1, "bottom").build();
        SchedulerState s = t.latestState();
        assertEquals(List.of(1, 0), s.injectQueue());
        assertEquals(TaskInfo.INJECT, s.task(1).queue());
        assertEquals(-1, s.worker(0).running(), "a pushed task is no longer running");
    }

    @Test
    void cancellationMarksRequestedThenObserved() {
        TraceBuilder b = started()
                .spawn(1, 0, 1, "w", 3).push(1, 0, "top")
                .spawn(2, 0, 1, "w", 4).push(2, 0, "top")
                .on(1).steal(1, 0).run(1)
                .on(0).cancelNursery(1, "explicit", 0);
        long requested = b.nextSeq() - 1;
        b.cancelTask(2, "parent", 0);
        long taskRequested = b.nextSeq() - 1;
        b.on(1).observe(1, "poll", 9);
        long observed = b.nextSeq() - 1;
        b.done(1, "cancelled", "Runtime.Cancelled", true);
        Trace t = b.build();

        SchedulerState s = t.stateAt(requested);
        assertTrue(s.nursery(1).cancelRequested());
        assertEquals(CancelReason.EXPLICIT, s.nursery(1).cancelReason());
        assertEquals(0, s.nursery(1).cancelBy());
        assertFalse(s.task(1).cancelRequested(), "not requested for the task itself yet");
        assertTrue(s.isCancelRequested(1), "but it has reached it through the nursery");
        assertFalse(s.isCancelRequested(0), "the owner is not cancelled by its nursery");
        assertEquals(requested, s.lastCancel().seq());

        assertTrue(t.stateAt(taskRequested).task(2).cancelRequested());
        assertEquals(CancelReason.PARENT, t.stateAt(taskRequested).task(2).cancelReason());

        TaskInfo o = t.stateAt(observed).task(1);
        assertTrue(o.cancelObserved());
        assertEquals(9, o.cancelObservedLine());
        assertEquals(Wire.CancelHow.POLL, o.cancelHow());
        assertEquals(Outcome.CANCELLED, t.latestState().task(1).outcome());
        assertTrue(t.latestState().task(1).cancelRequested());
    }

    @Test
    void nurseryTreeAndJoin() {
        TraceBuilder b = started()
                .spawn(1, 0, 1, "g", 3).push(1, 0, "top")
                .spawn(2, 0, 1, "g", 4).push(2, 0, "top")
                .join(1).block(0, "join", 1)
                .pop(2).run(2).nurseryOpen(2, 2, 1, 7);
        long opened = b.nextSeq() - 1;
        b.close(2, "ok", null).ok(2, "nil");
        Trace t = b.build();
        SchedulerState s = t.stateAt(opened);
        assertEquals(NurseryInfo.Status.JOINING, s.nursery(1).status());
        assertEquals(List.of(1, 2), s.waitingFor(1));
        assertEquals(List.of(2), s.nursery(1).childNurseries());
        assertEquals(List.of(2), s.task(2).ownedNurseries());
        assertEquals(List.of(1), s.task(0).ownedNurseries());
        SchedulerState e = t.latestState();
        assertEquals(List.of(1), e.waitingFor(1));
        assertEquals(NurseryInfo.Status.CLOSED, e.nursery(2).status());
        assertEquals(Outcome.OK, e.nursery(2).outcome());
    }

    @Test
    void failingChildRecordsFirstError() {
        SchedulerState s = SampleTraces.failingChild().latestState();
        assertEquals("NetError.Refused", s.nursery(1).firstChildError());
        assertEquals("NetError.Refused", s.nursery(1).error());
        assertEquals(Wire.RunStatus.ERROR, s.runStatus());
        assertEquals(2, s.errors().size());
        assertEquals(Outcome.CANCELLED, s.task(1).outcome());
    }

    @Test
    void unknownKindsAreSkippedByTheFold() {
        TraceBuilder b = started();
        SchedulerState before = b.build().latestState();
        b.event(x -> new TraceEvent.Unknown(x[0], x[1], (int) x[2], "gc_pause", "{\"ms\":3}"));
        SchedulerState after = b.build().latestState();
        assertEquals(before.task(0), after.task(0));
        assertEquals(before.workers(), after.workers());
        assertEquals(before.seq() + 1, after.seq());
    }

    @Test
    void applyOneEventEqualsTraceState() {
        Trace t = SampleTraces.cancelWave();
        SchedulerState s = t.initialState();
        for (TraceEvent e : t.events()) s = s.apply(e);
        assertEquals(t.latestState(), s);
        assertEquals(SchedulerState.fold(t.events()).task(3), s.task(3));
    }
}

package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.InvariantChecker.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class InvariantCheckerTest {

    /** A valid prefix: main#0 running on W0 with its nursery 1 open. */
    private static TraceBuilder started() {
        return new TraceBuilder()
                .on(-1).runStart(2, "deterministic", 1)
                .nurseryOpen(0, -1, -1, 0)
                .spawn(0, -1, 0, "main", 1)
                .push(0, 0, "top")
                .on(0).pop(0).run(0)
                .nurseryOpen(1, 0, 0, 2);
    }

    /** Ends main and the run cleanly (main must be running on W0, nursery 1 free of live children). */
    private static TraceBuilder finish(TraceBuilder b) {
        return b.on(0).join(1).close(1, "ok", null).ok(0, "nil").on(-1).close(0, "ok", null).runEnd("ok", 0);
    }

    private static void assertOnly(int invariant, Trace t) {
        List<Violation> v = InvariantChecker.check(t);
        assertFalse(v.isEmpty(), "expected a violation of invariant " + invariant);
        for (Violation x : v) assertEquals(invariant, x.invariant(), () -> "unexpected: " + v);
    }

    @Test
    void samplesKeepEveryInvariant() {
        for (Map.Entry<String, Trace> e : SampleTraces.all().entrySet()) {
            assertEquals(List.of(), InvariantChecker.check(e.getValue()), e.getKey());
        }
        assertEquals(List.of(), InvariantChecker.check(SyntheticRun.fanOut("t.jan", 3, 12, 3, 2, 8)));
        assertEquals(List.of(), InvariantChecker.check(finish(started()).build()));
    }

    @Test
    void invariant1_taskNeverFinished() {
        Trace t = finish(started().spawn(1, 0, 1, "f", 3).push(1, 0, "top")).build();
        List<Violation> v = InvariantChecker.check(t);
        assertTrue(v.stream().anyMatch(x -> x.invariant() == 1 && x.message().contains("f#1") && x.message().contains("never finished")), v::toString);
    }

    @Test
    void invariant1_doneTwiceAndDoneBeforeSpawn() {
        Trace twice = finish(started().spawn(1, 0, 1, "f", 3).ok(1, "1").ok(1, "1")).build();
        assertOnly(1, twice);
        Trace unspawned = finish(started().ok(7, "1")).build();
        Violation v = InvariantChecker.check(unspawned).get(0);
        assertEquals(1, v.invariant());
        assertEquals(7, v.seq());
        assertTrue(v.message().contains("never spawned"));
    }

    @Test
    void invariant2_workerRunsTwoTasksAtOnce() {
        TraceBuilder b = started().spawn(1, 0, 1, "f", 3).push(1, 0, "top").run(1);
        long bad = b.nextSeq() - 1;
        Trace t = finish(b.yield(1, "budget").push(1, 0, "bottom").on(1).steal(1, 0).run(1).ok(1, "1")).build();
        List<Violation> v = InvariantChecker.check(t);
        assertEquals(1, v.size(), v::toString);
        assertEquals(2, v.get(0).invariant());
        assertEquals(bad, v.get(0).seq());
        assertTrue(v.get(0).message().contains("main#0 is still running"), v.get(0).message());
    }

    @Test
    void invariant2_taskOnTwoWorkersAtOnce() {
        Trace t = started().on(1).run(0).build();
        assertOnly(2, t);
    }

    @Test
    void invariant3_nurseryClosesBeforeItsChild() {
        Trace t = started().spawn(1, 0, 1, "f", 3).push(1, 0, "top")
                .join(1).close(1, "ok", null).ok(0, "nil")
                .on(1).steal(1, 0).run(1).ok(1, "1")
                .on(-1).close(0, "ok", null).runEnd("ok", 0).build();
        List<Violation> v = InvariantChecker.check(t);
        assertTrue(v.stream().allMatch(x -> x.invariant() == 3), v::toString);
        assertTrue(v.get(0).message().contains("f#1"), v.toString());
    }

    @Test
    void invariant3_ownerFinishesBeforeItsNurseryCloses() {
        Trace t = started().ok(0, "nil").close(1, "ok", null)
                .on(-1).close(0, "ok", null).runEnd("ok", 0).build();
        List<Violation> v = InvariantChecker.check(t);
        assertEquals(1, v.size(), v::toString);
        assertEquals(3, v.get(0).invariant());
        assertTrue(v.get(0).message().contains("main#0 finishes while its nursery 1 is still open"));
    }

    @Test
    void invariant4_cancellationDoesNotReachGrandchild() {
        // main's nursery 1 holds g#1, whose nursery 2 holds w#2; cancelling nursery 1 must reach w#2
        TraceBuilder b = started().spawn(1, 0, 1, "g", 3).push(1, 0, "top")
                .join(1).block(0, "join", 1)
                .pop(1).run(1).nurseryOpen(2, 1, 1, 5).spawn(2, 1, 2, "w", 6).push(2, 0, "top")
                .join(2).block(1, "join", 2)
                .pop(2).run(2)
                .on(1).cancelNursery(1, "explicit", 0)
                .on(0).ok(2, "fine");       // w#2 neither cancelled nor marked cancel_requested
        long bad = b.nextSeq() - 1;
        b.wake(1, 2).run(1).close(2, "cancelled", null).done(1, "cancelled", "Runtime.Cancelled", true)
                .wake(0, 1).run(0);
        Trace t = finish(b).build();
        List<Violation> v = InvariantChecker.check(t);
        assertEquals(1, v.size(), v::toString);
        assertEquals(4, v.get(0).invariant());
        assertEquals(bad, v.get(0).seq());
        assertTrue(v.get(0).message().contains("nursery 1") && v.get(0).message().contains("w#2"), v.get(0).message());
    }

    @Test
    void invariant4_okWithCancelRequestedIsFine() {
        TraceBuilder b = started().spawn(1, 0, 1, "g", 3).push(1, 0, "top")
                .on(1).steal(1, 0).run(1)
                .on(0).cancelTask(1, "explicit", 0)
                .on(1).done(1, "ok", "5", true);
        assertEquals(List.of(), InvariantChecker.check(finish(b).build()));
    }

    @Test
    void invariant5_cancelledBeforeRunningButRuns() {
        TraceBuilder b = started().spawn(1, 0, 1, "f", 3).push(1, 0, "top")
                .cancelNursery(1, "explicit", 0)
                .join(1).block(0, "join", 1)
                .pop(1).run(1);
        long bad = b.nextSeq() - 1;
        b.done(1, "cancelled", "Runtime.Cancelled", true).wake(0, 1).run(0);
        List<Violation> v = InvariantChecker.check(finish(b).build());
        assertEquals(1, v.size(), v::toString);
        assertEquals(5, v.get(0).invariant());
        assertEquals(bad, v.get(0).seq());
    }

    @Test
    void invariant6_failedChildButNurseryClosesOk() {
        TraceBuilder b = started().spawn(1, 0, 1, "f", 3).push(1, 0, "top")
                .spawn(2, 0, 1, "f", 4).push(2, 0, "top")
                .join(1).block(0, "join", 1)
                .pop(2).run(2).done(2, "error", "NetError.Refused", false)
                .pop(1).run(1).done(1, "error", "Runtime.DivByZero", false)
                .wake(0, 1).run(0);
        Trace ok = b.build();
        TraceBuilder closesOk = started().spawn(1, 0, 1, "f", 3).push(1, 0, "top")
                .pop(1).on(1).run(1).done(1, "error", "NetError.Refused", false);
        List<Violation> v = InvariantChecker.check(finish(closesOk).build());
        assertEquals(1, v.size(), v::toString);
        assertEquals(6, v.get(0).invariant());
        assertTrue(v.get(0).message().contains("closes ok although a child failed with NetError.Refused"));

        // closing with the second error instead of the first
        TraceBuilder wrong = new TraceBuilder();
        for (TraceEvent e : ok.events()) wrong.event(x -> e);
        wrong.on(0).join(1).close(1, "error", "Runtime.DivByZero").done(0, "error", "Runtime.DivByZero", false)
                .on(-1).close(0, "error", "Runtime.DivByZero").runEnd("error", 0);
        List<Violation> w = InvariantChecker.check(wrong.build());
        assertEquals(1, w.size(), w::toString);
        assertEquals(6, w.get(0).invariant());
        assertTrue(w.get(0).message().contains("instead of the first child error NetError.Refused"));
    }

    @Test
    void invariant6_cancelledChildrenAreNotFailures() {
        TraceBuilder b = started().spawn(1, 0, 1, "f", 3).push(1, 0, "top")
                .cancelTask(1, "explicit", 0)
                .pop(1).done(1, "cancelled", "Runtime.Cancelled", true);
        assertEquals(List.of(), InvariantChecker.check(finish(b).build()));
    }

    @Test
    void invariant7_seqGapAndTimeGoingBack() {
        TraceBuilder gap = started();
        gap.event(x -> new TraceEvent.TaskPop(x[0] + 1, x[1], 0, 5));
        Violation v = InvariantChecker.check(gap.build()).get(0);
        assertEquals(7, v.invariant());
        assertTrue(v.message().contains("expected 7"), v.message());

        Trace back = started().on(1).at(100_000).park().at(50_000).unpark().build();
        List<Violation> b = InvariantChecker.check(back);
        assertEquals(1, b.size(), b::toString);
        assertEquals(7, b.get(0).invariant());
        assertTrue(b.get(0).message().contains("W1"));
        // other workers' clocks are independent
        assertEquals(List.of(), InvariantChecker.check(started().on(1).at(100_000).park().on(0).at(50_000).line(0, 3).build()));
    }

    @Test
    void invariant8_determinismComparesBytesIgnoringCreated(@TempDir Path dir) throws Exception {
        Trace a = SampleTraces.steal();
        Trace b = SampleTraces.steal();
        b.setHeader(b.header().withCreated("2030-05-05T05:05:05Z"));
        Path pa = dir.resolve("a.jtrace"), pb = dir.resolve("b.jtrace.gz");
        TraceFiles.write(a, pa);
        TraceFiles.write(b, pb);
        assertEquals(Optional.empty(), InvariantChecker.compareIgnoringCreated(pa, pb));
        assertEquals(Optional.empty(), InvariantChecker.compareIgnoringCreated(a, b));

        Trace c = new TraceBuilder().program("steal.jan", SampleTraces.STEAL_SOURCE).build();
        List<TraceEvent> events = a.events();
        Trace changed = new Trace(a.header());
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            changed.append(i == 20 ? new TraceEvent.TaskRun(e.seq(), e.t() + 1, e.w(), 1) : e);
        }
        Path pc = dir.resolve("c.jtrace");
        TraceFiles.write(changed, pc);
        Violation v = InvariantChecker.compareIgnoringCreated(pa, pc).orElseThrow();
        assertEquals(8, v.invariant());
        assertEquals(20, v.seq());
        assertTrue(InvariantChecker.compareIgnoringCreated(a, c).isPresent());
    }
}

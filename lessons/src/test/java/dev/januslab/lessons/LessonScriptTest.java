package dev.januslab.lessons;

import static dev.januslab.lessons.SampleRun.predicate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceBuilder;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LessonScriptTest {

    private static List<Step> steps(String... predicates) {
        return Arrays.stream(predicates).map(p -> new Step(predicate(p), "narration of " + p)).toList();
    }

    @Test
    void eachStepIsTheFirstMatchAfterThePreviousOne() {
        LessonScript s = new LessonScript(steps(
                "{\"k\":\"task_spawn\"}",                 // main#0 at 2
                "{\"k\":\"task_spawn\"}",                 // then fetch#1 at 7, not 2 again
                "{\"k\":\"task_push\",\"pos\":\"top\"}",  // 8
                "{\"k\":\"task_done\"}",                  // parse#3 at 30
                "{\"k\":\"run_end\"}"), SampleRun.trace());
        assertArrayEquals(new long[] {2, 7, 8, 30, 44}, s.seqs());
        assertTrue(s.complete());
        assertNull(s.problem());
    }

    @Test
    void nthIsCountedFromTheStartOfTheRun() {
        LessonScript s = new LessonScript(steps(
                "{\"k\":\"task_steal\"}",                                  // 15
                "{\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":2}"), SampleRun.trace()); // 9 < 15: broken
        assertEquals(15, s.seqOf(0));
        assertEquals(-1, s.seqOf(1));
        assertFalse(s.complete());
        assertTrue(s.problem().contains("step 2"), s.problem());
        assertTrue(s.problem().contains("match number 2 is event 9"), s.problem());

        LessonScript ok = new LessonScript(steps(
                "{\"k\":\"task_spawn\",\"func\":\"fetch\"}",                 // 7
                "{\"k\":\"task_run\",\"nth\":3}",                            // main 5, fetch#1 16, parse#3 19
                "{\"k\":\"task_run\"}"), SampleRun.trace());                 // the next one: fetch#2 at 24
        assertArrayEquals(new long[] {7, 19, 24}, ok.seqs());
    }

    @Test
    void aStepThatNeverMatchesIsReportedOnceTheRunHasEnded() {
        LessonScript s = new LessonScript(steps("{\"k\":\"task_done\"}", "{\"k\":\"task_steal\"}"), SampleRun.trace());
        assertEquals(1, s.located());
        assertTrue(s.problem().contains("step 2 {\"k\":\"task_steal\"}: no event matches after step 1 (event 30)"), s.problem());

        LessonScript few = new LessonScript(steps("{\"k\":\"task_steal\",\"nth\":2}"), SampleRun.trace());
        assertTrue(few.problem().contains("the run has only 1 matching events"), few.problem());
    }

    @Test
    void followsAGrowingTrace() {
        List<TraceEvent> all = SampleRun.trace().events();
        Trace growing = new Trace(new TraceBuilder().runStart(2, "deterministic", 1).header());
        LessonScript s = new LessonScript(steps("{\"k\":\"task_steal\"}", "{\"k\":\"print\"}", "{\"k\":\"run_end\"}"), growing);
        assertEquals(0, s.located());
        assertNull(s.problem(), "a growing run has no problem yet");
        for (int i = 0; i <= 16; i++) growing.append(all.get(i));
        assertEquals(1, s.located());
        assertEquals(15, s.seqOf(0));
        for (int i = 17; i <= 30; i++) growing.append(all.get(i));
        assertEquals(20, s.seqOf(1));
        assertEquals(-1, s.seqOf(2));
        assertNull(s.problem());
        for (int i = 31; i < all.size(); i++) growing.append(all.get(i));
        assertArrayEquals(new long[] {15, 20, 44}, s.seqs());
    }

    @Test
    void nextPreviousAndCurrentFromACursor() {
        LessonScript s = new LessonScript(steps("{\"k\":\"task_steal\"}", "{\"k\":\"print\"}", "{\"k\":\"run_end\"}"),
                SampleRun.trace());
        assertEquals(OptionalInt.of(0), s.nextStep(-1));
        assertEquals(OptionalInt.of(1), s.nextStep(15));
        assertEquals(OptionalInt.of(2), s.nextStep(30));
        assertEquals(OptionalInt.empty(), s.nextStep(44));
        assertEquals(OptionalInt.empty(), s.previousStep(15));
        assertEquals(OptionalInt.of(0), s.previousStep(20));
        assertEquals(OptionalInt.of(1), s.previousStep(44));
        assertEquals(OptionalInt.empty(), s.currentStep(14));
        assertEquals(OptionalInt.of(0), s.currentStep(15));
        assertEquals(OptionalInt.of(0), s.currentStep(19));
        assertEquals(OptionalInt.of(1), s.stepAt(20));
        assertEquals(OptionalInt.empty(), s.stepAt(21));
    }
}

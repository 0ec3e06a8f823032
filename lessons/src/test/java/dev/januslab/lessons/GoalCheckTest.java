package dev.januslab.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.Trace;
import org.junit.jupiter.api.Test;

class GoalCheckTest {
    private final Trace trace = SampleRun.trace();
    private final String output = ProgramOutput.of(trace);

    private static GoalCheck check(String json) {
        return GoalCheck.parse(SampleRun.json("lesson.json", json));
    }

    private GoalResult run(String json) {
        return check(json).check(trace, output, SampleRun.SOURCE);
    }

    private void passes(String json, String why) {
        GoalResult r = run(json);
        assertTrue(r.passed(), r.why());
        assertEquals(why, r.why());
    }

    private void fails(String json, String why) {
        GoalResult r = run(json);
        assertFalse(r.passed(), r.why());
        assertEquals(why, r.why());
    }

    @Test
    void outputComesFromPrintEvents() {
        assertEquals("parsing\ndone\n", output);
        assertEquals(java.util.List.of("parsing", "done"), ProgramOutput.lines(output));
    }

    @Test
    void before() {
        passes("{\"kind\":\"before\",\"event\":{\"k\":\"run_end\"},\"ms\":45}", "run_end (event 44) happens at 44 ms, under 45 ms.");
        fails("{\"kind\":\"before\",\"event\":{\"k\":\"run_end\"},\"ms\":44}", "run_end (event 44) happens at 44 ms, not under 44 ms.");
        passes("{\"kind\":\"before\",\"event\":{\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":2},\"ms\":9.5}",
                "task_spawn of fetch#2 (event 9) happens at 9 ms, under 9.5 ms.");
        fails("{\"kind\":\"before\",\"event\":{\"k\":\"task_steal\",\"nth\":2},\"ms\":1000}",
                "No event matches {\"k\":\"task_steal\",\"nth\":2} in this run.");
    }

    @Test
    void never() {
        passes("{\"kind\":\"never\",\"event\":{\"k\":\"task_done\",\"outcome\":\"error\",\"func\":\"parse\"}}",
                "No event matches {\"k\":\"task_done\",\"outcome\":\"error\",\"func\":\"parse\"}.");
        fails("{\"kind\":\"never\",\"event\":{\"k\":\"task_done\",\"outcome\":\"error\"}}",
                "It still happens: task_done of fetch#2 (event 32) matches {\"k\":\"task_done\",\"outcome\":\"error\"}.");
        passes("{\"kind\":\"never\",\"event\":{\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":3}}",
                "Fewer than 3 events match {\"k\":\"task_spawn\",\"func\":\"fetch\"}.");
        fails("{\"kind\":\"never\",\"event\":{\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":2}}",
                "It still happens: task_spawn of fetch#2 (event 9) matches {\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":2}.");
    }

    @Test
    void output() {
        passes("{\"kind\":\"output\",\"lines\":[\"parsing\",\"done\"]}", "The output is exactly as expected.");
        fails("{\"kind\":\"output\",\"lines\":[\"parsing\",\"finished\"]}", "Output line 2 is \"done\", expected \"finished\".");
        fails("{\"kind\":\"output\",\"lines\":[\"parsing\"]}", "The output has more than 1 lines; line 2 is \"done\".");
        fails("{\"kind\":\"output\",\"lines\":[\"parsing\",\"done\",\"bye\"]}", "The output stops after 2 lines; line 3 should be \"bye\".");
    }

    @Test
    void outputHas() {
        passes("{\"kind\":\"output_has\",\"line\":\"done\"}", "The output has the line \"done\".");
        fails("{\"kind\":\"output_has\",\"line\":\"don\"}", "No output line is \"don\".");
    }

    @Test
    void maxLive() {
        passes("{\"kind\":\"max_live\",\"func\":\"fetch\",\"at_most\":2}", "At most 2 fetch tasks are alive at once (2 in all).");
        fails("{\"kind\":\"max_live\",\"func\":\"fetch\",\"at_most\":1}", "2 fetch tasks are alive at once at 9 ms; at most 1 may be.");
        passes("{\"kind\":\"max_live\",\"func\":\"render\",\"at_most\":0}", "No render task runs at all.");
    }

    @Test
    void sourceLacks() {
        passes("{\"kind\":\"source_lacks\",\"text\":\"racy = racy\"}", "The program no longer contains \"racy = racy\".");
        fails("{\"kind\":\"source_lacks\",\"text\":\"println\"}", "Line 2 still contains \"println\".");
    }

    @Test
    void outcome() {
        passes("{\"kind\":\"outcome\",\"event\":{\"k\":\"task_spawn\",\"func\":\"parse\"},\"outcome\":\"ok\"}", "parse#3 ends ok.");
        fails("{\"kind\":\"outcome\",\"event\":{\"k\":\"task_spawn\",\"func\":\"fetch\"},\"outcome\":\"ok\"}",
                "fetch#1 ends cancelled, not ok.");
        passes("{\"kind\":\"outcome\",\"event\":{\"k\":\"nursery_open\",\"nursery\":1},\"outcome\":\"error\"}", "nursery 1 ends error.");
        fails("{\"kind\":\"outcome\",\"event\":{\"k\":\"nursery_open\",\"func\":\"main\"},\"outcome\":\"ok\"}", "nursery 1 ends error, not ok.");
        fails("{\"kind\":\"outcome\",\"event\":{\"k\":\"run_start\"},\"outcome\":\"ok\"}", "Event 0 (run_start) is about no task or nursery.");
    }

    @Test
    void aListNeedsAllOfItsChecks() {
        GoalCheck all = check("[{\"kind\":\"output_has\",\"line\":\"done\"},{\"kind\":\"source_lacks\",\"text\":\"println\"}]");
        assertInstanceOf(GoalCheck.All.class, all);
        GoalResult r = all.check(trace, output, SampleRun.SOURCE);
        assertFalse(r.passed());
        assertEquals("Line 2 still contains \"println\".", r.why(), "only the failing checks are explained");
        passes("[{\"kind\":\"output_has\",\"line\":\"done\"},{\"kind\":\"never\",\"event\":{\"k\":\"task_steal\",\"nth\":2}}]",
                "The output has the line \"done\". Fewer than 2 events match {\"k\":\"task_steal\"}.");
    }

    @Test
    void malformedChecks() {
        assertError("$.kind", "unknown check kind \"faster\"", "{\"kind\":\"faster\"}");
        assertError("$.ms", "missing", "{\"kind\":\"before\",\"event\":{\"k\":\"run_end\"}}");
        assertError("$.ms", "must be a number", "{\"kind\":\"before\",\"event\":{\"k\":\"run_end\"},\"ms\":\"700\"}");
        assertError("$.event.k", "unknown event kind", "{\"kind\":\"never\",\"event\":{\"k\":\"steal\"}}");
        assertError("$.lines[1]", "must be a string", "{\"kind\":\"output\",\"lines\":[\"a\",2]}");
        assertError("$.outcome", "must be ok, error or cancelled", "{\"kind\":\"outcome\",\"event\":{\"k\":\"run_end\"},\"outcome\":\"fine\"}");
        assertError("$.line", "unknown field", "{\"kind\":\"source_lacks\",\"text\":\"x\",\"line\":3}");
        assertError("$", "must not be empty", "[]");
        assertError("$.at_most", "must be 0 or more", "{\"kind\":\"max_live\",\"func\":\"f\",\"at_most\":-1}");
    }

    private static void assertError(String path, String message, String json) {
        LessonException e = assertThrows(LessonException.class, () -> check(json));
        assertEquals(path, e.jsonPath(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}

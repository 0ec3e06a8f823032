package dev.januslab.lessons;

import static dev.januslab.lessons.SampleRun.matches;
import static dev.januslab.lessons.SampleRun.predicate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPredicateTest {
    private final Trace trace = SampleRun.trace();

    private List<Long> seqs(String json) {
        return matches(predicate(json), trace);
    }

    @Test
    void kindAlone() {
        assertEquals(List.of(15L), seqs("{\"k\":\"task_steal\"}"));
        assertEquals(List.of(44L), seqs("{\"k\":\"run_end\"}"));
    }

    @Test
    void commonFields() {
        assertEquals(List.of(16L, 35L), seqs("{\"k\":\"task_run\",\"w\":1}"));
        assertEquals(List.of(17L), seqs("{\"t\":17000000}"));
        assertEquals(List.of(5L), seqs("{\"seq\":5}"));
    }

    @Test
    void taskByDisplayNameOrId() {
        assertEquals(List.of(11L, 12L, 18L, 19L, 20L, 21L, 22L, 25L, 27L, 28L, 29L, 30L), seqs("{\"task\":\"parse#3\"}"));
        assertEquals(seqs("{\"task\":\"parse#3\"}"), seqs("{\"task\":3}"));
        assertEquals(List.of(20L), seqs("{\"k\":\"print\",\"task\":\"parse#3\"}"));
        assertEquals(List.of(), seqs("{\"task\":\"fetch#3\"}"), "the name must agree with the id's function");
        assertEquals(List.of(41L), seqs("{\"k\":\"print\",\"task\":\"main#0\"}"));
    }

    @Test
    void funcOfTaskEvents() {
        assertEquals(List.of(7L, 9L), seqs("{\"k\":\"task_spawn\",\"func\":\"fetch\"}"));
        assertEquals(List.of(30L), seqs("{\"k\":\"task_done\",\"func\":\"parse\"}"));
        assertEquals(List.of(25L), seqs("{\"k\":\"cancel_request\",\"func\":\"parse\"}"), "a task's cancel_request is about its target");
    }

    @Test
    void funcOfNurseryEventsIsTheOwners() {
        assertEquals(List.of(6L), seqs("{\"k\":\"nursery_open\",\"func\":\"main\"}"));
        assertEquals(List.of(13L), seqs("{\"k\":\"nursery_join\",\"func\":\"main\"}"));
        assertEquals(List.of(40L), seqs("{\"k\":\"nursery_close\",\"func\":\"main\"}"));
        assertEquals(List.of(33L), seqs("{\"k\":\"cancel_request\",\"target_kind\":\"nursery\",\"func\":\"main\"}"));
        assertEquals(List.of(), seqs("{\"k\":\"nursery_close\",\"func\":\"fetch\"}"));
    }

    @Test
    void nurseryVictimQueuePos() {
        assertEquals(List.of(6L, 7L, 9L, 11L, 13L, 40L), seqs("{\"nursery\":1}"));
        assertEquals(List.of(15L), seqs("{\"k\":\"task_steal\",\"victim\":0}"));
        assertEquals(List.of(15L), seqs("{\"k\":\"task_steal\",\"thief\":1}"));
        assertEquals(List.of(3L, 22L), seqs("{\"k\":\"task_push\",\"queue\":-1}"));
        assertEquals(List.of(8L, 10L, 12L), seqs("{\"k\":\"task_push\",\"pos\":\"top\"}"));
    }

    @Test
    void enumFields() {
        assertEquals(List.of(21L), seqs("{\"k\":\"task_yield\",\"reason\":\"budget\"}"));
        assertEquals(List.of(26L), seqs("{\"k\":\"task_yield\",\"reason\":\"yield\"}"));
        assertEquals(List.of(33L), seqs("{\"k\":\"cancel_request\",\"reason\":\"failure\"}"));
        assertEquals(List.of(37L), seqs("{\"k\":\"task_done\",\"outcome\":\"cancelled\"}"));
        assertEquals(List.of(40L), seqs("{\"outcome\":\"error\",\"k\":\"nursery_close\"}"));
        assertEquals(List.of(29L), seqs("{\"k\":\"cancel_observe\",\"how\":\"poll\"}"));
        assertEquals(List.of(36L), seqs("{\"k\":\"cancel_observe\",\"how\":\"checkpoint\"}"));
        assertEquals(List.of(17L), seqs("{\"k\":\"task_block\",\"on\":\"sleep\"}"));
        assertEquals(List.of(25L), seqs("{\"k\":\"cancel_request\",\"target_kind\":\"task\"}"));
        assertEquals(List.of(44L), seqs("{\"k\":\"run_end\",\"status\":\"ok\"}"));
    }

    @Test
    void taskValuedFieldsTakeDisplayNames() {
        assertEquals(List.of(25L), seqs("{\"k\":\"cancel_request\",\"target\":\"parse#3\"}"));
        assertEquals(List.of(25L), seqs("{\"k\":\"cancel_request\",\"by\":\"fetch#2\",\"target_kind\":\"task\"}"));
        assertEquals(List.of(38L), seqs("{\"k\":\"task_wake\",\"by\":\"fetch#1\"}"));
        assertEquals(List.of(34L), seqs("{\"k\":\"task_wake\",\"by\":-1}"));
        assertEquals(List.of(7L, 9L, 11L), seqs("{\"k\":\"task_spawn\",\"parent\":\"main#0\"}"));
        assertEquals(List.of(6L), seqs("{\"k\":\"nursery_open\",\"owner\":\"main#0\"}"));
        assertEquals(List.of(6L), seqs("{\"k\":\"nursery_open\",\"parent\":0}"), "a nursery's parent is a nursery id");
    }

    @Test
    void stringFieldsAsShown() {
        assertEquals(List.of(30L), seqs("{\"k\":\"task_done\",\"value\":\"parsed\"}"));
        assertEquals(List.of(30L), seqs("{\"k\":\"task_done\",\"value\":\"\\\"parsed\\\"\"}"));
        assertEquals(List.of(32L), seqs("{\"k\":\"task_done\",\"error\":\"NetError.Refused\"}"));
        assertEquals(List.of(20L), seqs("{\"k\":\"print\",\"text\":\"parsing\"}"));
        assertEquals(List.of(30L, 37L), seqs("{\"k\":\"task_done\",\"cancel_requested\":true}"));
        assertEquals(List.of(29L), seqs("{\"k\":\"cancel_observe\",\"line\":9}"));
    }

    @Test
    void nthCountsFromTheStartOfTheRun() {
        assertEquals(7, predicate("{\"k\":\"task_spawn\",\"func\":\"fetch\"}").find(trace));
        assertEquals(9, predicate("{\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":2}").find(trace));
        assertEquals(-1, predicate("{\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":3}").find(trace));
        assertEquals(4, predicate("{\"k\":\"task_spawn\"}").count(trace));
        assertEquals(2, predicate("{\"k\":\"task_spawn\",\"func\":\"fetch\",\"nth\":2}").count(trace), "count ignores nth");
    }

    @Test
    void rejectsWhatCanNeverMatch() {
        assertError("$.k", "unknown event kind \"task_stael\"", "{\"k\":\"task_stael\"}");
        assertError("$.outcome", "unknown field", "{\"k\":\"task_steal\",\"outcome\":\"ok\"}");
        assertError("$.fucn", "unknown field", "{\"k\":\"task_spawn\",\"fucn\":\"leaf\"}");
        assertError("$.reason", "\"budget\" is not a reason value", "{\"k\":\"cancel_request\",\"reason\":\"budget\"}");
        assertError("$.pos", "\"middle\" is not a pos value", "{\"k\":\"task_push\",\"pos\":\"middle\"}");
        assertError("$.task", "a task is named FUNC#ID", "{\"task\":\"fetch\"}");
        assertError("$.nth", "must be at least 1", "{\"k\":\"task_run\",\"nth\":0}");
        assertError("$", "needs at least", "{}");
        assertError("$.w", "must be a string, a whole number or true/false", "{\"w\":[1]}");
    }

    private static void assertError(String path, String message, String json) {
        LessonException e = assertThrows(LessonException.class, () -> predicate(json));
        assertEquals(path, e.jsonPath(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("predicate: " + path + ": "), e.getMessage());
    }
}

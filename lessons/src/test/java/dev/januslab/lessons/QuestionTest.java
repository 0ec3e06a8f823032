package dev.januslab.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceBuilder;
import dev.januslab.scheduler.trace.TraceEvent;
import org.junit.jupiter.api.Test;

class QuestionTest {
    private final Trace trace = SampleRun.trace();

    private static Question question(String answer) {
        return Question.parse(SampleRun.json("lesson.json", "{\"ask\":\"?\",\"choices\":[\"a\",\"b\"],\"answer\":" + answer + "}"));
    }

    private QuestionAnswer answer(String answer) {
        return question(answer).answer(trace);
    }

    @Test
    void workerFieldThroughAFormat() {
        QuestionAnswer a = answer("{\"of\":{\"k\":\"task_steal\"},\"field\":\"w\",\"format\":\"W{}\"}");
        assertEquals("W1", a.text());
        assertEquals(15, a.seq());
        assertTrue(a.isAnsweredBy("W1"));
        assertFalse(a.isAnsweredBy("W0"));
    }

    @Test
    void taskFieldsAreDisplayNames() {
        assertEquals("fetch#1", answer("{\"of\":{\"k\":\"task_steal\"},\"field\":\"task\"}").text());
        assertEquals("fetch#1", answer("{\"of\":{\"k\":\"task_wake\",\"task\":\"main#0\"},\"field\":\"by\"}").text());
        assertEquals("fetch#2", answer("{\"of\":{\"k\":\"cancel_request\",\"target_kind\":\"task\"},\"field\":\"by\"}").text());
    }

    @Test
    void valuesAndTextAsPrinted() {
        assertEquals("parsed", answer("{\"of\":{\"k\":\"task_done\",\"func\":\"parse\"},\"field\":\"value\"}").text());
        assertEquals("cancelled", answer("{\"of\":{\"k\":\"task_done\",\"nth\":3},\"field\":\"outcome\"}").text());
        assertEquals("NetError.Refused", answer("{\"of\":{\"k\":\"nursery_close\",\"nursery\":1},\"field\":\"error\"}").text());
        assertEquals("said: done", answer("{\"of\":{\"k\":\"print\",\"nth\":2},\"field\":\"text\",\"format\":\"said: {}\"}").text());
    }

    @Test
    void countIsKnownOnceTheRunHasEnded() {
        QuestionAnswer a = answer("{\"count\":{\"k\":\"task_done\",\"cancel_requested\":true}}");
        assertEquals("2", a.text());
        assertEquals(44, a.seq());

        Trace unfinished = new Trace(trace.header());
        for (TraceEvent e : trace.events().subList(0, 40)) unfinished.append(e);
        QuestionAnswer b = question("{\"count\":{\"k\":\"task_done\"}}").answer(unfinished);
        assertFalse(b.known());
        assertTrue(b.missing().contains("has not ended"), b.missing());
    }

    @Test
    void noMatchingEventGivesNoAnswer() {
        QuestionAnswer a = answer("{\"of\":{\"k\":\"task_steal\",\"nth\":2},\"field\":\"w\"}");
        assertFalse(a.known());
        assertEquals(-1, a.seq());
        assertTrue(a.missing().contains("no event matches {\"k\":\"task_steal\",\"nth\":2} in this run"), a.missing());

        QuestionAnswer v = answer("{\"of\":{\"k\":\"task_done\",\"func\":\"fetch\",\"nth\":2},\"field\":\"value\"}");
        assertFalse(v.known(), "fetch#1 ended cancelled: no value");
        assertTrue(v.missing().contains("has no value"), v.missing());

        Trace empty = new TraceBuilder().runStart(1, "deterministic", 0).build();
        assertTrue(question("{\"of\":{\"k\":\"task_steal\"},\"field\":\"w\"}").answer(empty).missing().endsWith("yet"));
    }

    @Test
    void malformedAnswers() {
        assertError("$.answer.format", "must contain {}", "{\"of\":{\"k\":\"task_steal\"},\"field\":\"w\",\"format\":\"W\"}");
        assertError("$.answer.field", "\"outcome\" is not a field of task_steal", "{\"of\":{\"k\":\"task_steal\"},\"field\":\"outcome\"}");
        assertError("$.answer.count.nth", "nth has no meaning", "{\"count\":{\"k\":\"task_steal\",\"nth\":2}}");
        assertError("$.answer", "needs \"of\" and \"field\"", "{\"field\":\"w\"}");
        assertError("$.answer.field", "missing", "{\"of\":{\"k\":\"task_steal\"}}");
        LessonException dup = assertThrows(LessonException.class, () -> Question.parse(SampleRun.json("lesson.json",
                "{\"ask\":\"?\",\"choices\":[\"a\",\"a\"],\"answer\":{\"count\":{\"k\":\"run_end\"}}}")));
        assertEquals("$.choices[1]", dup.jsonPath());
    }

    private static void assertError(String path, String message, String answer) {
        LessonException e = assertThrows(LessonException.class, () -> question(answer));
        assertEquals(path, e.jsonPath(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}

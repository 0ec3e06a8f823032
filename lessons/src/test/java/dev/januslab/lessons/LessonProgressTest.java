package dev.januslab.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonProgressTest {
    @TempDir
    Path home;

    @Test
    void aFreshStartWhenThereIsNoFile() {
        LessonProgress p = LessonProgress.load(home.resolve(".janus-lab"));
        assertNull(p.loadProblem());
        assertTrue(p.stepsSeen("01-why-async").isEmpty());
        assertFalse(p.goalMet("01-why-async"));
        assertEquals(Optional.empty(), p.answer("01-why-async", 0));
    }

    @Test
    void survivesARestart() throws IOException {
        Path dir = home.resolve(".janus-lab");
        LessonProgress p = LessonProgress.load(dir);
        p.markStepSeen("04-work-stealing", 0);
        p.markStepSeen("04-work-stealing", 2);
        p.markStepSeen("04-work-stealing", 0);
        p.recordAnswer("04-work-stealing", 0, "leaf#3", false);
        p.recordAnswer("04-work-stealing", 0, "leaf#1", true);
        p.markGoalMet("01-why-async");
        p.save();
        assertTrue(Files.exists(dir.resolve("progress.json")));

        LessonProgress q = LessonProgress.load(dir);
        assertNull(q.loadProblem());
        assertEquals(Set.of(0, 2), q.stepsSeen("04-work-stealing"));
        assertEquals(Optional.of(new LessonProgress.Answered("leaf#1", true)), q.answer("04-work-stealing", 0));
        assertTrue(q.goalMet("01-why-async"));
        assertFalse(q.goalMet("04-work-stealing"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void completeNeedsEveryStepEveryQuestionAndTheGoal() {
        Lesson l = LessonCatalog.fromClasspath().find("02-first-async-function").orElseThrow();
        LessonProgress p = LessonProgress.load(home);
        for (int i = 0; i < l.steps().size(); i++) p.markStepSeen(l.id(), i);
        p.markGoalMet(l.id());
        assertFalse(p.complete(l));
        for (int i = 0; i < l.questions().size(); i++) p.recordAnswer(l.id(), i, "x", false);
        assertTrue(p.complete(l));
        p.reset(l.id());
        assertFalse(p.complete(l));
    }

    @Test
    void aBrokenFileIsKeptAsideAndProgressStartsFresh() throws IOException {
        Files.writeString(home.resolve("progress.json"), "{ not json");
        LessonProgress p = LessonProgress.load(home);
        assertTrue(p.loadProblem().contains("could not be read"), p.loadProblem());
        assertTrue(p.stepsSeen("01-why-async").isEmpty());
        assertEquals("{ not json", Files.readString(home.resolve("progress.json.broken")));

        Files.writeString(home.resolve("progress.json"), "{\"format\":\"janus-lab-progress\",\"version\":99,\"lessons\":{}}");
        assertTrue(LessonProgress.load(home).loadProblem().contains("newer"));
    }
}

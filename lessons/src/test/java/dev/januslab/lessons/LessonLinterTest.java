package dev.januslab.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.scheduler.run.ConsoleRun;
import dev.januslab.scheduler.run.Run;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The lesson linter (issue 6, "Tests"): every lesson on the classpath parses; its program
 * and solution check clean; the program runs on the real runtime with the lesson's pinned
 * deterministic schedule, twice, giving the same trace; every step predicate matches in
 * order; every question's answer is read from the run and is one of its choices; the goal
 * fails on program.jan and passes on solution.jan. Each lesson is one test that lists all
 * of its problems at once, so a teacher fixes them in one go.
 */
class LessonLinterTest {
    private static final long RUN_TIMEOUT_MS = 60_000;
    private static final LessonCatalog CATALOG = LessonCatalog.fromClasspath();

    @Test
    void everyLessonParsesAndTheyAreInOrder() {
        assertEquals(List.of(), CATALOG.problems().stream().map(Throwable::getMessage).toList(), "lessons that do not parse");
        List<Lesson> ls = CATALOG.lessons();
        assertTrue(ls.size() >= 12, "issue 6 asks for at least 12 lessons, found " + ls.size());
        for (int i = 0; i < ls.size(); i++) assertEquals(i + 1, ls.get(i).number(), "lesson numbers run 01, 02, ... in order");
    }

    @TestFactory
    Stream<DynamicTest> everyLessonLints() {
        return CATALOG.lessons().stream().map(l -> DynamicTest.dynamicTest(l.id(), () -> {
            List<String> problems = lint(l);
            if (!problems.isEmpty()) fail(l.id() + ":\n  - " + String.join("\n  - ", problems));
        }));
    }

    static List<String> lint(Lesson l) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        if (l.config().mode() != Wire.Mode.DETERMINISTIC) problems.add("config.mode must be deterministic so the lesson replays the same way");
        checkClean(l.id() + "/program.jan", l.program(), problems);
        checkClean(l.id() + "/solution.jan", l.solution(), problems);
        if (!problems.isEmpty()) return problems;

        LessonRun program = LessonRun.run(l, l.programName(), l.program(), RUN_TIMEOUT_MS);
        if (!ranCleanly("program.jan", program, problems)) return problems;
        Trace trace = program.trace();

        LessonRun again = LessonRun.run(l, l.programName(), l.program(), RUN_TIMEOUT_MS);
        if (ranCleanly("program.jan (second run)", again, problems) && !again.trace().events().equals(trace.events())) {
            problems.add("program.jan is not deterministic: two runs with the same config give different traces ("
                    + trace.size() + " and " + again.trace().size() + " events, first difference at seq "
                    + firstDifference(trace, again.trace()) + ")");
        }

        LessonScript script = l.script(trace);
        if (!script.complete()) problems.add("steps: " + script.problem());

        for (int i = 0; i < l.questions().size(); i++) {
            Question q = l.questions().get(i);
            QuestionAnswer a = q.answer(trace);
            if (!a.known()) {
                problems.add("questions[" + i + "] \"" + q.ask() + "\": the run gives no answer: " + a.missing());
            } else if (!q.choices().isEmpty() && !q.choices().contains(a.text())) {
                problems.add("questions[" + i + "] \"" + q.ask() + "\": the run's answer \"" + a.text()
                        + "\" is not one of the choices " + q.choices());
            }
        }

        GoalResult onProgram = program.check(l.goal());
        if (onProgram.passed()) problems.add("goal passes on the unmodified program.jan: " + onProgram.why());

        LessonRun solution = LessonRun.run(l, l.id() + "/solution.jan", l.solution(), RUN_TIMEOUT_MS);
        if (ranCleanly("solution.jan", solution, problems)) {
            GoalResult onSolution = solution.check(l.goal());
            if (!onSolution.passed()) problems.add("goal fails on solution.jan: " + onSolution.why());
        }
        return problems;
    }

    private static void checkClean(String file, String source, List<String> problems) {
        List<Diagnostic> ds = JanusCompiler.check(file, source);
        if (!ds.isEmpty()) {
            problems.add(file + " does not check clean:\n      "
                    + ds.stream().map(Diagnostic::headline).collect(Collectors.joining("\n      ")));
        }
    }

    /** The run ended by itself, ok, with a complete trace; else adds why and returns false. */
    private static boolean ranCleanly(String what, LessonRun r, List<String> problems) {
        ConsoleRun.Outcome o = r.outcome();
        if (o.ending() == ConsoleRun.Ending.TIMED_OUT) {
            problems.add(what + " did not end within " + RUN_TIMEOUT_MS + " ms");
            return false;
        }
        if (o.pumpFailure() != null) problems.add(what + ": the event pump failed: " + o.pumpFailure());
        if (o.result() != Run.Result.OK) {
            problems.add(what + " does not end ok: " + o.result() + " " + o.resultText() + " " + o.report().strip());
            return false;
        }
        Trace t = r.trace();
        if (t == null || t.isEmpty() || !(t.get(t.size() - 1) instanceof TraceEvent.RunEnd end)) {
            problems.add(what + ": the trace does not end with run_end");
            return false;
        }
        if (end.dropped() != 0) {
            problems.add(what + ": " + end.dropped() + " events dropped in deterministic mode");
            return false;
        }
        return true;
    }

    private static long firstDifference(Trace a, Trace b) {
        long n = Math.min(a.size(), b.size());
        for (long s = 0; s < n; s++) if (!a.get(s).equals(b.get(s))) return s;
        return n;
    }
}

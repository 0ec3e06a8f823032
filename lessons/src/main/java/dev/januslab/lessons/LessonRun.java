package dev.januslab.lessons;

import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.scheduler.run.ConsoleRun;
import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.Trace;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One headless run of a lesson's program (or the student's edit of it, or the solution)
 * with the lesson's pinned schedule, kept whole: what the linter runs, and what "Check the
 * goal" can use without the live views.
 *
 * @param outcome how the run went (compile errors, result, escaped error, stats)
 * @param trace   the recorded trace, or null if the source did not compile
 * @param output  everything the program printed
 */
public record LessonRun(String source, ConsoleRun.Outcome outcome, Trace trace, String output) {

    /** Compiles and runs {@code source} under {@code lesson}'s config; stops it after {@code timeoutMs}. */
    public static LessonRun run(Lesson lesson, String file, String source, long timeoutMs) throws InterruptedException {
        return run(lesson.config().runConfig(), file, source, timeoutMs);
    }

    public static LessonRun run(RunConfig config, String file, String source, long timeoutMs) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleRun.Outcome o = ConsoleRun.run(file, source, config, true, out, timeoutMs);
        return new LessonRun(source, o, o.trace(), out.toString(StandardCharsets.UTF_8));
    }

    public List<Diagnostic> diagnostics() {
        return outcome.diagnostics();
    }

    public boolean compiled() {
        return outcome.ending() != ConsoleRun.Ending.COMPILE_ERRORS;
    }

    /** Evaluates {@code goal} on this run; a program that does not compile fails it. */
    public GoalResult check(Goal goal) {
        if (trace == null) return new GoalResult(false, "The program does not compile.");
        return goal.check(trace, output, source);
    }
}

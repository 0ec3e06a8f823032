package dev.januslab.app.cli;

import dev.januslab.lessons.Lesson;
import dev.januslab.lessons.LessonCatalog;
import dev.januslab.lessons.LessonConfig;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code janus-lab lessons}: the lessons in order with their pinned settings; {@code janus-lab
 * lessons ID} (or its number) prints that lesson's program, so it can be run headless with
 * the same settings: {@code janus-lab lessons 4 > l4.jan && janus-lab run l4.jan ...}.
 */
@Command(name = "lessons", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = JanusLabCommand.EXIT_USAGE,
        description = "List the lessons, or print one lesson's program (by id or number).")
public final class LessonsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "LESSON", description = "a lesson id (04-work-stealing) or number (4)")
    String lesson;

    @Override
    public Integer call() {
        PrintStream out = CliStreams.stdout(), err = CliStreams.stderr();
        LessonCatalog catalog = LessonCatalog.fromClasspath();
        for (var problem : catalog.problems()) err.println("janus-lab lessons: " + problem.getMessage());
        if (lesson == null) {
            for (Lesson l : catalog.lessons()) out.printf("%-28s %-40s %s%n", l.id(), l.title(), flags(l.config()));
            return JanusLabCommand.EXIT_OK;
        }
        Optional<Lesson> found = catalog.lessons().stream()
                .filter(l -> l.id().equals(lesson) || lesson.matches("[0-9]{1,2}") && l.number() == Integer.parseInt(lesson))
                .findFirst();
        if (found.isEmpty()) {
            err.println("janus-lab lessons: no lesson " + lesson + " (`janus-lab lessons` lists them)");
            return JanusLabCommand.EXIT_USAGE;
        }
        out.print(found.get().program());
        out.flush();
        err.println("// run it as the lesson does: janus-lab run FILE.jan " + flags(found.get().config()));
        return JanusLabCommand.EXIT_OK;
    }

    /** The `run` flags that reproduce a lesson's pinned settings. */
    static String flags(LessonConfig c) {
        return "--workers " + c.workers() + " --seed " + c.seed() + " --quantum " + c.quantum()
                + (c.mode() == Mode.DETERMINISTIC ? " --deterministic" : "");
    }
}

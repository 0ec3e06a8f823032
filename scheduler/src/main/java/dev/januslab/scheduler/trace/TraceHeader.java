package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.Wire.Mode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Line 1 of a {@code .jtrace} file (TRACE.md §3): what ran, with which settings, and for
 * which lesson step. {@code lesson} is null outside lesson mode.
 */
public record TraceHeader(String format, int version, String created, Program program, Config config, Lesson lesson) {

    public static final String FORMAT = "janus-trace";
    /** The newest version this code reads and the one it writes. */
    public static final int VERSION = 1;

    public TraceHeader {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(config, "config");
    }

    /** {@code source} is the full program text shown read-only in replay. */
    public record Program(String name, String source) {
        public Program {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
        }
    }

    /** The run settings; {@code quantum} in VM ops, {@code stackKb} the fiber stack size. */
    public record Config(int workers, Mode mode, long seed, int quantum, int stackKb) {
        public Config {
            Objects.requireNonNull(mode, "mode");
        }
    }

    public record Lesson(String id, int step) {
        public Lesson {
            Objects.requireNonNull(id, "id");
        }
    }

    /** A header of the current format and version, created now (UTC, whole seconds). */
    public static TraceHeader of(Program program, Config config, Lesson lesson) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return new TraceHeader(FORMAT, VERSION, now, program, config, lesson);
    }

    public TraceHeader withCreated(String created) {
        return new TraceHeader(format, version, created, program, config, lesson);
    }

    public TraceHeader withLesson(Lesson lesson) {
        return new TraceHeader(format, version, created, program, config, lesson);
    }
}

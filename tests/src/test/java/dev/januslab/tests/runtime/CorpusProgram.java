package dev.januslab.tests.runtime;

import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One program of {@code tests/programs/} that the runtime runners run: it has
 * {@code // expect: LINE} lines (its stdout, in order) and/or one
 * {@code // expect runtime error: Set.Variant} line (the error that escapes main), and no
 * {@code // expect error …} line (those are compile-error programs, run by the compile-side
 * runner).
 *
 * <p>Two more directives, for runtime programs:
 * <ul>
 *   <li>{@code // run: --max-run-ms 300 --max-tasks 10 ...} — run settings the program needs
 *       (the flags of {@code janus-lab run}, plus {@code --task-memory} and {@code --max-total-tasks});</li>
 *   <li>{@code // expect aborted} — the run is stopped by the runtime (run time limit), not
 *       ended by main.</li>
 *   <li>{@code // modes: det} (or {@code live}) — the only scheduler mode the program's output
 *       is defined in, for the rare program whose point is a wall-clock limit in one mode and
 *       whose output in the other depends on the machine's load. The VM's C tests
 *       ({@code native/tests/vm/regen.sh}) read the same line. Default: both modes.</li>
 * </ul>
 */
record CorpusProgram(Path path, String name, String source, List<String> expectedOutput, String expectedError,
                     boolean expectAborted, List<String> runFlags, Set<Mode> modes) {

    static final Path ROOT = Path.of("programs");

    /** Every runnable program under {@code root}, sorted by path. */
    static List<CorpusProgram> load(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            List<CorpusProgram> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".jan")).sorted().toList()) {
                CorpusProgram c = parse(root, p);
                if (c != null) out.add(c);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CorpusProgram parse(Path root, Path file) throws IOException {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        List<String> output = new ArrayList<>();
        String error = null;
        boolean aborted = false;
        boolean runnable = false;
        List<String> flags = new ArrayList<>();
        Set<Mode> modes = EnumSet.allOf(Mode.class);
        for (String raw : source.split("\n", -1)) {
            int at = raw.indexOf("// ");
            if (at < 0) continue;
            String c = raw.substring(at + 3).stripTrailing();
            if (c.startsWith("expect error")) return null;
            if (c.startsWith("expect: ")) {
                output.add(c.substring("expect: ".length()));
                runnable = true;
            } else if (c.equals("expect:")) {
                output.add("");
                runnable = true;
            } else if (c.startsWith("expect runtime error: ")) {
                error = c.substring("expect runtime error: ".length()).trim();
                runnable = true;
            } else if (c.equals("expect aborted")) {
                aborted = true;
                runnable = true;
            } else if (c.startsWith("run: ")) {
                flags.addAll(List.of(c.substring(5).trim().split("\\s+")));
            } else if (c.startsWith("modes: ")) {
                modes = EnumSet.noneOf(Mode.class);
                for (String m : c.substring(7).trim().split("\\s+")) {
                    modes.add(switch (m) {
                        case "det" -> Mode.DETERMINISTIC;
                        case "live" -> Mode.LIVE;
                        default -> throw new IllegalArgumentException(file + ": unknown mode in // modes: " + m);
                    });
                }
            }
        }
        if (!runnable) return null;
        String name = root.relativize(file).toString().replace('\\', '/');
        return new CorpusProgram(file, name, source, List.copyOf(output), error, aborted, List.copyOf(flags),
                Set.copyOf(modes));
    }

    /** {@code base} with this program's {@code // run:} settings applied. */
    RunConfig configure(RunConfig base) {
        RunConfig c = base;
        for (int i = 0; i + 1 < runFlags.size(); i += 2) {
            String flag = runFlags.get(i);
            long v = Long.parseLong(runFlags.get(i + 1).replace("_", ""));
            switch (flag) {
                case "--max-run-ms" -> c = c.withMaxRunMs(v);
                case "--max-tasks" -> c = c.withMaxTasks(v);
                case "--max-total-tasks" -> c = c.withMaxTotalTasks(v);
                case "--task-memory" -> c = c.withTaskMemory(v);
                case "--quantum" -> c = c.withQuantum((int) v);
                case "--stack-kb" -> c = c.withStackKb((int) v);
                default -> throw new IllegalArgumentException(name + ": unknown // run: flag " + flag);
            }
        }
        return c;
    }

    /** Whether the program's output is defined in {@code mode} (see {@code // modes:}). */
    boolean runsIn(Mode mode) {
        return modes.contains(mode);
    }

    /** "1, 2,4" as numbers: the runners' lists of seeds and worker counts (here, not in a JUnit class: the stress command runs without JUnit). */
    static List<Long> longs(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Long::parseLong).toList();
    }

    /** The program's run flags as CLI arguments. */
    List<String> cliFlags() {
        return runFlags;
    }

    @Override
    public String toString() {
        return name;
    }
}

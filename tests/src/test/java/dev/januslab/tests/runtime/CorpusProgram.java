package dev.januslab.tests.runtime;

import dev.januslab.scheduler.run.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * </ul>
 */
record CorpusProgram(Path path, String name, String source, List<String> expectedOutput, String expectedError,
                     boolean expectAborted, List<String> runFlags) {

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
            }
        }
        if (!runnable) return null;
        String name = root.relativize(file).toString().replace('\\', '/');
        return new CorpusProgram(file, name, source, List.copyOf(output), error, aborted, List.copyOf(flags));
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

    /** The program's run flags as CLI arguments. */
    List<String> cliFlags() {
        return runFlags;
    }

    @Override
    public String toString() {
        return name;
    }
}

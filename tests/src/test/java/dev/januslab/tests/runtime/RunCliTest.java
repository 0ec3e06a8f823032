package dev.januslab.tests.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.januslab.scheduler.trace.InvariantChecker;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code janus-lab run} as a user runs it: a separate JVM per case, real stdout/stderr and
 * exit status (DESIGN.md §6).
 */
class RunCliTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    Result cli(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String lib = System.getProperty("janus.native.lib");
        if (lib != null && jvmArgs.stream().noneMatch(a -> a.startsWith("-Djanus.native.lib="))) {
            cmd.add("-Djanus.native.lib=" + lib);
        }
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", cp, "dev.januslab.app.Main", "run"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("janus-lab run " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    Result cli(String... args) throws IOException, InterruptedException {
        return cli(List.of(), args);
    }

    Path program(String name, String source) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, source);
        return p;
    }

    static final String HELLO = """
            async func main() do
                println("hello", 1 + 2)
                let h = async twice(21)
                println(await h)
            end
            async func twice(x) do
                return x * 2
            end
            """;

    @Test
    void aCleanRunPrintsItsOutputAndExitsZero() throws Exception {
        program("hello.jan", HELLO);
        Result r = cli("hello.jan");
        assertEquals(0, r.status(), r.err());
        assertEquals("hello 3\n42\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void anErrorEscapingMainExitsOneNamingErrorTaskAndLine() throws Exception {
        program("boom.jan", """
                async func divide(a, b) do
                    return a / b
                end

                async func main() do
                    println("before")
                    nursery do
                        spawn divide(1, 0)
                    end
                    println("after")
                end
                """);
        Result r = cli("boom.jan", "--deterministic");
        assertEquals(1, r.status(), r.err());
        assertEquals("before\n", r.out());
        assertTrue(r.err().contains("boom.jan:2: runtime error: Runtime.DivByZero in task divide#"), r.err());
    }

    @Test
    void compileErrorsArePrintedLikeCheckAndExitTwo() throws Exception {
        program("bad.jan", """
                async func main() do
                    let x = 1
                    x = 2
                    spawn main()
                end
                """);
        Result r = cli("bad.jan");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("bad.jan:3:"), r.err());
        assertTrue(r.err().contains("error[N1005]"), r.err());
        assertTrue(r.err().contains("error[N1001]"), r.err());
        assertTrue(r.err().strip().endsWith("2 errors"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unreadableFilesAndBadFlagsExitThree() throws Exception {
        Result missing = cli("missing.jan");
        assertEquals(3, missing.status());
        assertTrue(missing.err().contains("missing.jan"), missing.err());
        program("hello.jan", HELLO);
        assertEquals(3, cli("hello.jan", "--workers", "0").status());
        assertEquals(3, cli("hello.jan", "--no-such-flag").status());
        assertEquals(3, cli("hello.jan", "--workers", "many").status());
        assertEquals(3, cli().status());
    }

    @Test
    void aRuntimeThatCannotBeLoadedExitsFourNamingTheFile() throws Exception {
        program("hello.jan", HELLO);
        Result r = cli(List.of("-Djanus.native.lib=/nonexistent/libjanusrt.so"), "hello.jan");
        assertEquals(4, r.status(), r.err());
        assertTrue(r.err().contains("/nonexistent/libjanusrt.so"), r.err());
    }

    @Test
    void anInfiniteLoopIsStoppedByMaxRunMs() throws Exception {
        program("loop.jan", """
                async func main() do
                    println("start")
                    var i = 0
                    while true do
                        i += 1
                    end
                end
                """);
        long t0 = System.nanoTime();
        Result r = cli("loop.jan", "--max-run-ms", "300");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, r.status(), r.err());
        assertEquals("start\n", r.out());
        assertTrue(r.err().contains("loop.jan: the run was stopped"), r.err());
        assertTrue(ms < 60_000, "took " + ms + " ms");
    }

    @Test
    void theTraceFileLoadsBackAndKeepsTheInvariants() throws Exception {
        program("hello.jan", HELLO);
        Result r = cli("hello.jan", "--deterministic", "--workers", "3", "--seed", "7", "--trace", "out.jtrace");
        assertEquals(0, r.status(), r.err());
        Trace t = TraceFiles.read(dir.resolve("out.jtrace"));
        assertEquals("hello.jan", t.header().program().name());
        assertEquals(HELLO, t.header().program().source());
        assertEquals(3, t.header().config().workers());
        assertEquals(7, t.header().config().seed());
        assertTrue(t.get(0) instanceof TraceEvent.RunStart, t.get(0).toString());
        assertTrue(t.get(t.size() - 1) instanceof TraceEvent.RunEnd);
        assertEquals(List.of(), InvariantChecker.check(t));
        long prints = t.events().stream().filter(e -> e instanceof TraceEvent.Print).count();
        assertEquals(2, prints);
    }

    @Test
    void theChromeTraceIsJsonOfTheDocumentedShape() throws Exception {
        program("hello.jan", HELLO);
        Result r = cli("hello.jan", "--workers", "2", "--chrome-trace", "out.json");
        assertEquals(0, r.status(), r.err());
        JsonNode root = new ObjectMapper().readTree(dir.resolve("out.json").toFile());
        JsonNode events = root.get("traceEvents");
        assertTrue(events != null && events.isArray() && events.size() > 0, "traceEvents array");
        Set<String> phases = new HashSet<>();
        for (JsonNode e : events) {
            phases.add(e.get("ph").asText());
            assertTrue(e.has("pid") && e.has("tid"), e.toString());
            if (e.get("ph").asText().equals("X")) {
                assertTrue(e.get("dur").asDouble() >= 0, e.toString());
                // a task's run slice names the task and carries its id; a flow's zero-length marker names the edge
                boolean run = e.path("args").has("task");
                assertTrue(run ? e.get("name").asText().matches("\\w+#\\d+")
                        : e.get("dur").asDouble() == 0 && e.get("name").asText().matches("(spawn|wake|stolen) .+"), e.toString());
            }
        }
        assertTrue(phases.containsAll(Set.of("X", "M", "C")), "phases " + phases);
        assertTrue(phases.contains("s") && phases.contains("f"), "spawn flows, phases " + phases);
    }

    @Test
    void statsPrintsEveryFigureOnStderr() throws Exception {
        program("hello.jan", HELLO);
        Result r = cli("hello.jan", "--stats");
        assertEquals(0, r.status(), r.err());
        assertEquals("hello 3\n42\n", r.out());
        for (String name : List.of("compile_ms", "run_ms", "tasks", "switches", "steals", "peak_live_tasks",
                "peak_rss_mb", "events", "dropped")) {
            assertTrue(r.err().lines().anyMatch(l -> l.matches(name + ": [0-9.]+")), name + " in\n" + r.err());
        }
        assertTrue(r.err().contains("tasks: 2\n"), r.err());
    }
}

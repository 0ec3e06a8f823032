package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TraceFilesTest {
    @TempDir
    Path dir;

    /** One event of every kind, with optional fields both present and absent. */
    static Trace everyKind() {
        TraceBuilder b = new TraceBuilder().program("all.jan", "async func main() do\n  println(\"é ✓ \\\"q\\\"\")\nend\n")
                .lesson("03-overlap", 5);
        b.on(-1).runStart(3, "live", -7).on(2).park().unpark()
                .on(-1).nurseryOpen(0, -1, -1, 0).spawn(0, -1, 0, "main", 1).push(0, -1, "bottom")
                .on(0).pop(0).run(0).spawn(1, 0, 0, "fetch", 2).push(1, 0, "top")
                .on(1).steal(1, 0).run(1).yield(1, "yield").block(1, "sleep", 12_345_678_901L)
                .block(1, "await", 0).wake(1, -1).wake(1, 0)
                .cancelNursery(0, "failure", 1).cancelTask(1, "parent", 0).observe(1, "checkpoint", 4)
                .done(1, "cancelled", "Runtime.Cancelled", true).done(1, "ok", null, false)
                .join(0).close(0, "error", "E.X").close(0, "ok", null)
                .print(0, "héllo\n\t\"quoted\" \u0001").line(0, 9)
                .error(0, "NetError.Refused", 3, "fetch#1 at all.jan:3\nmain#0 at all.jan:7")
                .error(0, "X.Y", 0, null);
        b.event(x -> new TaskDone(x[0], x[1], (int) x[2], 0, Outcome.ERROR, "v", "e", false));
        b.event(x -> new Unknown(x[0], x[1], (int) x[2], "gc_pause", "{\"ms\":3,\"nested\":{\"a\":[1,2]}}"));
        b.runEnd("aborted", 17);
        return b.build();
    }

    @Test
    void roundTripPlainAndGzip() throws Exception {
        Trace t = everyKind();
        for (String name : List.of("all.jtrace", "all.jtrace.gz")) {
            Path p = dir.resolve(name);
            TraceFiles.write(t, p);
            Trace back = TraceFiles.read(p);
            assertEquals(t.header(), back.header(), name);
            assertEquals(t.events(), back.events(), name);
            assertEquals(t.latestState(), back.latestState(), name);
            assertArrayEquals(bytes(t), bytes(back), "re-writing gives the same bytes");
        }
        assertEquals(0x1f, Files.readAllBytes(dir.resolve("all.jtrace.gz"))[0] & 0xff);
    }

    @Test
    void roundTripSamples() throws Exception {
        for (var e : SampleTraces.all().entrySet()) {
            Path p = dir.resolve(e.getKey());
            TraceFiles.write(e.getValue(), p);
            Trace back = TraceFiles.read(p);
            assertEquals(e.getValue().events(), back.events(), e.getKey());
            assertEquals(e.getValue().latestState(), back.latestState(), e.getKey());
        }
    }

    @Test
    void headerIsExactlyTheSpecShape() throws Exception {
        String first = new String(bytes(everyKind()), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("{\"format\":\"janus-trace\",\"version\":1,\"created\":\"2026-01-01T00:00:00Z\","
                + "\"program\":{\"name\":\"all.jan\",\"source\":"), first);
        assertTrue(first.endsWith(",\"config\":{\"workers\":3,\"mode\":\"live\",\"seed\":-7,\"quantum\":1000,\"stack_kb\":8},"
                + "\"lesson\":{\"id\":\"03-overlap\",\"step\":5}}"), first);
        String steal = lines(everyKind()).stream().filter(l -> l.contains("task_steal")).findFirst().orElseThrow();
        assertEquals("{\"seq\":10,\"t\":10000,\"w\":1,\"k\":\"task_steal\",\"task\":1,\"victim\":0}", steal);
        String unknown = lines(everyKind()).stream().filter(l -> l.contains("gc_pause")).findFirst().orElseThrow();
        assertTrue(unknown.endsWith("\"k\":\"gc_pause\",\"ms\":3,\"nested\":{\"a\":[1,2]}}"), unknown);
    }

    @Test
    void unknownKindsAndExtraFieldsAreKept() throws Exception {
        Path p = write("x.jtrace", header(1),
                "{\"seq\":0,\"t\":0,\"w\":-1,\"k\":\"run_start\",\"workers\":2,\"mode\":\"live\",\"seed\":1,\"extra\":[1]}",
                "{\"seq\":1,\"t\":5,\"w\":0,\"k\":\"future_kind\",\"z\":{\"y\":null}}");
        Trace t = TraceFiles.read(p);
        assertEquals(new RunStart(0, 0, -1, 2, Mode.LIVE, 1), t.get(0));
        assertEquals(new Unknown(1, 5, 0, "future_kind", "{\"z\":{\"y\":null}}"), t.get(1));
    }

    @Test
    void fieldOrderDoesNotMatter() throws Exception {
        Path p = write("order.jtrace", header(1),
                "{\"task\":3,\"victim\":1,\"k\":\"task_steal\",\"w\":0,\"t\":9,\"seq\":0}",
                "{\"x\":[1,{\"y\":2}],\"seq\":1,\"t\":10,\"w\":0,\"k\":\"new_kind\",\"z\":\"s\"}");
        Trace t = TraceFiles.read(p);
        assertEquals(new TaskSteal(0, 9, 0, 3, 1), t.get(0));
        assertEquals(new Unknown(1, 10, 0, "new_kind", "{\"x\":[1,{\"y\":2}],\"z\":\"s\"}"), t.get(1));
    }

    @Test
    void brokenJsonOnLine7() throws Exception {
        List<String> lines = new ArrayList<>(lines(SampleTraces.steal()).subList(0, 10));
        lines.set(6, lines.get(6).replace("\"k\":", "\"k\" "));
        Path p = write("name.jtrace", lines.toArray(new String[0]));
        TraceFileException e = assertThrows(TraceFileException.class, () -> TraceFiles.read(p));
        assertEquals(7, e.line());
        assertEquals("name.jtrace", e.file());
        assertTrue(e.getMessage().startsWith("name.jtrace:7: bad JSON: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n\tat "), "no stack trace in the message");
    }

    @Test
    void badFieldsNameTheLineAndField() throws Exception {
        assertMessage("name.jtrace:2: task_spawn lacks the field \"func\"",
                header(1), "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_spawn\",\"task\":1,\"parent\":0,\"nursery\":0,\"line\":3}");
        assertMessage("name.jtrace:3: task_push: field \"pos\" has an unknown value \"middle\"",
                header(1), "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_pop\",\"task\":1}",
                "{\"seq\":1,\"t\":0,\"w\":0,\"k\":\"task_push\",\"task\":1,\"queue\":0,\"pos\":\"middle\"}");
        assertMessage("name.jtrace:2: field \"task\" must be a small integer",
                header(1), "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":\"one\"}");
        assertMessage("name.jtrace:2: event lacks the field \"k\"", header(1), "{\"seq\":0,\"t\":0,\"w\":0}");
        assertMessage("name.jtrace:2: expected an event object {...}", header(1), "[1,2]");
        assertMessage("name.jtrace:2: unexpected text after the event object",
                header(1), "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"worker_park\"} {}");
    }

    @Test
    void wrongFormatIsRefused() throws Exception {
        assertMessage("name.jtrace:1: not a Janus trace: format is \"chrome-trace\", expected \"janus-trace\"",
                header(1).replace("janus-trace", "chrome-trace"));
        assertMessage("name.jtrace:1: not a Janus trace: the header has no \"format\" (expected \"janus-trace\")",
                "{\"traceEvents\":[]}");
        Path p = write("name.jtrace", "hello world");
        TraceFileException e = assertThrows(TraceFileException.class, () -> TraceFiles.read(p));
        assertTrue(e.getMessage().startsWith("name.jtrace:1: not a Janus trace: the first line is not JSON"), e.getMessage());
    }

    @Test
    void newerVersionIsRefusedOlderIsRead() throws Exception {
        assertMessage("name.jtrace:1: trace version 2 is newer than this Janus Lab reads (up to version 1); "
                + "update Janus Lab to open it", header(2));
        assertEquals(0, TraceFiles.read(write("ok.jtrace", header(1))).size());
    }

    @Test
    void emptyAndMissingFiles() throws Exception {
        assertMessage("name.jtrace:1: the file is empty: no trace header");
        TraceFileException e = assertThrows(TraceFileException.class, () -> TraceFiles.read(dir.resolve("nope.jtrace")));
        assertEquals("nope.jtrace: no such file", e.getMessage());
    }

    @Test
    void truncatedGzip() throws Exception {
        Path full = dir.resolve("full.jtrace.gz");
        TraceFiles.write(SampleTraces.cancelWave(), full);
        byte[] all = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.jtrace.gz");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        TraceFileException e = assertThrows(TraceFileException.class, () -> TraceFiles.read(cut));
        assertTrue(e.getMessage().matches("cut\\.jtrace\\.gz:\\d+: the file ends early \\(truncated gzip data\\)"), e.getMessage());
        assertTrue(e.line() > 1);
    }

    @Test
    void crlfBlankLinesAndLongLines() throws Exception {
        String big = "x".repeat(300_000);
        Path p = dir.resolve("crlf.jtrace");
        Files.writeString(p, header(1) + "\r\n\r\n{\"seq\":0,\"t\":1,\"w\":0,\"k\":\"print\",\"task\":0,\"text\":\"" + big
                + "\"}\r\n{\"seq\":1,\"t\":2,\"w\":0,\"k\":\"worker_park\"}");
        Trace t = TraceFiles.read(p);
        assertEquals(2, t.size());
        assertEquals(big, ((Print) t.get(0)).text());
    }

    @Test
    void readsFromAStreamAndTheShippedSamples() throws Exception {
        Trace t = TraceFiles.read(new ByteArrayInputStream(bytes(SampleTraces.steal())), "mem.jtrace");
        assertEquals(SampleTraces.steal().events(), t.events());
        assertEquals(SampleTraces.steal().events(), SampleTraces.load("steal.jtrace").events());
    }

    // ---- helpers ----

    private static String header(int version) {
        return "{\"format\":\"janus-trace\",\"version\":" + version + ",\"created\":\"2026-11-24T12:00:00Z\","
                + "\"program\":{\"name\":\"p.jan\",\"source\":\"\"},"
                + "\"config\":{\"workers\":2,\"mode\":\"deterministic\",\"seed\":42,\"quantum\":1000,\"stack_kb\":8}}";
    }

    private void assertMessage(String expected, String... lines) throws Exception {
        Path p = write("name.jtrace", lines);
        TraceFileException e = assertThrows(TraceFileException.class, () -> TraceFiles.read(p));
        assertEquals(expected, e.getMessage());
    }

    private Path write(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
        return p;
    }

    static byte[] bytes(Trace t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceFiles.write(t, out);
        return out.toByteArray();
    }

    private static List<String> lines(Trace t) throws Exception {
        return new String(bytes(t), StandardCharsets.UTF_8).lines().toList();
    }
}

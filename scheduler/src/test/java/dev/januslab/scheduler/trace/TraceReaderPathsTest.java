package dev.januslab.scheduler.trace;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.*;

/** The compact byte scanner and the Jackson path must read every line the same way, errors included. */
class TraceReaderPathsTest {
    private static final String HEADER = "{\"format\":\"janus-trace\",\"version\":1,\"created\":\"x\","
            + "\"program\":{\"name\":\"p.jan\",\"source\":\"\"},"
            + "\"config\":{\"workers\":2,\"mode\":\"live\",\"seed\":1,\"quantum\":1000,\"stack_kb\":8}}";

    private record Outcome(List<TraceEvent> events, String error, long compactLines) {}

    private static Outcome read(byte[] file, boolean compact) {
        TraceReader r = new TraceReader("t.jtrace", new ByteArrayInputStream(file), compact);
        try {
            return new Outcome(r.read().events(), null, r.compactLines);
        } catch (TraceFileException e) {
            return new Outcome(null, e.getMessage(), r.compactLines);
        }
    }

    private static void assertSamePaths(byte[] file) {
        Outcome fast = read(file, true), slow = read(file, false);
        String what = new String(file, StandardCharsets.UTF_8);
        assertEquals(slow.error(), fast.error(), what);
        if (slow.events() != null) assertEquals(slow.events(), fast.events(), what);
    }

    private static byte[] bytes(Trace t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceFiles.write(t, out);
        return out.toByteArray();
    }

    @Test
    void writerOutputTakesTheCompactPathAndAgrees() throws Exception {
        for (Trace t : List.of(SampleTraces.steal(), SampleTraces.cancelWave(), SampleTraces.failingChild(),
                TraceFilesTest.everyKind(), SyntheticRun.fanOut("t.jan", 3, 15, 2, 2, 2))) {
            byte[] file = bytes(t);
            assertSamePaths(file);
            Outcome fast = read(file, true);
            assertEquals(t.events(), fast.events());
            assertTrue(fast.compactLines() >= t.size() - 8, "most lines take the fast path: " + fast.compactLines() + " of " + t.size());
        }
    }

    @Test
    void oddLinesAgree() {
        String[] lines = {
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":1}",
            "  { \"seq\" : 0 , \"t\" : 0 ,\"w\":-1, \"k\":\"task_run\" ,\"task\": 1 }  ",
            "{\"task\":1,\"k\":\"task_run\",\"w\":0,\"t\":0,\"seq\":0}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":1,\"extra\":5}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":01}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":1.5}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":-}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":99999999999}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":\"1\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":1,}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":1}}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":1} x",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_run\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":null,\"task\":1}",
            "{\"seq\":0,\"t\":0,\"w\":0}",
            "{}",
            "[]",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"print\",\"task\":1,\"text\":\"caf\u00e9 \\u00e9 \\\"q\\\" \\n\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"print\",\"task\":1,\"text\":\"tab\there\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"print\",\"task\":1,\"text\":null}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"print\",\"task\":1,\"text\":\"a\\n\\t\\\"b\\\\ \\/ \\r\\b\\f\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"print\",\"task\":1,\"text\":\"bad \\x escape\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"print\",\"task\":1,\"text\":\"ends in backslash\\\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_done\",\"task\":1,\"outcome\":\"ok\",\"value\":null,\"cancel_requested\":true}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_done\",\"task\":1,\"outcome\":\"ok\",\"cancel_requested\":1}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_block\",\"task\":1,\"on\":\"sleep\",\"target\":-9000000000000}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"task_push\",\"task\":1,\"queue\":0,\"pos\":\"sideways\"}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"error\",\"task\":1,\"error\":\"E.X\",\"trace\":{\"a\":1}}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"future\",\"x\":true}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"run_start\",\"workers\":2,\"mode\":\"live\",\"seed\":-5}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"worker_park\",\"t\":7}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"worker_park\"",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"worker_park\",\"tru\":tru}",
            "{\"seq\":0,\"t\":0,\"w\":0,\"k\":\"worker_park\",\"task\":true}",
        };
        for (String line : lines) {
            assertSamePaths((HEADER + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Outcome weird = read((HEADER + "\n" + lines[1] + "\n").getBytes(StandardCharsets.UTF_8), true);
        assertEquals(1, weird.compactLines(), "spacing alone does not leave the fast path");
        Outcome escapes = read((HEADER + "\n" + lines[20] + "\n").getBytes(StandardCharsets.UTF_8), true);
        assertEquals(1, escapes.compactLines(), "simple escapes stay on the fast path");
        assertEquals("a\n\t\"b\\ / \r\b\f", ((TraceEvent.Print) escapes.events().get(0)).text());
        assertTrue(Objects.requireNonNull(read((HEADER + "\n" + lines[4] + "\n").getBytes(StandardCharsets.UTF_8), true).error())
                .startsWith("t.jtrace:2: bad JSON"));
    }
}

package dev.januslab.scheduler.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ChromeTraceExporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The hand-written samples and a small synthetic tree (the 10k fan-out is slow to re-parse as a tree). */
    private static final Map<String, Trace> SAMPLES = Map.of(
            "steal.jtrace", SampleTraces.steal(),
            "cancel-wave.jtrace", SampleTraces.cancelWave(),
            "failing-child.jtrace", SampleTraces.failingChild(),
            "tree", SyntheticRun.fanOut("tree.jan", 3, 12, 2, 2, 3));

    private static JsonNode export(Trace t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChromeTraceExporter.export(t, out);
        return JSON.readTree(out.toByteArray()); // throws if not valid JSON
    }

    private static List<JsonNode> ph(JsonNode root, String ph) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : root.get("traceEvents")) if (e.get("ph").asText().equals(ph)) out.add(e);
        return out;
    }

    @Test
    void documentedShapeOnEverySample() throws Exception {
        for (var entry : SAMPLES.entrySet()) {
            Trace t = entry.getValue();
            JsonNode root = export(t);
            String name = entry.getKey();
            assertTrue(root.get("traceEvents").isArray(), name);
            assertEquals("ns", root.get("displayTimeUnit").asText());
            for (JsonNode e : root.get("traceEvents")) {
                assertTrue(e.hasNonNull("name") && e.hasNonNull("ph") && e.get("pid").isInt() && e.get("tid").isInt(),
                        name + ": " + e);
                if (!e.get("ph").asText().equals("M")) assertTrue(e.get("ts").isNumber(), name + ": " + e);
                assertTrue(Set.of("M", "X", "s", "f", "C", "i").contains(e.get("ph").asText()), e.toString());
            }
            long runs = t.events().stream().filter(e -> e instanceof TraceEvent.TaskRun).count();
            long taskSlices = ph(root, "X").stream().filter(e -> e.path("args").has("task")).count();
            assertEquals(runs, taskSlices, name + ": one X slice per task run");
            assertSlicesNest(root, name);
            assertFlowsPairAndAnchor(root, name);
        }
    }

    @Test
    void namesWorkersAndTasks() throws Exception {
        JsonNode root = export(SAMPLES.get("steal.jtrace"));
        Map<Integer, String> threads = new HashMap<>();
        for (JsonNode m : ph(root, "M")) {
            if (m.get("name").asText().equals("thread_name")) threads.put(m.get("tid").asInt(), m.get("args").get("name").asText());
            if (m.get("name").asText().equals("process_name")) assertEquals("Janus Lab: steal.jan", m.get("args").get("name").asText());
        }
        assertEquals("W0", threads.get(1));
        assertEquals("W1", threads.get(2));
        assertEquals("runtime", threads.get(ChromeTraceExporter.RUNTIME_TID));
        Set<String> sliceNames = new HashSet<>();
        for (JsonNode x : ph(root, "X")) sliceNames.add(x.get("name").asText());
        assertTrue(sliceNames.containsAll(List.of("main#0", "fetch#1", "fetch#2")), sliceNames.toString());
        // fetch#1's first run on W1 starts at the steal's run: 500 ns steps, microsecond timestamps
        JsonNode fetch1 = ph(root, "X").stream().filter(x -> x.get("name").asText().equals("fetch#1")).findFirst().orElseThrow();
        assertEquals(2, fetch1.get("tid").asInt());
        TraceEvent firstRun = SampleTraces.steal().events().stream()
                .filter(e -> e instanceof TraceEvent.TaskRun r && r.task() == 1).findFirst().orElseThrow();
        assertEquals(0, new BigDecimal(fetch1.get("ts").asText()).compareTo(BigDecimal.valueOf(firstRun.t()).movePointLeft(3)));
    }

    @Test
    void stealSpawnAndWakeEdgesCountersAndCancelInstants() throws Exception {
        JsonNode steal = export(SAMPLES.get("steal.jtrace"));
        Set<String> flowNames = new HashSet<>();
        for (JsonNode s : ph(steal, "s")) flowNames.add(s.get("name").asText());
        assertEquals(Set.of("spawn", "steal", "wake"), flowNames);
        Set<String> counters = new HashSet<>();
        for (JsonNode c : ph(steal, "C")) {
            counters.add(c.get("name").asText());
            assertTrue(c.get("args").get("tasks").isInt());
        }
        assertTrue(counters.containsAll(List.of("W0 queue", "W1 queue")), counters.toString());

        JsonNode wave = export(SAMPLES.get("cancel-wave.jtrace"));
        List<JsonNode> instants = ph(wave, "i");
        assertTrue(instants.stream().anyMatch(i -> i.get("name").asText().equals("cancel nursery 1")), instants.toString());
        assertTrue(instants.stream().anyMatch(i -> i.get("name").asText().equals("cancel observed by worker#4")));
        for (JsonNode i : instants) assertEquals("t", i.get("s").asText());
    }

    /** X slices on one thread must nest or be disjoint (Perfetto rejects partial overlaps). */
    private static void assertSlicesNest(JsonNode root, String name) {
        Map<Integer, List<BigDecimal[]>> byTid = new HashMap<>();
        for (JsonNode x : ph(root, "X")) {
            BigDecimal ts = new BigDecimal(x.get("ts").asText());
            BigDecimal end = ts.add(new BigDecimal(x.get("dur").asText()));
            assertTrue(end.compareTo(ts) >= 0);
            byTid.computeIfAbsent(x.get("tid").asInt(), k -> new ArrayList<>()).add(new BigDecimal[] {ts, end});
        }
        for (List<BigDecimal[]> slices : byTid.values()) {
            List<BigDecimal[]> real = slices.stream().filter(s -> s[1].compareTo(s[0]) > 0)
                    .sorted((a, b) -> a[0].compareTo(b[0])).toList();
            for (int i = 1; i < real.size(); i++) {
                assertTrue(real.get(i)[0].compareTo(real.get(i - 1)[1]) >= 0, name + ": overlapping task slices");
            }
        }
    }

    /** Every flow start has one finish with bp "e"; both lie inside an X slice on their thread. */
    private static void assertFlowsPairAndAnchor(JsonNode root, String name) {
        Map<Long, JsonNode> starts = new HashMap<>(), finishes = new HashMap<>();
        for (JsonNode s : ph(root, "s")) assertNull(starts.put(s.get("id").asLong(), s), "duplicate flow id");
        for (JsonNode f : ph(root, "f")) {
            assertEquals("e", f.get("bp").asText());
            assertNull(finishes.put(f.get("id").asLong(), f));
        }
        assertEquals(starts.keySet(), finishes.keySet(), name);
        assertFalse(starts.isEmpty(), name);
        Map<Integer, List<double[]>> slices = slicesByTid(root);
        for (JsonNode e : starts.values()) assertEnclosed(e, slices, name);
        for (JsonNode e : finishes.values()) assertEnclosed(e, slices, name);
        // Chrome DevTools binds a flow event to a slice with the same ts, tid and category
        Set<String> sliceKeys = new java.util.HashSet<>();
        for (JsonNode x : ph(root, "X")) sliceKeys.add(x.get("ts").asText() + "/" + x.get("tid") + "/" + x.get("cat").asText());
        for (JsonNode e : ph(root, "s")) assertTrue(sliceKeys.contains(e.get("ts").asText() + "/" + e.get("tid") + "/" + e.get("cat").asText()), name + ": flow start with no slice at its ts, tid and category: " + e);
        for (JsonNode e : ph(root, "f")) assertTrue(sliceKeys.contains(e.get("ts").asText() + "/" + e.get("tid") + "/" + e.get("cat").asText()), name + ": flow finish with no slice at its ts, tid and category: " + e);
        for (Long id : starts.keySet()) {
            assertEquals(starts.get(id).get("name").asText(), finishes.get(id).get("name").asText());
            assertEquals(starts.get(id).get("cat").asText(), finishes.get(id).get("cat").asText());
            assertTrue(new BigDecimal(starts.get(id).get("ts").asText())
                    .compareTo(new BigDecimal(finishes.get(id).get("ts").asText())) <= 0, "flows go forward in time");
        }
    }

    /** Per thread, the X slices as [start, end] in µs, sorted by start. */
    private static Map<Integer, List<double[]>> slicesByTid(JsonNode root) {
        Map<Integer, List<double[]>> byTid = new HashMap<>();
        for (JsonNode x : ph(root, "X")) {
            double ts = x.get("ts").asDouble();
            byTid.computeIfAbsent(x.get("tid").asInt(), k -> new ArrayList<>())
                    .add(new double[] {ts, ts + x.get("dur").asDouble()});
        }
        for (List<double[]> l : byTid.values()) l.sort((a, b) -> Double.compare(a[0], b[0]));
        return byTid;
    }

    private static void assertEnclosed(JsonNode e, Map<Integer, List<double[]>> byTid, String name) {
        double ts = e.get("ts").asDouble();
        List<double[]> slices = byTid.getOrDefault(e.get("tid").asInt(), List.of());
        int lo = 0, hi = slices.size() - 1, last = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (slices.get(mid)[0] <= ts) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // slices on a thread do not overlap except zero-length markers, so a few steps back suffice
        for (int i = last; i >= 0 && i > last - 4; i--) {
            if (slices.get(i)[0] <= ts && ts <= slices.get(i)[1]) return;
        }
        fail(name + ": flow event outside any slice: " + e);
    }
}

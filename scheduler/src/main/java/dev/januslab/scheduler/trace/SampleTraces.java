package dev.januslab.scheduler.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Canned traces for driving the views before the VM exists, for lessons' screenshots and
 * for tests. Each is also shipped as a resource under {@value #RESOURCE_DIR} (regenerate
 * with {@code main}; a test checks the files still match this code and keep the invariants):
 * <ul>
 * <li>{@code steal.jtrace}: two fetches, W1 steals one from W0's far end; main migrates.</li>
 * <li>{@code cancel-wave.jtrace}: {@code n.cancel()} spreads through two nested groups;
 *     one task never checks and finishes with cancel requested; one never runs.</li>
 * <li>{@code failing-child.jtrace}: a failing fetch cancels its siblings; the error travels
 *     up through the nursery and escapes main.</li>
 * <li>{@code fanout-10k.jtrace.gz}: main spawns 10,000 children on 4 workers.</li>
 * </ul>
 */
public final class SampleTraces {
    public static final String RESOURCE_DIR = "/dev/januslab/scheduler/trace/samples/";

    private SampleTraces() {}

    /** The samples by resource file name, in the order listed above. */
    public static Map<String, Trace> all() {
        Map<String, Trace> m = new LinkedHashMap<>();
        m.put("steal.jtrace", steal());
        m.put("cancel-wave.jtrace", cancelWave());
        m.put("failing-child.jtrace", failingChild());
        m.put("fanout-10k.jtrace.gz", fanOut10k());
        return m;
    }

    /** Loads a shipped sample, e.g. {@code load("steal.jtrace")}. */
    public static Trace load(String fileName) throws TraceFileException {
        return TraceFiles.readResource(RESOURCE_DIR + fileName);
    }

    static final String STEAL_SOURCE = """
            async func fetch(i) do
                await sleep(10)
                return i * 10
            end

            async func main() do
                let a = async fetch(1)
                let b = async fetch(2)
                println(await a + await b)
            end
            """;

    public static Trace steal() {
        TraceBuilder b = new TraceBuilder().program("steal.jan", STEAL_SOURCE).step(500);
        b.on(-1).runStart(2, "deterministic", 42)
                .nurseryOpen(0, -1, -1, 0)
                .spawn(0, -1, 0, "main", 6)
                .push(0, 0, "top");
        b.on(1).park();
        b.on(0).pop(0).run(0)
                .nurseryOpen(1, 0, 0, 6)
                .line(0, 7)
                .spawn(1, 0, 1, "fetch", 7).push(1, 0, "top");
        b.on(1).unpark();
        b.on(0).line(0, 8)
                .spawn(2, 0, 1, "fetch", 8).push(2, 0, "top");
        // W0's deque, top to bottom: fetch#2, fetch#1. The thief takes from the far end.
        b.on(1).steal(1, 0).run(1);
        b.on(0).line(0, 9).block(0, "await", 1)
                .pop(2).run(2);
        b.on(1).block(1, "sleep", 10_000_000);
        b.on(0).block(2, "sleep", 10_006_000);
        b.on(1).park();
        b.on(0).park();
        b.at(10_000_000);
        b.on(1).unpark().wake(1, -1).push(1, 1, "top").pop(1).run(1).ok(1, "10")
                .wake(0, 1).push(0, 1, "top");
        b.at(10_006_000);
        b.on(0).unpark().wake(2, -1).push(2, 0, "top").pop(2).run(2).ok(2, "20");
        b.on(1).pop(0).run(0).print(0, "30\n")
                .join(1).close(1, "ok", null)
                .ok(0, "nil");
        b.on(0).park();
        b.on(1).park();
        b.on(-1).close(0, "ok", null).runEnd("ok", 0);
        return b.build();
    }

    static final String CANCEL_SOURCE = """
            async func worker(id) do
                while true do
                    await sleep(10)
                end
            end

            async func stubborn() do
                var i = 0
                while i < 1000000 do i += 1 end
                return i
            end

            async func group(g) do
                nursery do
                    spawn worker(g * 10 + 1)
                    spawn worker(g * 10 + 2)
                end
            end

            async func main() do
                nursery |n| do
                    spawn group(1)
                    spawn group(2)
                    spawn stubborn()
                    await sleep(50)
                    n.cancel()
                end
                println("cancelled")
            end
            """;

    /**
     * Tasks: main#0; in nursery 1 (main's {@code n}): group#1, group#2, stubborn#3; group#1's
     * nursery 2 holds worker#4, worker#5; group#2's nursery 3 holds worker#6, worker#7.
     */
    public static Trace cancelWave() {
        TraceBuilder b = new TraceBuilder().program("cancel-wave.jan", CANCEL_SOURCE).step(400);
        b.on(-1).runStart(2, "deterministic", 7)
                .nurseryOpen(0, -1, -1, 0)
                .spawn(0, -1, 0, "main", 21)
                .push(0, 0, "top");
        b.on(0).pop(0).run(0)
                .nurseryOpen(1, 0, 0, 22)
                .spawn(1, 0, 1, "group", 23).push(1, 0, "top")
                .spawn(2, 0, 1, "group", 24).push(2, 0, "top")
                .spawn(3, 0, 1, "stubborn", 25).push(3, 0, "top")
                .line(0, 26).block(0, "sleep", 60_000);
        // W0 deque top→bottom: stubborn#3, group#2, group#1
        b.on(1).steal(1, 0).run(1)
                .nurseryOpen(2, 1, 1, 14)
                .spawn(4, 1, 2, "worker", 15).push(4, 1, "top")
                .spawn(5, 1, 2, "worker", 16).push(5, 1, "top")
                .join(2).block(1, "join", 2);
        b.on(0).pop(3).run(3);           // stubborn hogs W0 and never checks
        b.on(1).pop(5).run(5).block(5, "sleep", 30_000)
                .pop(4).run(4).block(4, "sleep", 31_000);
        b.on(0).yield(3, "budget").push(3, 0, "bottom").pop(2).run(2)
                .nurseryOpen(3, 2, 1, 14)
                .spawn(6, 2, 3, "worker", 15).push(6, 0, "top")
                .spawn(7, 2, 3, "worker", 16).push(7, 0, "top")
                .join(3).block(2, "join", 3);
        // W0 deque: worker#7, worker#6, stubborn#3
        b.on(1).steal(3, 0).run(3);      // stubborn moves to W1
        b.on(0).pop(7).run(7).block(7, "sleep", 40_000);
        b.at(60_000);
        b.on(-1).wake(0, -1).push(0, -1, "bottom");
        b.on(0).pop(0).run(0).line(0, 27);
        // the wave: n.cancel() by main, then the runtime walks the subtree once
        b.on(0).cancelNursery(1, "explicit", 0)
                .cancelTask(1, "parent", 0).cancelTask(2, "parent", 0).cancelTask(3, "parent", 0)
                .cancelNursery(2, "parent", 0).cancelTask(4, "parent", 0).cancelTask(5, "parent", 0)
                .cancelNursery(3, "parent", 0).cancelTask(6, "parent", 0).cancelTask(7, "parent", 0)
                .wake(4, 0).push(4, 0, "top").wake(5, 0).push(5, 0, "top").wake(7, 0).push(7, 0, "top")
                .join(1).block(0, "join", 1);
        // worker#6 never ran: it finishes as cancelled without running
        b.on(0).pop(6).done(6, "cancelled", "Runtime.Cancelled", true);
        b.on(0).pop(7).run(7).observe(7, "checkpoint", 3).done(7, "cancelled", "Runtime.Cancelled", true)
                .wake(2, 7).push(2, 0, "top")
                .pop(2).run(2).observe(2, "checkpoint", 17).close(3, "cancelled", null)
                .done(2, "cancelled", "Runtime.Cancelled", true)
                .pop(5).run(5).observe(5, "checkpoint", 3).done(5, "cancelled", "Runtime.Cancelled", true)
                .pop(4).run(4).observe(4, "checkpoint", 3).done(4, "cancelled", "Runtime.Cancelled", true)
                .wake(1, 4).push(1, 0, "top")
                .pop(1).run(1).observe(1, "checkpoint", 17).close(2, "cancelled", null)
                .done(1, "cancelled", "Runtime.Cancelled", true)
                .park();
        b.advance(200_000);
        // stubborn never reached a checkpoint: it runs to completion, cancel requested
        b.on(1).done(3, "ok", "1000000", true);
        b.on(1).wake(0, 3).push(0, 1, "top").pop(0).run(0)
                .close(1, "cancelled", null)
                .line(0, 29).print(0, "cancelled\n").ok(0, "nil").park();
        b.on(-1).close(0, "ok", null).runEnd("ok", 0);
        return b.build();
    }

    static final String FAILING_SOURCE = """
            async func fetch(url) do
                let body = await http_get(url)
                return body.len()
            end

            async func main() do
                nursery do
                    spawn fetch("a.example")
                    spawn fetch("fail.example")
                    spawn fetch("c.example")
                end
            end
            """;

    public static Trace failingChild() {
        TraceBuilder b = new TraceBuilder().program("failing-child.jan", FAILING_SOURCE).step(300);
        b.on(-1).runStart(2, "deterministic", 3)
                .nurseryOpen(0, -1, -1, 0)
                .spawn(0, -1, 0, "main", 6)
                .push(0, 0, "top");
        b.on(0).pop(0).run(0)
                .nurseryOpen(1, 0, 0, 7)
                .spawn(1, 0, 1, "fetch", 8).push(1, 0, "top")
                .spawn(2, 0, 1, "fetch", 9).push(2, 0, "top")
                .spawn(3, 0, 1, "fetch", 10).push(3, 0, "top")
                .join(1).block(0, "join", 1);
        // W0 deque: fetch#3, fetch#2, fetch#1
        b.on(1).steal(1, 0).run(1).block(1, "io", 90_000);
        b.on(0).pop(3).run(3).block(3, "io", 80_000)
                .pop(2).run(2).block(2, "io", 20_000);
        b.at(20_000);
        b.on(-1).wake(2, -1).push(2, -1, "bottom");
        b.on(0).run(2)
                .error(2, "NetError.Refused", 2, "fetch#2 at failing-child.jan:2\n")
                .done(2, "error", "NetError.Refused", false)
                // the first failure cancels the nursery and so every sibling
                .cancelNursery(1, "failure", 2)
                .cancelTask(1, "parent", 2).cancelTask(3, "parent", 2)
                .wake(3, 2).push(3, 0, "top")
                .wake(1, 2).push(1, 0, "bottom")
                .pop(3).run(3).observe(3, "checkpoint", 2).done(3, "cancelled", "Runtime.Cancelled", true);
        b.on(1).steal(1, 0).run(1).observe(1, "checkpoint", 2).done(1, "cancelled", "Runtime.Cancelled", true)
                .wake(0, 1).push(0, 1, "top")
                .pop(0).run(0)
                // the nursery raises the first error from its end; it escapes main
                .close(1, "error", "NetError.Refused")
                .error(0, "NetError.Refused", 7, "main#0 at failing-child.jan:7\n")
                .done(0, "error", "NetError.Refused", false)
                .park();
        b.on(0).park();
        b.on(-1).close(0, "error", "NetError.Refused").runEnd("error", 0);
        return b.build();
    }

    public static Trace fanOut10k() {
        return SyntheticRun.fanOut("fanout-10k.jan", 4, 10_000, 1, 1, 10_000);
    }

    /** Writes every sample into {@code args[0]} (default: this module's resources folder). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0]
                : "scheduler/src/main/resources/dev/januslab/scheduler/trace/samples");
        Files.createDirectories(dir);
        for (Map.Entry<String, Trace> e : all().entrySet()) {
            TraceFiles.write(e.getValue(), dir.resolve(e.getKey()));
            System.out.println(dir.resolve(e.getKey()) + ": " + e.getValue().size() + " events");
        }
    }
}

package dev.januslab.app;

import dev.januslab.scheduler.trace.SyntheticRun;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceBuilder;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Small hand-built traces (shared {@link TraceBuilder}) with the shapes the view tests need,
 * beside the shared {@code SampleTraces}. Every one keeps TRACE.md's invariants.
 */
public final class TestTraces {
    private TestTraces() {}

    public static final String WHY_ASYNC_SOURCE = """
            async func fetch(name, ms) do
                // pretend to download something
                let started = ms
                // while this task sleeps, its worker runs others
                await sleep(ms)
                println("got " + name + " after " + str(ms) + " ms")
                return name
            end

            async func main() do
                nursery do
                    spawn fetch("weather", 300)
                    spawn fetch("news", 200)
                    spawn fetch("stocks", 250)
                end
                println("all three done")
            end
            """;

    /** Lesson 1's shape: main spawns three fetches that sleep 300/200/250 ms, then prints. 2 workers. */
    public static Trace whyAsync() {
        TraceBuilder b = new TraceBuilder().program("why-async.jan", WHY_ASYNC_SOURCE).step(1000);
        b.on(-1).runStart(2, "deterministic", 42).nurseryOpen(0, -1, -1, 0).spawn(0, -1, 0, "main", 10).push(0, 0, "top");
        b.on(1).park();
        b.on(0).pop(0).run(0).line(0, 11).nurseryOpen(1, 0, 0, 11);
        for (int i = 1; i <= 3; i++) {
            b.on(0).line(0, 11 + i).spawn(i, 0, 1, "fetch", 11 + i).push(i, 0, "top");
            if (i == 1) b.on(1).unpark();
        }
        b.on(0).line(0, 15).join(1).block(0, "join", 1);
        b.on(1).steal(1, 0).run(1).line(1, 5).block(1, "sleep", 300_000_000L);
        b.on(0).pop(3).run(3).line(3, 5).block(3, "sleep", 250_000_000L)
                .pop(2).run(2).line(2, 5).block(2, "sleep", 200_000_000L).park();
        b.on(1).park();
        String[] names = {"", "weather", "news", "stocks"};
        int[] order = {2, 3, 1};
        for (int t : order) {
            long ms = t == 1 ? 300 : t == 2 ? 200 : 250;
            int w = t == 1 ? 1 : 0;
            b.at(ms * 1_000_000L);
            b.on(w).unpark().wake(t, -1).push(t, w, "top").pop(t).run(t).line(t, 6)
                    .print(t, "got " + names[t] + " after " + ms + " ms\n").line(t, 7).ok(t, "\"" + names[t] + "\"");
            if (t != 1) b.on(w).park();
        }
        b.on(1).wake(0, 1).push(0, 1, "top").pop(0).run(0).close(1, "ok", null)
                .line(0, 16).print(0, "all three done\n").ok(0, "nil").park();
        b.on(-1).close(0, "ok", null).runEnd("ok", 0);
        return b.build();
    }

    /** Main spawns six crunch tasks (a deque that fits the lane) onto W0's deque; W1–W3 steal from its far end. 4 workers. */
    public static Trace workStealing() {
        TraceBuilder b = new TraceBuilder().program("work-stealing.jan", """
                async func crunch(n) do
                    var x = 0
                    while x < n * 1000 do x += 1 end
                    return x
                end

                async func main() do
                    nursery do
                        for i in 1..6 do
                            spawn crunch(i)
                        end
                    end
                    println("all crunched")
                end
                """).step(700);
        b.on(-1).runStart(4, "deterministic", 42).nurseryOpen(0, -1, -1, 0).spawn(0, -1, 0, "main", 7).push(0, 0, "top");
        for (int w = 1; w < 4; w++) b.on(w).park();
        b.on(0).pop(0).run(0).line(0, 8).nurseryOpen(1, 0, 0, 8);
        Deque<Integer> w0 = new ArrayDeque<>(); // first = top
        for (int i = 1; i <= 6; i++) {
            b.on(0).line(0, 10).spawn(i, 0, 1, "crunch", 10).push(i, 0, "top");
            w0.addFirst(i);
            if (i <= 3) b.on(i).unpark();
        }
        b.on(0).line(0, 12).join(1).block(0, "join", 1);
        int last = -1, lastW = 0;
        int w = 1;
        while (!w0.isEmpty()) {
            int t;
            if (w == 0) {
                t = w0.pollFirst();
                b.on(0).pop(t);
            } else {
                t = w0.pollLast();
                b.on(w).steal(t, 0);
            }
            b.on(w).run(t).line(t, 3).yield(t, "budget").push(t, w, "top").pop(t).run(t).line(t, 4)
                    .ok(t, String.valueOf(t * 1000));
            last = t;
            lastW = w;
            w = (w + 1) % 4;
        }
        for (int k = 0; k < 4; k++) if (k != lastW) b.on(k).park();
        b.on(lastW).wake(0, last).push(0, lastW, "top").pop(0).run(0).close(1, "ok", null)
                .line(0, 13).print(0, "all crunched\n").ok(0, "nil").park();
        b.on(-1).close(0, "ok", null).runEnd("ok", 0);
        return b.build();
    }

    /** 100 batches of 100 leaves under main (10,100 tasks), for the collapsed tree. */
    public static Trace batches100x100() {
        return SyntheticRun.fanOut("batches.jan", 4, 100, 2, 1, 7);
    }
}

package dev.januslab.lessons;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceBuilder;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A small canned run, one event per millisecond (event {@code k} happens at {@code k} ms):
 * main#0 opens nursery 1 and spawns fetch#1, fetch#2 and parse#3; W1 steals fetch#1, which
 * sleeps; parse#3 prints and yields at its budget; fetch#2 cancels parse#3, which polls and
 * returns "parsed"; fetch#2 fails, which cancels the nursery; fetch#1 observes at its sleep
 * and ends cancelled; the nursery closes with the error; main prints "done".
 */
final class SampleRun {
    private SampleRun() {}

    static TraceBuilder builder() {
        return new TraceBuilder().step(1_000_000)
                .runStart(2, "deterministic", 1)                       // 0
                .on(-1).nurseryOpen(0, -1, -1, 0).spawn(0, -1, 0, "main", 0).push(0, -1, "bottom") // 1-3
                .on(0).pop(0).run(0)                                   // 4-5
                .nurseryOpen(1, 0, 0, 5)                               // 6
                .spawn(1, 0, 1, "fetch", 6).push(1, 0, "top")          // 7-8
                .spawn(2, 0, 1, "fetch", 7).push(2, 0, "top")          // 9-10
                .spawn(3, 0, 1, "parse", 8).push(3, 0, "top")          // 11-12
                .join(1).block(0, "join", 1)                           // 13-14
                .on(1).steal(1, 0).run(1).block(1, "sleep", 50_000_000) // 15-17
                .on(0).pop(3).run(3).print(3, "parsing\n").yield(3, "budget").push(3, -1, "bottom") // 18-22
                .pop(2).run(2).cancelTask(3, "explicit", 2).yield(2, "yield") // 23-26
                .pop(3).run(3).observe(3, "poll", 9).done(3, "ok", "\"parsed\"", true) // 27-30
                .run(2).done(2, "error", "NetError.Refused", false).cancelNursery(1, "failure", 2) // 31-33
                .on(1).wake(1, -1).run(1).observe(1, "checkpoint", 6).done(1, "cancelled", null, true) // 34-37
                .wake(0, 1)                                            // 38
                .on(0).run(0).close(1, "error", "NetError.Refused").print(0, "done\n").ok(0, "nil") // 39-42
                .on(-1).close(0, "ok", null).runEnd("ok", 0);          // 43-44
    }

    static Trace trace() {
        return builder().build();
    }

    static final String SOURCE = "async func main() do\n    println(\"done\")\nend\n";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a predicate written as JSON, as a lesson would. */
    static EventPredicate predicate(String json) {
        return EventPredicate.parse(json("predicate", json));
    }

    static Json json(String file, String text) {
        try {
            return new Json(file, "$", JSON.readTree(text));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The seqs of every event of {@code trace} that {@code p} matches. */
    static List<Long> matches(EventPredicate p, Trace trace) {
        TraceNames names = new TraceNames();
        List<Long> out = new ArrayList<>();
        for (long s = 0; s < trace.size(); s++) {
            TraceEvent e = trace.get(s);
            names.observe(e);
            if (p.matches(e, names)) out.add(s);
        }
        return out;
    }
}

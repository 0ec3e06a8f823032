package dev.januslab.lessons;

import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of an event by their TRACE.md names, as predicates and answers see them:
 * numbers as {@code Long}, enum values as their wire spelling, booleans as {@code Boolean},
 * strings as they are. Also which fields hold a task id (shown as a display name
 * {@code fetch#3}), so {@code "by": "slow_square#1"} and {@code "format": "{}"} work on them.
 */
final class EventFields {
    private EventFields() {}

    /** The fields every event has. */
    static final Set<String> COMMON = Set.of("seq", "t", "w");

    /** Kind → its own fields (TRACE.md §1; {@code thief} is {@code w} of a steal). */
    static final Map<String, List<String>> KINDS = kinds();

    private static Map<String, List<String>> kinds() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("run_start", List.of("workers", "mode", "seed"));
        m.put("worker_park", List.of());
        m.put("worker_unpark", List.of());
        m.put("nursery_open", List.of("nursery", "owner", "parent", "line"));
        m.put("task_spawn", List.of("task", "parent", "nursery", "func", "line"));
        m.put("task_push", List.of("task", "queue", "pos"));
        m.put("task_pop", List.of("task"));
        m.put("task_steal", List.of("task", "victim", "thief"));
        m.put("task_run", List.of("task"));
        m.put("task_yield", List.of("task", "reason"));
        m.put("task_block", List.of("task", "on", "target"));
        m.put("task_wake", List.of("task", "by"));
        m.put("cancel_request", List.of("target_kind", "target", "reason", "by"));
        m.put("cancel_observe", List.of("task", "how", "line"));
        m.put("task_done", List.of("task", "outcome", "value", "error", "cancel_requested"));
        m.put("nursery_join", List.of("nursery"));
        m.put("nursery_close", List.of("nursery", "outcome", "error"));
        m.put("print", List.of("task", "text"));
        m.put("line", List.of("task", "line"));
        m.put("error", List.of("task", "error", "line", "trace"));
        m.put("run_end", List.of("status", "dropped"));
        return Map.copyOf(m);
    }

    /** The allowed wire spellings of enum-valued fields, by field name. */
    static final Map<String, Set<String>> ENUMS = Map.of(
            "mode", spellings(Wire.Mode.values()),
            "pos", spellings(Wire.Pos.values()),
            "reason", union(spellings(Wire.YieldReason.values()), spellings(Wire.CancelReason.values())),
            "on", spellings(Wire.BlockOn.values()),
            "target_kind", spellings(Wire.TargetKind.values()),
            "how", spellings(Wire.CancelHow.values()),
            "outcome", spellings(Wire.Outcome.values()),
            "status", spellings(Wire.RunStatus.values()));

    /** Whether {@code field} of an event of kind {@code kind} holds a task id. */
    static boolean isTaskField(TraceEvent e, String field) {
        switch (field) {
            case "task": case "by": case "owner": return true;
            case "parent": return e instanceof TaskSpawn;
            case "target":
                if (e instanceof CancelRequest c) return c.targetKind() == Wire.TargetKind.TASK;
                if (e instanceof TaskBlock b) return b.on() == Wire.BlockOn.AWAIT;
                return false;
            default: return false;
        }
    }

    /** The value of {@code field} on {@code e}, or null if the event has no such field (or it is absent). */
    static Object get(TraceEvent e, String field) {
        switch (field) {
            case "seq": return e.seq();
            case "t": return e.t();
            case "w": return (long) e.w();
            case "k": return e.kind();
            default: return of(e).get(field);
        }
    }

    /** All kind-specific fields of {@code e} (absent optional strings are left out). */
    static Map<String, Object> of(TraceEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        e.accept(new TraceEvent.Visitor<Void>() {
            public Void runStart(RunStart x) { put("workers", x.workers()); put("mode", x.mode()); put("seed", x.seed()); return null; }
            public Void workerPark(WorkerPark x) { return null; }
            public Void workerUnpark(WorkerUnpark x) { return null; }
            public Void nurseryOpen(NurseryOpen x) {
                put("nursery", x.nursery()); put("owner", x.owner()); put("parent", x.parent()); put("line", x.line()); return null;
            }
            public Void taskSpawn(TaskSpawn x) {
                put("task", x.task()); put("parent", x.parent()); put("nursery", x.nursery()); put("func", x.func());
                put("line", x.line()); return null;
            }
            public Void taskPush(TaskPush x) { put("task", x.task()); put("queue", x.queue()); put("pos", x.pos()); return null; }
            public Void taskPop(TaskPop x) { put("task", x.task()); return null; }
            public Void taskSteal(TaskSteal x) { put("task", x.task()); put("victim", x.victim()); put("thief", x.thief()); return null; }
            public Void taskRun(TaskRun x) { put("task", x.task()); return null; }
            public Void taskYield(TaskYield x) { put("task", x.task()); put("reason", x.reason()); return null; }
            public Void taskBlock(TaskBlock x) { put("task", x.task()); put("on", x.on()); put("target", x.target()); return null; }
            public Void taskWake(TaskWake x) { put("task", x.task()); put("by", x.by()); return null; }
            public Void cancelRequest(CancelRequest x) {
                put("target_kind", x.targetKind()); put("target", x.target()); put("reason", x.reason()); put("by", x.by());
                return null;
            }
            public Void cancelObserve(CancelObserve x) { put("task", x.task()); put("how", x.how()); put("line", x.line()); return null; }
            public Void taskDone(TaskDone x) {
                put("task", x.task()); put("outcome", x.outcome()); put("value", x.value()); put("error", x.error());
                put("cancel_requested", x.cancelRequested()); return null;
            }
            public Void nurseryJoin(NurseryJoin x) { put("nursery", x.nursery()); return null; }
            public Void nurseryClose(NurseryClose x) { put("nursery", x.nursery()); put("outcome", x.outcome()); put("error", x.error()); return null; }
            public Void print(Print x) { put("task", x.task()); put("text", x.text()); return null; }
            public Void line(Line x) { put("task", x.task()); put("line", x.line()); return null; }
            public Void taskError(TaskError x) {
                put("task", x.task()); put("error", x.error()); put("line", x.line()); put("trace", x.trace()); return null;
            }
            public Void runEnd(RunEnd x) { put("status", x.status()); put("dropped", x.dropped()); return null; }
            public Void unknown(Unknown x) { return null; }

            private void put(String k, Object v) {
                if (v == null) return;
                if (v instanceof Integer i) v = (long) i;
                else if (v instanceof Wire.Spelled s) v = s.wire();
                m.put(k, v);
            }
        });
        return m;
    }

    /**
     * How a field's value is shown to a student (answers, narration, messages): task ids as
     * display names, a rendered string value ({@code "weather"} with quotes, as the runtime
     * renders it) without its quotes, printed text without its final newline.
     */
    static String show(TraceEvent e, String field, Object value, TraceNames names) {
        if (value instanceof Long id && isTaskField(e, field)) return names.taskName((int) (long) id);
        if (value instanceof String s) {
            if (field.equals("text")) return stripNewline(s);
            if (field.equals("value") || field.equals("error")) return unquote(s);
        }
        return String.valueOf(value);
    }

    static String stripNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code "weather"} → {@code weather}; anything else unchanged. */
    static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
        }
        return s;
    }

    private static Set<String> spellings(Wire.Spelled[] values) {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (Wire.Spelled v : values) s.add(v.wire());
        return Set.copyOf(s);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}

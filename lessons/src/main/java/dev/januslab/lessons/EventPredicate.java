package dev.januslab.lessons;

import com.fasterxml.jackson.databind.JsonNode;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceEvents;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * "Which event?" in a lesson: {@code {"k": "task_done", "func": "fetch", "nth": 2}}. An
 * event matches when it has every field given with that value (TRACE.md names). Two
 * conveniences: {@code task} is the task the event is about, given by display name
 * ({@code "fetch#2"}) or id; {@code func} is that task's function, and for nursery events
 * ({@code nursery_*}, and {@code cancel_request} of a nursery) the nursery owner's function.
 * Task-valued fields ({@code by}, {@code parent} of a spawn, {@code owner}, {@code target}
 * of a task) also accept display names.
 *
 * <p>{@code nth} is not part of matching: it says which match counts, counted from the
 * start of the run (see {@link LessonScript} and {@link #find}).
 */
public final class EventPredicate {
    private static final Set<String> SPECIAL = Set.of("k", "nth", "func", "task");
    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*#[0-9]+");
    private static final Set<String> ANY_KIND_FIELDS = anyKindFields();

    private final String kind;
    private final Integer nth;
    private final String func;
    private final Object task;   // String display name or Long id, or null
    private final Map<String, Object> fields;
    private final String text;

    private EventPredicate(String kind, Integer nth, String func, Object task, Map<String, Object> fields, String text) {
        this.kind = kind;
        this.nth = nth;
        this.func = func;
        this.task = task;
        this.fields = fields;
        this.text = text;
    }

    /** Parses a predicate object of a lesson (the path names it in errors). */
    static EventPredicate parse(Json j) {
        j.object();
        String kind = null;
        if (j.has("k")) {
            kind = j.get("k").string();
            if (!EventFields.KINDS.containsKey(kind)) {
                throw j.get("k").error("unknown event kind \"" + kind + "\"; TRACE.md kinds are "
                        + String.join(", ", EventFields.KINDS.keySet().stream().sorted().toList()));
            }
        }
        Set<String> allowed = new HashSet<>(SPECIAL);
        allowed.addAll(EventFields.COMMON);
        allowed.addAll(kind == null ? ANY_KIND_FIELDS : EventFields.KINDS.get(kind));
        j.onlyFields(allowed);
        if (j.node().isEmpty()) throw j.error("an event predicate needs at least \"k\" or one field");

        Integer nth = j.has("nth") ? j.get("nth").positiveInt() : null;
        String func = j.has("func") ? j.get("func").nonEmptyString() : null;
        Object task = null;
        if (j.has("task")) {
            Json t = j.get("task");
            if (t.node().isTextual()) {
                String name = t.string();
                if (!TASK_NAME.matcher(name).matches()) throw t.error("a task is named FUNC#ID (\"fetch#2\"), not \"" + name + "\"");
                task = name;
            } else {
                long id = t.integer();
                if (id < 0) throw t.error("a task id is 0 or more, not " + id);
                task = id;
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = j.node().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (SPECIAL.contains(f.getKey())) continue;
            Json v = j.get(f.getKey());
            fields.put(f.getKey(), value(v, f.getKey(), kind));
        }
        return new EventPredicate(kind, nth, func, task, Collections.unmodifiableMap(fields), j.node().toString());
    }

    private static Object value(Json v, String field, String kind) {
        JsonNode n = v.node();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isIntegralNumber()) return v.integer();
        if (!n.isTextual()) throw v.error("must be a string, a whole number or true/false, not " + v.describe());
        String s = n.asText();
        Set<String> spelled = enumValues(field, kind);
        if (spelled != null && !spelled.contains(s)) {
            throw v.error("\"" + s + "\" is not a " + field + " value; expected one of "
                    + String.join(", ", spelled.stream().sorted().toList()));
        }
        return s;
    }

    private static Set<String> enumValues(String field, String kind) {
        if (field.equals("reason") && "task_yield".equals(kind)) return Set.of("budget", "yield");
        if (field.equals("reason") && "cancel_request".equals(kind)) return Set.of("explicit", "failure", "parent");
        return EventFields.ENUMS.get(field);
    }

    /** The event kind this predicate requires, or null. */
    public String kind() {
        return kind;
    }

    /** Which match counts (1 = first), or null: the first one after the previous step. */
    public Integer nth() {
        return nth;
    }

    /** The predicate as the lesson wrote it, for messages. */
    public String text() {
        return text;
    }

    /** Whether {@code e} has every given field; {@code names} must have observed every event up to {@code e}. */
    public boolean matches(TraceEvent e, TraceNames names) {
        if (kind != null && !kind.equals(e.kind())) return false;
        if (func != null) {
            int subject = funcSubject(e, names);
            if (subject < 0 || !func.equals(names.func(subject))) return false;
        }
        if (task != null) {
            int subject = TraceEvents.taskOf(e);
            if (subject < 0) return false;
            if (task instanceof Long id ? subject != id : !task.equals(names.taskName(subject))) return false;
        }
        if (!fields.isEmpty()) {
            Map<String, Object> actual = EventFields.of(e);
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                String name = f.getKey();
                Object have = switch (name) {
                    case "seq", "t", "w" -> EventFields.get(e, name);
                    default -> actual.get(name);
                };
                if (have == null || !same(e, name, have, f.getValue(), names)) return false;
            }
        }
        return true;
    }

    /** The task whose function {@code func} names: the event's task, or a nursery event's owner. */
    private static int funcSubject(TraceEvent e, TraceNames names) {
        // a task_spawn's own func field is the spawned task's function: taskOf covers it

        if (e instanceof TraceEvent.NurseryOpen o) return o.owner();
        if (e instanceof TraceEvent.NurseryJoin j) return names.owner(j.nursery());
        if (e instanceof TraceEvent.NurseryClose c) return names.owner(c.nursery());
        if (e instanceof TraceEvent.CancelRequest c && c.targetKind() == dev.januslab.scheduler.trace.Wire.TargetKind.NURSERY) {
            return names.owner(c.target());
        }
        return TraceEvents.taskOf(e);
    }

    private static boolean same(TraceEvent e, String field, Object have, Object want, TraceNames names) {
        if (want instanceof Boolean || want instanceof Long) return want.equals(have);
        String w = (String) want;
        if (have instanceof Long id && EventFields.isTaskField(e, field)) return w.equals(names.taskName((int) (long) id));
        if (have instanceof String s) return s.equals(w) || EventFields.show(e, field, s, names).equals(w);
        return String.valueOf(have).equals(w);
    }

    /**
     * The event this predicate picks in the whole of {@code trace}: its {@code nth} match
     * (or the first). -1 if there is none (yet).
     */
    public long find(Trace trace) {
        TraceNames names = new TraceNames();
        int wanted = nth == null ? 1 : nth;
        int count = 0;
        long n = trace.size();
        for (long s = 0; s < n; s++) {
            TraceEvent e = trace.get(s);
            names.observe(e);
            if (matches(e, names) && ++count == wanted) return s;
        }
        return -1;
    }

    /** How many events of {@code trace} match, ignoring {@code nth}. */
    public long count(Trace trace) {
        TraceNames names = new TraceNames();
        long count = 0;
        long n = trace.size();
        for (long s = 0; s < n; s++) {
            TraceEvent e = trace.get(s);
            names.observe(e);
            if (matches(e, names)) count++;
        }
        return count;
    }

    @Override
    public String toString() {
        return text;
    }

    private static Set<String> anyKindFields() {
        Set<String> s = new HashSet<>();
        for (List<String> fs : EventFields.KINDS.values()) s.addAll(fs);
        return Set.copyOf(s);
    }
}

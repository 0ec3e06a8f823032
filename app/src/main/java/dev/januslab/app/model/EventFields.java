package dev.januslab.app.model;

import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kind-specific fields of a {@link TraceEvent} by wire name ({@code target_kind=nursery}),
 * for the event log's details column and its filter. Read from the record's components, so
 * a field added to the trace model shows up without touching the app.
 */
public final class EventFields {
    private EventFields() {}

    public static Map<String, Object> of(TraceEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (e instanceof TraceEvent.Unknown u) {
            out.put("fields", u.fieldsJson());
            return out;
        }
        for (RecordComponent c : e.getClass().getRecordComponents()) {
            String n = c.getName();
            if (n.equals("seq") || n.equals("t") || n.equals("w")) continue;
            Object v;
            try {
                v = c.getAccessor().invoke(e);
            } catch (ReflectiveOperationException ex) {
                continue;
            }
            if (v == null) continue;
            if (v instanceof Wire.Spelled sp) v = sp.wire();
            out.put(snake(n), v);
        }
        return out;
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
            else sb.append(ch);
        }
        return sb.toString();
    }
}

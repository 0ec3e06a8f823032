package dev.januslab.scheduler.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.januslab.scheduler.trace.TraceEvent.*;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes JSON Lines in the exact shape of TRACE.md §3: the header, then one event per line
 * with {@code seq, t, w, k} first and the kind's fields in the table's order. Absent
 * optional strings are left out. Same trace in, same bytes out (invariant 8 compares them).
 */
final class TraceWriter implements TraceEvent.Visitor<Void> {
    static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private final JsonGenerator g;

    TraceWriter(OutputStream out) throws IOException {
        g = JSON.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    void header(TraceHeader h) throws IOException {
        g.writeStartObject();
        g.writeStringField("format", h.format());
        g.writeNumberField("version", h.version());
        g.writeStringField("created", h.created());
        g.writeObjectFieldStart("program");
        g.writeStringField("name", h.program().name());
        g.writeStringField("source", h.program().source());
        g.writeEndObject();
        TraceHeader.Config c = h.config();
        g.writeObjectFieldStart("config");
        g.writeNumberField("workers", c.workers());
        g.writeStringField("mode", c.mode().wire());
        g.writeNumberField("seed", c.seed());
        g.writeNumberField("quantum", c.quantum());
        g.writeNumberField("stack_kb", c.stackKb());
        g.writeEndObject();
        if (h.lesson() != null) {
            g.writeObjectFieldStart("lesson");
            g.writeStringField("id", h.lesson().id());
            g.writeNumberField("step", h.lesson().step());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeRaw('\n');
    }

    void event(TraceEvent e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq());
        g.writeNumberField("t", e.t());
        g.writeNumberField("w", e.w());
        g.writeStringField("k", e.kind());
        try {
            e.accept(this);
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
        if (e instanceof Unknown u && u.fieldsJson() != null) {
            String inner = u.fieldsJson().strip();
            if (inner.length() > 2) {
                // the object's members, written back verbatim after the common fields
                g.writeRaw(',');
                g.writeRaw(inner.substring(1, inner.length() - 1));
            }
        }
        g.writeEndObject();
        g.writeRaw('\n');
    }

    void flush() throws IOException {
        g.flush();
    }

    private void num(String name, long v) {
        try {
            g.writeNumberField(name, v);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private void str(String name, String v) {
        if (v == null) return;
        try {
            g.writeStringField(name, v);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private void bool(String name, boolean v) {
        try {
            g.writeBooleanField(name, v);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static String wire(Wire.Spelled s) {
        return s == null ? null : s.wire();
    }

    @Override
    public Void runStart(RunStart e) {
        num("workers", e.workers());
        str("mode", wire(e.mode()));
        num("seed", e.seed());
        return null;
    }

    @Override public Void workerPark(WorkerPark e) { return null; }
    @Override public Void workerUnpark(WorkerUnpark e) { return null; }

    @Override
    public Void nurseryOpen(NurseryOpen e) {
        num("nursery", e.nursery());
        num("owner", e.owner());
        num("parent", e.parent());
        num("line", e.line());
        return null;
    }

    @Override
    public Void taskSpawn(TaskSpawn e) {
        num("task", e.task());
        num("parent", e.parent());
        num("nursery", e.nursery());
        str("func", e.func());
        num("line", e.line());
        return null;
    }

    @Override
    public Void taskPush(TaskPush e) {
        num("task", e.task());
        num("queue", e.queue());
        str("pos", wire(e.pos()));
        return null;
    }

    @Override
    public Void taskPop(TaskPop e) {
        num("task", e.task());
        return null;
    }

    @Override
    public Void taskSteal(TaskSteal e) {
        num("task", e.task());
        num("victim", e.victim());
        return null;
    }

    @Override
    public Void taskRun(TaskRun e) {
        num("task", e.task());
        return null;
    }

    @Override
    public Void taskYield(TaskYield e) {
        num("task", e.task());
        str("reason", wire(e.reason()));
        return null;
    }

    @Override
    public Void taskBlock(TaskBlock e) {
        num("task", e.task());
        str("on", wire(e.on()));
        num("target", e.target());
        return null;
    }

    @Override
    public Void taskWake(TaskWake e) {
        num("task", e.task());
        num("by", e.by());
        return null;
    }

    @Override
    public Void cancelRequest(CancelRequest e) {
        str("target_kind", wire(e.targetKind()));
        num("target", e.target());
        str("reason", wire(e.reason()));
        num("by", e.by());
        return null;
    }

    @Override
    public Void cancelObserve(CancelObserve e) {
        num("task", e.task());
        str("how", wire(e.how()));
        num("line", e.line());
        return null;
    }

    @Override
    public Void taskDone(TaskDone e) {
        num("task", e.task());
        str("outcome", wire(e.outcome()));
        str("value", e.value());
        str("error", e.error());
        bool("cancel_requested", e.cancelRequested());
        return null;
    }

    @Override
    public Void nurseryJoin(NurseryJoin e) {
        num("nursery", e.nursery());
        return null;
    }

    @Override
    public Void nurseryClose(NurseryClose e) {
        num("nursery", e.nursery());
        str("outcome", wire(e.outcome()));
        str("error", e.error());
        return null;
    }

    @Override
    public Void print(Print e) {
        num("task", e.task());
        str("text", e.text());
        return null;
    }

    @Override
    public Void line(Line e) {
        num("task", e.task());
        num("line", e.line());
        return null;
    }

    @Override
    public Void taskError(TaskError e) {
        num("task", e.task());
        str("error", e.error());
        num("line", e.line());
        str("trace", e.trace());
        return null;
    }

    @Override
    public Void runEnd(RunEnd e) {
        str("status", wire(e.status()));
        num("dropped", e.dropped());
        return null;
    }

    @Override
    public Void unknown(Unknown e) {
        return null;
    }
}

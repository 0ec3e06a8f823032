package dev.januslab.scheduler.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.*;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.ZipException;

/**
 * Reads a {@code .jtrace} stream line by line: the header (checked for format and version),
 * then one event per line. The first broken line stops the load with {@code FILE:LINE: reason}.
 *
 * <p>Two parsers, one result. Lines in the shape our writer produces — a flat object of
 * integers, booleans, null and ASCII strings with simple escapes — go through a byte scanner
 * ({@link #compactEvent}) about three times faster than a general parser; any other line
 * (escapes, nested values, unknown kinds or fields, anything malformed) goes through
 * Jackson's streaming parser ({@link #jsonEvent}), which also writes every error message.
 * Both fill the same fields and build the record with the same code, and a test checks they
 * agree. Keyframes are built on a second thread meanwhile ({@link Indexer}).
 *
 * <p>Fields a kind does not define are ignored; an unknown kind is kept as {@link Unknown}
 * with its other fields re-serialised, whatever their order.
 */
final class TraceReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(200_000_000).build())
            .build();
    private static final ObjectMapper TREE = new ObjectMapper(JSON);

    private final String file;
    private final InputStream in;
    private int lineNo;
    private LineReader lines;

    private final boolean compact;
    /** Lines the compact scanner parsed (the rest went through Jackson). */
    long compactLines;

    TraceReader(String file, InputStream in) {
        this(file, in, true);
    }

    /** {@code compact = false} sends every line through Jackson (tests compare the two paths). */
    TraceReader(String file, InputStream in, boolean compact) {
        this.file = file;
        this.in = in;
        this.compact = compact;
    }

    Trace read() throws TraceFileException {
        LineReader lines = new LineReader(in);
        this.lines = lines;
        try {
            if (!lines.next()) throw fail(1, "the file is empty: no trace header");
            Trace trace = new Trace(header(lines.buffer(), lines.start(), lines.end()), Trace.Indexing.ON_DEMAND);
            Indexer indexer = new Indexer(trace);
            indexer.start();
            try {
                while (lines.next()) {
                    byte[] b = lines.buffer();
                    int from = lines.start(), to = lines.end();
                    if (isBlank(b, from, to)) continue;
                    lineNo = lines.lineNo();
                    TraceEvent e = compact ? compactEvent(b, from, to) : null;
                    if (e != null) compactLines++;
                    trace.append(e != null ? e : jsonEvent(b, from, to));
                }
            } finally {
                indexer.finish();
            }
            trace.indexUpTo(trace.size());
            return trace;
        } catch (EOFException e) {
            throw fail(currentLine(), "the file ends early (truncated gzip data)", e);
        } catch (ZipException e) {
            throw fail(currentLine(), "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw fail(0, "cannot read: " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') return false;
        }
        return true;
    }

    /** One event line through Jackson: anything the compact scanner declined, and every error message. */
    private TraceEvent jsonEvent(byte[] b, int from, int to) throws IOException, TraceFileException {
        try (JsonParser p = JSON.createParser(b, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw fail(lineNo, "expected an event object {...}");
            TraceEvent e = event(p);
            if (p.nextToken() != null) throw fail(lineNo, "unexpected text after the event object");
            return e;
        } catch (JsonParseException e) {
            throw fail(lineNo, "bad JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Builds keyframes on a second thread while this one parses, so opening a big trace uses
     * both cores. It only folds events the parser has already published.
     */
    private static final class Indexer extends Thread {
        private final Trace trace;
        private volatile boolean done;

        Indexer(Trace trace) {
            super("trace-indexer");
            setDaemon(true);
            this.trace = trace;
        }

        @Override
        public void run() {
            while (!done) {
                int before = trace.keyframeCount();
                trace.indexUpTo(trace.size());
                if (trace.keyframeCount() == before) LockSupport.parkNanos(200_000);
            }
        }

        void finish() {
            done = true;
            boolean interrupted = false;
            while (isAlive()) {
                try {
                    join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private int currentLine() {
        return lines != null ? Math.max(1, lines.lineNo()) : 1;
    }

    // ---- header ----

    private TraceHeader header(byte[] b, int from, int to) throws TraceFileException {
        JsonNode h;
        try (JsonParser p = JSON.createParser(b, from, to - from)) {
            h = TREE.readTree(p);
            if (h != null && p.nextToken() != null) throw fail(1, "unexpected text after the header");
        } catch (JsonParseException e) {
            throw fail(1, "not a Janus trace: the first line is not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw fail(1, "cannot read the header: " + e.getMessage(), e);
        }
        return header(h);
    }

    private TraceHeader header(JsonNode h) throws TraceFileException {
        if (h == null || !h.isObject()) throw fail(1, "not a Janus trace: the first line is not a JSON object");
        JsonNode format = h.get("format");
        if (format == null || !format.isTextual()) {
            throw fail(1, "not a Janus trace: the header has no \"format\" (expected \"" + TraceHeader.FORMAT + "\")");
        }
        if (!TraceHeader.FORMAT.equals(format.asText())) {
            throw fail(1, "not a Janus trace: format is \"" + format.asText() + "\", expected \""
                    + TraceHeader.FORMAT + "\"");
        }
        JsonNode version = h.get("version");
        if (version == null || !version.canConvertToInt()) throw fail(1, "the header has no integer \"version\"");
        if (version.asInt() > TraceHeader.VERSION) {
            throw fail(1, "trace version " + version.asInt() + " is newer than this Janus Lab reads (up to version "
                    + TraceHeader.VERSION + "); update Janus Lab to open it");
        }
        if (version.asInt() < 1) throw fail(1, "bad trace version " + version.asInt());
        JsonNode program = h.path("program");
        JsonNode config = h.path("config");
        if (!config.isObject()) throw fail(1, "the header has no \"config\" object");
        Mode mode = Mode.parse(config.path("mode").asText(null));
        if (mode == null) throw fail(1, "the header's config.mode must be \"deterministic\" or \"live\"");
        TraceHeader.Lesson lesson = null;
        JsonNode l = h.get("lesson");
        if (l != null && l.isObject()) lesson = new TraceHeader.Lesson(l.path("id").asText(""), l.path("step").asInt(0));
        return new TraceHeader(TraceHeader.FORMAT, version.asInt(), h.path("created").asText(""),
                new TraceHeader.Program(program.path("name").asText(""), program.path("source").asText("")),
                new TraceHeader.Config(config.path("workers").asInt(0), mode, config.path("seed").asLong(0),
                        config.path("quantum").asInt(0), config.path("stack_kb").asInt(0)),
                lesson);
    }

    // ---- events ----

    // one bit per field, to check that a kind got all it needs
    private static final int F_SEQ = 1, F_T = 1 << 1, F_W = 1 << 2, F_K = 1 << 3, F_TASK = 1 << 4,
            F_PARENT = 1 << 5, F_NURSERY = 1 << 6, F_FUNC = 1 << 7, F_LINE = 1 << 8, F_QUEUE = 1 << 9,
            F_POS = 1 << 10, F_VICTIM = 1 << 11, F_REASON = 1 << 12, F_ON = 1 << 13, F_TARGET = 1 << 14,
            F_BY = 1 << 15, F_TARGET_KIND = 1 << 16, F_HOW = 1 << 17, F_OUTCOME = 1 << 18,
            F_CANCEL_REQUESTED = 1 << 19, F_TEXT = 1 << 20, F_ERROR = 1 << 21, F_STATUS = 1 << 22,
            F_DROPPED = 1 << 23, F_WORKERS = 1 << 24, F_MODE = 1 << 25, F_SEED = 1 << 26, F_OWNER = 1 << 27;
    private static final String[] FIELD_NAMES = {"seq", "t", "w", "k", "task", "parent", "nursery", "func", "line",
            "queue", "pos", "victim", "reason", "on", "target", "by", "target_kind", "how", "outcome",
            "cancel_requested", "text", "error", "status", "dropped", "workers", "mode", "seed", "owner"};

    // the fields of the event being parsed
    private int seen;
    private long seq, t, target, seed, dropped;
    private int w, task, parent, nursery, line, queue, victim, by, workers, owner;
    private String k, func, pos, reason, on, targetKind, how, outcome, status, mode, text, error, value, traceText;
    private boolean cancelRequested;

    /** Fields met before {@code k} other than seq/t/w, kept raw in case the kind is unknown (rare). */
    private final java.io.StringWriter early = new java.io.StringWriter();
    private JsonGenerator earlyGen;
    private boolean anyEarly;
    private ObjectNode rest;

    private TraceEvent event(JsonParser p) throws IOException, TraceFileException {
        seen = 0;
        func = pos = reason = on = targetKind = how = outcome = status = mode = text = error = value = traceText = k = null;
        anyEarly = false;
        rest = null;
        try {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (k == null && !name.equals("seq") && !name.equals("t") && !name.equals("w") && !name.equals("k")) {
                    keepEarly(p, name);
                } else if (k != null && !KNOWN.contains(k)) {
                    if (rest == null) rest = TREE.createObjectNode();
                    rest.set(name, TREE.readTree(p));
                } else {
                    field(p, name);
                }
            }
        } catch (JsonParseException e) {
            throw fail(lineNo, "bad JSON: " + e.getOriginalMessage(), e);
        }
        need(F_SEQ | F_T | F_W | F_K, "event");
        if (anyEarly) replayEarly();
        return build();
    }

    private void keepEarly(JsonParser p, String name) throws IOException {
        if (earlyGen == null) earlyGen = JSON.createGenerator(early);
        if (!anyEarly) {
            early.getBuffer().setLength(0);
            earlyGen.writeStartObject();
            anyEarly = true;
        }
        earlyGen.writeFieldName(name);
        earlyGen.copyCurrentStructure(p);
    }

    /** Feeds the fields that came before {@code k} through the normal path, now that the kind is known. */
    private void replayEarly() throws IOException, TraceFileException {
        earlyGen.writeEndObject();
        earlyGen.flush();
        ObjectNode o = (ObjectNode) TREE.readTree(early.toString());
        earlyGen = null;
        if (!KNOWN.contains(k)) {
            if (rest != null) o.setAll(rest);
            rest = o;
            return;
        }
        try (JsonParser q = JSON.createParser(o.toString())) {
            q.nextToken();
            while (q.nextToken() == JsonToken.FIELD_NAME) {
                String name = q.currentName();
                q.nextToken();
                field(q, name);
            }
        }
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("run_start", "worker_park", "worker_unpark",
            "nursery_open", "task_spawn", "task_push", "task_pop", "task_steal", "task_run", "task_yield", "task_block",
            "task_wake", "cancel_request", "cancel_observe", "task_done", "nursery_join", "nursery_close", "print",
            "line", "error", "run_end");

    private void field(JsonParser p, String name) throws IOException, TraceFileException {
        switch (name) {
            case "seq" -> { seq = longOf(p, name); seen |= F_SEQ; }
            case "t" -> { t = longOf(p, name); seen |= F_T; }
            case "w" -> { w = intOf(p, name); seen |= F_W; }
            case "k" -> {
                k = strOf(p, name);
                if (k == null) throw fail(lineNo, "field \"k\" must be a string");
                seen |= F_K;
            }
            case "task" -> { task = intOf(p, name); seen |= F_TASK; }
            case "parent" -> { parent = intOf(p, name); seen |= F_PARENT; }
            case "nursery" -> { nursery = intOf(p, name); seen |= F_NURSERY; }
            case "owner" -> { owner = intOf(p, name); seen |= F_OWNER; }
            case "func" -> { func = strOf(p, name); seen |= F_FUNC; }
            case "line" -> { line = intOf(p, name); seen |= F_LINE; }
            case "queue" -> { queue = intOf(p, name); seen |= F_QUEUE; }
            case "pos" -> { pos = strOf(p, name); seen |= F_POS; }
            case "victim" -> { victim = intOf(p, name); seen |= F_VICTIM; }
            case "reason" -> { reason = strOf(p, name); seen |= F_REASON; }
            case "on" -> { on = strOf(p, name); seen |= F_ON; }
            case "target" -> { target = longOf(p, name); seen |= F_TARGET; }
            case "by" -> { by = intOf(p, name); seen |= F_BY; }
            case "target_kind" -> { targetKind = strOf(p, name); seen |= F_TARGET_KIND; }
            case "how" -> { how = strOf(p, name); seen |= F_HOW; }
            case "outcome" -> { outcome = strOf(p, name); seen |= F_OUTCOME; }
            case "cancel_requested" -> { cancelRequested = boolOf(p, name); seen |= F_CANCEL_REQUESTED; }
            case "text" -> { text = strOf(p, name); seen |= F_TEXT; }
            case "error" -> { error = strOf(p, name); seen |= F_ERROR; }
            case "value" -> value = strOf(p, name);
            case "trace" -> traceText = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : textOfValue(p);
            case "status" -> { status = strOf(p, name); seen |= F_STATUS; }
            case "dropped" -> { dropped = longOf(p, name); seen |= F_DROPPED; }
            case "workers" -> { workers = intOf(p, name); seen |= F_WORKERS; }
            case "mode" -> { mode = strOf(p, name); seen |= F_MODE; }
            case "seed" -> { seed = longOf(p, name); seen |= F_SEED; }
            default -> p.skipChildren();
        }
    }

    private TraceEvent build() throws TraceFileException {
        switch (k) {
            case "run_start":
                need(F_WORKERS | F_MODE | F_SEED, k);
                return new RunStart(seq, t, w, workers, parse(Mode.parse(mode), "mode", mode), seed);
            case "worker_park":
                return new WorkerPark(seq, t, w);
            case "worker_unpark":
                return new WorkerUnpark(seq, t, w);
            case "nursery_open":
                need(F_NURSERY | F_OWNER | F_PARENT | F_LINE, k);
                return new NurseryOpen(seq, t, w, nursery, owner, parent, line);
            case "task_spawn":
                need(F_TASK | F_PARENT | F_NURSERY | F_FUNC | F_LINE, k);
                return new TaskSpawn(seq, t, w, task, parent, nursery, func, line);
            case "task_push":
                need(F_TASK | F_QUEUE | F_POS, k);
                return new TaskPush(seq, t, w, task, queue, parse(Pos.parse(pos), "pos", pos));
            case "task_pop":
                need(F_TASK, k);
                return new TaskPop(seq, t, w, task);
            case "task_steal":
                need(F_TASK | F_VICTIM, k);
                return new TaskSteal(seq, t, w, task, victim);
            case "task_run":
                need(F_TASK, k);
                return new TaskRun(seq, t, w, task);
            case "task_yield":
                need(F_TASK | F_REASON, k);
                return new TaskYield(seq, t, w, task, parse(YieldReason.parse(reason), "reason", reason));
            case "task_block":
                need(F_TASK | F_ON | F_TARGET, k);
                return new TaskBlock(seq, t, w, task, parse(BlockOn.parse(on), "on", on), target);
            case "task_wake":
                need(F_TASK | F_BY, k);
                return new TaskWake(seq, t, w, task, by);
            case "cancel_request":
                need(F_TARGET_KIND | F_TARGET | F_REASON | F_BY, k);
                if (target != (int) target) throw fail(lineNo, "field \"target\" is out of range");
                return new CancelRequest(seq, t, w, parse(TargetKind.parse(targetKind), "target_kind", targetKind),
                        (int) target, parse(CancelReason.parse(reason), "reason", reason), by);
            case "cancel_observe":
                need(F_TASK | F_HOW | F_LINE, k);
                return new CancelObserve(seq, t, w, task, parse(CancelHow.parse(how), "how", how), line);
            case "task_done":
                need(F_TASK | F_OUTCOME, k);
                return new TaskDone(seq, t, w, task, parse(Outcome.parse(outcome), "outcome", outcome), value, error,
                        cancelRequested && (seen & F_CANCEL_REQUESTED) != 0);
            case "nursery_join":
                need(F_NURSERY, k);
                return new NurseryJoin(seq, t, w, nursery);
            case "nursery_close":
                need(F_NURSERY | F_OUTCOME, k);
                return new NurseryClose(seq, t, w, nursery, parse(Outcome.parse(outcome), "outcome", outcome), error);
            case "print":
                need(F_TASK | F_TEXT, k);
                return new Print(seq, t, w, task, text);
            case "line":
                need(F_TASK | F_LINE, k);
                return new Line(seq, t, w, task, line);
            case "error":
                need(F_TASK | F_ERROR, k);
                return new TaskError(seq, t, w, task, error, (seen & F_LINE) != 0 ? line : 0, traceText);
            case "run_end":
                need(F_STATUS, k);
                return new RunEnd(seq, t, w, parse(RunStatus.parse(status), "status", status), dropped);
            default:
                return new Unknown(seq, t, w, k, rest == null ? "{}" : rest.toString());
        }
    }

    // ---- the compact fast path ----

    private static final int N_SEQ = 1, N_T = 2, N_W = 3, N_K = 4, N_ON = 5, N_BY = 6, N_POS = 7, N_HOW = 8,
            N_TASK = 9, N_FUNC = 10, N_LINE = 11, N_MODE = 12, N_SEED = 13, N_TEXT = 14, N_QUEUE = 15,
            N_ERROR = 16, N_VALUE = 17, N_TRACE = 18, N_OWNER = 19, N_PARENT = 20, N_VICTIM = 21,
            N_REASON = 22, N_TARGET = 23, N_STATUS = 24, N_NURSERY = 25, N_OUTCOME = 26, N_DROPPED = 27,
            N_WORKERS = 28, N_TARGET_KIND = 29, N_CANCEL_REQUESTED = 30;

    /** The field a key names, or 0 for a key this reader does not know. */
    private static int fieldId(byte[] b, int s, int len) {
        switch (len) {
            case 1:
                return b[s] == 't' ? N_T : b[s] == 'w' ? N_W : b[s] == 'k' ? N_K : 0;
            case 2:
                return is(b, s, "on") ? N_ON : is(b, s, "by") ? N_BY : 0;
            case 3:
                return is(b, s, "seq") ? N_SEQ : is(b, s, "pos") ? N_POS : is(b, s, "how") ? N_HOW : 0;
            case 4:
                return is(b, s, "task") ? N_TASK : is(b, s, "func") ? N_FUNC : is(b, s, "line") ? N_LINE
                        : is(b, s, "mode") ? N_MODE : is(b, s, "seed") ? N_SEED : is(b, s, "text") ? N_TEXT : 0;
            case 5:
                return is(b, s, "queue") ? N_QUEUE : is(b, s, "error") ? N_ERROR : is(b, s, "value") ? N_VALUE
                        : is(b, s, "trace") ? N_TRACE : is(b, s, "owner") ? N_OWNER : 0;
            case 6:
                return is(b, s, "parent") ? N_PARENT : is(b, s, "victim") ? N_VICTIM : is(b, s, "reason") ? N_REASON
                        : is(b, s, "target") ? N_TARGET : is(b, s, "status") ? N_STATUS : 0;
            case 7:
                return is(b, s, "nursery") ? N_NURSERY : is(b, s, "outcome") ? N_OUTCOME
                        : is(b, s, "dropped") ? N_DROPPED : is(b, s, "workers") ? N_WORKERS : 0;
            case 11:
                return is(b, s, "target_kind") ? N_TARGET_KIND : 0;
            case 16:
                return is(b, s, "cancel_requested") ? N_CANCEL_REQUESTED : 0;
            default:
                return 0;
        }
    }

    private static boolean is(byte[] b, int s, String name) {
        for (int i = 0; i < name.length(); i++) if (b[s + i] != name.charAt(i)) return false;
        return true;
    }

    /** What the value scanner found: its kind and, for numbers, the number; for strings, the text. */
    private static final int V_INT = 1, V_STR = 2, V_TRUE = 3, V_FALSE = 4, V_NULL = 5;
    private long vNum;
    private String vStr;
    private int at;

    /**
     * Parses a line in the compact shape our writer produces, or returns null to hand the line
     * to Jackson: it declines {@code \\u} escapes, non-ASCII text, nested values, fractions, unknown keys
     * and kinds, and anything malformed, so it never has to explain an error itself.
     */
    private TraceEvent compactEvent(byte[] b, int from, int to) throws TraceFileException {
        seen = 0;
        func = this.pos = reason = on = targetKind = how = outcome = status = mode = text = error = value = traceText = k = null;
        at = skip(b, from, to);
        if (at >= to || b[at] != '{') return null;
        at = skip(b, at + 1, to);
        if (at < to && b[at] == '}') return null;
        while (true) {
            if (at >= to || b[at] != '"') return null;
            int ks = at + 1, ke = ks;
            while (ke < to && b[ke] != '"') {
                if (b[ke] == '\\' || b[ke] < 0x20) return null;
                ke++;
            }
            if (ke >= to) return null;
            int id = fieldId(b, ks, ke - ks);
            if (id == 0) return null;
            at = skip(b, ke + 1, to);
            if (at >= to || b[at] != ':') return null;
            at = skip(b, at + 1, to);
            int v = value(b, to);
            if (v == 0 || !assign(id, v)) return null;
            at = skip(b, at, to);
            if (at >= to) return null;
            if (b[at] == ',') {
                at = skip(b, at + 1, to);
            } else if (b[at] == '}') {
                if (skip(b, at + 1, to) != to) return null;
                break;
            } else {
                return null;
            }
        }
        if (k == null || !KNOWN.contains(k)) return null;
        need(F_SEQ | F_T | F_W | F_K, "event");
        return build();
    }

    private static int skip(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) i++;
        return i;
    }

    /** Scans one value at {@link #at}; returns its V_ kind, or 0 to decline. */
    private int value(byte[] b, int to) {
        if (at >= to) return 0;
        byte c = b[at];
        if (c == '"') {
            int s = at + 1, e = s;
            boolean escaped = false;
            while (e < to && b[e] != '"') {
                if (b[e] < 0x20) return 0; // control bytes, and non-ASCII (negative): Jackson's job
                if (b[e] == '\\') {
                    escaped = true;
                    e++;
                }
                e++;
            }
            if (e >= to) return 0;
            if (!escaped) {
                vStr = new String(b, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1);
            } else {
                StringBuilder sb = new StringBuilder(e - s);
                for (int i = s; i < e; i++) {
                    char ch = (char) b[i];
                    if (ch != '\\') {
                        sb.append(ch);
                        continue;
                    }
                    switch (b[++i]) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case '"' -> sb.append('"');
                        case '\\' -> sb.append('\\');
                        case '/' -> sb.append('/');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        default -> {
                            return 0; // \\u and anything else
                        }
                    }
                }
                vStr = sb.toString();
            }
            at = e + 1;
            return V_STR;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            int i = at;
            boolean neg = c == '-';
            if (neg) i++;
            int digits0 = i;
            long n = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                n = n * 10 + (b[i] - '0');
                i++;
            }
            int digits = i - digits0;
            if (digits == 0 || digits > 18 || (b[digits0] == '0' && digits > 1)) return 0;
            if (i < to && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) return 0;
            vNum = neg ? -n : n;
            at = i;
            return V_INT;
        }
        if (literal(b, to, "true")) return V_TRUE;
        if (literal(b, to, "false")) return V_FALSE;
        if (literal(b, to, "null")) return V_NULL;
        return 0;
    }

    private boolean literal(byte[] b, int to, String word) {
        if (at + word.length() > to || !is(b, at, word)) return false;
        at += word.length();
        return true;
    }

    /** Stores a scanned value in its field, as {@link #field} would; false when the type is not the expected one. */
    private boolean assign(int id, int v) {
        switch (id) {
            case N_SEQ: if (v != V_INT) return false; seq = vNum; seen |= F_SEQ; return true;
            case N_T: if (v != V_INT) return false; t = vNum; seen |= F_T; return true;
            case N_TARGET: if (v != V_INT) return false; target = vNum; seen |= F_TARGET; return true;
            case N_SEED: if (v != V_INT) return false; seed = vNum; seen |= F_SEED; return true;
            case N_DROPPED: if (v != V_INT) return false; dropped = vNum; seen |= F_DROPPED; return true;
            case N_W: return small(v) && set(F_W, w = (int) vNum);
            case N_TASK: return small(v) && set(F_TASK, task = (int) vNum);
            case N_PARENT: return small(v) && set(F_PARENT, parent = (int) vNum);
            case N_NURSERY: return small(v) && set(F_NURSERY, nursery = (int) vNum);
            case N_OWNER: return small(v) && set(F_OWNER, owner = (int) vNum);
            case N_LINE: return small(v) && set(F_LINE, line = (int) vNum);
            case N_QUEUE: return small(v) && set(F_QUEUE, queue = (int) vNum);
            case N_VICTIM: return small(v) && set(F_VICTIM, victim = (int) vNum);
            case N_BY: return small(v) && set(F_BY, by = (int) vNum);
            case N_WORKERS: return small(v) && set(F_WORKERS, workers = (int) vNum);
            case N_CANCEL_REQUESTED:
                if (v != V_TRUE && v != V_FALSE) return false;
                cancelRequested = v == V_TRUE;
                seen |= F_CANCEL_REQUESTED;
                return true;
            case N_VALUE:
                if (v != V_STR && v != V_NULL) return false;
                value = v == V_STR ? vStr : null;
                return true;
            case N_TRACE:
                if (v != V_STR && v != V_NULL) return false;
                traceText = v == V_STR ? vStr : null;
                return true;
            default:
                if (v != V_STR && v != V_NULL) return false;
                String str = v == V_STR ? vStr : null;
                switch (id) {
                    case N_K: k = str; seen |= F_K; break;
                    case N_FUNC: func = str; seen |= F_FUNC; break;
                    case N_POS: this.pos = str; seen |= F_POS; break;
                    case N_REASON: reason = str; seen |= F_REASON; break;
                    case N_ON: on = str; seen |= F_ON; break;
                    case N_TARGET_KIND: targetKind = str; seen |= F_TARGET_KIND; break;
                    case N_HOW: how = str; seen |= F_HOW; break;
                    case N_OUTCOME: outcome = str; seen |= F_OUTCOME; break;
                    case N_STATUS: status = str; seen |= F_STATUS; break;
                    case N_MODE: mode = str; seen |= F_MODE; break;
                    case N_TEXT: text = str; seen |= F_TEXT; break;
                    case N_ERROR: error = str; seen |= F_ERROR; break;
                    default: return false;
                }
                return true;
        }
    }

    private boolean small(int v) {
        return v == V_INT && vNum == (int) vNum;
    }

    private boolean set(int flag, int ignored) {
        seen |= flag;
        return true;
    }

    private void need(int fields, String kind) throws TraceFileException {
        int missing = fields & ~seen;
        if (missing == 0) return;
        String name = FIELD_NAMES[Integer.numberOfTrailingZeros(missing)];
        throw fail(lineNo, kind + " lacks the field \"" + name + "\"");
    }

    private <E> E parse(E value, String field, String text) throws TraceFileException {
        if (value == null) throw fail(lineNo, k + ": field \"" + field + "\" has an unknown value \"" + text + "\"");
        return value;
    }

    private long longOf(JsonParser p, String name) throws IOException, TraceFileException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw fail(lineNo, "field \"" + name + "\" must be an integer");
        }
        return p.getLongValue();
    }

    private int intOf(JsonParser p, String name) throws IOException, TraceFileException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw fail(lineNo, "field \"" + name + "\" must be a small integer");
        }
        return p.getIntValue();
    }

    private String strOf(JsonParser p, String name) throws IOException, TraceFileException {
        JsonToken tok = p.currentToken();
        if (tok == JsonToken.VALUE_STRING) return p.getText();
        if (tok == JsonToken.VALUE_NULL) return null;
        throw fail(lineNo, "field \"" + name + "\" must be a string");
    }

    private boolean boolOf(JsonParser p, String name) throws IOException, TraceFileException {
        JsonToken tok = p.currentToken();
        if (tok == JsonToken.VALUE_TRUE) return true;
        if (tok == JsonToken.VALUE_FALSE) return false;
        throw fail(lineNo, "field \"" + name + "\" must be true or false");
    }

    private static String textOfValue(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        JsonNode n = TREE.readTree(p);
        return n == null ? null : n.toString();
    }

    private TraceFileException fail(int line, String reason) {
        return new TraceFileException(file, line, reason);
    }

    private TraceFileException fail(int line, String reason, Throwable cause) {
        return new TraceFileException(file, line, reason, cause);
    }

}

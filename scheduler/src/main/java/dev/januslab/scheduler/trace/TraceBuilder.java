package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes canned traces fluently for tests and samples; seq and t are filled in:
 *
 * <pre>{@code
 * Trace t = new TraceBuilder()
 *     .runStart(2, "deterministic", 42)
 *     .on(0).nurseryOpen(0, -1, -1, 1).spawn(0, -1, 0, "main", 1).push(0, 0, "top").pop(0).run(0)
 *     .spawn(1, 0, 0, "fetch", 3).push(1, 0, "top")
 *     .on(1).steal(1, 0).run(1)
 *     .build();
 * }</pre>
 *
 * Each event happens on the current worker ({@link #on}, initially 0) at the current time,
 * which then advances by {@link #step} ns (1,000 by default); {@link #at} and
 * {@link #advance} move it explicitly. Enum-valued fields take their wire spelling.
 */
public final class TraceBuilder {
    private final List<TraceEvent> events = new ArrayList<>();
    private long t;
    private long step = 1000;
    private int w;
    private TraceHeader.Program program = new TraceHeader.Program("sample.jan", "");
    private TraceHeader.Config config = new TraceHeader.Config(1, Mode.DETERMINISTIC, 0, 1000, 8);
    private TraceHeader.Lesson lesson;
    private String created = "2026-01-01T00:00:00Z";

    public TraceBuilder program(String name, String source) {
        program = new TraceHeader.Program(name, source);
        return this;
    }

    public TraceBuilder config(int workers, String mode, long seed, int quantum, int stackKb) {
        config = new TraceHeader.Config(workers, enumOf(Mode.parse(mode), "mode", mode), seed, quantum, stackKb);
        return this;
    }

    public TraceBuilder lesson(String id, int step) {
        lesson = new TraceHeader.Lesson(id, step);
        return this;
    }

    /** The header's creation time (fixed by default, so built traces are byte-identical). */
    public TraceBuilder created(String iso) {
        created = iso;
        return this;
    }

    /** Following events happen on worker {@code w} (-1 = the runtime). */
    public TraceBuilder on(int w) {
        this.w = w;
        return this;
    }

    /** The next event happens at {@code t} ns. */
    public TraceBuilder at(long t) {
        this.t = t;
        return this;
    }

    public TraceBuilder advance(long ns) {
        t += ns;
        return this;
    }

    /** How far time moves after each event (ns). */
    public TraceBuilder step(long ns) {
        step = ns;
        return this;
    }

    /** The seq the next event will get. */
    public long nextSeq() {
        return events.size();
    }

    public long now() {
        return t;
    }

    /** Adds any event, built from the (seq, t, w) the builder assigns. */
    public TraceBuilder event(Function<long[], TraceEvent> make) {
        TraceEvent e = make.apply(new long[] {events.size(), t, w});
        events.add(e);
        t += step;
        return this;
    }

    private TraceBuilder add(TraceEvent e) {
        events.add(e);
        t += step;
        return this;
    }

    private long seq() {
        return events.size();
    }

    public TraceBuilder runStart(int workers, String mode, long seed) {
        Mode m = enumOf(Mode.parse(mode), "mode", mode);
        config = new TraceHeader.Config(workers, m, seed, config.quantum(), config.stackKb());
        return add(new RunStart(seq(), t, w, workers, m, seed));
    }

    public TraceBuilder park() { return add(new WorkerPark(seq(), t, w)); }
    public TraceBuilder unpark() { return add(new WorkerUnpark(seq(), t, w)); }

    public TraceBuilder nurseryOpen(int nursery, int owner, int parent, int line) {
        return add(new NurseryOpen(seq(), t, w, nursery, owner, parent, line));
    }

    public TraceBuilder spawn(int task, int parent, int nursery, String func, int line) {
        return add(new TaskSpawn(seq(), t, w, task, parent, nursery, func, line));
    }

    public TraceBuilder push(int task, int queue, String pos) {
        return add(new TaskPush(seq(), t, w, task, queue, enumOf(Pos.parse(pos), "pos", pos)));
    }

    public TraceBuilder pop(int task) { return add(new TaskPop(seq(), t, w, task)); }
    /** The current worker steals {@code task} from {@code victim}. */
    public TraceBuilder steal(int task, int victim) { return add(new TaskSteal(seq(), t, w, task, victim)); }
    public TraceBuilder run(int task) { return add(new TaskRun(seq(), t, w, task)); }

    public TraceBuilder yield(int task, String reason) {
        return add(new TaskYield(seq(), t, w, task, enumOf(YieldReason.parse(reason), "reason", reason)));
    }

    public TraceBuilder block(int task, String on, long target) {
        return add(new TaskBlock(seq(), t, w, task, enumOf(BlockOn.parse(on), "on", on), target));
    }

    public TraceBuilder wake(int task, int by) { return add(new TaskWake(seq(), t, w, task, by)); }

    public TraceBuilder cancelNursery(int nursery, String reason, int by) {
        return add(new CancelRequest(seq(), t, w, TargetKind.NURSERY, nursery,
                enumOf(CancelReason.parse(reason), "reason", reason), by));
    }

    public TraceBuilder cancelTask(int task, String reason, int by) {
        return add(new CancelRequest(seq(), t, w, TargetKind.TASK, task,
                enumOf(CancelReason.parse(reason), "reason", reason), by));
    }

    public TraceBuilder observe(int task, String how, int line) {
        return add(new CancelObserve(seq(), t, w, task, enumOf(CancelHow.parse(how), "how", how), line));
    }

    /** {@code text} is the value for outcome ok, the error otherwise (may be null). */
    public TraceBuilder done(int task, String outcome, String text, boolean cancelRequested) {
        Outcome o = enumOf(Outcome.parse(outcome), "outcome", outcome);
        return add(new TaskDone(seq(), t, w, task, o, o == Outcome.OK ? text : null, o == Outcome.OK ? null : text,
                cancelRequested));
    }

    public TraceBuilder ok(int task, String value) { return done(task, "ok", value, false); }

    public TraceBuilder join(int nursery) { return add(new NurseryJoin(seq(), t, w, nursery)); }

    public TraceBuilder close(int nursery, String outcome, String error) {
        return add(new NurseryClose(seq(), t, w, nursery, enumOf(Outcome.parse(outcome), "outcome", outcome), error));
    }

    public TraceBuilder print(int task, String text) { return add(new Print(seq(), t, w, task, text)); }
    public TraceBuilder line(int task, int line) { return add(new Line(seq(), t, w, task, line)); }

    public TraceBuilder error(int task, String error, int line, String trace) {
        return add(new TaskError(seq(), t, w, task, error, line, trace));
    }

    public TraceBuilder runEnd(String status, long dropped) {
        return add(new RunEnd(seq(), t, w, enumOf(RunStatus.parse(status), "status", status), dropped));
    }

    /** The events so far (a copy). */
    public List<TraceEvent> events() {
        return List.copyOf(events);
    }

    public TraceHeader header() {
        return new TraceHeader(TraceHeader.FORMAT, TraceHeader.VERSION, created, program, config, lesson);
    }

    public Trace build() {
        Trace trace = new Trace(header());
        trace.appendAll(events);
        return trace;
    }

    private static <E> E enumOf(E value, String field, String text) {
        if (value == null) throw new IllegalArgumentException("unknown " + field + " \"" + text + "\"");
        return value;
    }
}

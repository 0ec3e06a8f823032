package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.CancelHow;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Mode;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.Pos;
import dev.januslab.scheduler.trace.Wire.RunStatus;
import dev.januslab.scheduler.trace.Wire.TargetKind;
import dev.januslab.scheduler.trace.Wire.YieldReason;

/**
 * One scheduler event, exactly as TRACE.md §1 lists them: one record per kind, plus
 * {@link Unknown} for kinds a newer tool added (kept and written back, never folded).
 *
 * <p>Every event has {@code seq} (global order, gap-free from 0), {@code t} (ns since run
 * start, virtual in deterministic mode) and {@code w} (worker index, -1 for the runtime).
 * Ids are small non-negative integers; task 0 is {@code main}, nursery 0 the root nursery.
 * Optional strings ({@code value}, {@code error}) are null when absent.
 *
 * <p>Use {@link #accept(Visitor)} rather than instanceof chains: a new kind then fails to
 * compile everywhere it is not handled.
 */
public sealed interface TraceEvent {
    long seq();
    long t();
    int w();

    /** The wire name of this kind ({@code "task_spawn"}...). */
    String kind();

    <R> R accept(Visitor<R> v);

    /** One method per kind. */
    interface Visitor<R> {
        R runStart(RunStart e);
        R workerPark(WorkerPark e);
        R workerUnpark(WorkerUnpark e);
        R nurseryOpen(NurseryOpen e);
        R taskSpawn(TaskSpawn e);
        R taskPush(TaskPush e);
        R taskPop(TaskPop e);
        R taskSteal(TaskSteal e);
        R taskRun(TaskRun e);
        R taskYield(TaskYield e);
        R taskBlock(TaskBlock e);
        R taskWake(TaskWake e);
        R cancelRequest(CancelRequest e);
        R cancelObserve(CancelObserve e);
        R taskDone(TaskDone e);
        R nurseryJoin(NurseryJoin e);
        R nurseryClose(NurseryClose e);
        R print(Print e);
        R line(Line e);
        R taskError(TaskError e);
        R runEnd(RunEnd e);
        R unknown(Unknown e);
    }

    /** The display name of a task: {@code FUNC#ID}, e.g. {@code fetch#3}. */
    static String taskName(String func, int id) {
        return (func == null ? "task" : func) + "#" + id;
    }

    record RunStart(long seq, long t, int w, int workers, Mode mode, long seed) implements TraceEvent {
        public String kind() { return "run_start"; }
        public <R> R accept(Visitor<R> v) { return v.runStart(this); }
    }

    record WorkerPark(long seq, long t, int w) implements TraceEvent {
        public String kind() { return "worker_park"; }
        public <R> R accept(Visitor<R> v) { return v.workerPark(this); }
    }

    record WorkerUnpark(long seq, long t, int w) implements TraceEvent {
        public String kind() { return "worker_unpark"; }
        public <R> R accept(Visitor<R> v) { return v.workerUnpark(this); }
    }

    /** {@code owner} is a task (-1 for the root nursery), {@code parent} a nursery (-1 for the root). */
    record NurseryOpen(long seq, long t, int w, int nursery, int owner, int parent, int line) implements TraceEvent {
        public String kind() { return "nursery_open"; }
        public <R> R accept(Visitor<R> v) { return v.nurseryOpen(this); }
    }

    /** {@code parent} is the spawning task (-1 for main), {@code func} the function name. */
    record TaskSpawn(long seq, long t, int w, int task, int parent, int nursery, String func, int line) implements TraceEvent {
        public String kind() { return "task_spawn"; }
        public <R> R accept(Visitor<R> v) { return v.taskSpawn(this); }
        public String name() { return TraceEvent.taskName(func, task); }
    }

    /** {@code queue} is a worker index, or -1 for the shared inject queue. */
    record TaskPush(long seq, long t, int w, int task, int queue, Pos pos) implements TraceEvent {
        public String kind() { return "task_push"; }
        public <R> R accept(Visitor<R> v) { return v.taskPush(this); }
    }

    record TaskPop(long seq, long t, int w, int task) implements TraceEvent {
        public String kind() { return "task_pop"; }
        public <R> R accept(Visitor<R> v) { return v.taskPop(this); }
    }

    /** The thief is {@code w}. */
    record TaskSteal(long seq, long t, int w, int task, int victim) implements TraceEvent {
        public String kind() { return "task_steal"; }
        public <R> R accept(Visitor<R> v) { return v.taskSteal(this); }
        public int thief() { return w; }
    }

    record TaskRun(long seq, long t, int w, int task) implements TraceEvent {
        public String kind() { return "task_run"; }
        public <R> R accept(Visitor<R> v) { return v.taskRun(this); }
    }

    record TaskYield(long seq, long t, int w, int task, YieldReason reason) implements TraceEvent {
        public String kind() { return "task_yield"; }
        public <R> R accept(Visitor<R> v) { return v.taskYield(this); }
    }

    /** {@code target}: the awaited task, the joined nursery, or the wake time (ns) of a sleep. */
    record TaskBlock(long seq, long t, int w, int task, BlockOn on, long target) implements TraceEvent {
        public String kind() { return "task_block"; }
        public <R> R accept(Visitor<R> v) { return v.taskBlock(this); }
    }

    /** {@code by} is the waking task, or -1 for a timer or I/O. */
    record TaskWake(long seq, long t, int w, int task, int by) implements TraceEvent {
        public String kind() { return "task_wake"; }
        public <R> R accept(Visitor<R> v) { return v.taskWake(this); }
    }

    record CancelRequest(long seq, long t, int w, TargetKind targetKind, int target, CancelReason reason, int by) implements TraceEvent {
        public String kind() { return "cancel_request"; }
        public <R> R accept(Visitor<R> v) { return v.cancelRequest(this); }
    }

    record CancelObserve(long seq, long t, int w, int task, CancelHow how, int line) implements TraceEvent {
        public String kind() { return "cancel_observe"; }
        public <R> R accept(Visitor<R> v) { return v.cancelObserve(this); }
    }

    /** {@code value} (outcome ok) or {@code error} (otherwise) is the rendered string, or null. */
    record TaskDone(long seq, long t, int w, int task, Outcome outcome, String value, String error,
                    boolean cancelRequested) implements TraceEvent {
        public String kind() { return "task_done"; }
        public <R> R accept(Visitor<R> v) { return v.taskDone(this); }
    }

    record NurseryJoin(long seq, long t, int w, int nursery) implements TraceEvent {
        public String kind() { return "nursery_join"; }
        public <R> R accept(Visitor<R> v) { return v.nurseryJoin(this); }
    }

    record NurseryClose(long seq, long t, int w, int nursery, Outcome outcome, String error) implements TraceEvent {
        public String kind() { return "nursery_close"; }
        public <R> R accept(Visitor<R> v) { return v.nurseryClose(this); }
    }

    record Print(long seq, long t, int w, int task, String text) implements TraceEvent {
        public String kind() { return "print"; }
        public <R> R accept(Visitor<R> v) { return v.print(this); }
    }

    record Line(long seq, long t, int w, int task, int line) implements TraceEvent {
        public String kind() { return "line"; }
        public <R> R accept(Visitor<R> v) { return v.line(this); }
    }

    /** Kind {@code error}: an error escaped a task. {@code trace} is the rendered Janus stack, or null. */
    record TaskError(long seq, long t, int w, int task, String error, int line, String trace) implements TraceEvent {
        public String kind() { return "error"; }
        public <R> R accept(Visitor<R> v) { return v.taskError(this); }
    }

    record RunEnd(long seq, long t, int w, RunStatus status, long dropped) implements TraceEvent {
        public String kind() { return "run_end"; }
        public <R> R accept(Visitor<R> v) { return v.runEnd(this); }
    }

    /**
     * A kind this reader does not know. {@code fieldsJson} is the compact JSON object of
     * its other fields (everything but seq, t, w, k), written back unchanged.
     */
    record Unknown(long seq, long t, int w, String kind, String fieldsJson) implements TraceEvent {
        public <R> R accept(Visitor<R> v) { return v.unknown(this); }
    }
}

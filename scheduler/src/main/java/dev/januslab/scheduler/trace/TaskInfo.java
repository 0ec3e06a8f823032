package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.CancelHow;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.YieldReason;

import java.util.Objects;

/**
 * One task as folded up to some seq. Immutable to its readers: the folder changes only
 * fresh copies ({@link #copy()}) before storing them, so keyframes can share instances.
 */
public final class TaskInfo {
    /** {@link #queue()} when the task is in no queue. */
    public static final int NO_QUEUE = -2;
    /** {@link #queue()} for the shared inject queue. */
    public static final int INJECT = -1;

    final int id;
    final String func;
    final int parent;
    final int nursery;
    final int spawnLine;
    final long spawnSeq;

    TaskState state = TaskState.SPAWNED;
    int worker = -1;
    int queue = NO_QUEUE;
    BlockOn blockedOn;
    long blockTarget = -1;
    YieldReason yieldReason;
    int wokenBy = -1;
    int runs;
    int line;
    long cancelRequestSeq = -1;
    CancelReason cancelReason;
    long cancelObservedSeq = -1;
    CancelHow cancelHow;
    int cancelObservedLine = -1;
    boolean doneWithCancelRequested;
    Outcome outcome;
    String value;
    String error;
    IntChain nurseries = IntChain.EMPTY;
    /** The folder epoch allowed to change this instance in place; never one a snapshot can see. */
    Object epoch;

    TaskInfo(int id, String func, int parent, int nursery, int spawnLine, long spawnSeq) {
        this.id = id;
        this.func = func;
        this.parent = parent;
        this.nursery = nursery;
        this.spawnLine = spawnLine;
        this.spawnSeq = spawnSeq;
        this.line = spawnLine;
    }

    TaskInfo copy() {
        TaskInfo c = new TaskInfo(id, func, parent, nursery, spawnLine, spawnSeq);
        c.state = state;
        c.worker = worker;
        c.queue = queue;
        c.blockedOn = blockedOn;
        c.blockTarget = blockTarget;
        c.yieldReason = yieldReason;
        c.wokenBy = wokenBy;
        c.runs = runs;
        c.line = line;
        c.cancelRequestSeq = cancelRequestSeq;
        c.cancelReason = cancelReason;
        c.cancelObservedSeq = cancelObservedSeq;
        c.cancelHow = cancelHow;
        c.cancelObservedLine = cancelObservedLine;
        c.doneWithCancelRequested = doneWithCancelRequested;
        c.outcome = outcome;
        c.value = value;
        c.error = error;
        c.nurseries = nurseries;
        return c;
    }

    public int id() { return id; }
    /** The function the task runs (from task_spawn). */
    public String func() { return func; }
    /** {@code FUNC#ID}, e.g. {@code fetch#3}. */
    public String name() { return TraceEvent.taskName(func, id); }
    /** The spawning task, -1 for main. */
    public int parent() { return parent; }
    /** The nursery the task belongs to. */
    public int nursery() { return nursery; }
    public int spawnLine() { return spawnLine; }
    public long spawnSeq() { return spawnSeq; }
    public TaskState state() { return state; }
    /** The worker running it (RUNNING) or that last ran/popped/stole it; -1 if none yet. */
    public int worker() { return worker; }
    /** The queue it sits in: a worker index, {@link #INJECT}, or {@link #NO_QUEUE}. */
    public int queue() { return queue; }
    /** What it waits on when BLOCKED, else null. */
    public BlockOn blockedOn() { return blockedOn; }
    /** The awaited task, joined nursery or wake time when BLOCKED, else -1. */
    public long blockTarget() { return blockTarget; }
    /** Why it last yielded, or null. */
    public YieldReason yieldReason() { return yieldReason; }
    /** Who last woke it: a task id, or -1 for a timer/io (or never woken). */
    public int wokenBy() { return wokenBy; }
    /** How many times it has been switched in (task_run). */
    public int runs() { return runs; }
    public boolean hasRun() { return runs > 0; }
    /** The last source line known for it (spawn line, then line / cancel_observe events). */
    public int line() { return line; }

    /** Whether cancellation was requested for this task itself (or its task_done says so). */
    public boolean cancelRequested() { return cancelRequestSeq >= 0 || doneWithCancelRequested; }
    /** The seq of the first cancel_request aimed at this task, or -1. */
    public long cancelRequestSeq() { return cancelRequestSeq; }
    public CancelReason cancelReason() { return cancelReason; }
    public boolean cancelObserved() { return cancelObservedSeq >= 0; }
    public long cancelObservedSeq() { return cancelObservedSeq; }
    public CancelHow cancelHow() { return cancelHow; }
    /** The line where it observed cancellation, or -1. */
    public int cancelObservedLine() { return cancelObservedLine; }

    public boolean isDone() { return state == TaskState.DONE; }
    /** The outcome once DONE, else null. */
    public Outcome outcome() { return outcome; }
    /** The rendered return value (outcome ok), or null. */
    public String value() { return value; }
    /** The rendered error (outcome error/cancelled), or null. */
    public String error() { return error; }
    /** Nurseries this task opened, oldest first. */
    public TaskIds ownedNurseries() { return TaskIds.wrap(nurseries.toArray()); }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof TaskInfo t)) return false;
        return id == t.id && parent == t.parent && nursery == t.nursery && spawnLine == t.spawnLine
                && spawnSeq == t.spawnSeq && state == t.state && worker == t.worker && queue == t.queue
                && blockedOn == t.blockedOn && blockTarget == t.blockTarget && yieldReason == t.yieldReason
                && wokenBy == t.wokenBy && runs == t.runs && line == t.line
                && cancelRequestSeq == t.cancelRequestSeq && cancelReason == t.cancelReason
                && cancelObservedSeq == t.cancelObservedSeq && cancelHow == t.cancelHow
                && cancelObservedLine == t.cancelObservedLine
                && doneWithCancelRequested == t.doneWithCancelRequested && outcome == t.outcome
                && Objects.equals(func, t.func) && Objects.equals(value, t.value)
                && Objects.equals(error, t.error) && nurseries.equals(t.nurseries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, state, worker, queue, runs, line, outcome);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append(' ').append(state);
        if (state == TaskState.BLOCKED) sb.append(" on ").append(blockedOn).append(' ').append(blockTarget);
        if (queue != NO_QUEUE) sb.append(" queue ").append(queue == INJECT ? "inject" : "W" + queue);
        if (state == TaskState.RUNNING) sb.append(" on W").append(worker);
        if (cancelRequested()) sb.append(cancelObserved() ? " cancel-observed@" + cancelObservedLine : " cancel-requested");
        if (outcome != null) sb.append(' ').append(outcome).append(value != null ? " " + value : "")
                .append(error != null ? " " + error : "");
        return sb.toString();
    }
}

package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Outcome;

import java.util.Objects;

/** One nursery as folded up to some seq; immutable to readers (see {@link TaskInfo}). */
public final class NurseryInfo {
    public enum Status { OPEN, JOINING, CLOSED }

    final int id;
    final int owner;
    final int parent;
    final int line;
    final long openSeq;

    Status status = Status.OPEN;
    Outcome outcome;
    String error;
    IntChain children = IntChain.EMPTY;
    IntChain nurseries = IntChain.EMPTY;
    int liveChildren;
    long cancelRequestSeq = -1;
    CancelReason cancelReason;
    int cancelBy = -1;
    String firstChildError;
    /** The folder epoch allowed to change this instance in place (see {@link TaskInfo}). */
    Object epoch;

    NurseryInfo(int id, int owner, int parent, int line, long openSeq) {
        this.id = id;
        this.owner = owner;
        this.parent = parent;
        this.line = line;
        this.openSeq = openSeq;
    }

    NurseryInfo copy() {
        NurseryInfo c = new NurseryInfo(id, owner, parent, line, openSeq);
        c.status = status;
        c.outcome = outcome;
        c.error = error;
        c.children = children;
        c.nurseries = nurseries;
        c.liveChildren = liveChildren;
        c.cancelRequestSeq = cancelRequestSeq;
        c.cancelReason = cancelReason;
        c.cancelBy = cancelBy;
        c.firstChildError = firstChildError;
        return c;
    }

    public int id() { return id; }
    /** The task whose code opened it, -1 for the root nursery. */
    public int owner() { return owner; }
    /** The enclosing nursery, -1 for the root. */
    public int parent() { return parent; }
    public int line() { return line; }
    public long openSeq() { return openSeq; }
    public Status status() { return status; }
    /** The outcome once CLOSED, else null. */
    public Outcome outcome() { return outcome; }
    /** The error it closed with, or null. */
    public String error() { return error; }
    /** Tasks spawned into it, in spawn order (finished ones included). */
    public TaskIds children() { return TaskIds.wrap(children.toArray()); }
    public int childCount() { return children.size(); }
    /** Nurseries opened directly inside it, in open order. */
    public TaskIds childNurseries() { return TaskIds.wrap(nurseries.toArray()); }
    /** Children not yet done: what its {@code end} waits for. */
    public int liveChildren() { return liveChildren; }
    public boolean cancelRequested() { return cancelRequestSeq >= 0; }
    public long cancelRequestSeq() { return cancelRequestSeq; }
    public CancelReason cancelReason() { return cancelReason; }
    /** The task that requested the cancellation, or -1. */
    public int cancelBy() { return cancelBy; }
    /** The first error (not Cancelled) a child finished with: what the nursery will raise. */
    public String firstChildError() { return firstChildError; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NurseryInfo n)) return false;
        return id == n.id && owner == n.owner && parent == n.parent && line == n.line && openSeq == n.openSeq
                && status == n.status && outcome == n.outcome && Objects.equals(error, n.error)
                && children.equals(n.children) && nurseries.equals(n.nurseries)
                && liveChildren == n.liveChildren && cancelRequestSeq == n.cancelRequestSeq
                && cancelReason == n.cancelReason && cancelBy == n.cancelBy
                && Objects.equals(firstChildError, n.firstChildError);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, status, liveChildren, children.size());
    }

    @Override
    public String toString() {
        return "nursery " + id + " " + status + " owner " + owner + " children " + children
                + (cancelRequested() ? " cancelled(" + cancelReason + ")" : "")
                + (outcome != null ? " " + outcome + (error != null ? " " + error : "") : "");
    }
}

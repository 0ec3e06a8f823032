package dev.januslab.app.model;

import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.CancelHow;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.Pos;
import dev.januslab.scheduler.trace.Wire.TargetKind;
import dev.januslab.scheduler.trace.Wire.YieldReason;

/**
 * One plain sentence per event saying what happened and why, for the narration bar
 * ("W1 had nothing to run, so it stole fetch#7 from the far end of W0's deque").
 * Reads the shared {@link SchedulerState} right after the event.
 */
public final class Narrator {
    private Narrator() {}

    public static String worker(int w) {
        return w < 0 ? "the runtime" : "W" + w;
    }

    public static String sentence(TraceEvent e, SchedulerState s) {
        String w = worker(e.w());
        if (e instanceof RunStart r) {
            return "The run starts with " + r.workers() + " worker" + (r.workers() == 1 ? "" : "s") + " in "
                    + (r.mode() == null ? "?" : r.mode().wire()) + " mode (seed " + r.seed() + ").";
        }
        if (e instanceof WorkerPark) return w + " found no task anywhere, so it parks (sleeps) until work arrives.";
        if (e instanceof WorkerUnpark) return w + " wakes up: there may be work to take.";
        if (e instanceof NurseryOpen n) {
            return n.owner() < 0
                    ? "The root nursery opens: every task of the run will live inside it."
                    : s.taskName(n.owner()) + " opens nursery " + n.nursery() + " at line " + n.line()
                      + "; its end will wait for every task started inside it.";
        }
        if (e instanceof TaskSpawn sp) {
            String task = s.taskName(sp.task());
            return sp.parent() < 0
                    ? task + " is created: the program starts."
                    : s.taskName(sp.parent()) + " spawns " + task + " at line " + sp.line() + " into nursery " + sp.nursery() + ".";
        }
        if (e instanceof TaskPush p) {
            String task = s.taskName(p.task());
            return p.queue() < 0
                    ? task + " goes to the shared inject queue, where any worker can pick it up."
                    : p.pos() == Pos.TOP
                      ? task + " is pushed on top of W" + p.queue() + "'s deque: new and woken tasks go on top (LIFO)."
                      : task + " goes to the far end of W" + p.queue() + "'s deque (the back of the line).";
        }
        if (e instanceof TaskPop p) return w + " takes " + s.taskName(p.task()) + " from its own deque.";
        if (e instanceof TaskSteal st) {
            return w + " had nothing to run, so it stole " + s.taskName(st.task()) + " from the far end of W"
                    + st.victim() + "'s deque.";
        }
        if (e instanceof TaskRun r) return w + " switches to " + s.taskName(r.task()) + " and runs it.";
        if (e instanceof TaskYield y) {
            String task = s.taskName(y.task());
            return y.reason() == YieldReason.BUDGET
                    ? task + " used up its quantum, so " + w + " puts it back in line to be fair to others."
                    : task + " yields, giving " + w + " to others.";
        }
        if (e instanceof TaskBlock b) {
            String task = s.taskName(b.task());
            if (b.on() == null) return task + " waits; " + w + " runs something else.";
            switch (b.on()) {
                case SLEEP: return task + " sleeps; " + w + " is free to run other tasks meanwhile.";
                case JOIN: return task + " reached the nursery's end and waits for its children ("
                        + liveChildren(s, (int) b.target()) + " still running).";
                case AWAIT: return task + " awaits " + s.taskName((int) b.target()) + " and gives up " + w + ".";
                default: return task + " waits for I/O; " + w + " runs something else.";
            }
        }
        if (e instanceof TaskWake wk) {
            String task = s.taskName(wk.task());
            return wk.by() < 0
                    ? task + "'s timer fired: it is ready to run again."
                    : s.taskName(wk.by()) + " finished, which wakes " + task + ".";
        }
        if (e instanceof CancelRequest c) {
            return (c.targetKind() == TargetKind.NURSERY ? "Nursery " + c.target() : s.taskName(c.target()))
                    + " is cancelled (" + reason(c.reason(), s, c.by())
                    + "): every task inside gets a request — cancellation is a request, not a command.";
        }
        if (e instanceof CancelObserve o) {
            String task = s.taskName(o.task());
            return o.how() == CancelHow.POLL
                    ? task + " checked is_cancelled() at line " + o.line() + " and saw the request."
                    : task + " reached a checkpoint at line " + o.line() + " and observed the cancellation.";
        }
        if (e instanceof TaskDone d) {
            String task = s.taskName(d.task());
            if (d.outcome() == Outcome.ERROR) return task + " failed with " + d.error() + "; the error goes up to its nursery.";
            if (d.outcome() == Outcome.CANCELLED) return task + " ended as cancelled.";
            String v = d.value() == null ? "" : d.value();
            return task + " finished" + (d.cancelRequested() ? " (it returned normally despite the cancel request)" : "")
                    + (v.isEmpty() || v.equals("nil") ? "." : " and returned " + v + ".");
        }
        if (e instanceof NurseryJoin j) {
            return "Nursery " + j.nursery() + " reached its end: its owner now waits for "
                    + liveChildren(s, j.nursery()) + " child task(s).";
        }
        if (e instanceof NurseryClose c) {
            return "Nursery " + c.nursery() + " closes"
                    + (c.outcome() == Outcome.ERROR ? " with error " + c.error() + ", raised in its owner."
                    : c.outcome() == Outcome.CANCELLED ? " after all its cancelled children finished." : ": all its children are done.");
        }
        if (e instanceof Print p) return s.taskName(p.task()) + " prints \"" + (p.text() == null ? "" : p.text().strip()) + "\".";
        if (e instanceof Line l) return s.taskName(l.task()) + " reaches line " + l.line() + ".";
        if (e instanceof TaskError er) {
            EscapedError x = EscapedError.of(er);
            return s.taskName(er.task()) + " fails: " + x.error() + " escapes it"
                    + (x.line() > 0 ? " at line " + x.line() : "")
                    + (x.raisedElsewhere() ? " (raised at line " + x.raisedAt() + ")" : "")
                    + (x.message() != null ? " — " + x.message() : "") + ".";
        }
        if (e instanceof RunEnd r) {
            return "The run ends: " + (r.status() == null ? "?" : r.status().wire())
                    + (r.dropped() > 0 ? " (" + r.dropped() + " events were dropped)." : ".");
        }
        return "Event " + e.kind() + ".";
    }

    private static String reason(CancelReason reason, SchedulerState s, int by) {
        if (reason == CancelReason.FAILURE) return "because " + s.taskName(by) + " failed";
        if (reason == CancelReason.PARENT) return "because its parent was cancelled";
        return "explicitly, by " + s.taskName(by);
    }

    private static int liveChildren(SchedulerState s, int nursery) {
        return s.waitingFor(nursery).size();
    }
}

package dev.januslab.app.model;

import dev.januslab.scheduler.trace.TaskInfo;
import dev.januslab.scheduler.trace.TaskState;
import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.Outcome;

/**
 * How the app draws a task of the shared trace model: every look has a glyph as well as a
 * colour (style class), so no view relies on colour alone (issue 5). A view-only mapping of
 * {@link TaskInfo#state()} (plus outcome and what it blocks on), not a second model.
 */
public enum TaskLook {
    NEW("○", "not started"),
    QUEUED("◆", "queued"),
    READY("◇", "ready to run"),
    RUNNING("▶", "running"),
    BLOCKED("‖", "waiting"),
    SLEEPING("◔", "sleeping"),
    DONE("✔", "done"),
    FAILED("✖", "failed"),
    CANCELLED("⊘", "cancelled");

    public final String glyph;
    public final String label;

    TaskLook(String glyph, String label) {
        this.glyph = glyph;
        this.label = label;
    }

    public static TaskLook of(TaskInfo t) {
        TaskState s = t.state();
        return switch (s) {
            case SPAWNED -> NEW;
            case QUEUED -> QUEUED;
            case RUNNING -> RUNNING;
            case YIELDED, RUNNABLE -> READY;
            case BLOCKED -> t.blockedOn() == BlockOn.SLEEP ? SLEEPING : BLOCKED;
            case DONE -> t.outcome() == Outcome.ERROR ? FAILED : t.outcome() == Outcome.CANCELLED ? CANCELLED : DONE;
        };
    }

    public boolean finished() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    /** The look's CSS pseudo-class name: {@code state-running}. */
    public String styleClass() {
        return "state-" + name().toLowerCase();
    }

    /** "observed at line N" / "still running — no checkpoint yet" / "" (TRACE.md, issue 5). */
    public static String cancelStatus(TaskInfo t) {
        if (!t.cancelRequested()) return "";
        if (t.cancelObserved() && t.cancelObservedLine() >= 0) return "observed at line " + t.cancelObservedLine();
        TaskLook look = of(t);
        if (look == CANCELLED && !t.hasRun()) return "cancelled before it ran";
        if (look == CANCELLED) return "cancelled";
        if (look.finished()) return "finished without observing it";
        if (look == RUNNING) return "still running — no checkpoint yet";
        return "requested";
    }
}

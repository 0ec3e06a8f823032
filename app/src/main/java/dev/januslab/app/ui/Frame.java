package dev.januslab.app.ui;

import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;

/**
 * What every view draws in one frame: the trace, the state at the cursor, the cursor
 * itself and the shared selection. {@code previousSeq} lets views animate a single step
 * forward (a steal arrow, a spawn entering a deque) and stay still on jumps.
 */
public record Frame(Trace recording, SchedulerState state, long seq, long previousSeq, int selectedTask,
                    double fontSize) {
    /** The event at the cursor, or null before the first event. */
    public TraceEvent event() {
        return seq >= 0 && seq < recording.size() ? recording.get(seq) : null;
    }

    /** True when the cursor moved forward by a few events: small enough to animate. */
    public boolean steppedForward() {
        return previousSeq >= -1 && seq > previousSeq && seq - previousSeq <= 8;
    }
}

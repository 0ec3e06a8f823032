package dev.januslab.app.session;

import dev.januslab.scheduler.trace.Trace;

/**
 * One run as the app drives it: events arrive on a thread of the session's own and are
 * appended to {@link #recording()}; the UI only reads that trace, so the FX thread never
 * waits on a run. {@link NativeRunSession} runs a compiled program on the native scheduler.
 */
public interface RunSession {
    enum Status { RUNNING, PAUSED, FINISHED, STOPPED, FAILED }

    /** The events so far; ends with run_end once the run has ended. */
    Trace recording();

    Status status();

    /** Starts producing events (once). */
    void start();

    /** Workers stop at their next scheduling point; no event is released until resume/step. */
    void pause();

    void resume();

    /** While paused: release exactly one scheduler event. */
    void step();

    /**
     * Paces the run: the workers may make at most {@code eventsPerSecond} scheduler events
     * per second (the run stays paused between released events), so a student can watch a
     * live run unfold; {@code Double.POSITIVE_INFINITY} lets it run at full speed. May be
     * called before {@link #start()} and at any time during the run.
     */
    default void setPace(double eventsPerSecond) {
    }

    /** Cancels everything and tears the run down; returns within 100 ms. */
    void stop();

    /** Events lost to full rings in a live run (from run_end; 0 in deterministic mode). */
    long droppedEvents();

    /** Shown in the status bar: what this session really is. */
    String description();

    /** The failure that ended the run (a native failure shown in a dialog), or null. */
    default String failure() {
        return null;
    }
}

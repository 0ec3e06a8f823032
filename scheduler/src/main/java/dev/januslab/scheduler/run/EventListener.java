package dev.januslab.scheduler.run;

import dev.januslab.scheduler.nativert.EventRecords;
import dev.januslab.scheduler.trace.TraceEvent;

/**
 * A live consumer of a run's events (the console, the app's views, the CLI's output).
 * Called on the {@link EventPump}'s thread, in seq order, after the event was appended to
 * the run's trace (if it keeps one). Must be quick: a slow listener slows the drain, and
 * in deterministic mode the whole run waits for the drain.
 */
public interface EventListener {
    /** Every kind. */
    long ALL_KINDS = -1L;

    /**
     * The kinds this listener wants, a bit per native kind code ({@link #kinds(String...)}).
     * When the run keeps no trace, records of other kinds are not even decoded.
     */
    default long kinds() {
        return ALL_KINDS;
    }

    void onEvent(TraceEvent e);

    /** After each drained batch (flush buffered output here). */
    default void onBatchEnd() {}

    /** Once, after the last event (run_end) or when the pump gives up. */
    default void onEnd() {}

    /** The mask of the named wire kinds ({@code "print"}, {@code "error"}, ...). */
    static long kinds(String... wireNames) {
        long mask = 0;
        for (String k : wireNames) {
            int code = EventRecords.kindCode(k);
            if (code < 0) throw new IllegalArgumentException("no event kind " + k);
            mask |= 1L << code;
        }
        return mask;
    }
}

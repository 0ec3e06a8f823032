package dev.januslab.app.ui;

import dev.januslab.app.session.RunSession;
import dev.januslab.scheduler.trace.Trace;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The one cursor and the one selection that every view observes (issue 5: "one cursor").
 * Only the FX thread touches these properties; sessions feed events into the recording.
 */
public final class LabModel {
    /** Playback speeds in events per second, chosen with +/−. */
    public static final double[] SPEEDS = {1, 2, 4, 8, 15, 30, 60, 120, 250, 500, 1000, 2500, 5000, 10000, 50000};

    public final ObjectProperty<Trace> recording = new SimpleObjectProperty<>();
    public final ObjectProperty<RunSession> session = new SimpleObjectProperty<>();
    /** The event the views show: the state right after it (-1: before the first event). */
    public final LongProperty cursor = new SimpleLongProperty(-1);
    public final IntegerProperty selectedTask = new SimpleIntegerProperty(-1);
    /** Follow the newest event of a live run. */
    public final BooleanProperty follow = new SimpleBooleanProperty(true);
    /** Replaying a finished recording (cursor moves by itself at {@link #speedIndex}). */
    public final BooleanProperty playing = new SimpleBooleanProperty(false);
    public final IntegerProperty speedIndex = new SimpleIntegerProperty(5);
    public final DoubleProperty fontSize = new SimpleDoubleProperty(15);

    public double eventsPerSecond() {
        return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, speedIndex.get()))];
    }

    public void select(int task) {
        selectedTask.set(task);
    }

    /** Moves the cursor, clamped to the recording; stops following the live head when moved back. */
    public void seek(long seq) {
        Trace r = recording.get();
        if (r == null) return;
        long clamped = Math.max(-1, Math.min(r.size() - 1L, seq));
        follow.set(clamped == r.size() - 1L);
        cursor.set(clamped);
    }

    public void stepBy(int delta) {
        seek(cursor.get() + delta);
    }
}

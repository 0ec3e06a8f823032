package dev.januslab.app.ui;

import dev.januslab.app.session.RunSession;
import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongBinaryOperator;
import java.util.function.LongConsumer;
import javafx.animation.AnimationTimer;

/**
 * Renders every view at most once per frame. Each pulse it (1) moves the cursor to the live
 * head when following a run, or advances it at the playback speed when replaying, then (2)
 * if anything changed, folds the state to the cursor — forward incrementally, backward from
 * the nearest keyframe — and hands one {@link Frame} to every view. Nothing here blocks:
 * the recording is read without waiting for the thread that appends to it.
 */
public final class FrameLoop extends AnimationTimer {
    private final LabModel model;
    private final List<LabView> views = new ArrayList<>();
    private final List<Runnable> afterRender = new ArrayList<>();
    private SchedulerState state;
    private Trace stateOf;
    private long lastSeq = -1;
    private int lastSelected = Integer.MIN_VALUE;
    private double lastFont;
    private long lastPulse;
    private double playCredit;
    private boolean dirty = true;
    /** The current run's end has been seen (the cursor snapped to it if following). */
    private boolean endSeen;
    /** The session status the last frame showed: a change alone (a run that has just finished) redraws. */
    private RunSession.Status shownStatus;
    private LongConsumer frameTimeProbe;
    private java.util.function.ObjLongConsumer<LabView> viewTimeProbe;
    /** When the latest pulse reached this loop (System.nanoTime), for benchmarks timing CSS and layout after it. */
    private long pulseStartNanos;
    /** What the views show before anything has run (a new lesson's program): no events, the toolbar's workers. */
    private Trace idleTrace = new Trace(TraceHeader.of(new TraceHeader.Program("", ""),
            dev.januslab.scheduler.run.RunConfig.defaults().headerConfig(), null));

    public FrameLoop(LabModel model) {
        this.model = model;
        model.cursor.addListener((o, a, b) -> dirty = true);
        model.selectedTask.addListener((o, a, b) -> dirty = true);
        model.recording.addListener((o, a, b) -> {
            state = null;
            lastSeq = Long.MIN_VALUE / 2; // a new recording: nothing to animate on its first frame
            endSeen = false;
            dirty = true;
            drawNextPulse = true;
        });
    }

    /**
     * Where playback must stop on its way from one seq to a later one (lesson mode: the
     * scripted steps, so each narration is read before the run moves on): a seq in
     * (from, to], or -1 to go on.
     */
    public void setPlaybackStop(LongBinaryOperator stopBetween) {
        this.playbackStop = stopBetween;
    }

    private LongBinaryOperator playbackStop = (from, to) -> -1;

    private long playTo(long from, long to) {
        long stop = playbackStop.applyAsLong(from, to);
        if (stop < 0 || stop > to || stop <= from) return to;
        model.playing.set(false);
        return stop;
    }

    public void add(LabView view) {
        views.add(view);
    }

    private final List<Runnable> everyPulse = new ArrayList<>();

    /** Runs on every pulse before rendering (lesson mode: a pending Next step waits for the run). */
    public void onPulse(Runnable r) {
        everyPulse.add(r);
    }

    /** Runs after each rendered frame (status bar, editor line highlight). */
    public void onRendered(Runnable r) {
        afterRender.add(r);
    }

    public void setIdleTrace(Trace idle) {
        this.idleTrace = idle;
        dirty = true;
    }

    public void invalidate() {
        dirty = true;
    }

    /** Benchmarks: receives the nanoseconds each rendered frame took. */
    public void setFrameTimeProbe(LongConsumer probe) {
        this.frameTimeProbe = probe;
    }

    /** Benchmarks: receives, per rendered frame, each view and the nanoseconds its render took. */
    public void setViewTimeProbe(java.util.function.ObjLongConsumer<LabView> probe) {
        this.viewTimeProbe = probe;
    }

    /** System.nanoTime when the latest pulse started this loop's work (benchmarks). */
    public long pulseStartNanos() {
        return pulseStartNanos;
    }

    /** The trace the views show: the recording, or the idle trace while nothing has run. */
    public Trace shownTrace() {
        return stateOf != null ? stateOf : idleTrace;
    }

    public SchedulerState state() {
        return state;
    }

    /** True once the trace holds its run_end (a finished run or a complete file). */
    public static boolean complete(Trace t) {
        long n = t.size();
        return n > 0 && t.get(n - 1) instanceof TraceEvent.RunEnd;
    }

    @Override
    public void handle(long now) {
        pulseStartNanos = System.nanoTime();
        // Playback advances by at most MAX_STEP_S of run time per pulse: after a slow frame
        // the replay goes on at its speed instead of jumping ahead, and a big jump would only
        // make the next frame slow too (more events to fold and draw).
        double dt = lastPulse == 0 ? 0 : Math.min(MAX_STEP_S, (now - lastPulse) / 1e9);
        lastPulse = now;
        Trace rec = model.recording.get();
        if (rec == null) {
            if (drawNextPulse) drawNextPulse = false; // (see below)
            else if (dirty) renderNow(); // nothing has run: the views show the idle trace's empty state
            else runOneIdleTask();
            return;
        }
        RunSession session = model.session.get();
        boolean live = session != null && !complete(rec);
        if (session != null && !live && !endSeen) {
            // the run just ended: a following cursor lands on run_end at once (not at replay speed)
            endSeen = true;
            dirty = true; // the scrubber, the step count and the status bar must show the whole run
            if (model.follow.get()) {
                model.cursor.set(rec.size() - 1L);
                model.playing.set(false);
            }
        }
        if (model.playing.get()) {
            if (live && model.follow.get()) {
                if (model.cursor.get() != rec.size() - 1L) model.cursor.set(rec.size() - 1L);
            } else if (live) {
                // lesson mode: playing through a run that is still being recorded, at the playback speed
                playCredit += dt * model.eventsPerSecond();
                int n = (int) playCredit;
                playCredit -= n;
                if (n > 0) model.cursor.set(playTo(model.cursor.get(), Math.min(rec.size() - 1L, model.cursor.get() + n)));
            } else {
                playCredit += dt * model.eventsPerSecond();
                int n = (int) playCredit;
                playCredit -= n;
                if (n > 0) {
                    long next = playTo(model.cursor.get(), Math.min(rec.size() - 1L, model.cursor.get() + n));
                    model.cursor.set(next);
                    if (next >= rec.size() - 1L) model.playing.set(false);
                }
            }
        } else if (live && model.follow.get() && model.cursor.get() != rec.size() - 1L) {
            model.cursor.set(rec.size() - 1L); // paused live run: Step released an event
        }
        for (Runnable r : everyPulse) r.run();
        // The session says FINISHED only once its pump is done, a moment after run_end is in
        // the recording: the frame that showed run_end may still have said "running".
        RunSession.Status status = session == null ? null : session.status();
        if (status != shownStatus) {
            shownStatus = status;
            dirty = true;
        }
        if (live && !model.follow.get() && now - lastLiveRefresh > 250_000_000L) {
            lastLiveRefresh = now; // a run recorded in the background: keep the scrubber and status current
            dirty = true;
        }
        if (drawNextPulse) {
            // A new recording is drawn on the pulse after the one that notices it. This pulse
            // lays out what changed with it outside the views (an opened trace puts its program
            // in the editor, a banner, its settings on the toolbar); the views' first frame of
            // it (new lanes, tree rows, the timeline) and its CSS and layout come next pulse.
            // Both are first-time work: stacked in one pulse they froze the window for a
            // quarter of a second while a trace opened.
            drawNextPulse = false;
            return;
        }
        if (dirty || model.fontSize.get() != lastFont) renderNow();
        else runOneIdleTask();
    }

    /** The recording changed (or went) since the last pulse: the views draw it from the next one (see {@link #handle}). */
    private boolean drawNextPulse;
    private final java.util.ArrayDeque<Runnable> whenIdle = new java.util.ArrayDeque<>();

    /**
     * Runs {@code task} on a later pulse that draws nothing, one such task per pulse: work
     * that must be done once but not at any particular moment (a hidden view joining the
     * window) then adds its CSS and layout to a quiet frame, not to one that shows something
     * new, such as the first frames of an opened recording.
     */
    public void runWhenIdle(Runnable task) {
        whenIdle.add(task);
    }

    /** As {@link #runWhenIdle}, ahead of the tasks already waiting (work the user is looking at). */
    public void runWhenIdleFirst(Runnable task) {
        whenIdle.addFirst(task);
    }

    private void runOneIdleTask() {
        // not while the window's first frame is being painted: the second pulse waits for the
        // render thread to finish it (all of the window, ~90 ms under a software renderer),
        // and idle work stacked on that wait made the window's longest pulse (bench-gui)
        if (quietPulses < FIRST_PAINT_PULSES) {
            quietPulses++;
            return;
        }
        Runnable task = whenIdle.poll();
        if (task != null) task.run();
    }

    /** Quiet pulses seen since the loop started (up to FIRST_PAINT_PULSES); idle work waits for the first few. */
    private int quietPulses;
    static final int FIRST_PAINT_PULSES = 2;

    private long lastLiveRefresh;
    /** The longest stretch of playback one pulse may cover, in seconds (a 20 fps step). */
    static final double MAX_STEP_S = 0.05;

    /** Folds to the cursor and draws every view once. Also used by tests and `render`. */
    public void renderNow() {
        long t0 = System.nanoTime();
        dirty = false;
        Trace rec = model.recording.get();
        if (rec == null) rec = idleTrace;
        long seq = Math.min(model.cursor.get(), rec.size() - 1L);
        // Trace.stateAt folds forward from its last answer or the nearest keyframe.
        if (state == null || stateOf != rec || state.seq() != seq) {
            state = rec.stateAt(seq);
            stateOf = rec;
        }
        long prev = lastSeq;
        lastSeq = seq;
        lastSelected = model.selectedTask.get();
        lastFont = model.fontSize.get();
        Frame f = new Frame(rec, state, seq, prev, lastSelected, lastFont);
        if (viewTimeProbe == null) {
            for (LabView v : views) v.render(f);
        } else {
            for (LabView v : views) {
                long v0 = System.nanoTime();
                v.render(f);
                viewTimeProbe.accept(v, System.nanoTime() - v0);
            }
        }
        for (Runnable r : afterRender) r.run();
        if (frameTimeProbe != null) frameTimeProbe.accept(System.nanoTime() - t0);
    }
}

package dev.januslab.app.session;

import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.scheduler.nativert.NativeLoadException;
import dev.januslab.scheduler.run.Run;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire.Mode;

/**
 * A run of a compiled program on the native scheduler ({@link Run}): its {@code EventPump}
 * appends every event to {@link #recording()} on the pump's thread while the views follow
 * the trace on the FX thread. Pause/Step/Resume/Stop are the Run's own controls. A failure
 * to load libjanusrt or to start the program ends the session as {@link Status#FAILED}
 * with {@link #failure()} for the dialog.
 */
public final class NativeRunSession implements RunSession {
    private final String name;
    private final BytecodeModule module;
    private final dev.januslab.scheduler.run.RunConfig config;
    private final Trace trace;
    private volatile Run run;
    private volatile String failure;
    private volatile boolean stopped;
    private boolean started;
    /** Events per second the workers may make; infinite: full speed (see {@link #setPace}). */
    private volatile double pace = Double.POSITIVE_INFINITY;
    /** The student paused (Space / Pause): the pacer releases nothing until resume. */
    private volatile boolean userPaused;

    public NativeRunSession(String name, String source, BytecodeModule module, RunConfig cfg) {
        this.name = name;
        this.module = module;
        this.config = toNative(cfg);
        this.trace = Run.newTrace(name, source, config);
    }

    /** The toolbar's settings as the runtime's config (other fields: the runtime's defaults). */
    public static dev.januslab.scheduler.run.RunConfig toNative(RunConfig c) {
        return dev.januslab.scheduler.run.RunConfig.defaults()
                .withWorkers(c.workers())
                .withMode(c.deterministic() ? Mode.DETERMINISTIC : Mode.LIVE)
                .withSeed(c.seed())
                .withQuantum(c.quantum())
                .withRingKb(dev.januslab.scheduler.run.RunConfig.KEPT_RUN_RING_KB);
    }

    public dev.januslab.scheduler.run.RunConfig nativeConfig() {
        return config;
    }

    @Override
    public Trace recording() {
        return trace;
    }

    @Override
    public synchronized void start() {
        if (started) return;
        started = true;
        try {
            // a paced run starts paused, so not even its first events escape the pace
            run = paced() ? Run.startPaused(module, config, trace, null) : Run.start(module, config, trace, null);
            Thread pacer = new Thread(this::paceLoop, "janus-run-pacer");
            pacer.setDaemon(true);
            pacer.start();
        } catch (NativeLoadException e) {
            failure = "The native runtime (libjanusrt) could not be loaded, so the program cannot run:\n\n" + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            failure = "The native runtime could not start " + name + ":\n\n" + e.getMessage();
        }
    }

    @Override
    public Status status() {
        if (failure != null) return Status.FAILED;
        Run r = run;
        if (r == null) return started ? Status.FAILED : Status.PAUSED;
        if (stopped) return Status.STOPPED;
        switch (r.state()) {
            case PAUSED:
                // a paced run is paused between the events the pacer releases: it is running
                return paced() && !userPaused ? Status.RUNNING : Status.PAUSED;
            case FINISHED:
                return r.result() == Run.Result.ABORTED ? Status.STOPPED : Status.FINISHED;
            case STOPPING:
                return Status.STOPPED;
            default:
                return Status.RUNNING;
        }
    }

    @Override
    public void pause() {
        userPaused = true;
        Run r = run;
        if (r != null) r.pause();
    }

    @Override
    public void resume() {
        userPaused = false;
        Run r = run;
        if (r != null && !paced()) r.resume(); // a paced run goes on by the pacer's steps
    }

    @Override
    public void setPace(double eventsPerSecond) {
        if (!(eventsPerSecond > 0)) throw new IllegalArgumentException("pace must be positive: " + eventsPerSecond);
        pace = eventsPerSecond;
        Run r = run;
        if (r == null || userPaused) return;
        if (paced()) r.pause();
        else r.resume();
    }

    public double pace() {
        return pace;
    }

    private boolean paced() {
        return !Double.isInfinite(pace);
    }

    /**
     * The pacer: every 10 ms it releases the events the pace allows since the last tick
     * (one jrt_step each), at most 100 ms worth at once so a run that was blocked (every
     * task asleep) does not burst afterwards. Ends with the run.
     */
    private void paceLoop() {
        long last = System.nanoTime();
        double credit = 0;
        while (!stopped) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            Run r = run;
            if (r == null || r.state() == Run.State.FINISHED) return;
            long now = System.nanoTime();
            double dt = (now - last) / 1e9;
            last = now;
            double p = pace;
            if (userPaused || Double.isInfinite(p)) {
                credit = 0;
                continue;
            }
            credit = Math.min(credit + dt * p, Math.max(1, p / 10));
            int n = (int) credit;
            credit -= n;
            for (int i = 0; i < n; i++) r.step();
        }
    }

    @Override
    public void step() {
        Run r = run;
        if (r != null) r.step();
    }

    /** Asks the runtime to cancel everything; returns at once (the pump records the run_end). */
    @Override
    public void stop() {
        stopped = true;
        Run r = run;
        if (r == null) return;
        r.stop();
        Thread closer = new Thread(() -> {
            try {
                r.awaitEnd(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.close();
        }, "janus-run-close");
        closer.setDaemon(true);
        closer.start();
    }

    @Override
    public long droppedEvents() {
        Run r = run;
        TraceEvent.RunEnd end = r == null ? null : r.pump().runEnd();
        return end == null ? 0 : end.dropped();
    }

    @Override
    public String description() {
        return "a run of " + name + " on the native scheduler (" + config.workers() + " workers, "
                + config.mode().wire() + ", seed " + config.seed() + ", quantum " + config.quantum() + ")";
    }

    @Override
    public String failure() {
        return failure;
    }
}

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
                .withQuantum(c.quantum());
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
            run = Run.start(module, config, trace, null);
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
                return Status.PAUSED;
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
        Run r = run;
        if (r != null) r.pause();
    }

    @Override
    public void resume() {
        Run r = run;
        if (r != null) r.resume();
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

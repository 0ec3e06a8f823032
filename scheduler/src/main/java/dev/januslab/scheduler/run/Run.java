package dev.januslab.scheduler.run;

import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.scheduler.nativert.ConfigStruct;
import dev.januslab.scheduler.nativert.EventRecords;
import dev.januslab.scheduler.nativert.NativeLibrary;
import dev.januslab.scheduler.nativert.NativeRuntime;
import dev.januslab.scheduler.nativert.NativeVm;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceHeader;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import jnr.ffi.Pointer;

/**
 * One execution of a compiled program on libjanusrt: the native runtime, the loaded
 * module and the {@link EventPump} that drains its events.
 *
 * <pre>
 *   try (Run run = Run.start(module, config, trace, listener)) {
 *       run.awaitEnd(-1);
 *       run.result();  run.stats();
 *   }
 * </pre>
 *
 * <p>Control ({@link #pause}, {@link #step}, {@link #resume}, {@link #stop}) may be called
 * from any thread. {@link #close()} stops the run if it is still going, waits for it and
 * for the pump, and frees the runtime and then the module (the VM reads the module until
 * the runtime is gone). Results and statistics stay readable after close.
 */
public final class Run implements AutoCloseable {
    /** jrt_status. */
    public enum State { CREATED, RUNNING, PAUSED, STOPPING, FINISHED }

    /** jrt_result: how the run ended ({@code NONE} while it has not). */
    public enum Result { NONE, OK, ERROR, ABORTED }

    private static final int ERR_CAP = 1024;

    private final NativeRuntime rt;
    private final NativeVm vm;
    private final RunConfig config;
    private final Trace trace;
    private final EventPump pump;
    private final long handle;
    private final long module;
    private final long startedNanos;
    private volatile long endedNanos;
    private boolean closed;

    private volatile Result finalResult;
    private volatile String finalResultText;
    private volatile RunStats finalStats;

    private Run(NativeRuntime rt, NativeVm vm, RunConfig config, Trace trace, EventPump pump,
                long handle, long module, long startedNanos) {
        this.rt = rt;
        this.vm = vm;
        this.config = config;
        this.trace = trace;
        this.pump = pump;
        this.handle = handle;
        this.module = module;
        this.startedNanos = startedNanos;
    }

    /** A trace to record a run of {@code source} (named {@code name}) with {@code config} into. */
    public static Trace newTrace(String name, String source, RunConfig config) {
        return newTrace(name, source, config, Trace.Indexing.ON_APPEND);
    }

    /**
     * A trace for a run, with a choice of indexing: {@link Trace.Indexing#ON_DEMAND} for a
     * trace that is only recorded (saved, checked, seeked later), which keeps the pump from
     * folding scheduler state on every event.
     */
    public static Trace newTrace(String name, String source, RunConfig config, Trace.Indexing indexing) {
        return new Trace(TraceHeader.of(new TraceHeader.Program(name, source), config.headerConfig(), null), indexing);
    }

    /** Starts {@code module}; see {@link #start(byte[], IntFunction, RunConfig, Trace, EventListener)}. */
    public static Run start(BytecodeModule module, RunConfig config, Trace trace, EventListener listener) {
        return start(module.encode(), FunctionNames.of(module), config, trace, listener);
    }

    /**
     * Verifies and loads the module, creates the runtime, starts the event pump and then the
     * program (init, then main as task 0). Returns at once; the run proceeds on the
     * runtime's threads.
     *
     * @param trace    receives every event, or null to keep none (output still reaches the listener)
     * @param listener live consumer of events, or null
     * @throws RunException if the VM rejects the module or the runtime the config
     * @throws dev.januslab.scheduler.nativert.NativeLoadException if libjanusrt cannot be loaded
     */
    public static Run start(byte[] moduleBytes, IntFunction<String> funcNames, RunConfig config,
                            Trace trace, EventListener listener) {
        return start(moduleBytes, funcNames, config, trace, listener, false);
    }

    /**
     * As {@link #start(BytecodeModule, RunConfig, Trace, EventListener)}, but paused before
     * the program's first event: nothing happens until {@link #step()} or {@link #resume()}
     * (the app paces a live run this way).
     */
    public static Run startPaused(BytecodeModule module, RunConfig config, Trace trace, EventListener listener) {
        return start(module.encode(), FunctionNames.of(module), config, trace, listener, true);
    }

    private static Run start(byte[] moduleBytes, IntFunction<String> funcNames, RunConfig config,
                             Trace trace, EventListener listener, boolean paused) {
        NativeLibrary lib = NativeLibrary.get();
        NativeRuntime rt = lib.rt();
        NativeVm vm = lib.vm();

        byte[] err = new byte[ERR_CAP];
        long module = vm.jvm_module_load(moduleBytes, moduleBytes.length, err, ERR_CAP);
        if (module == 0) {
            throw new RunException("the VM rejected the module: " + cString(err));
        }
        long handle = 0;
        try {
            Pointer cfg = lib.allocate(ConfigStruct.SIZE);
            rt.jrt_config_init(cfg.address());
            config.writeTo(cfg);
            handle = rt.jrt_create(cfg.address());
            if (handle == 0) {
                throw new RunException("the runtime refused the run settings " + config + " (or is out of memory)");
            }
            int bufferBytes = Math.max(EventPump.DEFAULT_BUFFER_BYTES, config.ringKb() * 1024 * 2);
            EventPump pump = new EventPump(rt, handle, new EventRecords(funcNames), funcNames, trace, listener,
                    bufferBytes, config.ringKb() * 1024, lib.ffi());
            pump.start();
            if (paused) rt.jrt_pause(handle);
            long started = System.nanoTime();
            int rc = vm.jvm_start(handle, module);
            if (rc != 0) {
                pump.abandon();
                pump.join(-1);
                rt.jrt_destroy(handle);
                handle = 0;
                throw new RunException("the VM could not start the program (jvm_start returned " + rc + ")");
            }
            return new Run(rt, vm, config, trace, pump, handle, module, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunException("interrupted while starting", e);
        } catch (RuntimeException e) {
            if (handle != 0) rt.jrt_destroy(handle);
            vm.jvm_module_free(module);
            throw e;
        }
    }

    public RunConfig config() {
        return config;
    }

    /** The trace events are appended to while the run goes on, or null if it keeps none. */
    public Trace trace() {
        return trace;
    }

    public EventPump pump() {
        return pump;
    }

    /** Workers stop at their next scheduling point or event; no event is released while paused. */
    public synchronized void pause() {
        if (!closed) rt.jrt_pause(handle);
    }

    /** While paused: release exactly one event. */
    public synchronized void step() {
        if (!closed) rt.jrt_step(handle);
    }

    public synchronized void resume() {
        if (!closed) rt.jrt_resume(handle);
    }

    /** Cancels every task; tasks that never check are abandoned after the grace period. Returns at once. */
    public synchronized void stop() {
        if (!closed) rt.jrt_stop(handle);
    }

    /**
     * The run's state. FINISHED means its trace is complete too: while the pump still drains
     * the last events after the runtime ended, the run reads RUNNING (a view that took
     * FINISHED to mean "the recording has its final length" saw it grow afterwards).
     */
    public synchronized State state() {
        if (closed) return State.FINISHED;
        int s = rt.jrt_status(handle);
        State st = s >= 0 && s < State.values().length ? State.values()[s] : State.FINISHED;
        return st == State.FINISHED && !pump.isDone() ? State.RUNNING : st;
    }

    /**
     * Waits up to {@code timeoutMs} (negative: forever) for the run to end and for every
     * event to be drained. True if it ended.
     */
    public boolean awaitEnd(long timeoutMs) throws InterruptedException {
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (this) {
            if (closed) return true;
        }
        int rc = rt.jrt_wait(handle, timeoutMs);
        if (rc != NativeRuntime.JRT_OK) return false;
        if (endedNanos == 0) endedNanos = System.nanoTime();
        long left = timeoutMs < 0 ? -1 : Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        return pump.join(left);
    }

    /** How the run ended ({@code NONE} while it goes on). */
    public Result result() {
        synchronized (this) {
            if (finalResult != null) return finalResult;
            return toResult(rt.jrt_result(handle));
        }
    }

    /** Text explaining an ERROR or ABORTED result, "" when ok. */
    public String resultText() {
        synchronized (this) {
            if (finalResultText != null) return finalResultText;
            String s = rt.jrt_result_text(handle);
            return s == null ? "" : s;
        }
    }

    /** The runtime's counters (final once the run has ended). */
    public RunStats stats() {
        synchronized (this) {
            if (finalStats != null) return finalStats;
            return readStats();
        }
    }

    /** Ns from jvm_start to the end of the run as Java saw it (so far, if still running). */
    public long wallNanos() {
        long end = endedNanos;
        return (end == 0 ? System.nanoTime() : end) - startedNanos;
    }

    private RunStats readStats() {
        return new RunStats(rt.jrt_stat(handle, NativeRuntime.STAT_TASKS), rt.jrt_stat(handle, NativeRuntime.STAT_SWITCHES),
                rt.jrt_stat(handle, NativeRuntime.STAT_STEALS), rt.jrt_stat(handle, NativeRuntime.STAT_PEAK_LIVE_TASKS),
                rt.jrt_stat(handle, NativeRuntime.STAT_EVENTS), rt.jrt_stat(handle, NativeRuntime.STAT_DROPPED),
                rt.jrt_stat(handle, NativeRuntime.STAT_RUN_NS), wallNanos(), pump.events());
    }

    /** Stops the run if needed, waits for it and the pump, frees the runtime and the module. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            if (rt.jrt_status(handle) != NativeRuntime.STATUS_FINISHED) rt.jrt_stop(handle);
        }
        rt.jrt_wait(handle, -1);
        if (endedNanos == 0) endedNanos = System.nanoTime();
        boolean interrupted = false;
        while (true) {  // the pump must be gone before the runtime is freed
            try {
                pump.join(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        synchronized (this) {
            finalResult = toResult(rt.jrt_result(handle));
            String s = rt.jrt_result_text(handle);
            finalResultText = s == null ? "" : s;
            finalStats = readStats();
            closed = true;
            rt.jrt_destroy(handle);
            vm.jvm_module_free(module);
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static Result toResult(int r) {
        switch (r) {
            case NativeRuntime.RESULT_OK: return Result.OK;
            case NativeRuntime.RESULT_ERROR: return Result.ERROR;
            case NativeRuntime.RESULT_ABORTED: return Result.ABORTED;
            default: return Result.NONE;
        }
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        return s.isEmpty() ? "(no reason given)" : s;
    }
}

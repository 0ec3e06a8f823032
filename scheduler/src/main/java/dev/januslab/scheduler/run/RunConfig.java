package dev.januslab.scheduler.run;

import dev.januslab.scheduler.nativert.ConfigStruct;
import dev.januslab.scheduler.trace.TraceHeader;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.util.Objects;
import jnr.ffi.Pointer;

/**
 * The settings of one run: the fields of {@code jrt_config} that Java chooses (janusrt.h
 * documents each). Immutable; start from {@link #defaults()} and change fields with the
 * {@code withX} methods. The defaults equal {@code jrt_config_init}'s.
 *
 * @param workers       worker threads N, 1..64
 * @param mode          live (N OS threads, real clock) or deterministic (seeded, virtual clock)
 * @param seed          the schedule (deterministic), {@code random()}, stack colouring
 * @param quantum       VM ops a task runs before a budget yield
 * @param stackKb       fiber stack size, KiB
 * @param maxTasks      live children per nursery ({@code SpawnLimit} past it)
 * @param maxTotalTasks tasks created per run, main included
 * @param taskMemory    bytes one task may account ({@code BudgetExceeded} past it)
 * @param maxRunMs      run-time limit (wall in live mode, virtual in deterministic), 0 = none
 * @param events        which events the runtime records (print output comes through them)
 * @param lineEvents    whether the VM emits a {@code line} event per source line (step mode)
 * @param ringKb        bytes per event ring, KiB, a power of two
 */
public record RunConfig(int workers, Mode mode, long seed, int quantum, int stackKb, long maxTasks,
                        long maxTotalTasks, long taskMemory, long maxRunMs, Events events,
                        boolean lineEvents, int ringKb) {

    /** jrt_config's {@code events} field (janusrt.h's JRT_EVENTS_*). */
    public enum Events {
        /** none: the program's output is lost (runtime tests only) */
        OFF(0),
        /** every event of TRACE.md: a trace is recorded or the views follow the run */
        ALL(1),
        /** the program's own events (print, error) and run_start/run_end only: a headless run
         *  that keeps no trace skips writing the scheduling events (four per budget yield) */
        OUTPUT(2);

        final int code;

        Events(int code) {
            this.code = code;
        }

        static Events of(long code) {
            for (Events e : values()) if (e.code == code) return e;
            throw new IllegalArgumentException("unknown events mode " + code);
        }
    }

    public RunConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(events, "events");
        if (workers < 1 || workers > 64) throw new IllegalArgumentException("workers must be 1..64, not " + workers);
        if (quantum < 1) throw new IllegalArgumentException("quantum must be at least 1, not " + quantum);
        if (stackKb < 4 || stackKb > 1024) throw new IllegalArgumentException("stack KiB must be 4..1024, not " + stackKb);
        if (maxTasks < 1) throw new IllegalArgumentException("max tasks must be at least 1, not " + maxTasks);
        if (maxTotalTasks < 1) throw new IllegalArgumentException("max total tasks must be at least 1, not " + maxTotalTasks);
        if (taskMemory < 1) throw new IllegalArgumentException("task memory must be at least 1 byte, not " + taskMemory);
        if (maxRunMs < 0) throw new IllegalArgumentException("max run ms must be 0 (none) or more, not " + maxRunMs);
        if (ringKb < 4 || Integer.bitCount(ringKb) != 1) {
            throw new IllegalArgumentException("ring KiB must be a power of two of at least 4, not " + ringKb);
        }
    }

    /**
     * Event ring per worker, KiB, for a run whose every event is kept (`janus-lab run`, the
     * app's runs): four times the runtime's default, so that a live run's bursts of scheduling
     * events fit while the pump is off the CPU. 10,000 spawned tasks on 4 live workers (two
     * cores, the app drawing) dropped 19 events with the default and none with this.
     */
    public static final int KEPT_RUN_RING_KB = 4096;

    /** jrt_config_init's defaults: 2 live workers, seed 1, quantum 1,000, 8 KiB stacks, events on. */
    public static RunConfig defaults() {
        return new RunConfig(2, Mode.LIVE, 1, 1000, 8, 1_000_000, 2_000_000, 16L << 20, 0, Events.ALL, false, 1024);
    }

    public RunConfig withWorkers(int v) { return new RunConfig(v, mode, seed, quantum, stackKb, maxTasks, maxTotalTasks, taskMemory, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withMode(Mode v) { return new RunConfig(workers, v, seed, quantum, stackKb, maxTasks, maxTotalTasks, taskMemory, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withSeed(long v) { return new RunConfig(workers, mode, v, quantum, stackKb, maxTasks, maxTotalTasks, taskMemory, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withQuantum(int v) { return new RunConfig(workers, mode, seed, v, stackKb, maxTasks, maxTotalTasks, taskMemory, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withStackKb(int v) { return new RunConfig(workers, mode, seed, quantum, v, maxTasks, maxTotalTasks, taskMemory, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withMaxTasks(long v) { return new RunConfig(workers, mode, seed, quantum, stackKb, v, maxTotalTasks, taskMemory, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withMaxTotalTasks(long v) { return new RunConfig(workers, mode, seed, quantum, stackKb, maxTasks, v, taskMemory, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withTaskMemory(long v) { return new RunConfig(workers, mode, seed, quantum, stackKb, maxTasks, maxTotalTasks, v, maxRunMs, events, lineEvents, ringKb); }
    public RunConfig withMaxRunMs(long v) { return new RunConfig(workers, mode, seed, quantum, stackKb, maxTasks, maxTotalTasks, taskMemory, v, events, lineEvents, ringKb); }
    public RunConfig withEvents(Events v) { return new RunConfig(workers, mode, seed, quantum, stackKb, maxTasks, maxTotalTasks, taskMemory, maxRunMs, v, lineEvents, ringKb); }
    public RunConfig withLineEvents(boolean v) { return new RunConfig(workers, mode, seed, quantum, stackKb, maxTasks, maxTotalTasks, taskMemory, maxRunMs, events, v, ringKb); }
    public RunConfig withRingKb(int v) { return new RunConfig(workers, mode, seed, quantum, stackKb, maxTasks, maxTotalTasks, taskMemory, maxRunMs, events, lineEvents, v); }

    public boolean deterministic() {
        return mode == Mode.DETERMINISTIC;
    }

    /** The {@code config} object of a trace header for this run. */
    public TraceHeader.Config headerConfig() {
        return new TraceHeader.Config(workers, mode, seed, quantum, stackKb);
    }

    /**
     * Writes this config over a {@code jrt_config} that {@code jrt_config_init} has filled
     * (so the fields Java does not choose keep the runtime's defaults).
     */
    public void writeTo(Pointer cfg) {
        put(cfg, ConfigStruct.WORKERS, workers);
        put(cfg, ConfigStruct.MODE, deterministic() ? ConfigStruct.MODE_DETERMINISTIC : ConfigStruct.MODE_LIVE);
        put(cfg, ConfigStruct.SEED, seed);
        put(cfg, ConfigStruct.QUANTUM, quantum);
        put(cfg, ConfigStruct.STACK_KB, stackKb);
        put(cfg, ConfigStruct.MAX_TASKS_PER_NURSERY, maxTasks);
        put(cfg, ConfigStruct.MAX_TOTAL_TASKS, maxTotalTasks);
        put(cfg, ConfigStruct.TASK_MEMORY, taskMemory);
        put(cfg, ConfigStruct.MAX_RUN_MS, maxRunMs);
        put(cfg, ConfigStruct.EVENTS, events.code);
        put(cfg, ConfigStruct.LINE_EVENTS, lineEvents ? 1 : 0);
        put(cfg, ConfigStruct.RING_KB, ringKb);
    }

    /** The config a filled {@code jrt_config} describes (to compare Java's defaults with the runtime's). */
    public static RunConfig readFrom(Pointer cfg) {
        return new RunConfig((int) get(cfg, ConfigStruct.WORKERS),
                get(cfg, ConfigStruct.MODE) == ConfigStruct.MODE_DETERMINISTIC ? Mode.DETERMINISTIC : Mode.LIVE,
                get(cfg, ConfigStruct.SEED), (int) get(cfg, ConfigStruct.QUANTUM), (int) get(cfg, ConfigStruct.STACK_KB),
                get(cfg, ConfigStruct.MAX_TASKS_PER_NURSERY), get(cfg, ConfigStruct.MAX_TOTAL_TASKS),
                get(cfg, ConfigStruct.TASK_MEMORY), get(cfg, ConfigStruct.MAX_RUN_MS), Events.of(get(cfg, ConfigStruct.EVENTS)),
                get(cfg, ConfigStruct.LINE_EVENTS) != 0, (int) get(cfg, ConfigStruct.RING_KB));
    }

    private static long get(Pointer cfg, int field) {
        return cfg.getLong(ConfigStruct.offset(field));
    }

    private static void put(Pointer cfg, int field, long value) {
        cfg.putLong(ConfigStruct.offset(field), value);
    }
}

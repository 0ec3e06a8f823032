package dev.januslab.app.cli;

import dev.januslab.scheduler.nativert.NativeLoadException;
import dev.januslab.scheduler.run.ConsoleRun;
import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.run.RunException;
import dev.januslab.scheduler.run.RunStats;
import dev.januslab.scheduler.trace.ChromeTraceExporter;
import dev.januslab.scheduler.trace.TraceFiles;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code janus-lab run FILE.jan}: compile, run headless on the native scheduler, stream the
 * program's output to stdout as it is printed. Diagnostics, runtime errors and
 * {@code --stats} go to stderr. Exit statuses of DESIGN.md §6: 0 ok, 1 an error escaped
 * main (or the run was stopped by a budget), 2 compile errors, 3 bad usage or unreadable
 * file, 4 internal failure (the runtime could not be loaded, a trace could not be written).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeOnInvalidInput = JanusLabCommand.EXIT_USAGE, exitCodeOnExecutionException = JanusLabCommand.EXIT_INTERNAL,
        description = "Run a program headless; its output goes to stdout.")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.jan", description = "the program to run")
    Path file;

    @Option(names = "--workers", paramLabel = "N", description = "worker threads, 1..64 (default ${DEFAULT-VALUE})")
    int workers = 2;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the schedule and random() (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--deterministic", description = "one OS thread drives the workers in a seeded order, on a virtual clock")
    boolean deterministic;

    @Option(names = "--quantum", paramLabel = "OPS", description = "VM ops before a task yields (default ${DEFAULT-VALUE})")
    int quantum = 1000;

    @Option(names = "--stack-kb", paramLabel = "K", description = "fiber stack KiB, 4..1024 (default ${DEFAULT-VALUE})")
    int stackKb = 8;

    @Option(names = "--max-tasks", paramLabel = "N", description = "live children per nursery (default ${DEFAULT-VALUE})")
    long maxTasks = 1_000_000;

    @Option(names = "--max-total-tasks", paramLabel = "N", description = "tasks created per run, main included (default ${DEFAULT-VALUE})")
    long maxTotalTasks = 2_000_000;

    @Option(names = "--task-memory", paramLabel = "BYTES", description = "bytes one task may allocate (default ${DEFAULT-VALUE})")
    long taskMemory = 16L << 20;

    @Option(names = "--max-run-ms", paramLabel = "MS", description = "stop the run after MS ms (virtual ms when deterministic); 0 = no limit")
    long maxRunMs;

    @Option(names = "--trace", paramLabel = "OUT.jtrace", description = "save the run's trace (gzip if the name ends in .gz)")
    Path traceOut;

    @Option(names = "--chrome-trace", paramLabel = "OUT.json", description = "save a Chrome/Perfetto trace of the run")
    Path chromeOut;

    @Option(names = "--stats", description = "print run statistics on stderr after the run")
    boolean stats;

    @Override
    public Integer call() {
        PrintStream err = CliStreams.stderr();
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        try {
            return execute(out, err);
        } catch (Throwable t) { // an Error from native code must still give status 4, not the JVM's 1
            err.println("janus-lab run: internal failure: " + t);
            return JanusLabCommand.EXIT_INTERNAL;
        }
    }

    /** The command with its streams given (tests). */
    int execute(OutputStream out, PrintStream err) {
        RunConfig config;
        try {
            config = RunConfig.defaults().withWorkers(workers).withSeed(seed)
                    .withMode(deterministic ? Mode.DETERMINISTIC : Mode.LIVE).withQuantum(quantum)
                    .withStackKb(stackKb).withMaxTasks(maxTasks).withMaxTotalTasks(maxTotalTasks)
                    .withTaskMemory(taskMemory).withMaxRunMs(maxRunMs).withRingKb(RunConfig.KEPT_RUN_RING_KB);
        } catch (IllegalArgumentException e) {
            err.println("janus-lab run: " + e.getMessage());
            return JanusLabCommand.EXIT_USAGE;
        }
        String source = SourceFile.read(file, err);
        if (source == null) return JanusLabCommand.EXIT_USAGE;
        String name = file.toString();

        ConsoleRun.Outcome outcome;
        try {
            outcome = ConsoleRun.run(name, source, config, traceOut != null || chromeOut != null, out, -1);
        } catch (NativeLoadException | RunException e) {
            err.println("janus-lab run: internal failure: " + e.getMessage());
            return JanusLabCommand.EXIT_INTERNAL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("janus-lab run: interrupted");
            return JanusLabCommand.EXIT_INTERNAL;
        }
        if (outcome.ending() == ConsoleRun.Ending.COMPILE_ERRORS) {
            CliStreams.printCompileErrors(err, source, outcome.diagnostics());
            return JanusLabCommand.EXIT_COMPILE_ERRORS;
        }
        err.print(outcome.report());
        int status = outcome.ending() == ConsoleRun.Ending.OK ? JanusLabCommand.EXIT_OK : JanusLabCommand.EXIT_PROGRAM_ERROR;
        long dropped = outcome.stats() == null ? 0 : outcome.stats().dropped();
        if (dropped > 0) {
            err.println("janus-lab run: warning: " + dropped + " scheduler events were dropped (event rings full in a "
                    + "live run); output printed in that moment may be missing. --deterministic never drops.");
        }
        if (outcome.pumpFailure() != null) {
            err.println("janus-lab run: internal failure reading events: " + outcome.pumpFailure());
            status = JanusLabCommand.EXIT_INTERNAL;
        }
        try {
            if (traceOut != null) TraceFiles.write(outcome.trace(), traceOut);
            if (chromeOut != null) ChromeTraceExporter.export(outcome.trace(), chromeOut);
        } catch (IOException e) {
            err.println("janus-lab run: cannot write " + (e.getMessage() == null ? e : e.getMessage()));
            status = JanusLabCommand.EXIT_INTERNAL;
        }
        if (stats) printStats(err, outcome);
        err.flush();
        return status;
    }

    private static void printStats(PrintStream err, ConsoleRun.Outcome o) {
        RunStats s = o.stats();
        err.println("compile_ms: " + ms(o.compileNanos()));
        err.println("run_ms: " + ms(s.runNs()));
        err.println("tasks: " + s.tasks());
        err.println("switches: " + s.switches());
        err.println("steals: " + s.steals());
        err.println("peak_live_tasks: " + s.peakLiveTasks());
        err.println("peak_rss_mb: " + RunStats.peakRssMb());
        err.println("events: " + s.events());
        err.println("dropped: " + s.dropped());
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}

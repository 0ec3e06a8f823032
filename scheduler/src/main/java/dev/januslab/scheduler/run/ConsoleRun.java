package dev.januslab.scheduler.run;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole headless run of one source file, as {@code janus-lab run} and the corpus tests
 * do it: compile, start, stream the program's output as it is printed, collect escaped
 * errors, wait, tear down. Output goes to the given stream batch by batch (flushed after
 * every drained batch), so a long run shows its output as it goes.
 */
public final class ConsoleRun {
    private ConsoleRun() {}

    /** How a run ended, from the point of view of the command line (DESIGN.md §6). */
    public enum Ending {
        /** main returned. */
        OK,
        /** an error escaped main, or the run was aborted (budget, --max-run-ms, stop). */
        PROGRAM_ERROR,
        COMPILE_ERRORS,
        /** the run did not end within the caller's timeout and was stopped. */
        TIMED_OUT
    }

    /**
     * Everything a caller may want to know about the run.
     *
     * @param errors        every {@code error} event, in seq order
     * @param escapedError  the error that escaped main ({@code Runtime.DivByZero}), or null
     * @param report        the lines for stderr describing the failure ("" when ok)
     * @param trace         the recorded trace, or null if none was kept
     * @param pumpFailure   a problem of the event pump (a broken record...), or null
     */
    public record Outcome(Ending ending, List<Diagnostic> diagnostics, Run.Result result, String resultText,
                          List<TraceEvent.TaskError> errors, String escapedError, String report, Trace trace,
                          RunStats stats, long compileNanos, Throwable pumpFailure) {}

    /**
     * Compiles and runs {@code source}. Output (print events) is written to {@code out}.
     *
     * @param file      the name used in diagnostics and reports
     * @param keepTrace whether to record the full trace (else only output and errors are decoded)
     * @param timeoutMs how long to let the run go before stopping it; negative = no limit
     */
    public static Outcome run(String file, String source, RunConfig config, boolean keepTrace, OutputStream out,
                              long timeoutMs) throws InterruptedException {
        long c0 = System.nanoTime();
        JanusCompiler.Result compiled = JanusCompiler.compile(file, source);
        long compileNanos = System.nanoTime() - c0;
        if (!compiled.ok()) {
            return new Outcome(Ending.COMPILE_ERRORS, compiled.diagnostics(), Run.Result.NONE, "", List.of(), null, "",
                    null, null, compileNanos, null);
        }
        return runCompiled(file, source, compiled.module(), compileNanos, config, keepTrace, out, timeoutMs);
    }

    /** Runs an already compiled module (compile once, run many times: the corpus tests). */
    public static Outcome runCompiled(String file, String source, BytecodeModule module, long compileNanos,
                                      RunConfig config, boolean keepTrace, OutputStream out, long timeoutMs)
            throws InterruptedException {
        // recorded, not browsed live: keyframes are folded when someone first seeks
        Trace trace = keepTrace ? Run.newTrace(displayName(file), source, config, Trace.Indexing.ON_DEMAND) : null;
        Console console = new Console(out, keepTrace);
        // with no trace to keep, the runtime need not write the scheduling events at all
        RunConfig effective = keepTrace || config.events() != RunConfig.Events.ALL ? config
                : config.withEvents(RunConfig.Events.OUTPUT);
        Ending ending;
        try (Run run = Run.start(module, effective, trace, console)) {
            boolean ended = run.awaitEnd(timeoutMs);
            if (!ended) {
                run.stop();
                run.awaitEnd(-1);
            }
            run.close();
            Run.Result result = run.result();
            ending = !ended ? Ending.TIMED_OUT : result == Run.Result.OK ? Ending.OK : Ending.PROGRAM_ERROR;
            console.flushQuietly();
            String escaped = console.escapedError();
            String report = ending == Ending.OK ? "" : console.report(file, result, run.resultText(), ending);
            return new Outcome(ending, List.of(), result, run.resultText(), List.copyOf(console.errors), escaped, report,
                    trace, run.stats(), compileNanos, run.pump().failure());
        }
    }

    /** The file name without directories, for trace headers. */
    static String displayName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return slash < 0 ? file : file.substring(slash + 1);
    }

    /** Streams print events to the output; remembers task names and escaped errors. */
    static final class Console implements EventListener {
        /** Lean runs (no trace) decode only these; spawns only when a trace is kept anyway. */
        private static final long LEAN_KINDS = EventListener.kinds("print", "error", "run_end");
        private static final long KINDS = LEAN_KINDS | EventListener.kinds("task_spawn");

        private final OutputStream out;
        private final boolean namesFromSpawns;
        final List<TraceEvent.TaskError> errors = new ArrayList<>();
        /** Function name by task id (ids are small and dense). */
        private final ArrayList<String> taskFuncs = new ArrayList<>();
        private IOException writeFailure;

        /**
         * @param namesFromSpawns track task names from task_spawn events (cheap when the run
         *                        decodes every event for a trace anyway); otherwise a failing
         *                        task is named from the entry frame of its Janus stack trace
         */
        Console(OutputStream out, boolean namesFromSpawns) {
            this.out = out;
            this.namesFromSpawns = namesFromSpawns;
        }

        @Override
        public long kinds() {
            return namesFromSpawns ? KINDS : LEAN_KINDS;
        }

        @Override
        public void onEvent(TraceEvent e) {
            if (e instanceof TraceEvent.Print p) {
                write(p.text());
            } else if (e instanceof TraceEvent.TaskSpawn s) {
                int id = s.task();
                if (id >= 0 && id < 50_000_000) {
                    while (taskFuncs.size() <= id) taskFuncs.add(null);
                    taskFuncs.set(id, s.func());
                }
            } else if (e instanceof TraceEvent.TaskError err) {
                errors.add(err);
            }
        }

        @Override
        public void onBatchEnd() {
            flushQuietly();
        }

        @Override
        public void onEnd() {
            flushQuietly();
        }

        private void write(String text) {
            if (writeFailure != null) return;
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                writeFailure = e; // stdout closed (a pipe to `head`): keep draining, stop writing
            }
        }

        void flushQuietly() {
            if (writeFailure != null) return;
            try {
                out.flush();
            } catch (IOException e) {
                writeFailure = e;
            }
        }

        String taskName(TraceEvent.TaskError e) {
            int id = e.task();
            String f = id >= 0 && id < taskFuncs.size() ? taskFuncs.get(id) : null;
            if (f == null) f = entryFunction(e.trace());
            return TraceEvent.taskName(f == null && id == 0 ? "main" : f, id);
        }

        /** The function of the last {@code at FUNC (FILE:LINE)} line of a VM stack trace: the task's entry. */
        static String entryFunction(String trace) {
            if (trace == null) return null;
            String found = null;
            for (String line : trace.split("\n")) {
                String l = line.strip();
                int paren = l.indexOf(" (");
                if (l.startsWith("at ") && paren > 3) found = l.substring(3, paren);
            }
            return found;
        }

        /** The error that escaped main (task 0), or null. */
        String escapedError() {
            for (TraceEvent.TaskError e : errors) if (e.task() == 0) return e.error();
            return null;
        }

        /**
         * The stderr report: where the escaped error was first raised (the first error
         * event carrying it, usually in a child task), which task, and the VM's trace.
         */
        String report(String file, Run.Result result, String resultText, Ending ending) {
            StringBuilder sb = new StringBuilder();
            String escaped = escapedError();
            TraceEvent.TaskError origin = null;
            for (TraceEvent.TaskError e : errors) {
                if (escaped == null || e.error().equals(escaped)) {
                    origin = e;
                    break;
                }
            }
            if (origin != null && escaped != null) {
                sb.append(file).append(':').append(origin.line()).append(": runtime error: ").append(origin.error())
                        .append(" in task ").append(taskName(origin));
                if (origin.task() != 0) sb.append(" (escaped main)");
                sb.append('\n');
                if (origin.trace() != null && !origin.trace().isBlank()) {
                    for (String line : origin.trace().split("\n")) sb.append("  ").append(line).append('\n');
                }
            }
            if (ending == Ending.TIMED_OUT) {
                sb.append(file).append(": the run did not end in time and was stopped\n");
            } else if (result == Run.Result.ABORTED) {
                sb.append(file).append(": the run was stopped")
                        .append(resultText == null || resultText.isBlank() ? "" : ": " + resultText).append('\n');
            } else if (origin == null || escaped == null) {
                sb.append(file).append(": runtime error: ")
                        .append(resultText == null || resultText.isBlank() ? "the program failed" : resultText).append('\n');
            }
            return sb.toString();
        }
    }

}

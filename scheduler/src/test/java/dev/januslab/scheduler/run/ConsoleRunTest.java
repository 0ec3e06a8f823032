package dev.januslab.scheduler.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.januslab.scheduler.trace.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stderr report of a failed run, without running anything. */
class ConsoleRunTest {
    @Test
    void theEntryFunctionIsTheLastFrameOfTheStack() {
        assertEquals("main", ConsoleRun.Console.entryFunction(
                "  at deep (x.jan:5)\n  at deep (x.jan:7)\n  at main (x.jan:12)"));
        assertEquals("job", ConsoleRun.Console.entryFunction("task memory budget exceeded\n  at job (x.jan:6)"));
        assertNull(ConsoleRun.Console.entryFunction(null));
        assertNull(ConsoleRun.Console.entryFunction("no frames here"));
    }

    @Test
    void theReportNamesTheOriginalErrorTaskAndLine() {
        ConsoleRun.Console c = new ConsoleRun.Console(new ByteArrayOutputStream(), false);
        c.onEvent(new TraceEvent.TaskError(5, 0, 1, 3, "Runtime.DivByZero", 2, "  at divide (p.jan:2)"));
        c.onEvent(new TraceEvent.TaskError(9, 0, 0, 0, "Runtime.DivByZero", 8, "  at main (p.jan:8)"));
        assertEquals("Runtime.DivByZero", c.escapedError());
        String r = c.report("p.jan", Run.Result.ERROR, "", ConsoleRun.Ending.PROGRAM_ERROR);
        assertEquals(List.of("p.jan:2: runtime error: Runtime.DivByZero in task divide#3 (escaped main)",
                "    at divide (p.jan:2)"), r.lines().toList());
    }

    @Test
    void anAbortedRunSaysItWasStopped() {
        ConsoleRun.Console c = new ConsoleRun.Console(new ByteArrayOutputStream(), false);
        String r = c.report("p.jan", Run.Result.ABORTED, "max_run_ms exceeded", ConsoleRun.Ending.PROGRAM_ERROR);
        assertEquals("p.jan: the run was stopped: max_run_ms exceeded\n", r);
    }

    @Test
    void printsAreWrittenAsUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleRun.Console c = new ConsoleRun.Console(out, false);
        c.onEvent(new TraceEvent.Print(0, 0, 0, 0, "héllo\n"));
        c.onBatchEnd();
        assertEquals("héllo\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}

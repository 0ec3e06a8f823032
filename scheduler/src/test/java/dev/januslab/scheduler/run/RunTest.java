package dev.januslab.scheduler.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.scheduler.nativert.NativeLibrary;
import dev.januslab.scheduler.nativert.NativeLoadException;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Run against the real libjanusrt: start, output, control, stop, teardown. */
class RunTest {
    @BeforeAll
    static void needsTheVm() {
        // The native module builds the library before this module: its absence is a
        // broken build, so it fails here rather than skipping these tests.
        try {
            NativeLibrary.get().vm();
        } catch (NativeLoadException e) {
            throw new AssertionError("libjanusrt with the VM is not available: " + e.getMessage(), e);
        }
    }

    static BytecodeModule compile(String source) {
        JanusCompiler.Result r = JanusCompiler.compile("t.jan", source);
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.module();
    }

    static final String LOOP = """
            async func main() do
                var i = 0
                while true do
                    i += 1
                end
            end
            """;

    @Test
    void aRunPrintsThroughTheListenerAndEndsOk() throws Exception {
        BytecodeModule m = compile("async func main() do\n println(\"hi\", 40 + 2)\nend\n");
        List<String> printed = new CopyOnWriteArrayList<>();
        RunConfig c = RunConfig.defaults().withMode(Mode.DETERMINISTIC);
        Trace trace = Run.newTrace("t.jan", "", c);
        try (Run run = Run.start(m, c, trace, e -> {
            if (e instanceof TraceEvent.Print p) printed.add(p.text());
        })) {
            assertTrue(run.awaitEnd(30_000));
            assertEquals(Run.Result.OK, run.result());
            assertEquals(List.of("hi 42\n"), printed);
            assertTrue(trace.get(0) instanceof TraceEvent.RunStart);
            assertTrue(trace.get(trace.size() - 1) instanceof TraceEvent.RunEnd);
            assertEquals(1, run.stats().tasks());
            assertEquals(trace.size(), run.stats().events());
            assertEquals(trace.size(), run.stats().eventsDrained());
        }
    }

    @Test
    void finishedMeansTheTraceIsComplete() throws Exception {
        // a slow listener keeps the pump behind the runtime, which ends long before the
        // last print is drained: FINISHED used to come from the runtime alone, and the app
        // read a recording that was still growing as the finished run's length
        BytecodeModule m = compile("async func main() do\n for i in 0..<40 do\n  println(i)\n end\nend\n");
        RunConfig c = RunConfig.defaults().withMode(Mode.DETERMINISTIC);
        Trace trace = Run.newTrace("t.jan", "", c);
        try (Run run = Run.start(m, c, trace, e -> {
            if (e instanceof TraceEvent.Print) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (run.state() != Run.State.FINISHED && System.nanoTime() < deadline) Thread.onSpinWait();
            long sizeWhenFinished = trace.size();
            assertTrue(trace.get(sizeWhenFinished - 1) instanceof TraceEvent.RunEnd, "the last event is in");
            assertTrue(run.awaitEnd(30_000));
            assertEquals(sizeWhenFinished, trace.size(), "nothing arrives after FINISHED");
        }
    }

    @Test
    void stopEndsAnInfiniteLoopQuickly() throws Exception {
        try (Run run = Run.start(compile(LOOP), RunConfig.defaults(), null, null)) {
            Thread.sleep(50);
            long t0 = System.nanoTime();
            run.stop();
            assertTrue(run.awaitEnd(10_000), "stopped");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(Run.Result.ABORTED, run.result());
            assertTrue(ms < 2_000, "stop took " + ms + " ms");
        }
    }

    @Test
    void closingARunningRunStopsItAndKeepsTheResult() throws Exception {
        Run run = Run.start(compile(LOOP), RunConfig.defaults().withMode(Mode.DETERMINISTIC), null, null);
        Thread.sleep(20);
        run.close();
        run.close();
        assertEquals(Run.State.FINISHED, run.state());
        assertEquals(Run.Result.ABORTED, run.result());
        assertTrue(run.stats().runNs() > 0);
    }

    @Test
    void stepReleasesOneEventAtATime() throws Exception {
        RunConfig c = RunConfig.defaults().withMode(Mode.DETERMINISTIC).withWorkers(1);
        Trace trace = Run.newTrace("t.jan", LOOP, c);
        try (Run run = Run.start(compile(LOOP), c, trace, null)) {
            run.pause();
            long before = settle(trace);
            for (int i = 1; i <= 3; i++) {
                run.step();
                long expected = before + i;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (trace.size() < expected && System.nanoTime() < deadline) Thread.sleep(1);
                Thread.sleep(20);
                assertEquals(expected, trace.size(), "after step " + i);
            }
            run.resume();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (trace.size() < before + 100 && System.nanoTime() < deadline) Thread.sleep(1);
            assertTrue(trace.size() >= before + 100, "resumed");
        }
    }

    /** Waits until the trace stops growing (a paused run), returns its size. */
    private static long settle(Trace t) throws InterruptedException {
        long last = -1;
        while (t.size() != last) {
            last = t.size();
            Thread.sleep(50);
        }
        return last;
    }

    @Test
    void aBrokenModuleIsRejectedWithTheVerifiersReason() {
        RunException e = assertThrows(RunException.class, () -> Run.start(new byte[] {1, 2, 3, 4}, i -> "f",
                RunConfig.defaults(), null, null));
        assertTrue(e.getMessage().startsWith("the VM rejected the module: "), e.getMessage());
        assertTrue(e.getMessage().length() > "the VM rejected the module: ".length() + 3, e.getMessage());
    }
}

package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.session.NativeRunSession;
import dev.januslab.app.session.RunSession;
import dev.januslab.app.ui.views.ConsoleView;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Run executes the editor's program on the native scheduler; the views follow its trace live. */
class RunSessionTest extends LabFxTest {
    static final String LONG_RUNNING = """
            async func spin(n) do
                var i = 0
                while i < n do
                    i += 1
                    await sleep(1)
                end
                return i
            end

            async func main() do
                nursery do
                    spawn spin(100000000)
                    spawn spin(100000000)
                end
            end
            """;

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @Test
    void runExecutesOnTheNativeSchedulerAndPauseStepStopWork() throws Exception {
        fxRun(() -> window.loadProgram(LONG_RUNNING, null, "spin.jan"));
        clickOn("#run");
        RunSession s = window.model.session.get();
        assertTrue(s instanceof NativeRunSession, "a real run, not a recording");
        assertNull(s.failure(), s.failure());
        assertTrue(s.description().contains("native scheduler"), s.description());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> s.recording().size() > 20);
        fxRun(window::togglePlay);
        WaitForAsyncUtils.waitFor(2, TimeUnit.SECONDS, () -> s.status() == RunSession.Status.PAUSED);
        // Events the workers wrote before the pause may still sit in the rings: wait until
        // the pump has drained them (the size holds still), then no new event may arrive.
        long[] last = {-1};
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            long now = s.recording().size();
            boolean still = now == last[0];
            last[0] = now;
            if (!still) WaitForAsyncUtils.sleep(100, TimeUnit.MILLISECONDS);
            return still;
        });
        long paused = s.recording().size();
        WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
        assertEquals(paused, s.recording().size(), "pause really pauses: no event is released");
        fxRun(() -> {
            window.model.seek(s.recording().size() - 1);
            window.step(+1);
        });
        WaitForAsyncUtils.waitFor(2, TimeUnit.SECONDS, () -> s.recording().size() == paused + 1);
        WaitForAsyncUtils.sleep(200, TimeUnit.MILLISECONDS);
        assertEquals(paused + 1, s.recording().size(), "step releases exactly one event");
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(2, TimeUnit.SECONDS, () -> window.model.cursor.get() == paused);
        long t0 = System.nanoTime();
        fxRun(window::stop);
        assertTrue(System.nanoTime() - t0 < 100_000_000L, "stop within 100 ms");
        assertEquals(RunSession.Status.STOPPED, s.status());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> {
            long n = s.recording().size();
            return n > 0 && s.recording().get(n - 1) instanceof TraceEvent.RunEnd;
        });
        TraceEvent.RunEnd end = (TraceEvent.RunEnd) s.recording().get(s.recording().size() - 1);
        assertEquals("aborted", end.status().wire());
    }

    @Test
    void paceHoldsALiveRunToItsEventsPerSecondAndPlusLetsItGo() throws Exception {
        fxRun(() -> {
            window.loadProgram(LONG_RUNNING, null, "spin.jan");
            window.setPace(15);
        });
        clickOn("#run");
        RunSession s = window.model.session.get();
        assertEquals(15.0, ((NativeRunSession) s).pace());
        WaitForAsyncUtils.sleep(2, TimeUnit.SECONDS);
        long n = s.recording().size();
        // 2 s at 15 ev/s: about 30 (the pace is a ceiling; run_start and a few buffered ones besides)
        assertTrue(n >= 5 && n <= 45, "paced to 15 events/s: " + n + " events in 2 s");
        assertEquals(RunSession.Status.RUNNING, s.status(), "a paced run is running, not paused");
        fxRun(() -> {
            for (int i = 0; i < MainWindow.PACES.length; i++) window.speed(+1); // + while the run goes: faster, up to full speed
        });
        assertTrue(Double.isInfinite(((NativeRunSession) s).pace()), "full speed again");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> s.recording().size() > n + 1000);
        fxRun(window::stop);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> FrameLoop.complete(s.recording()));
    }

    @Test
    void aSmallProgramRunsToTheEndAndItsOutputReachesTheConsole() throws Exception {
        fxRun(() -> window.loadProgram("async func main() do\n    println(\"hi from the runtime\")\nend\n", null, "hi.jan"));
        clickOn("#run");
        RunSession s = window.model.session.get();
        assertTrue(s instanceof NativeRunSession);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> s.status() == RunSession.Status.FINISHED);
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> fx(() -> ((ConsoleView) find("#console")).lines().stream()
                .anyMatch(l -> l.text().equals("hi from the runtime") && l.taskName().equals("main#0"))));
        assertEquals(0, s.droppedEvents());
        assertTrue(fx(() -> ((Label) find("#dropped")).getText()).startsWith("0 events dropped"));
    }

    @Test
    void runRefusesAProgramWithProblemsAndListsThem() throws Exception {
        fxRun(() -> window.loadProgram("async func main() do\n    println(undefined_name)\nend\n", null, "sem.jan"));
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> !window.editor.diagnostics().isEmpty());
        clickOn("#run");
        assertNull(window.model.session.get(), "nothing ran");
        assertTrue(fx(() -> window.root().lookup(".gutter-error") != null), "a gutter marker");
    }

    @Test
    void semanticErrorsAreUnderlinedAsYouTypeNotOnlyParseErrors() throws Exception {
        String ok = "async func main() do\n    let x = 1\n    println(x)\nend\n";
        fxRun(() -> window.loadProgram(ok, null, "sem.jan"));
        WaitForAsyncUtils.sleep(600, TimeUnit.MILLISECONDS);
        assertTrue(window.editor.diagnostics().isEmpty(), String.valueOf(window.editor.diagnostics()));
        fxRun(() -> window.editor.area().replaceText(ok.replace("println(x)", "println(y)")));
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> !window.editor.diagnostics().isEmpty());
        assertTrue(window.editor.diagnostics().stream().anyMatch(d -> d.line() == 3), String.valueOf(window.editor.diagnostics()));
        assertFalse(JanusSyntaxParseOnly.hasParseErrors("sem.jan", ok.replace("println(x)", "println(y)")),
                "the program parses: the problem comes from the checker");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> window.root().lookup(".gutter-error") != null), "a gutter marker");
    }

    @Test
    void compileErrorsAreUnderlinedAndMarkedInTheGutter() throws Exception {
        fxRun(() -> window.loadProgram("async func main() do\n    let x = (1 + \nend\n", null, "bad.jan"));
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> !window.editor.diagnostics().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        Label problems = find("#problems");
        assertTrue(fx(problems::getText).startsWith("✖"), fx(problems::getText));
        assertTrue(fx(() -> window.root().lookup(".gutter-error") != null), "a gutter marker");
        screenshot("editor-error");
    }

    /** The parser alone, to show a diagnostic is semantic. */
    static final class JanusSyntaxParseOnly {
        static boolean hasParseErrors(String file, String text) {
            var d = new dev.januslab.interpreter.diag.Diagnostics(file);
            dev.januslab.interpreter.syntax.SourceParser.parse(file, text, d);
            return !d.sorted().isEmpty();
        }
    }
}

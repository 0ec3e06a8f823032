package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.TestTraces;
import dev.januslab.app.session.RunSession;
import dev.januslab.app.ui.views.WorkerLanesView;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What the window says once a run has ended, driven by the frame loop's own pulses (no
 * {@code renderNow()} here: these bugs hid between pulses). Each test is a bug a user saw:
 * "event 0 of 12" and "Step 0/6 (5 found)" after a lesson run of 119 events had finished,
 * "‖ Pause" on a finished run, "● running" in the status bar of a run that had finished, a steal arrow left over a later moment, and a lesson list
 * whose highlight moved to 06 with the arrow keys while 03 stayed open, and a replay of a
 * 4-worker trace under a toolbar that said "Workers 2".
 */
class RunEndStatusTest extends LabFxTest {

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    private Trace runLessonToTheEnd(String id) throws Exception {
        assertTrue(fx(() -> window.lessonMode.open(id)));
        fxRun(window::run);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            RunSession s = window.model.session.get();
            return s != null && s.status() == RunSession.Status.FINISHED;
        });
        return window.model.recording.get();
    }

    @Test
    void aFinishedLessonRunShowsItsWholeLengthWithoutMovingTheCursor() throws Exception {
        Trace rec = runLessonToTheEnd("01-why-async");
        String expected = String.format("of %,d", rec.size());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> ((Label) find("#position")).getText()).endsWith(expected));
        // the session turns FINISHED a moment after run_end is recorded: the status bar must follow
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> ((Label) find("#status")).getText()).startsWith("✔ finished"));
        String step = fx(() -> ((Label) find("#lesson-step")).getText());
        assertFalse(step.contains("found"), "every step is located in the finished run: " + step);
        assertEquals("▶ Play", fx(() -> ((Button) find("#pause")).getText()), "a finished run plays its recording");
        fxRun(window::togglePlay);
        assertEquals("‖ Pause", fx(() -> {
            window.loop.renderNow();
            return ((Button) find("#pause")).getText();
        }), "and while it plays, the button pauses it");
    }

    @Test
    void theStatusBarFollowsASessionThatFinishesAfterItsRecordingIsComplete() throws Exception {
        // a native session reads FINISHED once its pump is done, a moment after run_end is in
        // the recording; a frame drawn in between said "● running" and nothing redrew it
        ScriptedSession session = new ScriptedSession(TestTraces.whyAsync());
        fxRun(() -> {
            window.model.session.set(session);
            window.model.recording.set(session.recording());
            window.model.follow.set(true);
        });
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> ((Label) find("#status")).getText()).startsWith("● running"));
        session.status = RunSession.Status.FINISHED;
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> ((Label) find("#status")).getText()).startsWith("✔ finished"));
    }

    /** A session whose recording is complete from the start and whose status the test sets. */
    private static final class ScriptedSession implements RunSession {
        private final Trace recording;
        volatile Status status = Status.RUNNING;

        ScriptedSession(Trace recording) {
            this.recording = recording;
        }

        @Override public Trace recording() { return recording; }
        @Override public Status status() { return status; }
        @Override public void start() { }
        @Override public void pause() { }
        @Override public void resume() { }
        @Override public void step() { }
        @Override public void stop() { }
        @Override public long droppedEvents() { return 0; }
        @Override public String description() { return "a scripted session"; }
    }

    @Test
    void anErrorThatEscapesATaskIsSaidInTheConsole() throws Exception {
        // a failed run used to leave the console at "No output yet": the error, its task and
        // its line were only in the tree's rows and the status bar's "run error"
        String failing = """
                async func worker(n: int) do
                    await sleep(10 * n)
                    if n == 3 do
                        return 10 / (n - 3)
                    end
                    await sleep(1000)
                    return n
                end

                async func main() do
                    nursery do
                        for i in 1..5 do
                            spawn worker(i)
                        end
                    end
                    println("never printed")
                end
                """;
        fxRun(() -> {
            window.loadProgram(failing, null, "failing.jan");
            window.applyConfig(new dev.januslab.app.session.RunConfig(2, true, 42, 1000));
        });
        fxRun(window::run);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            RunSession s = window.model.session.get();
            return s != null && s.status() == RunSession.Status.FINISHED;
        });
        seek(window.model.recording.get().size() - 1);
        List<String> lines = fx(() -> window.console.lines().stream()
                .map(l -> l.taskName() + " " + l.text() + (l.error() ? " [error]" : "")).toList());
        assertEquals(List.of(
                "worker#3 ✖ Runtime.DivByZero at line 4: integer division by zero [error]",
                "main#0 ✖ Runtime.DivByZero at line 15 (raised at line 4) [error]"), lines);
        Trace rec = window.model.recording.get();
        var end = rec.stateAt(rec.size() - 1);
        String mainRow = fx(() -> dev.januslab.app.ui.views.NurseryTreeView.describe(end.task(0), end));
        assertEquals("failed: Runtime.DivByZero ↑ ends the run", mainRow, "main's row in the tree");
        screenshot("console-error");
    }

    @Test
    void theCancelMarksOfALessonFitInTheNurseryTree() throws Exception {
        // in lesson mode four panes share the width, and the tree's quarter cut its rows off
        // before "⚑ observed at line 4", the very thing lesson 8 asks a student to read
        Trace rec = runLessonToTheEnd("08-nested-nurseries");
        seek(rec.size() - 1);
        javafx.scene.control.TreeView<?> tree = window.tree.tree();
        List<String> cut = fx(() -> {
            tree.layout();
            double right = tree.localToScene(tree.getLayoutBounds()).getMaxX();
            List<String> out = new java.util.ArrayList<>();
            for (javafx.scene.Node n : tree.lookupAll(".tree-cell")) {
                if (!(n instanceof javafx.scene.control.TreeCell<?> c) || c.isEmpty() || !(c.getGraphic() instanceof javafx.scene.layout.HBox box)) continue;
                for (javafx.scene.Node l : box.getChildren()) {
                    if (l instanceof Label label && label.getText().contains("observed at line")
                            && label.localToScene(label.getLayoutBounds()).getMaxX() > right) {
                        out.add(label.getText());
                    }
                }
            }
            return out;
        });
        assertTrue(fx(() -> tree.lookupAll(".tree-cell").stream().anyMatch(n -> n instanceof javafx.scene.control.TreeCell<?> c
                && c.getGraphic() instanceof javafx.scene.layout.HBox b && b.getChildren().stream()
                        .anyMatch(l -> l instanceof Label x && x.getText().equals("cancelled   ⚑ observed at line 4")))),
                "lesson 8 ends with its leaves cancelled, each marked where it noticed");
        assertEquals(List.of(), cut, "cancel marks cut off at the tree's right edge");
    }

    @Test
    void aStealArrowBelongsToItsStepOnly() throws Exception {
        Trace rec = runLessonToTheEnd("04-work-stealing");
        long steal = -1;
        for (long q = 0; q < rec.size() && steal < 0; q++) if (rec.get(q) instanceof TraceEvent.TaskSteal) steal = q;
        assertTrue(steal > 0, "lesson 4 steals");
        seek(steal - 1);
        seek(steal);
        WorkerLanesView lanes = window.lanes;
        assertTrue(findOnTheNextFrame("#steal-ghost") != null, "stepping onto the steal draws its arrow");
        seek(rec.size() - 1);
        assertTrue(fx(() -> lanes.lookup("#steal-ghost") == null), "a jump to the end leaves no arrow behind");
    }

    @Test
    void enterOpensTheHighlightedLesson() throws Exception {
        assertTrue(fx(() -> window.lessonMode.open("03-parallel")));
        ListView<?> list = find("#lesson-list");
        fxRun(list::requestFocus);
        type(KeyCode.DOWN, KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("03-parallel", window.lessonMode.lesson().id(), "arrow keys only move the highlight");
        type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("05-structured-concurrency", window.lessonMode.lesson().id(), "Enter opens the highlighted lesson");
    }

    @Test
    void aReplayShowsOnTheToolbarHowItsRecordingWasMade() {
        Trace rec = dev.januslab.scheduler.trace.SampleTraces.fanOut10k();
        var made = rec.header().config();
        showAt(rec, 10);
        var shown = window.config();
        assertEquals(made.workers(), shown.workers(), "the toolbar's workers are the trace's, not the last run's");
        assertEquals(made.seed(), shown.seed());
        assertEquals(made.quantum(), shown.quantum());
        assertEquals(made.mode() == dev.januslab.scheduler.trace.Wire.Mode.DETERMINISTIC, shown.deterministic());
    }
}

package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.session.RunSession;
import dev.januslab.lessons.GoalResult;
import dev.januslab.lessons.Lesson;
import dev.januslab.lessons.LessonScript;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceFiles;
import dev.januslab.scheduler.trace.TraceHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Lesson mode: navigation over scripted steps, questions, the goal check, and lesson traces replayed. */
class LessonModeTest extends LabFxTest {

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    /** Opens a lesson and presses Next step: the lesson runs and the cursor lands on step 1. */
    private LessonScript openAndRun(String id) throws Exception {
        assertTrue(fx(() -> window.lessonMode.open(id)), "lesson " + id + " is in the catalog");
        fxRun(window.lessonMode::nextStep);
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
                RunSession s = window.model.session.get();
                LessonScript sc = window.lessonMode.script();
                return s != null && s.status() == RunSession.Status.FINISHED && sc != null && sc.complete()
                        && window.model.cursor.get() == sc.seqOf(0);
            });
        } catch (java.util.concurrent.TimeoutException e) {
            RunSession s = window.model.session.get();
            LessonScript sc = window.lessonMode.script();
            throw new AssertionError("lesson " + id + " did not reach step 1: session " + (s == null ? null : s.status())
                    + ", events " + (sc == null ? -1 : sc.trace().size()) + ", located " + (sc == null ? -1 : sc.located())
                    + ", problem " + (sc == null ? null : sc.problem()) + ", cursor " + window.model.cursor.get()
                    + ", step seqs " + (sc == null ? null : java.util.Arrays.toString(sc.seqs())));
        }
        LessonScript script = window.lessonMode.script();
        fxRun(window.loop::renderNow);
        return script;
    }

    private void step(boolean next) {
        fxRun(() -> {
            if (next) window.lessonMode.nextStep();
            else window.lessonMode.previousStep();
            window.loop.renderNow();
        });
    }

    @Test
    void nextAndPreviousStepFollowLessonFoursScript() throws Exception {
        LessonScript script = openAndRun("04-work-stealing");
        Lesson l = window.lessonMode.lesson();
        assertEquals("04-work-stealing", l.id());
        assertTrue(find("#lesson-pane").isVisible(), "the lesson panel is shown beside the editor");
        assertEquals(l.program(), fx(window.editor::text), "the lesson's program is in the editor");
        assertEquals(l.config().seed(), window.config().seed(), "the pinned seed is on the toolbar");
        assertEquals(l.config().workers(), window.config().workers());
        assertTrue(window.narration.text().contains(l.steps().get(0).say()), window.narration.text());

        step(true);
        assertEquals(script.seqOf(1), window.model.cursor.get(), "Next step lands on step 2's event");
        assertTrue(window.narration.text().contains(l.steps().get(1).say()), window.narration.text());
        step(true);
        long steal = script.seqOf(2);
        assertEquals(steal, window.model.cursor.get());
        assertEquals(script.trace().taskOf(steal), window.model.selectedTask.get(), "the stolen task is selected");
        screenshot("lesson04-step3-steal");
        // stepping back from the finished run rebuilds a smaller tree: the rows left empty
        // below it kept the expand arrows of the items they had shown (stray ▼ under the tree)
        assertEquals(0, (long) fx(() -> window.root().lookupAll(".tree-cell").stream()
                .filter(n -> n instanceof javafx.scene.control.TreeCell<?> c && c.isEmpty()
                        && c.getDisclosureNode() != null && c.getDisclosureNode().isVisible())
                .count()), "an empty row of the nursery tree shows an expand arrow");
        step(false);
        assertEquals(script.seqOf(1), window.model.cursor.get(), "Previous step goes back");
        assertTrue(window.narration.text().contains(l.steps().get(1).say()), window.narration.text());

        // the keys do the same
        fxRun(() -> window.lanes.requestFocus());
        type(KeyCode.PAGE_DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(steal, window.model.cursor.get(), "Page Down = Next step");
        type(KeyCode.PAGE_UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(script.seqOf(1), window.model.cursor.get(), "Page Up = Previous step");
        assertTrue(window.lessonMode.progress().stepsSeen("04-work-stealing").contains(2), "steps seen are recorded");
        assertTrue(Files.exists(window.lessonMode.progress().file()), "progress is saved in the home dir");

        fxRun(() -> window.lessonMode.goToStep(4));
        screenshot("lesson04-step5-nursery-close");
    }

    @Test
    void playbackStopsOnEachScriptedStep() throws Exception {
        LessonScript script = openAndRun("04-work-stealing");
        fxRun(() -> window.model.speedIndex.set(LabModel.SPEEDS.length - 1));
        for (int i = 1; i <= 2; i++) {
            fxRun(window::togglePlay);
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !window.model.playing.get());
            assertEquals(script.seqOf(i), window.model.cursor.get(), "Space plays on and stops on step " + (i + 1));
            int step = i;
            assertTrue(fx(() -> window.narration.text()).contains(window.lessonMode.lesson().steps().get(step).say()));
        }
    }

    @Test
    void openingAnotherLessonClearsThePreviousRunFromTheViews() throws Exception {
        LessonScript script = openAndRun("04-work-stealing");
        fxRun(() -> window.seekTo(script.seqOf(2)));
        fxRun(window.loop::renderNow);
        assertFalse(fx(() -> find("#worker-lanes").lookupAll(".chip").isEmpty()), "lesson 4's tasks are in the lanes");
        assertFalse(fx(() -> window.eventLog.table().getItems().isEmpty()), "and in the event log");
        assertTrue(fx(() -> window.lessonMode.open("06-cancellation")));
        fxRun(window.loop::renderNow);
        assertTrue(fx(() -> find("#worker-lanes").lookupAll(".chip").isEmpty()), "no task of lesson 4 is left in the lanes");
        assertTrue(fx(() -> ((dev.januslab.app.ui.views.ConsoleView) find("#console")).lines().isEmpty()), "nor its output");
        assertTrue(fx(() -> window.eventLog.table().getItems().isEmpty()), "nor its events");
        assertEquals(window.lessonMode.lesson().config().workers(),
                fx(() -> find("#worker-lanes").lookupAll(".lane").size()), "the lanes are lesson 6's workers");
    }

    @Test
    void aQuestionIsPredictedThenRevealed() throws Exception {
        openAndRun("04-work-stealing");
        fxRun(() -> window.lessonMode.guess(0, "leaf#3"));
        assertTrue(window.lessonMode.answerText(0).startsWith("You predict leaf#3"), window.lessonMode.answerText(0));
        fxRun(() -> window.lessonMode.reveal(0));
        String shown = window.lessonMode.answerText(0);
        assertTrue(shown.startsWith("The run says: "), shown);
        var answer = window.lessonMode.lesson().questions().get(0).answer(window.model.recording.get());
        assertTrue(shown.contains(answer.text()), shown);
        assertEquals(answer.seq(), window.model.cursor.get(), "Reveal moves the cursor to the answer's event");
        var recorded = window.lessonMode.progress().answer("04-work-stealing", 0);
        assertTrue(recorded.isPresent(), "the answer is recorded");
        assertEquals("leaf#3", recorded.get().answer());
        assertEquals(answer.isAnsweredBy("leaf#3"), recorded.get().correct());
        screenshot("lesson04-question-revealed");
    }

    @Test
    void theGoalFailsOnTheLessonProgramAndPassesOnTheSolution() throws Exception {
        assertTrue(fx(() -> window.lessonMode.open("04-work-stealing")));
        Lesson l = window.lessonMode.lesson();
        screenshot("lesson04-opened");
        GoalResult before = fx(window.lessonMode::checkGoal).get(60, TimeUnit.SECONDS);
        assertFalse(before.passed(), before.why());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.lessonMode.goalResultText().startsWith("✖"), window.lessonMode.goalResultText());
        fxRun(() -> window.editor.setText(l.solution(), l.id() + ".jan"));
        GoalResult after = fx(window.lessonMode::checkGoal).get(60, TimeUnit.SECONDS);
        assertTrue(after.passed(), after.why());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.lessonMode.goalResultText().startsWith("✔"), window.lessonMode.goalResultText());
        assertTrue(window.lessonMode.progress().goalMet("04-work-stealing"));
        screenshot("lesson04-goal-met");
        fxRun(window.lessonMode::backToLesson);
        assertEquals(l.program(), fx(window.editor::text), "Back to the lesson restores its program");
        assertTrue(window.lessonMode.active());
    }

    @Test
    void lessonSixStepsAndScreenshots() throws Exception {
        LessonScript script = openAndRun("06-cancellation");
        screenshot("lesson06-step1-cancel-request");
        step(true);
        step(true);
        assertEquals(script.seqOf(2), window.model.cursor.get());
        screenshot("lesson06-step3-sleepy-cancelled");
        fxRun(() -> {
            window.lessonMode.goToStep(4);
            window.loop.renderNow();
        });
        assertTrue(window.narration.text().contains("stubborn never checked"), window.narration.text());
        screenshot("lesson06-step5-stubborn-done");
    }

    @Test
    void aSavedLessonTraceReopensOnItsStepAndReplayControlsMoveTheCursor() throws Exception {
        LessonScript script = openAndRun("04-work-stealing");
        step(true);
        step(true); // step 3 (index 2): the steal
        Path file = Files.createTempDirectory("janus-replay").resolve("lesson4.jtrace");
        fxRun(() -> {
            try {
                window.saveTrace(file);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Trace read = TraceFiles.read(file);
        assertEquals(new TraceHeader.Lesson("04-work-stealing", 2), read.header().lesson(), "the header round-trips");

        // leave the lesson, then open the trace: replay lands on the lesson step
        fxRun(() -> window.loadProgram("async func main() do\nend\n", null, "other.jan"));
        assertFalse(window.lessonMode.active());
        fxRun(() -> window.open(file));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.model.recording.get() != null
                && window.model.session.get() == null && window.lessonMode.active());
        fxRun(window.loop::renderNow);
        assertEquals(script.seqOf(2), window.model.cursor.get(), "reopening lands on the saved step");
        assertFalse(window.editor.area().isEditable(), "replay: the program is read-only");
        assertTrue(window.narration.text().contains(window.lessonMode.lesson().steps().get(2).say()));

        // slider scrubs the whole run
        Slider slider = find("#scrubber");
        Trace rec = window.model.recording.get();
        assertEquals(rec.size() - 1, (long) slider.getMax());
        fxRun(() -> slider.setValue(5));
        assertEquals(5, window.model.cursor.get());
        // arrows: one event
        fxRun(() -> window.lanes.requestFocus());
        type(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(6, window.model.cursor.get());
        type(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(5, window.model.cursor.get());
        // Alt+→ / Alt+←: next / previous event of the selected task
        int task = rec.taskOf(script.seqOf(2));
        fxRun(() -> window.model.select(task));
        long expected = rec.nextEventOfTask(task, 5, true);
        assertTrue(expected > 5);
        press(KeyCode.ALT).type(KeyCode.RIGHT).release(KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(expected, window.model.cursor.get(), "Alt+→ jumps to the selected task's next event");
        long after = rec.nextEventOfTask(task, expected, true);
        press(KeyCode.ALT).type(KeyCode.RIGHT).release(KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(after, window.model.cursor.get());
        press(KeyCode.ALT).type(KeyCode.LEFT).release(KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(expected, window.model.cursor.get(), "Alt+← jumps back");
        screenshot("replay-lesson04");

        // File > Export Chrome JSON
        Path chrome = file.resolveSibling("lesson4.chrome.json");
        fxRun(() -> {
            try {
                window.exportChrome(chrome);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(chrome.toFile());
        var events = json.isArray() ? json : json.path("traceEvents");
        assertTrue(events.isArray() && events.size() > 10, "Chrome JSON has trace events");
    }

    @Test
    void markdownRendersHeadingsListsAndCode() {
        var blocks = Markdown.parse("# Title\n\nSome `code` and **bold**.\n\n- one\n  more\n- two\n\n```\nx = 1\n```\n");
        assertEquals("h1", blocks.get(0).kind());
        assertEquals("p", blocks.get(1).kind());
        assertEquals("li", blocks.get(2).kind());
        assertTrue(blocks.get(2).text().endsWith("one more"), blocks.get(2).text());
        assertEquals("li", blocks.get(3).kind());
        assertEquals(new Markdown.Block("code", "x = 1"), blocks.get(4));
        assertNotNull(fx(() -> Markdown.render("# x\n\ntext `c`")));
    }
}

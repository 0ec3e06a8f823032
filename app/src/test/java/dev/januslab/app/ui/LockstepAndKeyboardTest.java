package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.TestTraces;
import dev.januslab.scheduler.trace.Trace;
import javafx.event.Event;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Window;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

class LockstepAndKeyboardTest extends LabFxTest {
    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    private void assertLockstep(long seq) {
        for (LabView v : new LabView[] {window.lanes, window.tree, window.timeline, window.console, window.eventLog,
                window.narration}) {
            assertEquals(seq, fx(v::shownSeq), v.getClass().getSimpleName());
        }
    }

    @Test
    void everyViewShowsTheSameMoment() {
        Trace rec = TestTraces.workStealing();
        for (long seq : new long[] {0, 17, rec.size() / 2, 5, rec.size() - 1}) {
            showAt(rec, seq);
            assertLockstep(seq);
        }
        assertEquals(rec.size(), (long) fx(() -> window.eventLog.table().getItems().size()));
        assertEquals(1, (int) fx(() -> window.console.lines().size()), "one println at the end");
    }

    @Test
    void selectingATaskSelectsItEverywhere() {
        Trace rec = TestTraces.whyAsync();
        long allAsleep = 0;
        while (rec.stateAt(allAsleep).sleeping().size() < 3) allAsleep++;
        showAt(rec, allAsleep);
        clickOn("#chip-2");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, window.model.selectedTask.get());
        fxRun(window.loop::renderNow);
        assertTrue(fx(() -> window.root().lookup("#chip-2").getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("selected"))));
        assertEquals(5, (int) fx(window.editor::currentLine), "the editor shows fetch#2's line (await sleep)");
    }

    @Test
    void arrowsStepAndSpacePlays() {
        Trace rec = TestTraces.workStealing();
        showAt(rec, 10);
        fxRun(() -> window.lanes.requestFocus());
        type(KeyCode.RIGHT);
        assertEquals(11, window.model.cursor.get());
        type(KeyCode.RIGHT, 3);
        assertEquals(14, window.model.cursor.get());
        type(KeyCode.LEFT);
        assertEquals(13, window.model.cursor.get());
        type(KeyCode.SPACE);
        assertTrue(window.model.playing.get(), "space plays the replay");
        type(KeyCode.SPACE);
        assertTrue(!window.model.playing.get(), "space pauses");
    }

    @Test
    void plusMinusChangeSpeedAndCtrlEqualsChangesTextSize() {
        showAt(TestTraces.whyAsync(), 3);
        fxRun(() -> window.lanes.requestFocus());
        int speed = window.model.speedIndex.get();
        typeChar("+");
        assertEquals(speed + 1, window.model.speedIndex.get());
        typeChar("-");
        typeChar("-");
        assertEquals(speed - 1, window.model.speedIndex.get());
        double font = window.model.fontSize.get();
        press(KeyCode.CONTROL).type(KeyCode.EQUALS).release(KeyCode.CONTROL);
        assertEquals(font + 2, window.model.fontSize.get());
        press(KeyCode.CONTROL).type(KeyCode.MINUS).release(KeyCode.CONTROL);
        assertEquals(font, window.model.fontSize.get());
    }

    @Test
    void questionMarkListsEveryShortcut() {
        showAt(TestTraces.whyAsync(), 3);
        fxRun(() -> window.lanes.requestFocus());
        typeChar("?");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> Window.getWindows().stream().anyMatch(w -> w.getScene() != null
                && w.getScene().lookup("#shortcuts-grid") != null)), "the shortcuts dialog is open");
    }

    @Test
    void spaceInTheEditorTypesASpace() {
        fxRun(() -> window.editor.area().requestFocus());
        fxRun(() -> window.editor.area().moveTo(0));
        type(KeyCode.SPACE);
        assertTrue(window.editor.text().startsWith(" "), "typed into the program");
        assertTrue(!window.model.playing.get());
    }

    private void typeChar(String c) {
        fxRun(() -> Event.fireEvent(window.root().getScene().getFocusOwner() != null
                        ? window.root().getScene().getFocusOwner() : window.root(),
                new KeyEvent(KeyEvent.KEY_TYPED, c, "", KeyCode.UNDEFINED, false, false, false, false)));
    }
}

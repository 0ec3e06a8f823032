package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.Trace;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Opening a trace puts its program in the editor without rebuilding what need not be: the
 * editor's rows are made over two frames and all of them are there a few frames later, at
 * the editor's full height; a check that finds the problems already shown leaves the rows
 * (and their gutters) alone; the gutter numbers every row, padded to the line count.
 */
class EditorOpeningTest extends LabFxTest {
    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @Test
    void anOpenedProgramGetsAllItsRowsWithinAFewFrames() throws Exception {
        Trace rec = SampleTraces.fanOut10k();
        String program = rec.header().program().source();
        int lines = (int) program.lines().count();
        fxRun(() -> window.showRecording(rec, "test"));
        assertEquals(program, fx(() -> window.editor.text()), "the program is in the editor at once");
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> fx(() -> window.editor.area().getPadding().getBottom() == 0));
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> fx(() -> {
            window.root().applyCss();
            window.root().layout();
            // every line the editor's height holds has its row, numbered
            int rows = window.editor.area().getVisibleParagraphs().size();
            return rows >= Math.min(lines, 15) && numbered(rows);
        }));
    }

    @Test
    void aCheckThatFindsNoNewProblemsKeepsTheRows() throws Exception {
        Trace rec = SampleTraces.steal();
        fxRun(() -> window.showRecording(rec, "test"));
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> fx(() -> window.editor.area().getPadding().getBottom() == 0));
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS); // the checker has looked at the program
        Node before = fx(() -> gutterOfFirstRow());
        fxRun(() -> window.editor.showDiagnostics(List.of()));
        fxRun(() -> {
            window.root().applyCss();
            window.root().layout();
        });
        assertSame(before, fx(() -> gutterOfFirstRow()), "the same row, not a rebuilt one");
        assertTrue(fx(() -> window.root().lookup(".gutter-error") == null), "no problem marks");
    }

    private Node gutterOfFirstRow() {
        return window.editor.area().lookupAll(".gutter").stream()
                .filter(g -> g.lookup(".lineno") != null && text(g.lookup(".lineno")).strip().equals("1"))
                .findFirst().orElse(null);
    }

    private boolean numbered(int rows) {
        int digits = String.valueOf(window.editor.area().getParagraphs().size()).length();
        long ok = window.editor.area().lookupAll(".lineno").stream().map(EditorOpeningTest::text)
                .filter(t -> t.length() == digits && !t.isBlank()).count();
        return ok >= rows;
    }

    private static String text(Node lineno) {
        return ((javafx.scene.text.Text) ((javafx.scene.Parent) lineno).getChildrenUnmodifiable().get(0)).getText();
    }
}

package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.TestTraces;
import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.TableCell;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testfx.framework.junit5.Start;

/**
 * The console, event log and nursery tree give every row one height (base.css,
 * {@code -fx-fixed-cell-size} in em) so they need not measure cells on each frame; this
 * checks that the height still holds each row's content, at the normal and the largest
 * font size, so nothing is clipped on a projector.
 */
class FixedCellSizeTest extends LabFxTest {
    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @ParameterizedTest
    @ValueSource(doubles = {15, 36})
    void everyRowFitsItsFixedHeight(double fontSize) {
        fxRun(() -> window.model.fontSize.set(fontSize));
        List<String> problems = new ArrayList<>();
        for (Trace rec : List.of(TestTraces.whyAsync(), SampleTraces.failingChild(), SampleTraces.cancelWave())) {
            showAt(rec, rec.size() - 1);
            layout();
            fxRun(() -> window.showTab(0));
            layout();
            if (prints(rec)) problems.addAll(fx(() -> check(window.console.lookup(".list-view"), ".list-cell")));
            fxRun(() -> window.showTab(1));
            layout();
            problems.addAll(fx(() -> check(window.eventLog.table(), ".table-row-cell")));
            problems.addAll(fx(() -> check(window.tree.tree(), ".tree-cell")));
        }
        assertTrue(problems.isEmpty(), "rows taller than the fixed cell size at " + fontSize + " px: " + problems);
    }

    private static boolean prints(Trace rec) {
        for (long i = 0; i < rec.size(); i++) if (rec.get(i) instanceof dev.januslab.scheduler.trace.TraceEvent.Print) return true;
        return false;
    }

    private void layout() {
        fxRun(() -> {
            window.root().applyCss();
            window.root().layout();
        });
    }

    private static List<String> check(Node control, String cellSelector) {
        List<String> problems = new ArrayList<>();
        double fixed = control instanceof javafx.scene.control.ListView<?> l ? l.getFixedCellSize()
                : control instanceof javafx.scene.control.TableView<?> t ? t.getFixedCellSize()
                : ((javafx.scene.control.TreeView<?>) control).getFixedCellSize();
        if (fixed <= 0) problems.add(control.getStyleClass() + " has no fixed cell size");
        int seen = 0;
        for (Node n : control.lookupAll(cellSelector)) {
            IndexedCell<?> cell = (IndexedCell<?>) n;
            if (cell.isEmpty() || cell.getItem() == null || !cell.isVisible()) continue;
            seen++;
            double natural = naturalHeight(cell);
            if (natural > fixed + 0.5) problems.add(cellSelector + " " + cell.getIndex() + ": needs " + natural + ", has " + fixed);
        }
        if (seen == 0) problems.add(cellSelector + ": no rows shown");
        return problems;
    }

    /** The height the row's content asks for (a fixed cell size makes the cell itself report that size). */
    private static double naturalHeight(IndexedCell<?> cell) {
        double insets = cell.snappedTopInset() + cell.snappedBottomInset();
        if (cell.getGraphic() != null) return insets + cell.getGraphic().prefHeight(-1);
        double tallest = 0;
        for (Node n : cell.lookupAll(".table-cell")) {
            TableCell<?, ?> c = (TableCell<?, ?>) n;
            Text text = new Text(c.getText() == null || c.getText().isEmpty() ? "Ag" : c.getText());
            text.setFont(c.getFont());
            double h = c.snappedTopInset() + c.snappedBottomInset()
                    + (c.getGraphic() != null ? Math.max(c.getGraphic().prefHeight(-1), text.getLayoutBounds().getHeight())
                    : text.getLayoutBounds().getHeight());
            tallest = Math.max(tallest, h);
        }
        return insets + tallest;
    }
}

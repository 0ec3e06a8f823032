package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.TestTraces;
import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * The views update in place frame after frame (issue 5, calm at scale): nodes are kept,
 * big groups are summarised with a count that follows the cursor, and the timeline draws
 * only the new strip — with the same pixels as drawing it all.
 */
class IncrementalRenderingTest extends LabFxTest {
    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    private Map<String, Node> dequeChips(int worker) {
        return fx(() -> {
            Pane p = (Pane) window.root().lookup("#deque-" + worker);
            Map<String, Node> m = new java.util.HashMap<>();
            for (Node n : p.getChildrenUnmodifiable()) if (n.getStyleClass().contains("chip")) m.put(((Label) n).getText(), n);
            return m;
        });
    }

    @Test
    void aPushKeepsTheChipsAlreadyInTheDeque() {
        Trace rec = TestTraces.workStealing();
        long push = WorkerLanesViewTest.find(rec, 0, "task_push");
        while (((TraceEvent.TaskPush) rec.get(push)).queue() != 0 || rec.stateAt(push).worker(0).queue().size() < 2) {
            push = WorkerLanesViewTest.find(rec, push + 1, "task_push");
        }
        showAt(rec, push);
        Map<String, Node> before = dequeChips(0);
        long next = WorkerLanesViewTest.find(rec, push + 1, "task_push");
        assertEquals(0, ((TraceEvent.TaskPush) rec.get(next)).queue(), "the next push is onto W0 too");
        seek(next);
        Map<String, Node> after = dequeChips(0);
        assertEquals(before.size() + 1, after.size(), after.keySet().toString());
        for (var e : before.entrySet()) {
            assertSame(e.getValue(), after.get(e.getKey()), "the chip of " + e.getKey() + " stays the same node");
        }
    }

    @Test
    void aSummaryRowCountsHiddenSiblingsAsTheyAreSpawnedWithoutRebuildingRows() {
        Trace rec = SampleTraces.fanOut10k();
        long early = 0;
        while (rec.stateAt(early).nursery(1) == null || rec.stateAt(early).nursery(1).children().size() < 45) early++;
        showAt(rec, early);
        fxRun(() -> window.tree.tree().scrollTo(40)); // root, main, its nursery, 40 leaves: the summary is row 43
        String before = summaryRow();
        assertTrue(before.startsWith("⋯ +5 tasks"), before);
        Set<Node> cellsBefore = cells();
        seek(early + 500);
        int kids = rec.stateAt(early + 500).nursery(1).children().size();
        assertTrue(kids > 45, "more leaves were spawned: " + kids);
        String after = summaryRow();
        assertTrue(after.startsWith(String.format("⋯ +%,d tasks", kids - 40)), after);
        assertEquals(cellsBefore, cells(), "the tree keeps its cells (no refresh that recreates them)");
    }

    /** The first summary row's text ("⋯ +N tasks 3 live, 0 finished"). */
    private String summaryRow() {
        return fx(() -> {
            window.tree.tree().layout();
            return window.tree.tree().lookupAll(".tree-cell").stream().map(n -> (TreeCell<?>) n)
                    .filter(c -> !c.isEmpty() && c.getGraphic() instanceof HBox && c.getGraphic().isVisible())
                    .sorted((a, b) -> Integer.compare(a.getIndex(), b.getIndex()))
                    .map(c -> ((HBox) c.getGraphic()).getChildren().stream().filter(n -> n instanceof Label)
                            .map(n -> ((Label) n).getText()).collect(Collectors.joining(" ")).strip())
                    .filter(r -> r.startsWith("⋯"))
                    .findFirst().orElseThrow(() -> new AssertionError("no summary row")).replaceAll(" +", " ");
        });
    }

    private Set<Node> cells() {
        return fx(() -> {
            window.tree.tree().layout();
            Set<Node> s = Collections.newSetFromMap(new IdentityHashMap<>());
            s.addAll(window.tree.tree().lookupAll(".tree-cell"));
            return s;
        });
    }

    @Test
    void theTimelineDrawnStripByStripLooksLikeOneDrawnWhole() {
        Trace rec = SampleTraces.fanOut10k();
        showAt(rec, 20_000);
        assertTrue(consoleShowsNewestLine(), "the console follows the newest line after a jump");
        for (long seq = 20_080; seq <= 20_400; seq += 80) seek(seq); // a replay: four frames, strips only
        assertTrue(consoleShowsNewestLine(), "and while the replay plays on");
        WritableImage strips = fx(() -> window.timeline.snapshot(null, null));
        fxRun(() -> window.timeline.setDark(false)); // the same look, drawn whole
        WritableImage whole = fx(() -> window.timeline.snapshot(null, null));
        assertEquals(0, differingPixels(strips, whole), "pixels that differ between strip-by-strip and whole");
    }

    @Test
    void theEventLogJoinsTheWindowWhenItsTabIsChosen() {
        Trace rec = TestTraces.workStealing();
        showAt(rec, rec.size() - 1);
        assertEquals(rec.size(), (long) fx(() -> window.eventLog.table().getItems().size()), "rows are kept while hidden");
        fxRun(() -> window.showTab(1));
        seek(rec.size() - 1);
        assertNotNull(fx(() -> window.eventLog.getScene()), "in the window once chosen");
        List<Long> shown = fx(() -> {
            window.eventLog.table().layout();
            return window.eventLog.table().lookupAll(".table-row-cell").stream()
                    .map(n -> (javafx.scene.control.TableRow<?>) n).filter(r -> r.getItem() != null)
                    .map(r -> ((TraceEvent) r.getItem()).seq()).collect(Collectors.toList());
        });
        assertTrue(shown.contains(rec.size() - 1), "scrolled to the newest event: " + shown);
        // hidden again while the cursor moves: the table is told when it shows
        Trace big = SampleTraces.fanOut10k();
        fxRun(() -> window.showTab(0));
        showAt(big, 5_000);
        seek(9_000);
        assertEquals(9_001, (int) fx(() -> window.eventLog.table().getItems().size()));
        fxRun(() -> window.showTab(1));
        List<Long> later = fx(() -> {
            window.eventLog.table().layout();
            return window.eventLog.table().lookupAll(".table-row-cell").stream()
                    .map(n -> (javafx.scene.control.TableRow<?>) n).filter(r -> r.getItem() != null && r.isVisible())
                    .map(r -> ((TraceEvent) r.getItem()).seq()).collect(Collectors.toList());
        });
        assertTrue(later.contains(9_000L), "caught up with the newest event when shown: " + later);
    }

    private boolean consoleShowsNewestLine() {
        return fx(() -> {
            var lines = window.console.lines();
            var list = (javafx.scene.control.ListView<?>) window.console.lookup(".list-view");
            list.layout();
            Object newest = lines.get(lines.size() - 1);
            return list.lookupAll(".list-cell").stream().map(n -> (javafx.scene.control.ListCell<?>) n)
                    .anyMatch(c -> c.isVisible() && newest.equals(c.getItem()));
        });
    }

    private static long differingPixels(WritableImage a, WritableImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        PixelReader ra = a.getPixelReader(), rb = b.getPixelReader();
        long n = 0;
        for (int y = 0; y < (int) a.getHeight(); y++) {
            for (int x = 0; x < (int) a.getWidth(); x++) if (ra.getArgb(x, y) != rb.getArgb(x, y)) n++;
        }
        return n;
    }
}

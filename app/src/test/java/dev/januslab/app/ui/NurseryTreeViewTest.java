package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.TestTraces;
import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

class NurseryTreeViewTest extends LabFxTest {
    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    /** The visible rows of the tree as text (glyph, name, detail). */
    private List<String> rows() {
        return fx(() -> {
            window.tree.tree().layout();
            return window.tree.tree().lookupAll(".tree-cell").stream()
                    .map(n -> (TreeCell<?>) n)
                    .filter(c -> !c.isEmpty() && c.getGraphic() instanceof HBox)
                    .sorted((a, b) -> Integer.compare(a.getIndex(), b.getIndex()))
                    .map(c -> ((HBox) c.getGraphic()).getChildren().stream().filter(n -> n instanceof Label)
                            .map(n -> ((Label) n).getText()).collect(Collectors.joining(" ")).strip())
                    .collect(Collectors.toList());
        });
    }

    /** The row of a task whose name starts so ("hog#"), or of a nursery ("nursery 1"). */
    private String row(String name) {
        return rows().stream().filter(r -> name.startsWith("nursery ") ? r.contains(name + " ")
                        : r.split(" +").length > 1 && r.split(" +")[1].startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + " in " + rows()));
    }

    private static long count(javafx.scene.control.TreeItem<dev.januslab.app.ui.views.NurseryTreeView.Node> item) {
        long n = item.getValue().kind() == 'M' && item.getValue().hidden() == 60 ? 1 : 0;
        for (var c : item.getChildren()) n += count(c);
        return n;
    }

    @Test
    void theTreeGrowsAsTasksSpawn() {
        Trace rec = TestTraces.whyAsync();
        long firstSpawn = WorkerLanesViewTest.find(rec, WorkerLanesViewTest.find(rec, 0, "task_spawn") + 1, "task_spawn");
        showAt(rec, firstSpawn - 1);
        assertTrue(rows().stream().noneMatch(r -> r.matches("^\\S+ fetch#.*")));
        seek(firstSpawn);
        assertEquals(1, rows().stream().filter(r -> r.matches("^\\S+ fetch#.*")).count());
        seek(WorkerLanesViewTest.find(rec, WorkerLanesViewTest.find(rec, 0, "nursery_join"), "task_block"));
        assertEquals(3, rows().stream().filter(r -> r.matches("^\\S+ fetch#.*")).count());
        assertTrue(row("nursery 1").contains("at its end, waiting for 3: fetch#1, fetch#2, fetch#3"), row("nursery 1"));
    }

    @Test
    void cancellationShowsRequestedThenObservedOrStillRunning() {
        Trace rec = SampleTraces.cancelWave();
        long req = WorkerLanesViewTest.find(rec, 0, "cancel_request");
        showAt(rec, req + 9); // the whole wave has been requested
        assertTrue(row("stubborn#").contains("⚑ cancel still running — no checkpoint yet"), row("stubborn#"));
        assertTrue(row("nursery 1").contains("⚑ cancelled (explicit)"), row("nursery 1"));
        screenshot("tree-cancel-requested");
        long observed = WorkerLanesViewTest.find(rec, req, "cancel_observe");
        while (((TraceEvent.CancelObserve) rec.get(observed)).task() != 7) {
            observed = WorkerLanesViewTest.find(rec, observed + 1, "cancel_observe");
        }
        seek(observed);
        assertTrue(row("worker#7").contains("⚑ cancel observed at line 3"), row("worker#7"));
        seek(rec.size() - 1);
        assertTrue(row("stubborn#").contains("finished without observing it"), row("stubborn#"));
        assertTrue(row("worker#6").startsWith("⊘"), "cancelled has its own glyph: " + row("worker#6"));
        screenshot("tree-cancel-end");
    }

    @Test
    void anErrorTravelsUpAndCancelsSiblings() {
        Trace rec = SampleTraces.failingChild();
        showAt(rec, rec.size() - 1);
        assertTrue(row("nursery 1").contains("closed with NetError.Refused ↑ raised in main#0"), row("nursery 1"));
        assertTrue(rows().stream().anyMatch(r -> r.startsWith("✖") && r.contains("NetError.Refused ↑ to its nursery")));
        assertEquals(2, rows().stream().filter(r -> r.startsWith("⊘") && r.contains("cancelled (failure)") || r.startsWith("⊘")).count());
    }

    @Test
    void bigSiblingGroupsAreCollapsed() {
        Trace rec = TestTraces.batches100x100();
        showAt(rec, rec.size() - 1);
        long summaries = fx(() -> count(window.tree.tree().getRoot()));
        assertEquals(41, summaries, "main shows 40 of its 100 batches, each shown batch 40 of its 100 leaves, and +60 tasks for the rest");
        fxRun(() -> window.tree.tree().scrollTo(41 + 3));
        screenshot("tree-10k");
    }
}

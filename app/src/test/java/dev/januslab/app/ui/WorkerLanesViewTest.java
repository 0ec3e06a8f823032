package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.TestTraces;
import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.TaskState;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire.BlockOn;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

class WorkerLanesViewTest extends LabFxTest {
    static final int MAX = 6;

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    private List<String> chips(String paneId) {
        return fx(() -> {
            Pane p = (Pane) window.root().lookup("#" + paneId);
            return p.getChildrenUnmodifiable().stream().filter(n -> n.getStyleClass().contains("chip"))
                    .map(n -> ((Label) n).getText()).collect(Collectors.toList());
        });
    }

    @Test
    void aSpawnedTaskAppearsOnTopOfItsWorkersDeque() {
        Trace rec = TestTraces.workStealing();
        long push = find(rec, find(rec, find(rec, 0, "nursery_open") + 1, "nursery_open") + 1, "task_push");
        while (((TraceEvent.TaskPush) rec.get(push)).queue() < 0) push = find(rec, push + 1, "task_push");
        TraceEvent.TaskPush e = (TraceEvent.TaskPush) rec.get(push);
        showAt(rec, push);
        String name = "crunch#" + e.task();
        List<String> deque = chips("deque-" + e.queue());
        assertFalse(deque.isEmpty());
        assertTrue(deque.get(0).endsWith(name), "newest child is at the owner's end: " + deque);
        assertTrue(window.narration.text().contains(name + " is pushed on top of W" + e.queue()));
        // a later push goes on top of the earlier one
        long next = find(rec, push + 1, "task_push");
        showAt(rec, next);
        List<String> after = chips("deque-" + e.queue());
        assertTrue(after.get(0).endsWith("crunch#" + ((TraceEvent.TaskPush) rec.get(next)).task()), after.toString());
        assertTrue(after.get(1).endsWith(name), after.toString());
    }

    @Test
    void aStealMovesTheTaskToTheThiefAndDrawsAnArrow() {
        Trace rec = TestTraces.workStealing();
        long steal = find(rec, 0, "task_steal");
        TraceEvent.TaskSteal e = (TraceEvent.TaskSteal) rec.get(steal);
        String name = "crunch#" + e.task();
        showAt(rec, steal - 1);
        List<String> before = chips("deque-" + e.victim());
        assertTrue(before.get(before.size() - 1).endsWith(name), "taken from the far end: " + before);
        screenshot("lanes-before-steal");
        seek(steal);
        assertFalse(chips("deque-" + e.victim()).stream().anyMatch(c -> c.endsWith(name)), "gone from the victim");
        Node ghost = findOnTheNextFrame("#steal-ghost");
        assertNotNull(ghost, "the steal is animated with an arrow");
        // it starts where the task was taken: the victim's "far end" mark, where this step's
        // layout put it (the arrow is drawn after the frame's layout pass)
        javafx.geometry.Point2D start = fx(() -> ghost.getParent().localToScene(ghost.getLayoutX(), ghost.getLayoutY() + 12));
        javafx.geometry.Bounds farEnd = fx(() -> {
            Node mark = window.root().lookup("#far-end-" + e.victim());
            return mark.localToScene(mark.getBoundsInLocal());
        });
        assertEquals(farEnd.getCenterX(), start.getX(), 2, "the arrow starts at the far end of W" + e.victim());
        assertEquals(farEnd.getCenterY(), start.getY(), 2, "the arrow starts at the far end of W" + e.victim());
        long run = find(rec, steal, "task_run");
        seek(run);
        List<String> running = fx(() -> ((Pane) window.root().lookup("#running-" + e.w())).getChildrenUnmodifiable()
                .stream().map(n -> ((Label) n).getText()).collect(Collectors.toList()));
        assertEquals(1, running.size());
        assertTrue(running.get(0).endsWith(rec.stateAt(run).taskName(rec.taskOf(run))));
        assertTrue(running.get(0).endsWith(name));
        screenshot("lanes-after-steal");
    }

    @Test
    void sleepingTasksSayUntilWhenAndTheJoinerSaysWhatItWaitsFor() {
        Trace rec = TestTraces.whyAsync();
        long block = 0;
        while (!(rec.stateAt(block).sleeping().size() == 3
                && rec.stateAt(block).task(0).state() == TaskState.BLOCKED
                && rec.stateAt(block).task(0).blockedOn() == BlockOn.JOIN)) block++;
        showAt(rec, block);
        List<String> sleeping = fx(() -> ((Pane) window.root().lookup("#sleeping")).getChildrenUnmodifiable().stream()
                .filter(n -> n.getStyleClass().contains("chip")).map(n -> ((Label) n).getText()).collect(Collectors.toList()));
        assertEquals(3, sleeping.size(), sleeping.toString());
        assertTrue(sleeping.get(0).contains("until "), sleeping.toString());
        List<String> waiting = fx(() -> ((Pane) window.root().lookup("#blocked")).getChildrenUnmodifiable().stream()
                .filter(n -> n.getStyleClass().contains("chip")).map(n -> ((Label) n).getText()).collect(Collectors.toList()));
        assertEquals(List.of("‖ main#0  → end of nursery 1"), waiting);
        Node none = find("#steal-ghost");
        assertNull(none);
        screenshot("lesson1-waiting");
    }

    @Test
    void tenThousandTasksAreSummarised() {
        Trace rec = SampleTraces.fanOut10k();
        showAt(rec, rec.size() / 3);
        for (int w = 0; w < 4; w++) {
            int chips = chips("deque-" + w).size();
            assertTrue(chips <= WorkerLanesViewTest.MAX + 1, "at most 6 chips and a +N more: " + chips);
        }
        screenshot("fan-out-10k-third");
    }

    @Test
    void aFullDequeStaysInsideItsLaneUpToTheFarEnd() {
        // the moment W0's deque is longest, in lesson mode (the lesson pane takes a quarter of
        // the 1500 px window): a one-line strip ran off the lane and hid the far end
        Trace rec = SampleTraces.fanOut10k();
        long longest = 0;
        int most = -1;
        for (long q = 0; q < Math.min(rec.size(), 4000); q += 7) {
            int n = rec.stateAt(q).worker(0).queue().size();
            if (n > most) {
                most = n;
                longest = q;
            }
        }
        assertTrue(most > MAX, "W0's deque overflows into '+N more' at some point: " + most);
        showAt(rec, longest);
        List<String> outside = fx(() -> {
            Pane lane = (Pane) window.root().lookup("#lane-0");
            Pane deque = (Pane) window.root().lookup("#deque-0");
            double right = lane.localToScene(lane.getLayoutBounds()).getMaxX();
            double viewRight = window.lanes.localToScene(window.lanes.getLayoutBounds()).getMaxX();
            return deque.getChildrenUnmodifiable().stream()
                    .filter(n -> n.localToScene(n.getBoundsInLocal()).getMaxX() > Math.min(right, viewRight) + 0.5)
                    .map(n -> n instanceof Label l ? l.getText() : n.toString()).collect(Collectors.toList());
        });
        assertTrue(outside.isEmpty(), "cut off at the lane's right edge: " + outside);
        assertEquals(MAX + 1, chips("deque-0").size(), "six chips and '+N more'");
        assertNotNull(find("#far-end-0"), "the far end is marked");
        screenshot("lanes-long-deque-narrow");
    }

    static long find(Trace rec, long from, String kind) {
        for (long i = from; i < rec.size(); i++) if (rec.get(i).kind().equals(kind)) return i;
        return -1;
    }
}

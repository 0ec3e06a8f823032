package dev.januslab.app.ui.views;

import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.TaskInfo;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.animation.FadeTransition;
import javafx.animation.ParallelTransition;
import javafx.animation.ScaleTransition;
import javafx.animation.TranslateTransition;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.util.Duration;

/**
 * One lane per worker: the task it runs, then its deque from the owner's end (top, where new
 * children go) to the far end (where thieves steal); below, the inject queue and the tasks
 * that sleep or wait, each with what it waits for. A steal draws an arrow from the victim's
 * far end to the thief; a spawn lets the new chip grow into its deque.
 */
public final class WorkerLanesView extends StackPane implements LabView {
    /** At most this many chips per queue; the rest are summarised as "+N more". */
    static final int MAX_CHIPS = 6;

    private final VBox lanes = new VBox();
    private final Pane overlay = new Pane();
    private final IntConsumer onSelect;
    private long shownSeq = -1;

    public WorkerLanesView(IntConsumer onSelect) {
        this.onSelect = onSelect;
        getStyleClass().add("worker-lanes");
        setId("worker-lanes");
        lanes.getStyleClass().add("lanes-box");
        ScrollPane scroll = new ScrollPane(lanes);
        scroll.setFitToWidth(true);
        overlay.setMouseTransparent(true);
        overlay.setManaged(false);
        getChildren().addAll(scroll, overlay);
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    @Override
    public void render(Frame f) {
        shownSeq = f.seq();
        SchedulerState s = f.state();
        lanes.getChildren().clear();
        Label title = new Label("Workers");
        title.getStyleClass().add("view-title");
        lanes.getChildren().add(title);
        for (int w = 0; w < s.workerCount(); w++) lanes.getChildren().add(lane(w, s.worker(w), s, f));
        lanes.getChildren().add(queueRow("Inject queue", "inject", s.injectQueue(), s, f, "shared; any worker takes from it"));
        lanes.getChildren().add(waitingRow("Sleeping", "sleeping", s.sleeping(), s, f));
        lanes.getChildren().add(waitingRow("Waiting", "blocked", s.blocked(), s, f));
        // an arrow belongs to the step that made it: a jump back or elsewhere removes it
        if (f.steppedForward()) animate(f);
        else if (f.seq() != f.previousSeq()) overlay.getChildren().clear();
    }

    private Node lane(int w, SchedulerState.Worker worker, SchedulerState s, Frame f) {
        HBox lane = new HBox();
        lane.getStyleClass().add("lane");
        lane.setId("lane-" + w);
        Label name = new Label("W" + w);
        name.getStyleClass().add("lane-name");
        Node running;
        if (worker.running() >= 0 && s.task(worker.running()) != null) {
            TaskChip chip = new TaskChip(s.task(worker.running()), "", f.selectedTask() == worker.running(), onSelect);
            chip.getStyleClass().add("running-chip");
            running = chip;
        } else {
            Label idle = new Label(worker.parked() ? "☾ parked" : "· idle");
            idle.getStyleClass().add("idle");
            running = idle;
        }
        StackPane runBox = new StackPane(running);
        runBox.getStyleClass().add("run-slot");
        runBox.setId("running-" + w);
        HBox deque = new HBox();
        deque.getStyleClass().add("deque");
        deque.setId("deque-" + w);
        // Owner's end (top) first, far end (where thieves steal) last: the model's queue order.
        List<Integer> d = worker.queue();
        int shown = 0;
        for (int i = 0; i < d.size() && shown < MAX_CHIPS; i++, shown++) {
            TaskInfo ti = s.task(d.get(i));
            if (ti != null) deque.getChildren().add(new TaskChip(ti, "", f.selectedTask() == ti.id(), onSelect));
        }
        if (d.size() > shown) deque.getChildren().add(more(d.size() - shown));
        if (d.isEmpty()) {
            Label empty = new Label("deque empty");
            empty.getStyleClass().add("hint");
            deque.getChildren().add(empty);
        }
        Label ends = new Label(d.isEmpty() ? "" : "⇠ far end");
        ends.getStyleClass().add("hint");
        HBox.setHgrow(deque, Priority.ALWAYS);
        lane.getChildren().addAll(name, runBox, arrowLabel(d.isEmpty()), deque, ends);
        return lane;
    }

    private static Label arrowLabel(boolean empty) {
        Label l = new Label(empty ? "" : "top ⇢");
        l.getStyleClass().add("hint");
        return l;
    }

    private static Label more(int n) {
        Label l = new Label(String.format("+%,d more", n));
        l.getStyleClass().addAll("chip", "more-chip");
        return l;
    }

    private Node queueRow(String title, String id, List<Integer> q, SchedulerState s, Frame f, String hint) {
        FlowPane row = new FlowPane();
        row.getStyleClass().add("queue-row");
        row.setId(id);
        Label t = new Label(title);
        t.getStyleClass().add("row-title");
        row.getChildren().add(t);
        int shown = 0;
        for (int i = 0; i < q.size() && shown < MAX_CHIPS; i++, shown++) {
            TaskInfo ti = s.task(q.get(i));
            if (ti != null) row.getChildren().add(new TaskChip(ti, "", f.selectedTask() == ti.id(), onSelect));
        }
        if (q.size() > shown) row.getChildren().add(more(q.size() - shown));
        if (q.isEmpty()) {
            Label e = new Label("empty — " + hint);
            e.getStyleClass().add("hint");
            row.getChildren().add(e);
        }
        return row;
    }

    private Node waitingRow(String title, String id, List<TaskInfo> tasks, SchedulerState s, Frame f) {
        FlowPane row = new FlowPane();
        row.getStyleClass().add("queue-row");
        row.setId(id);
        Label t = new Label(title);
        t.getStyleClass().add("row-title");
        row.getChildren().add(t);
        int shown = 0;
        for (TaskInfo ti : tasks) {
            if (shown++ >= MAX_CHIPS) break;
            row.getChildren().add(new TaskChip(ti, waitsFor(ti, s), f.selectedTask() == ti.id(), onSelect));
        }
        if (tasks.size() > MAX_CHIPS) row.getChildren().add(more(tasks.size() - MAX_CHIPS));
        if (tasks.isEmpty()) {
            Label e = new Label("none");
            e.getStyleClass().add("hint");
            row.getChildren().add(e);
        }
        return row;
    }

    /** What a blocked task waits for, in words. */
    static String waitsFor(TaskInfo ti, SchedulerState s) {
        if (ti.blockedOn() == null) return "";
        switch (ti.blockedOn()) {
            case SLEEP: return "until " + TimelineView.formatTime(ti.blockTarget(), 1000);
            case JOIN: return "→ end of nursery " + ti.blockTarget();
            case AWAIT: return "→ " + s.taskName((int) ti.blockTarget());
            case IO: return "→ I/O";
            default: return ti.blockedOn().wire();
        }
    }

    /** A steal arrow (victim's far end → thief) or a spawn growing into its deque. */
    private void animate(Frame f) {
        TraceEvent e = f.event();
        if (e == null) return;
        overlay.getChildren().clear();
        applyCss();
        layout();
        for (long q = f.previousSeq() + 1; q <= f.seq(); q++) {
            TraceEvent ev = f.recording().get(q);
            if (ev instanceof TraceEvent.TaskSteal st) stealArrow(st, f.state().taskName(st.task()));
            if (ev instanceof TraceEvent.TaskPush p) grow(p.task());
        }
    }

    private void stealArrow(TraceEvent.TaskSteal e, String taskName) {
        Node from = lookup("#deque-" + e.victim());
        Node to = lookup("#running-" + e.w());
        if (from == null || to == null) return;
        Bounds fb = from.localToScene(from.getBoundsInLocal());
        Bounds tb = to.localToScene(to.getBoundsInLocal());
        Point2D a = overlay.sceneToLocal(fb.getMaxX() - 20, fb.getCenterY());
        Point2D b = overlay.sceneToLocal(tb.getCenterX(), tb.getCenterY());
        if (a == null || b == null) return;
        Line line = new Line(a.getX(), a.getY(), b.getX(), b.getY());
        line.getStyleClass().add("steal-arrow");
        double ang = Math.atan2(b.getY() - a.getY(), b.getX() - a.getX());
        Polygon head = new Polygon(0, 0, -14, -7, -14, 7);
        head.getStyleClass().add("steal-arrow-head");
        head.setLayoutX(b.getX());
        head.setLayoutY(b.getY());
        head.setRotate(Math.toDegrees(ang));
        Label ghost = new Label("⇢ " + taskName);
        ghost.getStyleClass().addAll("chip", "ghost-chip");
        ghost.setLayoutX(a.getX());
        ghost.setLayoutY(a.getY() - 12);
        overlay.getChildren().addAll(line, head, ghost);
        TranslateTransition move = new TranslateTransition(Duration.millis(450), ghost);
        move.setToX(b.getX() - a.getX());
        move.setToY(b.getY() - a.getY());
        FadeTransition fade = new FadeTransition(Duration.millis(1400), line);
        fade.setFromValue(1);
        fade.setToValue(0.25);
        move.play();
        fade.play();
        ghost.setId("steal-ghost");
    }

    private void grow(int task) {
        Node chip = lookup("#chip-" + task);
        if (chip == null) return;
        ScaleTransition sc = new ScaleTransition(Duration.millis(300), chip);
        sc.setFromX(0.4);
        sc.setFromY(0.4);
        sc.setToX(1);
        sc.setToY(1);
        FadeTransition fd = new FadeTransition(Duration.millis(300), chip);
        fd.setFromValue(0.2);
        fd.setToValue(1);
        new ParallelTransition(sc, fd).play();
    }
}

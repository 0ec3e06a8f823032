package dev.januslab.app.ui.views;

import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.TaskInfo;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import dev.januslab.scheduler.trace.TaskIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
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
    private final Label title = new Label("Workers");
    private final List<Lane> laneRows = new ArrayList<>();
    private final ChipStrip inject, sleeping, waiting;
    private long shownSeq = -1;
    /** A steal of the step just rendered whose arrow waits for this frame's layout pass. */
    private record PendingArrow(TraceEvent.TaskSteal steal, String taskName) {}

    private final List<PendingArrow> pendingArrows = new ArrayList<>();
    private final Runnable drawPendingArrows = this::drawPendingArrows;

    public WorkerLanesView(IntConsumer onSelect) {
        this.onSelect = onSelect;
        getStyleClass().add("worker-lanes");
        setId("worker-lanes");
        lanes.getStyleClass().add("lanes-box");
        title.getStyleClass().add("view-title");
        inject = new ChipStrip(queueRow("Inject queue", "inject"), "empty — shared; any worker takes from it", true);
        sleeping = new ChipStrip(queueRow("Sleeping", "sleeping"), "none", true);
        waiting = new ChipStrip(queueRow("Waiting", "blocked"), "none", true);
        ScrollPane scroll = new ScrollPane(lanes);
        scroll.setFitToWidth(true);
        // ScrollPaneSkin caches its viewport as an image: right for content that stays still,
        // a loss for lanes that change every frame of a run (the render thread draws them into
        // the cache and then draws the cache, twice the painting per frame)
        scroll.skinProperty().addListener((o, a, b) -> {
            Node viewport = b == null ? null : scroll.lookup(".viewport");
            if (viewport != null) viewport.setCache(false);
        });
        overlay.setMouseTransparent(true);
        overlay.setManaged(false);
        getChildren().addAll(scroll, overlay);
        // a steal's arrow is drawn once the frame's own CSS and layout pass has put the chips
        // where the step left them (see animate)
        sceneProperty().addListener((o, was, is) -> {
            if (was != null) was.removePostLayoutPulseListener(drawPendingArrows);
            if (is != null) is.addPostLayoutPulseListener(drawPendingArrows);
        });
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    /**
     * Updates the lanes in place: the nodes are built once (again only when the number of
     * workers changes) and each frame only changes texts, style classes and which chips a
     * queue holds, so a fast replay costs no new nodes and little CSS.
     */
    @Override
    public void render(Frame f) {
        shownSeq = f.seq();
        SchedulerState s = f.state();
        if (laneRows.size() != s.workerCount()) {
            // the lanes it has stay (a recording with more workers than the last adds lanes,
            // one with fewer drops some): a node left in the scene keeps its CSS and layout
            while (laneRows.size() > s.workerCount()) laneRows.remove(laneRows.size() - 1);
            while (laneRows.size() < s.workerCount()) laneRows.add(new Lane(laneRows.size()));
            List<Node> rows = new ArrayList<>();
            rows.add(title);
            for (Lane lane : laneRows) rows.add(lane.box);
            rows.addAll(List.of(inject.pane, sleeping.pane, waiting.pane));
            edit(lanes.getChildren(), rows);
        }
        int sel = f.selectedTask();
        for (int w = 0; w < s.workerCount(); w++) laneRows.get(w).show(s.worker(w), s, sel);
        TaskIds q = s.injectQueue();
        inject.show(q.size(), i -> s.task(q.id(i)), ti -> "", sel);
        List<TaskInfo> sl = s.sleeping();
        sleeping.show(sl.size(), sl::get, ti -> waitsFor(ti, s), sel);
        List<TaskInfo> bl = s.blocked();
        waiting.show(bl.size(), bl::get, ti -> waitsFor(ti, s), sel);
        // an arrow belongs to the step that made it: a jump back or elsewhere removes it
        if (f.steppedForward()) animate(f);
        else if (f.seq() != f.previousSeq()) {
            overlay.getChildren().clear();
            pendingArrows.clear();
        }
    }

    /**
     * One worker's row: name, running slot, its deque from the owner's end to the far end.
     * The deque wraps onto more lines rather than running off the lane: in a narrow pane a
     * one-line strip cut off its far end, the very end a lesson on stealing points at.
     */
    private final class Lane {
        final HBox box = new HBox();
        final StackPane runBox = new StackPane();
        final TaskChip running = new TaskChip(onSelect);
        final Label idle = label("", "idle");
        final Label top = label("", "hint");
        final Label ends = label("⇠ far end", "hint");
        final ChipStrip deque;

        Lane(int w) {
            box.getStyleClass().add("lane");
            box.setId("lane-" + w);
            running.getStyleClass().add("running-chip");
            runBox.getStyleClass().add("run-slot");
            runBox.setId("running-" + w);
            FlowPane dq = new FlowPane(top);
            dq.getStyleClass().add("deque");
            dq.setId("deque-" + w);
            ends.setId("far-end-" + w);
            HBox.setHgrow(dq, Priority.ALWAYS);
            deque = new ChipStrip(dq, "deque empty", false, ends);
            box.getChildren().addAll(label("W" + w, "lane-name"), runBox, dq);
        }

        void show(SchedulerState.Worker worker, SchedulerState s, int sel) {
            TaskInfo run = worker.running() >= 0 ? s.task(worker.running()) : null;
            if (run != null) {
                running.show(run, "", sel == run.id());
                only(runBox, running);
            } else {
                setText(idle, worker.parked() ? "☾ parked" : "· idle");
                only(runBox, idle);
            }
            // Owner's end (top) first, far end (where thieves steal) last: the model's queue order.
            TaskIds d = worker.queue();
            deque.show(d.size(), i -> s.task(d.id(i)), ti -> "", sel);
            setText(top, d.isEmpty() ? "" : "top ⇢");
        }
    }

    /**
     * The chips of one queue, after the pane's leading nodes (a row title): at most
     * {@link #MAX_CHIPS}, then "+N more" and the trailing node if any, or a hint when the
     * queue is empty. A chip stays with
     * its task while the task stays in the queue, so a push on top inserts one chip and a
     * steal from the far end removes one; nodes re-added to the scene re-run CSS, kept ones don't.
     */
    private final class ChipStrip {
        final Pane pane;
        final int lead;
        final Map<Integer, TaskChip> byTask = new HashMap<>();
        final List<TaskChip> spare = new ArrayList<>();
        final Label more = label("", "chip", "more-chip");
        final Label empty;
        private final List<Node> want = new ArrayList<>();
        private final Map<Integer, TaskChip> nextByTask = new HashMap<>();

        final boolean chipIds;
        /** Shown after the chips of a queue that has any (a deque's "far end"), or null. */
        final Node trailing;

        ChipStrip(Pane pane, String emptyHint, boolean chipIds) {
            this(pane, emptyHint, chipIds, null);
        }

        ChipStrip(Pane pane, String emptyHint, boolean chipIds, Node trailing) {
            this.pane = pane;
            this.chipIds = chipIds;
            this.trailing = trailing;
            this.lead = pane.getChildren().size();
            this.empty = label(emptyHint, "hint");
        }

        void show(int total, IntFunction<TaskInfo> taskAt, Function<TaskInfo, String> detail, int sel) {
            want.clear();
            want.addAll(pane.getChildren().subList(0, lead));
            nextByTask.clear();
            int shown = 0;
            for (int i = 0; i < total && shown < MAX_CHIPS; i++, shown++) {
                TaskInfo ti = taskAt.apply(i);
                if (ti == null || nextByTask.containsKey(ti.id())) continue;
                TaskChip chip = byTask.remove(ti.id());
                if (chip == null) chip = spare.isEmpty() ? new TaskChip(onSelect, chipIds) : spare.remove(spare.size() - 1);
                nextByTask.put(ti.id(), chip);
                want.add(chip.show(ti, detail.apply(ti), sel == ti.id()));
            }
            spare.addAll(byTask.values());
            byTask.clear();
            byTask.putAll(nextByTask);
            if (total > shown) {
                setText(more, String.format("+%,d more", total - shown));
                want.add(more);
            }
            if (total == 0) want.add(empty);
            else if (trailing != null) want.add(trailing);
            edit(pane.getChildren(), want);
        }
    }

    private static Pane queueRow(String title, String id) {
        FlowPane row = new FlowPane();
        row.getStyleClass().add("queue-row");
        row.setId(id);
        row.getChildren().add(label(title, "row-title"));
        return row;
    }

    private static Label label(String text, String... styleClasses) {
        Label l = new Label(text);
        l.getStyleClass().addAll(styleClasses);
        return l;
    }

    private static void setText(Label l, String text) {
        if (!text.equals(l.getText())) l.setText(text);
    }

    private static void only(Pane p, Node n) {
        if (p.getChildren().size() != 1 || p.getChildren().get(0) != n) p.getChildren().setAll(n);
    }

    /**
     * Makes {@code children} equal {@code want} with few single removals and insertions:
     * a node re-added to the scene re-applies its CSS, a node left in place does not.
     */
    static void edit(List<Node> children, List<Node> want) {
        if (children.equals(want)) return;
        java.util.Set<Node> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.addAll(want);
        for (int i = children.size() - 1; i >= 0; i--) if (!keep.contains(children.get(i))) children.remove(i);
        for (int i = 0; i < want.size(); i++) {
            Node n = want.get(i);
            if (i < children.size() && children.get(i) == n) continue;
            children.remove(n); // out of order (rare): move it
            children.add(i, n);
        }
    }

    /** The chip showing {@code task} in a queue, or null. */
    private Node chipOf(int task) {
        for (Lane l : laneRows) {
            TaskChip c = l.deque.byTask.get(task);
            if (c != null) return c;
        }
        for (ChipStrip st : List.of(inject, sleeping, waiting)) {
            TaskChip c = st.byTask.get(task);
            if (c != null) return c;
        }
        return null;
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

    /**
     * A steal arrow (victim's far end → thief) or a spawn growing into its deque. An arrow
     * needs the chips where this step puts them, so it waits for the frame's CSS and layout
     * pass (a post-layout pulse listener draws it, before the frame is painted). Laying the
     * view out here instead cost a second whole-view pass in the frame, tens of ms while the
     * JIT was cold (the first frames of a replay). A growing chip needs no position.
     */
    private void animate(Frame f) {
        TraceEvent e = f.event();
        if (e == null) return;
        overlay.getChildren().clear();
        pendingArrows.clear();
        for (long q = f.previousSeq() + 1; q <= f.seq(); q++) {
            TraceEvent ev = f.recording().get(q);
            if (ev instanceof TraceEvent.TaskSteal st) pendingArrows.add(new PendingArrow(st, f.state().taskName(st.task())));
            if (ev instanceof TraceEvent.TaskPush p) grow(p.task());
        }
    }

    /** Draws the arrows of the steals just rendered (a post-layout pulse listener of the scene). */
    private void drawPendingArrows() {
        if (pendingArrows.isEmpty()) return;
        for (PendingArrow a : pendingArrows) stealArrow(a.steal(), a.taskName());
        pendingArrows.clear();
        // the arrows joined after this frame's CSS and layout pass: style and size them now
        overlay.applyCss();
        overlay.layout();
    }

    private void stealArrow(TraceEvent.TaskSteal e, String taskName) {
        // from the victim's far end: its "⇠ far end" mark while the deque still holds tasks
        Node farEnd = lookup("#far-end-" + e.victim());
        boolean marked = farEnd != null && farEnd.getParent() != null && farEnd.getScene() != null;
        Node from = marked ? farEnd : lookup("#deque-" + e.victim());
        Node to = lookup("#running-" + e.w());
        if (from == null || to == null) return;
        Bounds fb = from.localToScene(from.getBoundsInLocal());
        Bounds tb = to.localToScene(to.getBoundsInLocal());
        Point2D a = marked ? overlay.sceneToLocal(fb.getCenterX(), fb.getCenterY())
                : overlay.sceneToLocal(fb.getMaxX() - 20, fb.getCenterY());
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
        Node chip = chipOf(task);
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

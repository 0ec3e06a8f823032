package dev.januslab.app.ui.views;

import dev.januslab.app.model.TaskLook;
import dev.januslab.scheduler.trace.NurseryInfo;
import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.TaskIds;
import dev.januslab.scheduler.trace.TaskInfo;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.TargetKind;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import dev.januslab.app.ui.TaskColors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/**
 * The nursery tree: nurseries hold the tasks spawned in them, tasks hold the nurseries they
 * own. It grows as tasks spawn. Every state has a glyph as well as a colour; finished tasks
 * fade but stay selectable. Cancellation shows per task: requested → observed at line N, or
 * "still running — no checkpoint yet", and a request spreads down the subtree as a wave.
 * A nursery waiting at its end names whom it waits for; an error shows where it went.
 * Big sibling groups are summarised ("+9,960 tasks") so 10,000 tasks stay calm.
 */
public final class NurseryTreeView extends VBox implements LabView {
    /** Children shown per nursery before the rest is summarised. */
    static final int MAX_CHILDREN = 40;
    private static final long WAVE_STEP_MS = 140;

    /** A row of the tree: a nursery, a task, or a summary of hidden siblings. */
    public record Node(char kind, int id, int hidden) {
        static Node nursery(int id) { return new Node('N', id, 0); }
        static Node task(int id) { return new Node('T', id, 0); }
    }

    private final TreeView<Node> tree = new TreeView<>();
    private final IntConsumer onSelect;
    private final Map<Node, TreeItem<Node>> items = new HashMap<>();
    private final Map<Integer, TreeItem<Node>> moreItems = new HashMap<>();
    private SchedulerState state;
    private int selected = -1;
    private long shownSeq = -1;
    private long builtFor = Long.MIN_VALUE;
    private Object builtRecording;
    /** The cancellation wave: when it started (wall clock) and the depth of each reached task. */
    private long waveStart;
    private final Map<Integer, Integer> waveDepth = new HashMap<>();
    private Runnable requestRender = () -> {};

    public NurseryTreeView(IntConsumer onSelect) {
        this.onSelect = onSelect;
        getStyleClass().add("nursery-tree");
        setId("nursery-tree");
        Label title = new Label("Nursery tree");
        title.getStyleClass().add("view-title");
        tree.setShowRoot(true);
        tree.setCellFactory(tv -> new Cell());
        VBox.setVgrow(tree, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(title, tree);
    }

    /** Called while a wave animates, to be rendered again next frame. */
    public void setRequestRender(Runnable r) {
        this.requestRender = r;
    }

    public TreeView<Node> tree() {
        return tree;
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    @Override
    public void render(Frame f) {
        state = f.state();
        selected = f.selectedTask();
        if (f.seq() < builtFor || builtRecording != f.recording()) rebuild();
        builtRecording = f.recording();
        builtFor = f.seq();
        sync();
        if (f.steppedForward()) {
            for (long q = f.previousSeq() + 1; q <= f.seq(); q++) {
                TraceEvent e = f.recording().get(q);
                if (e instanceof TraceEvent.CancelRequest c) startWave(c.targetKind(), c.target());
            }
        }
        if (!waveDepth.isEmpty() && System.currentTimeMillis() - waveStart > (maxDepth() + 3) * WAVE_STEP_MS) {
            waveDepth.clear();
        }
        if (!waveDepth.isEmpty()) requestRender.run();
        shownSeq = f.seq();
        tree.refresh();
    }

    private void rebuild() {
        items.clear();
        moreItems.clear();
        tree.setRoot(null);
    }

    /** Adds the items the state has and the tree lacks; the tree only grows while moving forward. */
    private void sync() {
        List<NurseryInfo> ns = state.nurseries();
        for (NurseryInfo n : ns) {
            if (n == null) continue;
            TaskIds kids = n.children();
            TreeItem<Node> ni = items.get(Node.nursery(n.id()));
            if (ni == null) {
                TreeItem<Node> parent = n.owner() >= 0 ? items.get(Node.task(n.owner())) : null;
                if (n.owner() >= 0 && parent == null) continue; // owner is summarised away
                ni = new TreeItem<>(Node.nursery(n.id()));
                ni.setExpanded(true);
                items.put(Node.nursery(n.id()), ni);
                if (parent == null) {
                    if (tree.getRoot() == null) tree.setRoot(ni);
                } else {
                    parent.getChildren().add(ni);
                    parent.setExpanded(true);
                }
            }
            int shown = Math.min(kids.size(), MAX_CHILDREN);
            for (int i = 0; i < shown; i++) {
                Node key = Node.task(kids.id(i));
                if (!items.containsKey(key)) {
                    TreeItem<Node> ti = new TreeItem<>(key);
                    ti.setExpanded(true);
                    items.put(key, ti);
                    TreeItem<Node> more = moreItems.get(n.id());
                    if (more != null) ni.getChildren().add(ni.getChildren().indexOf(more), ti);
                    else ni.getChildren().add(ti);
                }
            }
            int hidden = kids.size() - shown;
            TreeItem<Node> more = moreItems.get(n.id());
            if (hidden > 0) {
                Node key = new Node('M', n.id(), hidden);
                if (more == null) {
                    more = new TreeItem<>(key);
                    moreItems.put(n.id(), more);
                    ni.getChildren().add(more);
                } else if (more.getValue().hidden() != hidden) {
                    more.setValue(key);
                }
            }
        }
    }

    private void startWave(TargetKind kind, int target) {
        waveDepth.clear();
        waveStart = System.currentTimeMillis();
        if (kind == TargetKind.NURSERY) walkNursery(target, 0);
        else walkTask(target, 0);
        requestRender.run();
    }

    private void walkNursery(int id, int depth) {
        NurseryInfo n = state.nursery(id);
        if (n == null) return;
        for (int c : n.children().toIntArray()) walkTask(c, depth + 1);
    }

    private void walkTask(int id, int depth) {
        if (waveDepth.putIfAbsent(id, depth) != null) return;
        TaskInfo t = state.task(id);
        if (t == null) return;
        for (int n : t.ownedNurseries().toIntArray()) walkNursery(n, depth);
    }

    private int maxDepth() {
        int m = 0;
        for (int d : waveDepth.values()) m = Math.max(m, d);
        return m;
    }

    /** Whether the wave has reached this task yet (it spreads one tree level per step). */
    private boolean waveAt(int task) {
        Integer d = waveDepth.get(task);
        if (d == null) return false;
        long age = System.currentTimeMillis() - waveStart;
        return age >= d * WAVE_STEP_MS && age < (d + 3) * WAVE_STEP_MS;
    }

    /** The text of a task row beyond its name: state, cancellation, error. */
    public static String describe(TaskInfo ti, SchedulerState s) {
        TaskLook look = TaskLook.of(ti);
        StringBuilder b = new StringBuilder(look.label);
        if (look == TaskLook.RUNNING) b.append(" on W").append(ti.worker());
        if (look == TaskLook.BLOCKED || look == TaskLook.SLEEPING) {
            b.append(" ").append(WorkerLanesView.waitsFor(ti, s));
        }
        if (look == TaskLook.FAILED) b.append(": ").append(ti.error()).append(" ↑ to its nursery");
        if (ti.cancelRequested()) b.append("   ⚑ cancel ").append(TaskLook.cancelStatus(ti));
        return b.toString();
    }

    public static String describe(NurseryInfo n, SchedulerState s) {
        String owner = n.owner() < 0 ? "root" : "of " + s.taskName(n.owner());
        StringBuilder b = new StringBuilder("nursery " + n.id() + " " + owner);
        if (n.line() > 0) b.append(" (line ").append(n.line()).append(")");
        switch (n.status()) {
            case OPEN -> b.append(" — open");
            case JOINING -> {
                List<String> waiting = new ArrayList<>();
                int live = 0;
                for (int c : s.waitingFor(n.id()).toIntArray()) {
                    if (live++ < 4) waiting.add(s.taskName(c));
                }
                b.append(" — at its end, waiting for ").append(live);
                if (!waiting.isEmpty()) b.append(": ").append(String.join(", ", waiting)).append(live > 4 ? ", …" : "");
            }
            case CLOSED -> b.append(n.outcome() == Outcome.ERROR
                    ? " — closed with " + n.error() + " ↑ raised in " + s.taskName(n.owner())
                    : " — closed (" + (n.outcome() == null ? "?" : n.outcome().wire()) + ")");
        }
        if (n.cancelRequested()) {
            b.append("   ⚑ cancelled (").append(n.cancelReason() == null ? "" : n.cancelReason().wire()).append(")");
        }
        return b.toString();
    }

    private final class Cell extends TreeCell<Node> {
        @Override
        protected void updateItem(Node node, boolean empty) {
            super.updateItem(node, empty);
            getStyleClass().removeAll("finished", "wave", "selected-task", "has-cancel", "summary-row");
            setOnMouseClicked(null);
            if (empty || node == null || state == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Label glyph = new Label();
            glyph.getStyleClass().add("tree-glyph");
            Label name = new Label();
            name.getStyleClass().add("tree-name");
            Label detail = new Label();
            detail.getStyleClass().add("tree-detail");
            HBox box = new HBox(glyph, name, detail);
            box.getStyleClass().add("tree-row");
            switch (node.kind()) {
                case 'N' -> {
                    NurseryInfo n = state.nursery(node.id());
                    if (n == null) { setGraphic(null); return; }
                    glyph.setText(n.status() == NurseryInfo.Status.CLOSED ? "▣" : "▢");
                    glyph.getStyleClass().add("nursery-glyph");
                    name.setText("");
                    detail.setText(describe(n, state));
                    if (n.status() == NurseryInfo.Status.CLOSED) getStyleClass().add("finished");
                    if (n.outcome() == Outcome.ERROR) detail.getStyleClass().add("error-text");
                }
                case 'T' -> {
                    TaskInfo ti = state.task(node.id());
                    if (ti == null) { setGraphic(null); return; }
                    TaskLook look = TaskLook.of(ti);
                    Rectangle swatch = new Rectangle(10, 10, TaskColors.of(ti.id()));
                    box.getChildren().add(0, swatch);
                    glyph.setText(look.glyph);
                    glyph.getStyleClass().add(look.styleClass());
                    name.setText(ti.name());
                    detail.setText(describe(ti, state));
                    if (look.finished()) getStyleClass().add("finished");
                    if (ti.cancelRequested()) getStyleClass().add("has-cancel");
                    if (ti.id() == selected) getStyleClass().add("selected-task");
                    if (waveAt(ti.id())) getStyleClass().add("wave");
                    setOnMouseClicked(e -> onSelect.accept(ti.id()));
                }
                default -> {
                    glyph.setText("⋯");
                    NurseryInfo n = state.nursery(node.id());
                    int running = 0, done = 0;
                    if (n != null) {
                        TaskIds kids = n.children();
                        for (int i = MAX_CHILDREN; i < kids.size(); i++) {
                            TaskInfo ti = state.task(kids.id(i));
                            if (ti == null) continue;
                            if (ti.isDone()) done++; else running++;
                        }
                    }
                    name.setText(String.format("+%,d tasks", node.hidden()));
                    detail.setText(String.format("%,d live, %,d finished", running, done));
                    getStyleClass().add("summary-row");
                }
            }
            setText(null);
            setGraphic(box);
        }
    }
}

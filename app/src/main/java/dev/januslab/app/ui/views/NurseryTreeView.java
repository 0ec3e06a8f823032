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
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
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

    /**
     * A row of the tree: a nursery ('N'), a task ('T'), or a summary ('M') of a nursery's
     * hidden children. A summary's count changes in place as tasks spawn: giving its TreeItem
     * a new value each frame would make the TreeView re-bind every visible row.
     */
    public static final class Node {
        private final char kind;
        private final int id;
        private int hidden;

        Node(char kind, int id, int hidden) {
            this.kind = kind;
            this.id = id;
            this.hidden = hidden;
        }

        static Node nursery(int id) { return new Node('N', id, 0); }
        static Node task(int id) { return new Node('T', id, 0); }

        public char kind() { return kind; }
        public int id() { return id; }
        /** How many children a summary row stands for. */
        public int hidden() { return hidden; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && n.kind == kind && n.id == id && n.hidden == hidden;
        }

        @Override
        public int hashCode() {
            return kind * 31 + id;
        }

        @Override
        public String toString() {
            return "Node[kind=" + kind + ", id=" + id + ", hidden=" + hidden + "]";
        }
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
    /** Every cell the tree made (weakly: the tree may drop cells), redrawn each frame in place. */
    private final java.util.Set<Cell> cells = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

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
        // the visible rows show the new state; TreeView.refresh() would recreate every cell
        for (Cell c : cells) if (c.isVisible()) c.redraw();
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
                if (more == null) {
                    more = new TreeItem<>(new Node('M', n.id(), hidden));
                    moreItems.put(n.id(), more);
                    ni.getChildren().add(more);
                } else {
                    more.getValue().hidden = hidden; // the row shows it on this frame's redraw
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
        if (look == TaskLook.FAILED) {
            // main's error text goes on ("… raised at fail.jan:4, escaped main#0"): the row
            // keeps the error's name, the console has the whole of it
            String err = String.valueOf(ti.error());
            int cut = err.indexOf(" raised at ");
            b.append(": ").append(cut > 0 ? err.substring(0, cut) : err)
                    .append(ti.id() == 0 ? " ↑ ends the run" : " ↑ to its nursery");
        }
        if (ti.cancelRequested()) b.append("   ").append(cancelMark(ti, look));
        return b.toString();
    }

    /**
     * The flag of a task whose cancellation was requested: "⚑ cancel requested", "⚑ cancel
     * still running — no checkpoint yet", "⚑ cancel observed at line N". Once the task has
     * ended cancelled its state already says so: "cancelled ⚑ observed at line N", not
     * "cancelled ⚑ cancel observed…" (nor "cancelled ⚑ cancel cancelled"), which also kept
     * the mark inside a narrow tree.
     */
    static String cancelMark(TaskInfo ti, TaskLook look) {
        if (look != TaskLook.CANCELLED) return "⚑ cancel " + TaskLook.cancelStatus(ti);
        if (ti.cancelObserved() && ti.cancelObservedLine() >= 0) return "⚑ observed at line " + ti.cancelObservedLine();
        return ti.hasRun() ? "⚑" : "⚑ before it ran";
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

    /**
     * A row. Its nodes are built once per cell and only their texts and style classes change
     * (each touched only when it differs), so redrawing the visible rows every frame costs no
     * new nodes and re-applies CSS only where a row's look really changed.
     */
    private final class Cell extends TreeCell<Node> {
        private final Rectangle swatch = new Rectangle(10, 10);
        private final Label glyph = new Label(), name = new Label(), detail = new Label();
        private final HBox box = new HBox(swatch, glyph, name, detail);
        private PseudoClass glyphState;

        Cell() {
            glyph.getStyleClass().add("tree-glyph");
            name.getStyleClass().add("tree-name");
            detail.getStyleClass().add("tree-detail");
            box.getStyleClass().add("tree-row");
            swatch.setManaged(false);
            swatch.setVisible(false);
            // the graphic stays set for the cell's life: setting it again (after an empty
            // spell) makes the cell's skin re-add it, which re-applies CSS to the whole row
            setGraphic(box);
            box.setVisible(false);
            setOnMouseClicked(e -> {
                Node n = getItem();
                if (!isEmpty() && n != null && n.kind() == 'T') onSelect.accept(n.id());
            });
            cells.add(this);
        }

        @Override
        protected void updateItem(Node node, boolean empty) {
            super.updateItem(node, empty);
            // TreeCellSkin updates the expand arrow only for a cell that shows an item, so a
            // row emptied when the tree is rebuilt smaller (a step back) kept its arrow
            if (empty && getDisclosureNode() != null) getDisclosureNode().setVisible(false);
            redraw();
        }

        /** Shows the item's current state (also called each frame for the visible rows). */
        void redraw() {
            Node node = getItem();
            if (isEmpty() || node == null || state == null) {
                clearLook();
                setText(null);
                box.setVisible(false);
                return;
            }
            boolean finished = false, wave = false, selectedTask = false, hasCancel = false, summary = false;
            boolean swatchShown = false, errorText = false;
            PseudoClass gState = null;
            switch (node.kind()) {
                case 'N' -> {
                    NurseryInfo n = state.nursery(node.id());
                    if (n == null) { clearLook(); box.setVisible(false); return; }
                    text(glyph, n.status() == NurseryInfo.Status.CLOSED ? "▣" : "▢");
                    gState = NURSERY;
                    text(name, "");
                    text(detail, describe(n, state));
                    finished = n.status() == NurseryInfo.Status.CLOSED;
                    errorText = n.outcome() == Outcome.ERROR;
                }
                case 'T' -> {
                    TaskInfo ti = state.task(node.id());
                    if (ti == null) { clearLook(); box.setVisible(false); return; }
                    TaskLook look = TaskLook.of(ti);
                    swatchShown = true;
                    Color c = TaskColors.of(ti.id());
                    if (!c.equals(swatch.getFill())) swatch.setFill(c);
                    text(glyph, look.glyph);
                    gState = LookPseudoClasses.of(look);
                    text(name, ti.name());
                    text(detail, describe(ti, state));
                    finished = look.finished();
                    hasCancel = ti.cancelRequested();
                    selectedTask = ti.id() == selected;
                    wave = waveAt(ti.id());
                }
                default -> {
                    text(glyph, "⋯");
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
                    text(name, String.format("+%,d tasks", node.hidden()));
                    text(detail, String.format("%,d live, %,d finished", running, done));
                    summary = true;
                }
            }
            if (swatch.isVisible() != swatchShown) {
                swatch.setVisible(swatchShown);
                swatch.setManaged(swatchShown);
            }
            if (gState != glyphState) {
                if (glyphState != null) glyph.pseudoClassStateChanged(glyphState, false);
                if (gState != null) glyph.pseudoClassStateChanged(gState, true);
                glyphState = gState;
            }
            detail.pseudoClassStateChanged(ERROR_TEXT, errorText);
            pseudoClassStateChanged(FINISHED, finished);
            pseudoClassStateChanged(WAVE, wave);
            pseudoClassStateChanged(SELECTED_TASK, selectedTask);
            pseudoClassStateChanged(HAS_CANCEL, hasCancel);
            pseudoClassStateChanged(SUMMARY_ROW, summary);
            if (getText() != null) setText(null);
            if (!box.isVisible()) box.setVisible(true);
        }

        private void clearLook() {
            for (PseudoClass c : ROW_STATES) pseudoClassStateChanged(c, false);
        }
    }

    /*
     * A row's look is pseudo-classes, not style classes: a row changes look whenever its task
     * does, and changing a style class makes JavaFX match the node against every stylesheet
     * again, while a pseudo-class only switches between styles it already matched.
     */
    private static final PseudoClass FINISHED = PseudoClass.getPseudoClass("finished"),
            WAVE = PseudoClass.getPseudoClass("wave"), SELECTED_TASK = PseudoClass.getPseudoClass("selected-task"),
            HAS_CANCEL = PseudoClass.getPseudoClass("has-cancel"), SUMMARY_ROW = PseudoClass.getPseudoClass("summary-row"),
            ERROR_TEXT = PseudoClass.getPseudoClass("error-text"), NURSERY = PseudoClass.getPseudoClass("nursery");
    private static final PseudoClass[] ROW_STATES = {FINISHED, WAVE, SELECTED_TASK, HAS_CANCEL, SUMMARY_ROW};

    private static void text(Label l, String t) {
        if (!t.equals(l.getText())) l.setText(t);
    }
}

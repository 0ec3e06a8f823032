package dev.januslab.app.ui.views;

import dev.januslab.app.model.TaskLook;
import dev.januslab.app.ui.TaskColors;
import dev.januslab.scheduler.trace.TaskInfo;
import java.util.function.IntConsumer;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.layout.Border;
import javafx.scene.layout.BorderStroke;
import javafx.scene.layout.BorderStrokeStyle;
import javafx.scene.layout.BorderWidths;
import javafx.scene.layout.CornerRadii;

/**
 * A task as a small labelled chip: state glyph + name, task colour bar, click to select.
 * Chips are reused frame after frame ({@link #show}): each property is touched only when it
 * changes, so a replay does not re-run CSS on every chip each frame. The colour bar is a
 * Border set from code (no inline style: changing one re-applies CSS to the node).
 * Chips in a worker's deque carry no {@code #chip-N} id: they change task many times a
 * second, and JavaFX caches matched styles per id, so a new id per task meant matching every
 * stylesheet again (and a cache entry per task). Slower rows (running slot, inject queue,
 * sleeping, waiting) keep the id for lookups.
 * The chip's look (state, selected, cancel requested) is pseudo-classes, not style classes
 * (see {@link LookPseudoClasses}).
 */
final class TaskChip extends Label {
    private static final BorderWidths BAR = new BorderWidths(0, 0, 0, 5);
    private int task = Integer.MIN_VALUE;
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected"),
            CANCEL_REQUESTED = PseudoClass.getPseudoClass("cancel-requested");
    private TaskLook look;
    private boolean selected, cancel;
    private final boolean withId;

    TaskChip(IntConsumer onSelect) {
        this(onSelect, true);
    }

    TaskChip(IntConsumer onSelect, boolean withId) {
        this.withId = withId;
        getStyleClass().add("chip");
        setMinWidth(USE_PREF_SIZE);
        setOnMouseClicked(e -> {
            if (task >= 0) onSelect.accept(task);
        });
    }

    TaskChip(TaskInfo ti, String detail, boolean selected, IntConsumer onSelect) {
        this(onSelect);
        show(ti, detail, selected);
    }

    int task() {
        return task;
    }

    /** Shows {@code ti}; returns this. */
    TaskChip show(TaskInfo ti, String detail, boolean isSelected) {
        TaskLook look = TaskLook.of(ti);
        String text = look.glyph + " " + ti.name() + (detail.isEmpty() ? "" : "  " + detail);
        if (!text.equals(getText())) setText(text);
        if (ti.id() != task) {
            task = ti.id();
            if (withId) setId("chip-" + task);
            setBorder(new Border(new BorderStroke(TaskColors.of(task), BorderStrokeStyle.SOLID, CornerRadii.EMPTY, BAR)));
        }
        if (look != this.look) {
            if (this.look != null) pseudoClassStateChanged(LookPseudoClasses.of(this.look), false);
            pseudoClassStateChanged(LookPseudoClasses.of(look), true);
            this.look = look;
        }
        selected = toggle(SELECTED, selected, isSelected);
        cancel = toggle(CANCEL_REQUESTED, cancel, ti.cancelRequested() && !look.finished());
        return this;
    }

    private boolean toggle(PseudoClass state, boolean was, boolean now) {
        if (was != now) pseudoClassStateChanged(state, now);
        return now;
    }
}

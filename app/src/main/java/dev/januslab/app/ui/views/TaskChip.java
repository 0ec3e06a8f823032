package dev.januslab.app.ui.views;

import dev.januslab.app.model.TaskLook;
import dev.januslab.scheduler.trace.TaskInfo;
import dev.januslab.app.ui.TaskColors;
import java.util.function.IntConsumer;
import javafx.scene.control.Label;

/** A task as a small labelled chip: state glyph + name, task colour bar, click to select. */
final class TaskChip extends Label {
    final int task;

    TaskChip(TaskInfo ti, String detail, boolean selected, IntConsumer onSelect) {
        super(TaskLook.of(ti).glyph + " " + ti.name() + (detail.isEmpty() ? "" : "  " + detail));
        TaskLook look = TaskLook.of(ti);
        this.task = ti.id();
        getStyleClass().addAll("chip", look.styleClass());
        if (selected) getStyleClass().add("selected");
        if (ti.cancelRequested() && !look.finished()) getStyleClass().add("cancel-requested");
        setStyle("-fx-border-color: transparent transparent transparent " + TaskColors.css(ti.id()) + ";");
        setId("chip-" + ti.id());
        setMinWidth(USE_PREF_SIZE);
        setOnMouseClicked(e -> onSelect.accept(ti.id()));
    }
}

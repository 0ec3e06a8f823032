package dev.januslab.app.ui.views;

import dev.januslab.app.model.TaskLook;
import java.util.EnumMap;
import java.util.Map;
import javafx.css.PseudoClass;

/**
 * A task's look as a CSS pseudo-class ({@code :state-running}), shared by the chips and the
 * tree rows. Views switch looks many times a second in a fast replay: a pseudo-class change
 * only picks between styles the node already matched, a style-class change re-matches every
 * stylesheet.
 */
final class LookPseudoClasses {
    private static final Map<TaskLook, PseudoClass> BY_LOOK = new EnumMap<>(TaskLook.class);

    static {
        for (TaskLook l : TaskLook.values()) BY_LOOK.put(l, PseudoClass.getPseudoClass(l.styleClass()));
    }

    private LookPseudoClasses() {}

    static PseudoClass of(TaskLook look) {
        return BY_LOOK.get(look);
    }
}

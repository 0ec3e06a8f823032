package dev.januslab.app.ui.views;

import java.util.function.IntConsumer;
import javafx.scene.control.Control;
import javafx.scene.control.skin.VirtualFlow;

/**
 * Keeps a long list or table scrolled to its newest row while a run plays, cheaply.
 * Control.scrollTo(i) puts row i at the top (the flow still has the old row count until its
 * layout, so it lands short), then the flow clamps and lays every row out again, every
 * frame. Following the newest row is "scrolled to the end": telling the flow the new row
 * count first (what the skin does at layout) makes the end the real end, and the skin then
 * finds the count unchanged and only re-lays the rows it has. A short list is cheap either
 * way and keeps the control's own scrolling.
 */
final class TailFollower {
    private static final int LONG = 200;
    private final Control list;
    private final IntConsumer controlScroll;

    /** {@code controlScroll}: the control's own scrollTo (short lists, or before the skin exists). */
    TailFollower(Control list, IntConsumer controlScroll) {
        this.list = list;
        this.controlScroll = controlScroll;
    }

    /** Whether {@code n} is in a window and it and its parents are visible (not in a hidden tab). */
    static boolean showing(javafx.scene.Node n) {
        if (n.getScene() == null) return false;
        for (javafx.scene.Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }

    /** The newest row is {@code last} (-1: the list is empty). */
    void follow(int last) {
        if (last < 0) return;
        if (last >= LONG && list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            if (flow.getCellCount() != last + 1) flow.setCellCount(last + 1);
            flow.setPosition(1);
        } else {
            controlScroll.accept(last);
        }
    }
}

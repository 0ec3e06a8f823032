package dev.januslab.app.ui;

import java.util.List;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Every keyboard shortcut, in one place: the `?` dialog lists exactly these. */
public final class Shortcuts {
    private Shortcuts() {}

    public record Shortcut(String keys, String what) {}

    public static final List<Shortcut> ALL = List.of(
            new Shortcut("Space  (or F5)", "Run / pause (replay: play / pause)"),
            new Shortcut("→  (or F10)", "Step forward one event (a paused live run releases exactly one)"),
            new Shortcut("←  (or Shift+F10)", "Step back one event"),
            new Shortcut("Alt+→  /  Alt+←", "Next / previous event of the selected task"),
            new Shortcut("Alt+Shift+→  /  Alt+Shift+←", "Next / previous event on the current event's worker"),
            new Shortcut("Page Down  /  Page Up", "Lesson: next / previous step (runs the lesson first if needed)"),
            new Shortcut("+  /  −", "Faster / slower: the replay speed, or the pace of a live run that is going"),
            new Shortcut("Ctrl+=  /  Ctrl+−  /  Ctrl+0", "Bigger / smaller / normal text (for projectors)"),
            new Shortcut("Ctrl+Enter", "Run the program in the editor"),
            new Shortcut("Esc", "Leave the editor so Space and arrows drive the run"),
            new Shortcut("Ctrl+O  /  Ctrl+S  /  Ctrl+Shift+S", "Open / save / save as (drop a .jtrace on the window to replay it)"),
            new Shortcut("Ctrl+E", "Export a picture of the window (PNG)"),
            new Shortcut("Ctrl+D", "Light / dark theme"),
            new Shortcut("?  (or F1)", "This list"));

    public static Alert dialog(Window owner) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        if (owner != null) a.initOwner(owner);
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        GridPane g = new GridPane();
        g.setHgap(24);
        g.setVgap(6);
        g.setId("shortcuts-grid");
        int row = 0;
        for (Shortcut s : ALL) {
            Label k = new Label(s.keys());
            k.getStyleClass().add("shortcut-keys");
            g.addRow(row++, k, new Label(s.what()));
        }
        a.getDialogPane().setContent(g);
        return a;
    }
}

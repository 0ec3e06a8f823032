package dev.januslab.app.ui;

import dev.januslab.interpreter.diag.Diagnostic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/**
 * The program editor: Janus colouring as you type, compile errors underlined with a marker
 * in the gutter (hover for the message), and the current line of the selected task
 * highlighted. Checking runs off the FX thread; results land on it.
 */
public final class CodeEditor extends VBox {
    private final CodeArea area = new CodeArea();
    private final Label problems = new Label();
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "janus-editor-check");
        t.setDaemon(true);
        return t;
    });
    private volatile List<Diagnostic> diagnostics = List.of();
    private Map<Integer, List<Diagnostic>> byLine = Map.of();
    private int currentLine = -1;
    /** The current line for the gutter marks: each mark follows it, so moving it rebuilds no gutter. */
    private final javafx.beans.property.IntegerProperty markedLine = new javafx.beans.property.SimpleIntegerProperty(-1);
    private static final javafx.css.PseudoClass CURRENT = javafx.css.PseudoClass.getPseudoClass("current");
    private int generation;
    private String fileName = "program.jan";

    public CodeEditor() {
        getStyleClass().add("code-editor");
        setId("editor");
        area.getStyleClass().add("janus-code");
        area.setParagraphGraphicFactory(gutter());
        area.multiPlainChanges().successionEnds(Duration.ofMillis(150)).subscribe(ch -> recheck());
        area.textProperty().addListener((o, a, b) -> rehighlight());
        problems.getStyleClass().add("problems");
        problems.setId("problems");
        problems.setMaxWidth(Double.MAX_VALUE);
        problems.setWrapText(true);
        VirtualizedScrollPane<CodeArea> scroll = new VirtualizedScrollPane<>(area);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().addAll(scroll, problems);
        updateProblems();
    }

    public CodeArea area() {
        return area;
    }

    public String text() {
        return area.getText();
    }

    public void setText(String text, String fileName) {
        this.fileName = fileName;
        area.replaceText(text);
        area.getUndoManager().forgetHistory();
        area.moveTo(0);
        area.requestFollowCaret();
        recheck();
    }

    public void setEditable(boolean editable) {
        area.setEditable(editable);
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("readonly"), !editable);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private IntFunction<Node> gutter() {
        IntFunction<Node> numbers = LineNumberFactory.get(area);
        return par -> {
            Node number = numbers.apply(par);
            Label mark = new Label(" ");
            mark.getStyleClass().add("gutter-mark");
            List<Diagnostic> ds = byLine.get(par + 1);
            if (ds != null) {
                mark.setText("✖");
                mark.getStyleClass().add("gutter-error");
                StringBuilder tip = new StringBuilder();
                for (Diagnostic d : ds) tip.append("error[").append(d.code()).append("]: ").append(d.message()).append('\n');
                Tooltip.install(mark, new Tooltip(tip.toString().strip()));
            } else {
                // follows the current line (a replay moves it every frame) without a new gutter
                javafx.beans.InvalidationListener follow = o -> {
                    boolean here = par + 1 == markedLine.get();
                    mark.setText(here ? "▶" : " ");
                    mark.pseudoClassStateChanged(CURRENT, here);
                };
                mark.getProperties().put(CURRENT, follow); // lives as long as the mark
                markedLine.addListener(new javafx.beans.WeakInvalidationListener(follow));
                follow.invalidated(markedLine);
            }
            HBox box = new HBox(number, mark);
            box.getStyleClass().add("gutter");
            return box;
        };
    }

    private void rehighlight() {
        String text = area.getText();
        StyleSpans<Collection<String>> spans = JanusSyntax.highlight(text);
        if (!diagnostics.isEmpty()) spans = spans.overlay(errorSpans(text), (a, b) -> {
            if (b.isEmpty()) return a;
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        });
        area.setStyleSpans(0, spans);
    }

    private StyleSpans<Collection<String>> errorSpans(String text) {
        StyleSpansBuilder<Collection<String>> b = new StyleSpansBuilder<>();
        int pos = 0;
        int[] lineStart = lineStarts(text);
        for (Diagnostic d : diagnostics) {
            if (d.line() < 1 || d.line() > lineStart.length) continue;
            int from = Math.min(text.length(), lineStart[d.line() - 1] + Math.max(0, d.col() - 1));
            int to = from;
            while (to < text.length() && !Character.isWhitespace(text.charAt(to))) to++;
            if (to == from) to = Math.min(text.length(), from + 1);
            if (from < pos) continue;
            b.add(List.of(), from - pos);
            b.add(List.of("error-underline"), to - from);
            pos = to;
        }
        b.add(List.of(), text.length() - pos);
        return b.create();
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    public String fileName() {
        return fileName;
    }

    /** Marks these problems now (Run's compile found them): underlines, gutter, problem count. */
    public void showDiagnostics(List<Diagnostic> ds) {
        diagnostics = List.copyOf(ds);
        Map<Integer, List<Diagnostic>> m = new HashMap<>();
        for (Diagnostic d : ds) m.computeIfAbsent(d.line(), k -> new ArrayList<>()).add(d);
        byLine = m;
        rehighlight();
        refreshGutter();
        updateProblems();
    }

    /**
     * Holds checks until {@link #releaseChecks()}: while the window opens, the first check
     * (the compiler's first use loads and warms the parser) would compete for the CPU.
     */
    public void holdChecks() {
        checksHeld = true;
    }

    public void releaseChecks() {
        if (!checksHeld) return;
        checksHeld = false;
        if (checkPending) {
            checkPending = false;
            recheck();
        }
    }

    private boolean checksHeld, checkPending;

    /** Parse + semantic check off the FX thread (debounced by the caller); stale answers are dropped. */
    private void recheck() {
        if (checksHeld) {
            checkPending = true;
            return;
        }
        String text = area.getText();
        int gen = ++generation;
        String name = fileName;
        checker.submit(() -> {
            List<Diagnostic> ds = JanusSyntax.check(name, text);
            Platform.runLater(() -> {
                if (gen != generation) return;
                showDiagnostics(ds);
            });
        });
    }

    private void updateProblems() {
        List<Diagnostic> ds = diagnostics;
        problems.getStyleClass().removeAll("has-errors");
        if (ds.isEmpty()) {
            problems.setText("✔ No problems");
        } else {
            problems.getStyleClass().add("has-errors");
            Diagnostic d = ds.get(0);
            problems.setText("✖ " + ds.size() + " problem" + (ds.size() == 1 ? "" : "s") + " — line " + d.line()
                    + ": " + d.message() + " [" + d.code() + "]");
        }
    }

    /** Highlights the line a task is on (1-based; -1 clears). */
    public void showCurrentLine(int line) {
        if (line == currentLine) return;
        int old = currentLine;
        currentLine = line;
        if (old > 0 && old <= area.getParagraphs().size()) area.setParagraphStyle(old - 1, List.of());
        if (line > 0 && line <= area.getParagraphs().size()) {
            area.setParagraphStyle(line - 1, List.of("current-line"));
            area.showParagraphInViewport(line - 1);
        }
        markedLine.set(line);
    }

    public int currentLine() {
        return currentLine;
    }

    private void refreshGutter() {
        area.setParagraphGraphicFactory(gutter());
    }
}

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
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.CodeArea;
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
    /**
     * The problems by line (1-based), for the gutter marks: each mark follows this property,
     * so new diagnostics change the marks in place and no paragraph's cell is rebuilt.
     */
    private final javafx.beans.property.ObjectProperty<Map<Integer, List<Diagnostic>>> byLine =
            new javafx.beans.property.SimpleObjectProperty<>(Map.of());
    private int currentLine = -1;
    /** The current line for the gutter marks: each mark follows it, so moving it rebuilds no gutter. */
    private final javafx.beans.property.IntegerProperty markedLine = new javafx.beans.property.SimpleIntegerProperty(-1);
    private static final javafx.css.PseudoClass CURRENT = javafx.css.PseudoClass.getPseudoClass("current");
    /** Digits of the last line's number: every line number is padded to it, so the code's left edge stays put. */
    private final javafx.beans.property.IntegerProperty digits = new javafx.beans.property.SimpleIntegerProperty(1);
    private int generation;
    private String fileName = "program.jan";

    public CodeEditor() {
        getStyleClass().add("code-editor");
        setId("editor");
        area.getStyleClass().add("janus-code");
        area.getParagraphs().addListener((InvalidationListener) o -> {
            int d = String.valueOf(area.getParagraphs().size()).length();
            if (d != digits.get()) digits.set(d);
        });
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
        finishRows();
        area.replaceText(text);
        area.getUndoManager().forgetHistory();
        area.moveTo(0);
        area.requestFollowCaret();
        makeRowsOverTwoFrames();
        recheck();
    }

    /** Where the editor runs the second half of a new text's rows (the window's idle frames); see {@link #makeRowsOverTwoFrames}. */
    public void setWhenIdle(java.util.function.Consumer<Runnable> whenIdle) {
        this.whenIdle = whenIdle;
    }

    private java.util.function.Consumer<Runnable> whenIdle = r -> { };
    /** Puts the editor's full height back, while a new text's rows are being made in two parts; else null. */
    private Runnable finishRows;

    /**
     * A new text in a showing editor gets its rows over two frames. RichTextFX makes a row
     * (a cell of several nodes, its reactive bindings, CSS, measuring) for every visible
     * paragraph of a new text in one layout pass: for a screenful of program, cold, that was
     * the longest freeze of opening a trace (100-150 ms on two loaded cores). So the first
     * layout sees the top half of the viewport (a bottom padding hides the rest; the area's
     * own background shows there) and the other half is made on a later frame: the window's
     * next quiet one, or the third pulse from now at the latest.
     */
    private void makeRowsOverTwoFrames() {
        double h = area.getHeight();
        javafx.scene.Scene scene = area.getScene();
        if (h <= 0 || scene == null || scene.getWindow() == null || !scene.getWindow().isShowing()) return;
        javafx.geometry.Insets padding = area.getPadding();
        area.setPadding(new javafx.geometry.Insets(padding.getTop(), padding.getRight(),
                padding.getBottom() + Math.floor(h / 2), padding.getLeft()));
        int[] pulses = {0};
        Runnable[] counter = new Runnable[1];
        counter[0] = () -> {
            if (++pulses[0] >= 3) finishRows();
            else Platform.requestNextPulse();
        };
        finishRows = () -> {
            area.setPadding(padding);
            scene.removePreLayoutPulseListener(counter[0]);
        };
        scene.addPreLayoutPulseListener(counter[0]);
        whenIdle.accept(this::finishRows);
        Platform.requestNextPulse();
    }

    private void finishRows() {
        Runnable r = finishRows;
        finishRows = null;
        if (r != null) r.run();
    }

    public void setEditable(boolean editable) {
        area.setEditable(editable);
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("readonly"), !editable);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /**
     * The gutter: the line number and a mark that shows the line's problems (✖, hover for the
     * message) or the current line (▶). Built per visible paragraph whenever RichTextFX makes
     * its row, so it is light: text nodes in two plain boxes (no controls, so no skins), which
     * follow the current line, the problems and the line count in place. (RichTextFX's
     * LineNumberFactory made three labels per row, and for a CodeArea each paragraph-count
     * change queued a task that forced the editor's layout outside the pulse; a new factory
     * per check also made it rebuild every visible row.)
     */
    private IntFunction<Node> gutter() {
        return par -> {
            Text number = new Text();
            number.getStyleClass().add("text");
            StackPane numberBox = new StackPane(number);
            numberBox.getStyleClass().add("lineno");
            numberBox.setMaxHeight(Region.USE_PREF_SIZE);
            Text markText = new Text(" ");
            markText.getStyleClass().add("text");
            StackPane mark = new StackPane(markText);
            mark.getStyleClass().add("gutter-mark");
            InvalidationListener numbering = o -> {
                String n = String.valueOf(par + 1);
                number.setText(" ".repeat(Math.max(0, digits.get() - n.length())) + n);
            };
            InvalidationListener marking = o -> showMark(mark, markText, par + 1);
            HBox box = new HBox(numberBox, mark);
            box.getStyleClass().add("gutter");
            // the listeners live as long as the gutter (it holds them; the editor's properties only weakly)
            box.getProperties().put(CURRENT, List.of(numbering, marking));
            digits.addListener(new WeakInvalidationListener(numbering));
            WeakInvalidationListener weakMarking = new WeakInvalidationListener(marking);
            markedLine.addListener(weakMarking);
            byLine.addListener(weakMarking);
            numbering.invalidated(digits);
            marking.invalidated(markedLine);
            return box;
        };
    }

    /** Line {@code line}'s gutter mark: ✖ with the messages as a tooltip, else ▶ on the current line. */
    private void showMark(StackPane mark, Text markText, int line) {
        List<Diagnostic> ds = byLine.get().get(line);
        boolean error = ds != null;
        boolean here = !error && line == markedLine.get();
        String text = error ? "✖" : here ? "▶" : " ";
        if (!text.equals(markText.getText())) markText.setText(text);
        mark.pseudoClassStateChanged(CURRENT, here);
        Tooltip tip = (Tooltip) mark.getProperties().get(Tooltip.class);
        if (error) {
            if (!mark.getStyleClass().contains("gutter-error")) mark.getStyleClass().add("gutter-error");
            StringBuilder b = new StringBuilder();
            for (Diagnostic d : ds) b.append("error[").append(d.code()).append("]: ").append(d.message()).append('\n');
            String message = b.toString().strip();
            if (tip == null) {
                tip = new Tooltip(message);
                mark.getProperties().put(Tooltip.class, tip);
                Tooltip.install(mark, tip);
            } else if (!message.equals(tip.getText())) {
                tip.setText(message);
            }
        } else {
            mark.getStyleClass().remove("gutter-error");
            if (tip != null) {
                Tooltip.uninstall(mark, tip);
                mark.getProperties().remove(Tooltip.class);
            }
        }
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
        List<Diagnostic> next = List.copyOf(ds);
        // the same problems as shown (most checks of a correct program: none before, none
        // now): the colouring already has them (it is redone with them on every edit) and
        // the gutter and the count show them
        if (next.equals(diagnostics)) return;
        diagnostics = next;
        Map<Integer, List<Diagnostic>> m = new HashMap<>();
        for (Diagnostic d : next) m.computeIfAbsent(d.line(), k -> new ArrayList<>()).add(d);
        byLine.set(m);
        rehighlight();
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
}

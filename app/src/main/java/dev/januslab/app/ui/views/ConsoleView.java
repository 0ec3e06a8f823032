package dev.januslab.app.ui.views;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.app.model.EscapedError;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import dev.januslab.app.ui.TaskColors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Rectangle;

/**
 * Program output up to the cursor, each line marked with the colour and name of its task,
 * and, in red, each error that escaped a task ("✖ Runtime.DivByZero at line 4: integer
 * division by zero"), so a failed run says what failed where the output is read.
 */
public final class ConsoleView extends VBox implements LabView {
    /** One printed line, or an error that escaped a task, and whose it was. */
    public record Line(long seq, int task, String taskName, String text, boolean error) {
        public Line(long seq, int task, String taskName, String text) {
            this(seq, task, taskName, text, false);
        }
    }

    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");

    private final ListView<Line> list = new ListView<>();
    private final ObservableList<Line> shown = FXCollections.observableArrayList();
    private final List<Long> lineSeqs = new ArrayList<>(); // the prints and errors: one console line each
    private Trace indexed;
    private int indexedUpTo;
    private long shownSeq = -1;
    private final TailFollower tail = new TailFollower(list, list::scrollTo);

    public ConsoleView(IntConsumer onSelect) {
        getStyleClass().add("console");
        setId("console");
        list.setItems(shown);
        list.setPlaceholder(new Label("No output yet"));
        list.setCellFactory(lv -> new LineCell(onSelect));
        VBox.setVgrow(list, javafx.scene.layout.Priority.ALWAYS);
        getChildren().add(list);
        // a scroll asked before the list has a skin is lost (a window rendered headless in one
        // pass, a console not yet shown): follow the newest line again once the skin exists
        list.skinProperty().addListener((o, a, b) -> {
            if (b != null) tail.follow(shown.size() - 1);
        });
    }

    /** A console row; its nodes are built once and reused as it scrolls (no CSS for new nodes per frame). */
    private static final class LineCell extends ListCell<Line> {
        private final Rectangle bar = new Rectangle(4, 16);
        private final Label who = new Label(), text = new Label();
        private final HBox box = new HBox(8, bar, who, text);
        private int shownTask = Integer.MIN_VALUE;
        /** The name's colour, bound so CSS leaves it alone (an inline style would re-run CSS per row). */
        private final ObjectProperty<Paint> nameColour = new SimpleObjectProperty<>();

        LineCell(IntConsumer onSelect) {
            who.getStyleClass().add("console-task");
            text.getStyleClass().add("console-text");
            box.getStyleClass().add("console-line");
            who.textFillProperty().bind(nameColour);
            setOnMouseClicked(e -> {
                if (!isEmpty() && getItem() != null) onSelect.accept(getItem().task());
            });
            // set once: setting the graphic again makes the skin re-add it and re-apply its CSS
            setGraphic(box);
            box.setVisible(false);
        }

        @Override
        protected void updateItem(Line line, boolean empty) {
            super.updateItem(line, empty);
            setText(null);
            if (empty || line == null) {
                box.setVisible(false);
                return;
            }
            if (line.task() != shownTask) {
                shownTask = line.task();
                bar.setFill(TaskColors.of(shownTask));
                nameColour.set(TaskColors.of(shownTask));
            }
            who.setText(line.taskName());
            text.setText(line.text());
            text.pseudoClassStateChanged(ERROR, line.error());
            box.setVisible(true);
        }
    }

    public List<Line> lines() {
        return List.copyOf(shown);
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    /** How many console lines happened at or before {@code seq} (lineSeqs is sorted). */
    private int linesUpTo(long seq) {
        int lo = 0, hi = lineSeqs.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lineSeqs.get(mid) <= seq) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    @Override
    public void render(Frame f) {
        Trace rec = f.recording();
        if (rec != indexed) {
            indexed = rec;
            indexedUpTo = 0;
            lineSeqs.clear();
        }
        // prints are found up to the cursor only: a new 60,000-event recording costs nothing at once
        long size = Math.min(rec.size(), f.seq() + 1);
        for (long i = indexedUpTo; i < size; i++) {
            TraceEvent e = rec.get(i);
            if (e instanceof TraceEvent.Print || e instanceof TraceEvent.TaskError) lineSeqs.add(i);
        }
        indexedUpTo = (int) Math.max(indexedUpTo, size);
        int count = linesUpTo(f.seq());
        if (count != shown.size() || shownSeq > f.seq()) {
            if (count < shown.size()) shown.remove(count, shown.size());
            if (count > shown.size()) {
                // one change for the whole batch: the list's skin lays out once, not once per line
                List<Line> add = new ArrayList<>(count - shown.size());
                for (int i = shown.size(); i < count; i++) {
                    TraceEvent ev = rec.get(lineSeqs.get(i));
                    if (ev instanceof TraceEvent.TaskError e) {
                        add.add(new Line(e.seq(), e.task(), f.state().taskName(e.task()), EscapedError.of(e).consoleText(), true));
                    } else {
                        TraceEvent.Print e = (TraceEvent.Print) ev;
                        String text = e.text() == null ? "" : e.text();
                        add.add(new Line(e.seq(), e.task(), f.state().taskName(e.task()), text.stripTrailing()));
                    }
                }
                shown.addAll(add);
            }
            tail.follow(shown.size() - 1);
        }
        shownSeq = f.seq();
    }
}

package dev.januslab.app.ui.views;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import dev.januslab.app.ui.TaskColors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/** Program output up to the cursor, each line marked with the colour and name of its task. */
public final class ConsoleView extends VBox implements LabView {
    /** One printed line and who printed it. */
    public record Line(long seq, int task, String taskName, String text) {}

    private final ListView<Line> list = new ListView<>();
    private final ObservableList<Line> shown = FXCollections.observableArrayList();
    private final List<Long> printSeqs = new ArrayList<>();
    private Trace indexed;
    private int indexedUpTo;
    private long shownSeq = -1;

    public ConsoleView(IntConsumer onSelect) {
        getStyleClass().add("console");
        setId("console");
        list.setItems(shown);
        list.setPlaceholder(new Label("No output yet"));
        list.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(Line line, boolean empty) {
                super.updateItem(line, empty);
                if (empty || line == null) {
                    setGraphic(null);
                    setText(null);
                    setOnMouseClicked(null);
                    return;
                }
                Rectangle bar = new Rectangle(4, 16, TaskColors.of(line.task()));
                Label who = new Label(line.taskName());
                who.getStyleClass().add("console-task");
                who.setStyle("-fx-text-fill: " + TaskColors.css(line.task()) + ";");
                Label text = new Label(line.text());
                text.getStyleClass().add("console-text");
                HBox box = new HBox(8, bar, who, text);
                box.getStyleClass().add("console-line");
                setGraphic(box);
                setText(null);
                setOnMouseClicked(e -> onSelect.accept(line.task()));
            }
        });
        VBox.setVgrow(list, javafx.scene.layout.Priority.ALWAYS);
        getChildren().add(list);
    }

    public List<Line> lines() {
        return List.copyOf(shown);
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    @Override
    public void render(Frame f) {
        Trace rec = f.recording();
        if (rec != indexed) {
            indexed = rec;
            indexedUpTo = 0;
            printSeqs.clear();
        }
        long size = rec.size();
        for (long i = indexedUpTo; i < size; i++) if (rec.get(i) instanceof TraceEvent.Print) printSeqs.add(i);
        indexedUpTo = (int) size;
        int count = 0;
        while (count < printSeqs.size() && printSeqs.get(count) <= f.seq()) count++;
        if (count != shown.size() || shownSeq > f.seq()) {
            if (count < shown.size()) shown.remove(count, shown.size());
            for (int i = shown.size(); i < count; i++) {
                TraceEvent.Print e = (TraceEvent.Print) rec.get(printSeqs.get(i));
                String text = e.text() == null ? "" : e.text();
                shown.add(new Line(e.seq(), e.task(), f.state().taskName(e.task()), text.stripTrailing()));
            }
            if (!shown.isEmpty()) list.scrollTo(shown.size() - 1);
        }
        shownSeq = f.seq();
    }
}

package dev.januslab.app.ui.views;

import dev.januslab.app.model.EventFields;
import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableListBase;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Every event up to the cursor in a table, filterable by words ("steal", "fetch#3", "W1").
 * The rows are a view over the recording, never a copy, so a million events cost nothing;
 * clicking a row moves the cursor there.
 */
public final class EventLogView extends VBox implements LabView {
    private final TableView<TraceEvent> table = new TableView<>();
    private final TextField filter = new TextField();
    private final Rows rows = new Rows();
    private SchedulerState names;
    private long shownSeq = -1;
    private String appliedFilter = "";

    /** The visible events: seqs 0..n-1 unfiltered, or the matching seqs when filtered. */
    private static final class Rows extends ObservableListBase<TraceEvent> {
        Trace rec;
        int n;
        int[] match;

        void set(Trace rec, int n, int[] match) {
            int old = size();
            this.rec = rec;
            this.n = n;
            this.match = match;
            beginChange();
            if (old > 0) nextRemove(0, java.util.Collections.nCopies(old, (TraceEvent) null));
            if (size() > 0) nextAdd(0, size());
            endChange();
        }

        @Override
        public TraceEvent get(int i) {
            return rec.get(match == null ? i : match[i]);
        }

        @Override
        public int size() {
            return rec == null ? 0 : match == null ? n : match.length;
        }
    }

    public EventLogView(LongConsumer onSeek) {
        getStyleClass().add("event-log");
        setId("event-log");
        filter.setPromptText("Filter events: kind, task (fetch#3), worker (W1)…");
        filter.setId("event-filter");
        filter.textProperty().addListener((o, a, b) -> renderAgain());
        table.setItems(rows);
        table.setPlaceholder(new Label("No events yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(col("seq", 70, e -> String.valueOf(e.seq())));
        table.getColumns().add(col("time", 90, e -> TimelineView.formatTime(e.t(), 1000)));
        table.getColumns().add(col("worker", 70, e -> e.w() < 0 ? "—" : "W" + e.w()));
        table.getColumns().add(col("event", 130, TraceEvent::kind));
        table.getColumns().add(col("details", 300, this::details));
        table.setRowFactory(tv -> {
            TableRow<TraceEvent> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (row.getItem() != null) onSeek.accept(row.getItem().seq());
            });
            return row;
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(filter, table);
    }

    private Frame last;

    private void renderAgain() {
        if (last != null) render(last);
    }

    private static TableColumn<TraceEvent, String> col(String title, double width,
                                                  java.util.function.Function<TraceEvent, String> text) {
        TableColumn<TraceEvent, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(text.apply(cd.getValue())));
        return c;
    }

    private String details(TraceEvent e) {
        Map<String, Object> f = EventFields.of(e);
        return f.entrySet().stream().map(en -> {
            Object v = en.getValue();
            if (names != null && (en.getKey().equals("task") || en.getKey().equals("parent") || en.getKey().equals("by"))
                    && v instanceof Number n && n.intValue() >= 0) {
                v = names.taskName(n.intValue());
            }
            String s = String.valueOf(v).strip();
            return en.getKey() + "=" + (s.length() > 60 ? s.substring(0, 60) + "…" : s);
        }).collect(Collectors.joining("  "));
    }

    public TableView<TraceEvent> table() {
        return table;
    }

    public TextField filterField() {
        return filter;
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    @Override
    public void render(Frame f) {
        last = f;
        names = f.state();
        int n = (int) f.seq() + 1;
        String q = filter.getText() == null ? "" : filter.getText().strip().toLowerCase(Locale.ROOT);
        if (n == rows.size() && q.equals(appliedFilter) && rows.rec == f.recording() && q.isEmpty()) {
            shownSeq = f.seq();
            return;
        }
        appliedFilter = q;
        if (q.isEmpty()) {
            rows.set(f.recording(), n, null);
        } else {
            int[] m = new int[n];
            int k = 0;
            for (int i = 0; i < n; i++) if (matches(f.recording().get(i), q)) m[k++] = i;
            rows.set(f.recording(), n, Arrays.copyOf(m, k));
        }
        if (!rows.isEmpty()) table.scrollTo(rows.size() - 1);
        shownSeq = f.seq();
    }

    private boolean matches(TraceEvent e, String q) {
        if (e.kind().contains(q)) return true;
        if (q.startsWith("w") && q.length() > 1 && q.substring(1).equals(String.valueOf(e.w()))) return true;
        return details(e).toLowerCase(Locale.ROOT).contains(q);
    }
}

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
    private final TailFollower tail = new TailFollower(table, table::scrollTo);

    /**
     * The visible events: seqs 0..n-1 unfiltered, or the matching seqs when filtered. While
     * the log's tab is hidden, following the cursor (rows appended or cut at the end) is not
     * announced: the table would lay its rows out every frame for nobody. Its size is always
     * true; {@link #announce()} tells the table the rows it missed when the tab is shown.
     */
    private static final class Rows extends ObservableListBase<TraceEvent> {
        Trace rec;
        int n;
        int[] match;
        /** The size the table was last told of. */
        private int announced;

        /** Returns false when the change was kept quiet (hidden, unfiltered, same recording). */
        boolean set(Trace rec, int n, int[] match, boolean hidden) {
            // the cursor moved within the same unfiltered recording: one append or one cut at
            // the end, so the table keeps its rows instead of laying all of them out again
            boolean sameRows = rec == this.rec && match == null && this.match == null;
            this.rec = rec;
            this.n = n;
            this.match = match;
            if (sameRows && hidden) return false;
            beginChange();
            if (sameRows) {
                tail();
            } else {
                if (announced > 0) nextRemove(0, java.util.Collections.nCopies(announced, (TraceEvent) null));
                if (size() > 0) nextAdd(0, size());
            }
            announced = size();
            endChange();
            return true;
        }

        /** Tells the table of rows appended or cut while it was hidden. */
        void announce() {
            if (announced == size()) return;
            beginChange();
            tail();
            announced = size();
            endChange();
        }

        private void tail() {
            if (size() > announced) nextAdd(announced, size());
            else if (size() < announced) nextRemove(size(), java.util.Collections.nCopies(announced - size(), (TraceEvent) null));
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

    /** Its tab was chosen: the table learns the rows it missed while hidden and shows the newest. */
    public void shown() {
        if (rows.announced != rows.size()) {
            rows.announce();
            tail.follow(rows.size() - 1);
        }
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
        boolean told;
        if (q.isEmpty()) {
            told = rows.set(f.recording(), n, null, !TailFollower.showing(table));
        } else {
            int[] m = new int[n];
            int k = 0;
            for (int i = 0; i < n; i++) if (matches(f.recording().get(i), q)) m[k++] = i;
            told = rows.set(f.recording(), n, Arrays.copyOf(m, k), false);
        }
        if (told) tail.follow(rows.size() - 1);
        shownSeq = f.seq();
    }

    private boolean matches(TraceEvent e, String q) {
        if (e.kind().contains(q)) return true;
        if (q.startsWith("w") && q.length() > 1 && q.substring(1).equals(String.valueOf(e.w()))) return true;
        return details(e).toLowerCase(Locale.ROOT).contains(q);
    }
}

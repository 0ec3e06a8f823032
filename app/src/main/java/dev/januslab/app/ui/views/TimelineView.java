package dev.januslab.app.ui.views;

import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.app.ui.Frame;
import dev.januslab.app.ui.LabView;
import dev.januslab.app.ui.TaskColors;
import java.util.Arrays;
import java.util.function.IntConsumer;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Per-worker swimlanes of task slices over time, on a Canvas. A slice is a task's stretch on
 * a worker from {@code task_run} to its next switch-out. Slices narrower than two pixels are
 * aggregated per pixel column: its height is the share of that pixel's time the worker was
 * busy (any work at all at least {@link #MIN_BUSY_HEIGHT} of the lane, 3 px wide), its colour
 * the task that had most of it, so 10,000 tasks draw as fast as ten and a
 * zoomed-out run still shows which tasks ran where. Scroll to
 * zoom around the mouse, drag to pan, double-click to fit, hover for details, click to
 * select. Only what happened up to the cursor is drawn.
 */
public final class TimelineView extends Pane implements LabView {
    private static final double HEADER = 26, LANE_GAP = 6, LEFT = 44;

    /** Slices of one worker in start order, in growable primitive arrays. */
    private static final class Lane {
        long[] start = new long[256], end = new long[256];
        int[] task = new int[256];
        int n;
        int open = -1;

        void add(long s, int t) {
            if (n == start.length) {
                start = Arrays.copyOf(start, n * 2);
                end = Arrays.copyOf(end, n * 2);
                task = Arrays.copyOf(task, n * 2);
            }
            start[n] = s;
            end[n] = Long.MAX_VALUE;
            task[n] = t;
            open = n++;
        }

        void close(long t) {
            if (open >= 0) end[open] = t;
            open = -1;
        }

        /** First slice that may end after {@code t} (slices never overlap on one worker). */
        int firstEndingAfter(long t) {
            int lo = 0, hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (end[mid] < t) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }

    private final Canvas canvas = new Canvas();
    private final IntConsumer onSelect;
    private Lane[] lanes = new Lane[0];
    private Trace indexed;
    private int indexedUpTo;
    private long endT = 1;
    private double viewStart, viewEnd = 1;
    private boolean fit = true;
    private Frame frame;
    private double hoverX = -1, hoverY = -1;
    private double dragX;
    private long shownSeq = -1;
    private boolean dark;

    public TimelineView(IntConsumer onSelect) {
        this.onSelect = onSelect;
        getStyleClass().add("timeline");
        setId("timeline");
        getChildren().add(canvas);
        setMinSize(100, 80);
        canvas.setOnScroll(e -> {
            double factor = e.getDeltaY() > 0 ? 0.8 : 1.25;
            double at = timeAt(e.getX());
            viewStart = at - (at - viewStart) * factor;
            viewEnd = at + (viewEnd - at) * factor;
            clampView();
            fit = false;
            draw();
        });
        canvas.setOnMousePressed(e -> dragX = e.getX());
        canvas.setOnMouseDragged(e -> {
            double dt = (e.getX() - dragX) / scale();
            viewStart -= dt;
            viewEnd -= dt;
            dragX = e.getX();
            fit = false;
            draw();
        });
        canvas.setOnMouseMoved(e -> {
            hoverX = e.getX();
            hoverY = e.getY();
            draw();
        });
        canvas.setOnMouseExited(e -> {
            hoverX = -1;
            draw();
        });
        canvas.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                fit = true;
                draw();
            } else if (e.isStillSincePress()) {
                int t = taskAt(e.getX(), e.getY());
                if (t >= 0) onSelect.accept(t);
            }
        });
    }

    public void setDark(boolean dark) {
        this.dark = dark;
        draw();
    }

    /** Zooms in (factor < 1) or out around the middle; used by tests and the keyboard. */
    public void zoom(double factor) {
        double mid = (viewStart + viewEnd) / 2;
        viewStart = mid - (mid - viewStart) * factor;
        viewEnd = mid + (viewEnd - mid) * factor;
        clampView();
        fit = false;
        draw();
    }

    public double visibleSpanNs() {
        return viewEnd - viewStart;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    @Override
    public long shownSeq() {
        return shownSeq;
    }

    @Override
    public void render(Frame f) {
        frame = f;
        shownSeq = f.seq();
        index(f.recording(), f.state(), f.seq());
        drawFrame();
    }

    /** What the picture on the canvas was drawn for; when only the cursor moved on, just the new strip is drawn. */
    private record Drawn(double w, double h, double viewStart, double viewEnd, double fontSize, boolean dark,
                         int selected, int laneCount, Trace recording) {}

    private Drawn drawn;
    private long drawnCursorT = -1;

    /**
     * Draws the frame: a replay's cursor moves right with the picture otherwise unchanged, so
     * only the strip from the old cursor (and any slice still open there, which has grown) to
     * the new one is drawn again, clipped; the rest of the canvas keeps its pixels. Anything
     * else (zoom, pan, fit to a growing run, resize, theme, selection, hover, a step back)
     * draws everything.
     */
    private void drawFrame() {
        double w = canvas.getWidth(), h = canvas.getHeight();
        if (frame == null || w <= 0 || h <= 0) {
            draw();
            return;
        }
        if (fit) {
            viewStart = 0;
            viewEnd = Math.max(endT, 1000) * 1.02;
        }
        Drawn now = new Drawn(w, h, viewStart, viewEnd, frame.fontSize(), dark, frame.selectedTask(), lanes.length,
                frame.recording());
        long cursorT = cursorT();
        if (!now.equals(drawn) || cursorT < drawnCursorT || hoverX >= 0) {
            draw();
            return;
        }
        if (cursorT == drawnCursorT) return;
        double sc = scale();
        double from = LEFT + (drawnCursorT - viewStart) * sc;
        for (Lane lane : lanes) {
            int i = lane.firstEndingAfter(drawnCursorT);
            // a slice open at the old cursor has grown: its start (label, busy column) is redrawn too
            if (i < lane.n && lane.start[i] <= drawnCursorT) from = Math.min(from, LEFT + (lane.start[i] - viewStart) * sc);
        }
        double to = LEFT + (cursorT - viewStart) * sc;
        drawRegion(Math.max(0, Math.floor(from) - 3), Math.min(w, Math.ceil(to) + 3));
    }

    /**
     * Extends the slice index up to the cursor (nothing later is drawn): opening a 60,000-event
     * recording indexes nothing at once, and playing it indexes a frame's worth of events per
     * frame. The time axis still spans the whole recording (its last event), as fit-to-view shows it.
     */
    private void index(Trace rec, SchedulerState s, long cursor) {
        if (rec != indexed) {
            indexed = rec;
            indexedUpTo = 0;
            lanes = new Lane[0];
            endT = 1;
        }
        int size = (int) Math.min(rec.size(), cursor + 1);
        if (rec.size() > 0) endT = Math.max(endT, rec.get(rec.size() - 1).t());
        for (int i = indexedUpTo; i < size; i++) {
            TraceEvent e = rec.get(i);
            endT = Math.max(endT, e.t());
            int w = e.w();
            if (e instanceof TraceEvent.RunStart rs) {
                ensure(Math.max(1, rs.workers()) - 1);
            } else if (e instanceof TraceEvent.TaskRun r) {
                if (w >= 0) { ensure(w); lanes[w].close(e.t()); lanes[w].add(e.t(), r.task()); }
            } else if (e instanceof TraceEvent.TaskYield || e instanceof TraceEvent.TaskBlock || e instanceof TraceEvent.TaskDone) {
                if (w >= 0) {
                    ensure(w);
                    int task = rec.taskOf(i);
                    if (lanes[w].open >= 0 && lanes[w].task[lanes[w].open] == task) lanes[w].close(e.t());
                }
            } else if (e instanceof TraceEvent.RunEnd) {
                for (Lane l : lanes) l.close(e.t());
            }
        }
        indexedUpTo = Math.max(indexedUpTo, size);
        ensure(s.workerCount() - 1);
    }

    private void ensure(int w) {
        if (w < lanes.length) return;
        Lane[] bigger = Arrays.copyOf(lanes, w + 1);
        for (int i = lanes.length; i <= w; i++) bigger[i] = new Lane();
        lanes = bigger;
    }

    private double scale() {
        return (canvas.getWidth() - LEFT) / Math.max(1, viewEnd - viewStart);
    }

    private double timeAt(double x) {
        return viewStart + (x - LEFT) / scale();
    }

    private void clampView() {
        double span = Math.max(1000, viewEnd - viewStart);
        viewEnd = viewStart + span;
    }

    private double laneHeight() {
        int n = Math.max(1, lanes.length);
        return Math.max(14, Math.min(48, (canvas.getHeight() - HEADER - 4) / n - LANE_GAP));
    }

    private long cursorT() {
        TraceEvent e = frame == null ? null : frame.event();
        return e == null ? 0 : frame.state().time();
    }

    private void draw() {
        drawRegion(0, canvas.getWidth());
    }

    /** Draws the columns [clipX0, clipX1) of the picture (all of it: 0, width). */
    private void drawRegion(double clipX0, double clipX1) {
        double w = canvas.getWidth(), h = canvas.getHeight();
        if (w <= 0 || h <= 0) return;
        GraphicsContext g = canvas.getGraphicsContext2D();
        boolean partial = clipX0 > 0 || clipX1 < w;
        if (partial) {
            g.save();
            g.beginPath();
            g.rect(clipX0, 0, clipX1 - clipX0, h);
            g.clip();
        }
        try {
            paint(g, w, h, clipX0, clipX1);
        } finally {
            if (partial) g.restore();
        }
        if (frame != null) {
            drawn = new Drawn(w, h, viewStart, viewEnd, frame.fontSize(), dark, frame.selectedTask(), lanes.length,
                    frame.recording());
            drawnCursorT = cursorT();
        } else {
            drawn = null;
        }
    }

    private void paint(GraphicsContext g, double w, double h, double clipX0, double clipX1) {
        Color bg = dark ? Color.web("#1e2127") : Color.web("#fbfbfd");
        Color fg = dark ? Color.web("#d7dae0") : Color.web("#2b2f36");
        Color grid = dark ? Color.web("#3a3f4b") : Color.web("#dde1e8");
        g.setFill(bg);
        g.fillRect(clipX0, 0, clipX1 - clipX0, h);
        if (frame == null) return;
        long cursorT = cursorT();
        if (fit) {
            viewStart = 0;
            viewEnd = Math.max(endT, 1000) * 1.02;
        }
        double sc = scale();
        double fs = Math.max(11, frame.fontSize() * 0.8);
        Font font = Font.font("DejaVu Sans", fs);
        g.setFont(font);
        g.setTextBaseline(VPos.CENTER);
        // time axis
        double span = viewEnd - viewStart;
        double stepNs = niceStep(span / Math.max(1, (w - LEFT) / 110));
        g.setStroke(grid);
        g.setFill(fg);
        g.setTextAlign(TextAlignment.CENTER);
        for (double t = Math.ceil(viewStart / stepNs) * stepNs; t <= viewEnd; t += stepNs) {
            double x = LEFT + (t - viewStart) * sc;
            g.strokeLine(x, HEADER - 4, x, h);
            g.fillText(axisLabel(t, stepNs), x, HEADER / 2);
        }
        double lh = laneHeight();
        int hoverTask = -1;
        String hoverText = null;
        for (int wi = 0; wi < lanes.length; wi++) {
            Lane lane = lanes[wi];
            double y = HEADER + wi * (lh + LANE_GAP);
            g.setFill(fg);
            g.setTextAlign(TextAlignment.LEFT);
            g.setFont(Font.font("DejaVu Sans", FontWeight.BOLD, fs));
            g.fillText("W" + wi, 6, y + lh / 2);
            g.setFont(font);
            g.setFill(grid.deriveColor(0, 1, 1, 0.35));
            g.fillRect(LEFT, y, w - LEFT, lh);
            int cols = (int) Math.ceil(w) + 1;
            double[] busy = new double[cols];
            int[] mostTask = new int[cols];
            double[] mostLead = new double[cols];
            boolean anyBusy = false;
            // only slices that reach into the columns being drawn (all of them for a full draw)
            // (and the few before them whose busy columns are drawn wide enough to reach in)
            long firstT = (long) Math.max(viewStart, timeAt(clipX0 - 2 - MIN_BUSY_WIDTH));
            double lastT = Math.min(viewEnd, clipX1 >= w ? viewEnd : timeAt(clipX1 + 2));
            for (int i = lane.firstEndingAfter(firstT); i < lane.n; i++) {
                long s = lane.start[i];
                if (s > cursorT || s > lastT) break;
                long e = Math.min(lane.end[i], cursorT);
                double x0 = LEFT + (s - viewStart) * sc, x1 = LEFT + (e - viewStart) * sc;
                x0 = Math.max(LEFT, x0);
                x1 = Math.min(w, x1);
                int t = lane.task[i];
                if (x1 - x0 < 2) { // too thin to see alone: aggregate per pixel
                    anyBusy |= spread(busy, mostTask, mostLead, x0, x1, t);
                    continue;
                }
                boolean sel = frame.selectedTask() == t;
                g.setFill(TaskColors.of(t));
                g.fillRect(x0, y + 2, x1 - x0, lh - 4);
                if (sel) {
                    g.setStroke(fg);
                    g.setLineWidth(2.5);
                    g.strokeRect(x0 + 1, y + 2, x1 - x0 - 2, lh - 4);
                    g.setLineWidth(1);
                }
                String label = frame.state().taskName(t);
                if (x1 - x0 > label.length() * fs * 0.62 + 8) {
                    g.setFill(Color.web("#111418"));
                    g.fillText(label, x0 + 4, y + lh / 2);
                }
                if (hoverY >= y && hoverY <= y + lh && hoverX >= x0 && hoverX <= x1) {
                    hoverTask = t;
                    hoverText = label + " on W" + wi + ": " + formatTime(s, 1000) + " → "
                            + (lane.end[i] == Long.MAX_VALUE ? "running" : formatTime(lane.end[i], 1000))
                            + " (" + formatTime(e - s, 1000) + ")";
                }
            }
            if (anyBusy) drawBusy(g, busy, mostTask, (int) Math.max(0, clipX0 - MIN_BUSY_WIDTH),
                    (int) Math.min(busy.length, clipX1 + 1), y + 2, lh - 4);
        }
        // cursor line
        double cx = LEFT + (cursorT - viewStart) * sc;
        if (cx >= LEFT && cx <= w) {
            g.setStroke(Color.web("#e0457b"));
            g.setLineWidth(2);
            g.strokeLine(cx, HEADER - 6, cx, h);
            g.setLineWidth(1);
        }
        if (hoverText != null && hoverX >= 0) {
            double tw = hoverText.length() * fs * 0.6 + 16;
            double bx = Math.min(hoverX + 12, w - tw - 4), by = Math.max(2, hoverY - 34);
            g.setFill(dark ? Color.web("#2f343f") : Color.web("#ffffff"));
            g.fillRoundRect(bx, by, tw, fs + 14, 8, 8);
            g.setStroke(TaskColors.of(hoverTask));
            g.strokeRoundRect(bx, by, tw, fs + 14, 8, 8);
            g.setFill(fg);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(hoverText, bx + 8, by + (fs + 14) / 2);
        }
    }

    /** The task whose slice is under (x, y), or -1. */
    public int taskAt(double x, double y) {
        double lh = laneHeight(), sc = scale();
        int wi = (int) ((y - HEADER) / (lh + LANE_GAP));
        if (y < HEADER || wi < 0 || wi >= lanes.length) return -1;
        long t = (long) (viewStart + (x - LEFT) / sc);
        Lane lane = lanes[wi];
        int i = lane.firstEndingAfter(t);
        if (i < lane.n && lane.start[i] <= t && t <= Math.min(lane.end[i], cursorT())) return lane.task[i];
        return -1;
    }

    /** The worker whose lane is at height y, or -1 (tests). */
    public int laneAt(double y) {
        int wi = (int) ((y - HEADER) / (laneHeight() + LANE_GAP));
        return y < HEADER || wi >= lanes.length ? -1 : wi;
    }

    /** A lane's height in pixels (tests). */
    public double laneHeightForTests() {
        return laneHeight();
    }

    /** Slices recorded so far on worker {@code w} (tests). */
    public int sliceCount(int w) {
        return w < lanes.length ? lanes[w].n : 0;
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    static String formatTime(double ns, double step) {
        if (step >= 1e6 || ns >= 1e7) return String.format("%.0f ms", ns / 1e6);
        if (step >= 1e5 || ns >= 1e6) return String.format("%.1f ms", ns / 1e6);
        return String.format("%.0f µs", ns / 1e3);
    }

    /** A tick of the time axis, at the precision of the tick step, so neighbouring ticks never print the same label. */
    static String axisLabel(double ns, double step) {
        if (step >= 1e6) return String.format("%.0f ms", ns / 1e6);
        if (step >= 1e5) return String.format("%.1f ms", ns / 1e6);
        if (step >= 1e4) return String.format("%.2f ms", ns / 1e6);
        if (step >= 1e3) return String.format("%.0f µs", ns / 1e3);
        return String.format("%.0f ns", ns);
    }

    /**
     * Adds a thin slice [x0, x1) of task {@code t} to the pixel columns it covers: each column
     * gets the part of the slice inside it (a slice counted whole in the column of its start
     * made an evenly busy worker look jagged) and a majority vote for its colour.
     */
    private static boolean spread(double[] busy, int[] mostTask, double[] mostLead, double x0, double x1, int t) {
        boolean any = false;
        for (int px = (int) Math.floor(x0); px < x1 && px < busy.length; px++) {
            double part = Math.min(x1, px + 1) - Math.max(x0, px);
            if (px < 0 || part <= 0) continue;
            busy[px] += part;
            any = true;
            // Boyer-Moore majority: the column's task is the one most of its busy time belongs to
            if (mostTask[px] == t + 1) {
                mostLead[px] += part;
            } else if (mostLead[px] < part) {
                mostTask[px] = t + 1;
                mostLead[px] = part - mostLead[px];
            } else {
                mostLead[px] -= part;
            }
        }
        return any;
    }

    /**
     * The least height (a fraction of the lane) of a column in which anything ran. A column is
     * as tall as the part of its time the worker was busy, but a lesson whose tasks run for
     * microseconds between sleeps of 100 ms was busy for 2% of a column: drawn 1 px tall, its
     * whole timeline looked empty. Any work at all now shows as at least this much.
     */
    static final double MIN_BUSY_HEIGHT = 0.4;
    static final int MIN_BUSY_WIDTH = 3;

    /** The aggregated columns [from, to): runs of one task and one height as one rectangle each. */
    private static void drawBusy(GraphicsContext g, double[] busy, int[] mostTask, int from, int to, double top, double height) {
        int runStart = -1, runTask = 0, runH = 0;
        for (int px = from; px <= to; px++) {
            int h = px < to && busy[px] > 0 ? (int) Math.ceil(Math.max(MIN_BUSY_HEIGHT, Math.min(1, busy[px])) * height) : 0;
            int t = px < to ? mostTask[px] : 0;
            if (runStart >= 0 && (h != runH || t != runTask)) {
                g.setFill(TaskColors.of(runTask - 1));
                // a lone busy pixel is drawn 3 px wide: 1 px of colour is lost beside a grid line
                g.fillRect(runStart, top + height - runH, Math.max(px - runStart, MIN_BUSY_WIDTH), runH);
                runStart = -1;
            }
            if (runStart < 0 && h > 0) {
                runStart = px;
                runTask = t;
                runH = h;
            }
        }
    }
}

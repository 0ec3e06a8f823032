package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.TestTraces;
import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.Trace;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;
import org.testfx.framework.junit5.Start;

class TimelineConsoleLogTest extends LabFxTest {
    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @Test
    void theTimelineHasASliceForEveryRunAndClickingOneSelectsItsTask() {
        Trace rec = TestTraces.workStealing();
        showAt(rec, rec.size() - 1);
        int runs = 0;
        for (long i = 0; i < rec.size(); i++) if (rec.get(i).kind().equals("task_run")) runs++;
        int slices = 0;
        for (int w = 0; w < 4; w++) slices += window.timeline.sliceCount(w);
        assertEquals(runs, slices);
        // find a pixel well inside some slice (the same task 3 px around it: the first pixel
        // found used to be a slice's very edge, and a click rounded to the screen's pixels
        // could land just outside it) and click it
        int[] hit = fx(() -> {
            for (double x = 50; x < window.timeline.getWidth(); x += 3) {
                for (double y = 30; y < window.timeline.getHeight(); y += 5) {
                    int t = window.timeline.taskAt(x, y);
                    if (t > 0 && window.timeline.taskAt(x - 3, y - 3) == t && window.timeline.taskAt(x + 3, y + 3) == t
                            && window.timeline.taskAt(x - 3, y + 3) == t && window.timeline.taskAt(x + 3, y - 3) == t) {
                        return new int[] {(int) x, (int) y, t};
                    }
                }
            }
            return null;
        });
        assertTrue(hit != null, "some slice is visible");
        clickOn(window.timeline.localToScreen(hit[0], hit[1]));
        assertEquals(hit[2], window.model.selectedTask.get());
    }

    @Test
    void aZoomedOutTimelineShowsWhichTasksRanInTaskColours() {
        // 10,000 leaves fit to the view: every slice is thinner than two pixels, so the lanes
        // are drawn from aggregated columns. They used to be one grey bar chart, jagged where
        // a pixel happened to hold the start of one more slice: now each column takes the
        // colour of the task that had most of its time.
        Trace rec = SampleTraces.fanOut10k();
        showAt(rec, rec.size() - 1);
        screenshot("timeline-10k-aggregated");
        // task colours are HSB (golden-angle hue, saturation 0.55, brightness 0.80): count the
        // 10-degree hue buckets of lane pixels in that colour
        java.util.Set<Integer> hues = fx(() -> {
            javafx.scene.image.WritableImage img = window.timeline.snapshot(null, null);
            javafx.scene.image.PixelReader px = img.getPixelReader();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int x = 60; x < (int) img.getWidth() - 10; x++) {
                for (int y = 40; y < (int) img.getHeight() - 10; y += 4) {
                    javafx.scene.paint.Color c = px.getColor(x, y);
                    if (Math.abs(c.getSaturation() - 0.55) < 0.04 && Math.abs(c.getBrightness() - 0.80) < 0.04) {
                        seen.add((int) (c.getHue() / 10));
                    }
                }
            }
            return seen;
        });
        assertTrue(hues.size() >= 6, "hues of task colours in the aggregated lanes: " + hues);
    }

    @Test
    void workOfMicrosecondsBetweenSleepsOfMillisecondsIsVisible() {
        // the tasks of "why async" run for a few µs each around sleeps of 200-300 ms: fitted to
        // the view every slice is a sliver of one pixel column, and the columns used to be drawn
        // as tall as the part of their time the worker was busy (1 px): the lanes looked empty
        Trace rec = TestTraces.whyAsync();
        showAt(rec, rec.size() - 1);
        screenshot("timeline-why-async");
        int[] tallest = fx(() -> {
            javafx.scene.image.WritableImage img = window.timeline.snapshot(null, null);
            javafx.scene.image.PixelReader px = img.getPixelReader();
            int[] best = new int[2]; // per lane: the tallest column of task colour
            for (int x = 44; x < (int) img.getWidth(); x++) {
                int run = 0;
                for (int y = 26; y < (int) img.getHeight(); y++) {
                    javafx.scene.paint.Color c = px.getColor(x, y);
                    boolean task = Math.abs(c.getSaturation() - 0.55) < 0.04 && Math.abs(c.getBrightness() - 0.80) < 0.04;
                    run = task ? run + 1 : 0;
                    int lane = window.timeline.laneAt(y);
                    if (lane >= 0 && lane < 2) best[lane] = Math.max(best[lane], run);
                }
            }
            return best;
        });
        double laneHeight = fx(window.timeline::laneHeightForTests);
        for (int w = 0; w < 2; w++) {
            assertTrue(tallest[w] >= 0.35 * laneHeight, "W" + w + "'s work is a visible mark: " + tallest[w]
                    + " px of a " + laneHeight + " px lane");
        }
    }

    @Test
    void zoomNarrowsTheVisibleSpan() {
        showAt(TestTraces.workStealing(), 50);
        double before = fx(window.timeline::visibleSpanNs);
        fxRun(() -> window.timeline.zoom(0.5));
        assertEquals(before / 2, fx(window.timeline::visibleSpanNs), before / 100);
    }

    @Test
    void theConsoleShowsOutputUpToTheCursorColouredByTask() {
        Trace rec = TestTraces.whyAsync();
        showAt(rec, rec.size() - 1);
        var lines = fx(window.console::lines);
        assertEquals(4, lines.size());
        assertEquals("fetch#2", lines.get(0).taskName(), "news (200 ms) arrives first");
        assertEquals("got news after 200 ms", lines.get(0).text());
        assertEquals("main#0", lines.get(3).taskName());
        seek(lines.get(1).seq() - 1);
        assertEquals(1, fx(window.console::lines).size());
    }

    @Test
    void theEventLogFiltersAndClickingARowMovesTheCursor() {
        Trace rec = TestTraces.workStealing();
        showAt(rec, rec.size() - 1);
        fxRun(() -> window.eventLog.filterField().setText("task_steal"));
        int steals = 0;
        for (long i = 0; i < rec.size(); i++) if (rec.get(i).kind().equals("task_steal")) steals++;
        assertTrue(steals > 0);
        assertEquals(steals, (int) fx(() -> window.eventLog.table().getItems().size()));
        long seq = fx(() -> window.eventLog.table().getItems().get(0).seq());
        // a log that joins the window when its tab is chosen catches up with the cursor on the
        // next frame (it scrolls to the newest row): let it, then scroll to the first steal
        fxRun(() -> window.showTab(1));
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(window.loop::renderNow);
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> window.eventLog.table().scrollTo(0));
        WaitForAsyncUtils.waitForFxEvents();
        // the row showing the first steal (row cells are reused: the first node found may show another)
        javafx.scene.Node first = fx(() -> window.eventLog.table().lookupAll(".table-row-cell").stream()
                .filter(n -> n instanceof javafx.scene.control.TableRow<?> r && r.getIndex() == 0 && r.isVisible())
                .findFirst().orElseThrow(() -> new AssertionError("no visible row 0")));
        clickOn(first);
        assertEquals(seq, window.model.cursor.get());
    }
}

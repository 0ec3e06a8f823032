package dev.januslab.app.ui.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The time axis labels its ticks so that no two neighbours read the same (they once read "0 µs, 0 µs, 1 µs"). */
class TimelineAxisTest {
    @Test
    void neighbouringTicksNeverPrintTheSameLabel() {
        // spans from an empty run (1 µs) to a long one (100 s), starting at 0 and deep into the run
        for (double span = 1e3; span <= 1e11; span *= 1.7) {
            for (double start : new double[] {0, 3.3e6, 10.25e6, 1.5e9}) {
                double step = TimelineView.niceStep(span / 8);
                String previous = null;
                for (double t = Math.ceil(start / step) * step; t <= start + span; t += step) {
                    String label = TimelineView.axisLabel(t, step);
                    assertNotEquals(previous, label, "span " + span + " ns from " + start + " ns, step " + step);
                    previous = label;
                }
            }
        }
    }

    @Test
    void ticksUseTheUnitOfTheirStep() {
        assertEquals("200 ns", TimelineView.axisLabel(200, 200));
        assertEquals("50 µs", TimelineView.axisLabel(50e3, 10e3 / 10));
        assertEquals("0.5 ms", TimelineView.axisLabel(0.5e6, 0.1e6));
        assertEquals("10.05 ms", TimelineView.axisLabel(10.05e6, 0.05e6));
        assertEquals("12 ms", TimelineView.axisLabel(12e6, 2e6));
    }
}

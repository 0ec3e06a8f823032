package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.Trace;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * A replay moves at its speed whatever the frame rate, but a stalled pulse (a slow frame, a
 * busy machine) does not make it jump ahead: one pulse covers at most
 * {@link FrameLoop#MAX_STEP_S} of playback, so the frame after a hitch has no pile of
 * events to fold and draw (the jump used to make it slow as well).
 */
class PlaybackStepTest extends LabFxTest {
    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @Test
    void aLongPulseAdvancesTheReplayByOneStepAtMost() {
        Trace rec = SampleTraces.fanOut10k();
        showAt(rec, 0);
        long[] moved = fx(() -> {
            window.loop.stop(); // pulses come from this test only, at the times it chooses
            window.model.playing.set(true);
            double rate = window.model.eventsPerSecond();
            long t0 = 1_000_000_000L;
            window.loop.handle(t0);
            long before = window.model.cursor.get();
            window.loop.handle(t0 + 16_666_667L); // an ordinary 60 Hz pulse
            long normal = window.model.cursor.get() - before;
            long mid = window.model.cursor.get();
            window.loop.handle(t0 + 16_666_667L + 2_000_000_000L); // a pulse two seconds late
            long late = window.model.cursor.get() - mid;
            return new long[] {normal, late, Math.round(rate * 0.016666667), Math.round(rate * FrameLoop.MAX_STEP_S)};
        });
        assertEquals(moved[2], moved[0], 1, "an ordinary pulse moves by speed x 1/60 s");
        assertEquals(moved[3], moved[1], 1, "a late pulse moves by one step of speed x MAX_STEP_S, not by two seconds");
    }
}

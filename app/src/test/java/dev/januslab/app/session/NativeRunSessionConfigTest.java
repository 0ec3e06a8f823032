package dev.januslab.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.januslab.scheduler.trace.Wire.Mode;
import org.junit.jupiter.api.Test;

class NativeRunSessionConfigTest {
    @Test
    void theToolbarsSettingsRunWithTheRingsOfAKeptRun() {
        var c = NativeRunSession.toNative(new RunConfig(4, false, 7, 500));
        assertEquals(4, c.workers());
        assertEquals(Mode.LIVE, c.mode());
        assertEquals(7, c.seed());
        assertEquals(500, c.quantum());
        // the runtime's 1 MiB default dropped events of a 10,000-task live run in the window
        assertEquals(dev.januslab.scheduler.run.RunConfig.KEPT_RUN_RING_KB, c.ringKb());
    }
}

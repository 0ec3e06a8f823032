package dev.januslab.scheduler.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.nativert.ConfigStruct;
import dev.januslab.scheduler.trace.Wire.Mode;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

class RunConfigTest {
    private static final jnr.ffi.Runtime FFI = jnr.ffi.Runtime.getSystemRuntime();

    @Test
    void theStructIsTwentyFourLongs() {
        assertEquals(192, ConfigStruct.SIZE);
        assertEquals(8 * 11, ConfigStruct.offset(ConfigStruct.RING_KB));
    }

    @Test
    void writtenFieldsLandAtTheirOffsetsAndReadBack() {
        RunConfig c = RunConfig.defaults().withWorkers(4).withMode(Mode.DETERMINISTIC).withSeed(-7).withQuantum(50)
                .withStackKb(64).withMaxTasks(10).withMaxTotalTasks(20).withTaskMemory(1 << 20).withMaxRunMs(500)
                .withEvents(RunConfig.Events.OUTPUT).withLineEvents(true).withRingKb(64);
        Pointer p = Memory.allocateDirect(FFI, ConfigStruct.SIZE, true);
        p.putLong(ConfigStruct.offset(ConfigStruct.OP_NS), 10);
        c.writeTo(p);
        assertEquals(4, p.getLong(0));
        assertEquals(ConfigStruct.MODE_DETERMINISTIC, p.getLong(8));
        assertEquals(-7, p.getLong(16));
        assertEquals(64, p.getLong(ConfigStruct.offset(ConfigStruct.RING_KB)));
        assertEquals(10, p.getLong(ConfigStruct.offset(ConfigStruct.OP_NS)), "fields Java does not choose are kept");
        assertEquals(c, RunConfig.readFrom(p));
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        RunConfig d = RunConfig.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withWorkers(0)).getMessage().contains("workers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withWorkers(65)).getMessage().contains("workers"));
        assertThrows(IllegalArgumentException.class, () -> d.withStackKb(2));
        assertThrows(IllegalArgumentException.class, () -> d.withRingKb(100));
        assertThrows(IllegalArgumentException.class, () -> d.withQuantum(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxRunMs(-1));
    }

    @Test
    void headerConfigCarriesTheTraceFields() {
        RunConfig c = RunConfig.defaults().withWorkers(3).withSeed(9).withMode(Mode.DETERMINISTIC);
        var h = c.headerConfig();
        assertEquals(3, h.workers());
        assertEquals(9, h.seed());
        assertEquals(Mode.DETERMINISTIC, h.mode());
        assertEquals(1000, h.quantum());
        assertEquals(8, h.stackKb());
    }
}

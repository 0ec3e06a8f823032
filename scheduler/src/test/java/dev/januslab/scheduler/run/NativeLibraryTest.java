package dev.januslab.scheduler.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.nativert.ConfigStruct;
import dev.januslab.scheduler.nativert.NativeLibrary;
import dev.januslab.scheduler.nativert.NativeLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader: clear messages when it cannot load, and agreement with the real library when it can. */
class NativeLibraryTest {
    @Test
    void aMissingFileIsNamedInTheMessage(@TempDir Path dir) {
        Path missing = dir.resolve("nope.so");
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeLibrary.loadFrom(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aFileThatIsNotALibraryIsNamedWithTheReason(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("libjunk.so");
        Files.writeString(junk, "not an ELF file");
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeLibrary.loadFrom(junk));
        assertTrue(e.getMessage().startsWith("cannot load " + junk), e.getMessage());
    }

    @Test
    void aLibraryWithoutTheRuntimeIsRefused() {
        // A shared library that surely exists and surely lacks the runtime: the JDK's own.
        Path other = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        assertTrue(Files.exists(other), other.toString());
        NativeLoadException e = assertThrows(NativeLoadException.class, () -> NativeLibrary.loadFrom(other));
        assertTrue(e.getMessage().contains("jrt_"), e.getMessage());
    }

    @Test
    void theBundledLibraryAgreesOnTheConfigStructAndItsDefaults() {
        assertNotNull(NativeLibrary.class.getResource(NativeLibrary.RESOURCE),
                "libjanusrt.so is packaged in the scheduler jar (the native module builds it first)");
        NativeLibrary lib = NativeLibrary.get();
        assertEquals(ConfigStruct.SIZE, lib.rt().jrt_config_size());
        Pointer cfg = lib.allocate(ConfigStruct.SIZE);
        lib.rt().jrt_config_init(cfg.address());
        assertEquals(RunConfig.defaults(), RunConfig.readFrom(cfg), "Java's defaults are jrt_config_init's");
    }
}

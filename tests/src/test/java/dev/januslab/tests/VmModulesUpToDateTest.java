package dev.januslab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The VM's C tests (native/tests/vm/test_vm) run checked-in bytecode modules compiled from
 * the corpus, because the native module builds before the Java front end exists. A program
 * edited without re-running {@code native/tests/vm/regen.sh} left the C tests running its old
 * version: transitive_to_grandchildren's module kept a fixed 20 ms sleep the program had
 * dropped, and live runs under ThreadSanitizer printed "stopped 5" instead of "stopped 7".
 * This test regenerates every module with the current compiler and fails on any difference.
 */
class VmModulesUpToDateTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void checkedInModulesMatchTheirPrograms() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("native/tests/vm/regen.sh").toString(), "--check")
                .redirectErrorStream(true);
        pb.environment().put("JANC_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}

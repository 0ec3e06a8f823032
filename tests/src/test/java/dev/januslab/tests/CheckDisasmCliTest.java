package dev.januslab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `janus-lab check` and `janus-lab disasm` exit statuses and output streams (DESIGN.md §6). */
class CheckDisasmCliTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {}

    /** Runs the command line with stdout/stderr captured (the commands write to the file descriptors). */
    private static Outcome run(String... args) throws Exception {
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName());
        pb.command().addAll(java.util.List.of(args));
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        int status = pb.start().waitFor();
        return new Outcome(status, Files.readString(out), Files.readString(err));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void cleanProgramExitsZeroWithNoOutput() throws Exception {
        Path p = dir.resolve("ok.jan");
        Files.writeString(p, "async func main() do\n    println(1)\nend\n");
        Outcome o = run("check", p.toString());
        assertEquals(0, o.status(), o.err());
        assertEquals("", o.err());
    }

    @Test
    void compileErrorsExitTwoWithAllDiagnosticsOnStderr() throws Exception {
        Path p = dir.resolve("bad.jan");
        Files.writeString(p, "func f() do\n    await g()\nend\nasync func main() do\n    spawn f()\nend\n");
        Outcome o = run("check", p.toString());
        assertEquals(2, o.status());
        assertEquals("", o.out());
        assertTrue(o.err().contains(p + ":2:5: error[N1002]:"), o.err());
        assertTrue(o.err().contains(p + ":2:11: error[N1007]:"), o.err());
        assertTrue(o.err().contains(p + ":5:5: error[N1001]:"), o.err());
        assertTrue(o.err().contains("    spawn f()\n    ^\n"), o.err());
    }

    @Test
    void unreadableFileOrBadUsageExitsThree() throws Exception {
        Outcome missing = run("check", dir.resolve("nope.jan").toString());
        assertEquals(3, missing.status());
        assertTrue(missing.err().contains("cannot read"), missing.err());
        assertEquals(3, run("check").status());
    }

    @Test
    void disasmPrintsTheListingOnStdout() throws Exception {
        Path p = dir.resolve("hello.jan");
        Files.writeString(p, "async func main() do\n    println(\"hi\")\nend\n");
        Outcome o = run("disasm", p.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("== function 0: main  async"), o.out());
        assertTrue(o.out().contains("    2 |     println(\"hi\")"), o.out());
        assertTrue(o.out().contains("CALL_BUILTIN        1 1       ; println"), o.out());
    }
}

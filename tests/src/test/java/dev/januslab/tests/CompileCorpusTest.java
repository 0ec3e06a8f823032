package dev.januslab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.bytecode.Verifier;
import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.interpreter.diag.DiagnosticRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The compile side of the program corpus (tests/programs/**.jan):
 * <ul>
 *   <li>a program with {@code // expect error LINE: CODE} comments must produce exactly those
 *       (line, code) diagnostics, as a multiset;</li>
 *   <li>every other program ({@code // expect: …} output and {@code // expect runtime error: …})
 *       must compile with no diagnostics, pass the verifier, and survive encode → decode →
 *       encode byte for byte.</li>
 * </ul>
 * The VM runner (later) executes the same files and checks their output.
 */
class CompileCorpusTest {
    static final Path PROGRAMS = Path.of(System.getProperty("janus.programs", "programs"));
    private static final Pattern EXPECT_ERROR = Pattern.compile("//\\s*expect error (\\d+):\\s*([SN]\\d{4})\\s*$");

    static List<Path> programs() throws IOException {
        try (Stream<Path> s = Files.walk(PROGRAMS)) {
            return s.filter(p -> p.toString().endsWith(".jan")).sorted().toList();
        }
    }

    @Test
    void corpusIsBigEnough() throws IOException {
        assertTrue(programs().size() >= 60, "corpus has only " + programs().size() + " programs");
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        return programs().stream().map(p -> DynamicTest.dynamicTest(PROGRAMS.relativize(p).toString(), () -> check(p)));
    }

    private static void check(Path file) throws IOException {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        for (String line : source.split("\n")) {
            Matcher m = EXPECT_ERROR.matcher(line.trim());
            if (m.find()) {
                expected.add(m.group(1) + ": " + m.group(2));
            }
        }
        JanusCompiler.Result result = JanusCompiler.compile(file.getFileName().toString(), source);
        List<String> actual = new ArrayList<>();
        for (Diagnostic d : result.diagnostics()) {
            actual.add(d.line() + ": " + d.code());
            assertTrue(d.message().length() > 10, "message too terse: " + d.headline());
            assertTrue(!d.message().contains("mismatched input") && !d.message().contains("extraneous input")
                    && !d.message().contains("no viable alternative"), "ANTLR's English leaked: " + d.headline());
        }
        String rendered = new DiagnosticRenderer(source).renderAll(result.diagnostics());
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual, "diagnostics of " + file + ":\n" + rendered);
        if (expected.isEmpty()) {
            BytecodeModule module = result.module();
            assertNotNull(module, "no module for a clean program");
            List<String> problems = Verifier.verify(module);
            if (!problems.isEmpty()) {
                fail("verifier rejected " + file + ": " + problems);
            }
            byte[] bytes = module.encode();
            BytecodeModule back = BytecodeModule.decode(bytes);
            assertTrue(Arrays.equals(bytes, back.encode()), "encode/decode round trip changed the module");
            assertTrue(Verifier.verify(back).isEmpty());
        }
    }
}

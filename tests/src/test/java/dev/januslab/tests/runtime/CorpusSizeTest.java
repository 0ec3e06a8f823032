package dev.januslab.tests.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The corpus covers the language: at least 150 programs that run, each with its expected
 * output or runtime error ({@code // expect:} / {@code // expect runtime error:}, issue 4).
 * The programs that expect compile errors are counted apart: they do not run.
 */
class CorpusSizeTest {
    @Test
    void atLeast150ProgramsWithExpectations() throws IOException {
        long n;
        try (Stream<Path> s = Files.walk(CorpusProgram.ROOT)) {
            n = s.filter(p -> p.toString().endsWith(".jan")).filter(CorpusSizeTest::hasExpectation).count();
        }
        assertTrue(n >= 150, "only " + n + " programs with // expect: or // expect runtime error: lines under " + CorpusProgram.ROOT.toAbsolutePath());
    }

    private static boolean hasExpectation(Path p) {
        try {
            return Files.readAllLines(p).stream()
                    .anyMatch(l -> l.startsWith("// expect:") || l.startsWith("// expect runtime error:"));
        } catch (IOException e) {
            return false;
        }
    }
}

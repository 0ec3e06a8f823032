package dev.januslab.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.interpreter.bytecode.Disassembler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden listings: src/test/resources/golden/NAME.jan disassembles to NAME.disasm exactly.
 * After an intended change of the compiler, regenerate with
 * {@code ./mvnw -pl interpreter test -Dtest=GoldenDisassemblyTest -Djanus.updateGolden=true}
 * and review the diff.
 */
class GoldenDisassemblyTest {
    private static final Path DIR = Path.of("src/test/resources/golden");

    @TestFactory
    Stream<DynamicTest> golden() throws IOException {
        List<Path> programs;
        try (Stream<Path> s = Files.list(DIR)) {
            programs = s.filter(p -> p.toString().endsWith(".jan")).sorted().toList();
        }
        assertTrue(programs.size() >= 5, "expected at least 5 golden programs");
        return programs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String source = Files.readString(p, StandardCharsets.UTF_8);
            String listing = Disassembler.disassemble(TestSupport.ok(source.replace("\r\n", "\n")), source)
                    .replace("test.jan", p.getFileName().toString());
            Path golden = Path.of(p.toString().replaceAll("\\.jan$", ".disasm"));
            if (Boolean.getBoolean("janus.updateGolden") || !Files.exists(golden)) {
                Files.writeString(golden, listing, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), listing);
        }));
    }
}

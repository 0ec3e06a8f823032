package dev.januslab.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.januslab.interpreter.diag.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** DIAGNOSTICS.md documents exactly the codes of the Code enum, in order. */
class DiagnosticCodesTest {
    @Test
    void tableMatchesEnum() throws IOException {
        Matcher m = Pattern.compile("^\\| ([SN]\\d{4}) \\|", Pattern.MULTILINE).matcher(Files.readString(Path.of("DIAGNOSTICS.md")));
        List<String> documented = new java.util.ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(Arrays.stream(Code.values()).map(Enum::name).toList(), documented);
    }
}

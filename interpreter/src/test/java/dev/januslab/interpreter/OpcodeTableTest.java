package dev.januslab.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.januslab.interpreter.bytecode.Builtin;
import dev.januslab.interpreter.bytecode.Opcode;
import dev.januslab.interpreter.bytecode.Operands;
import dev.januslab.interpreter.bytecode.RuntimeError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The generated enums mirror native/src/vm/opcodes.def exactly, and each layout is self-consistent. */
class OpcodeTableTest {
    private static final Path DEF = Path.of("../native/src/vm/opcodes.def");

    private static List<String> names(String macro) throws IOException {
        Pattern p = Pattern.compile("^" + macro + "\\(\\s*(\\w+)", Pattern.MULTILINE);
        Matcher m = p.matcher(Files.readString(DEF));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void opcodeEnumMatchesDefinitionFileInOrder() throws IOException {
        assertEquals(names("OP"), Arrays.stream(Opcode.values()).map(Enum::name).toList());
        assertEquals(names("BUILTIN"), Arrays.stream(Builtin.values()).map(Enum::name).toList());
        assertEquals(names("RUNTIME_ERROR"), List.of(RuntimeError.RUNTIME));
    }

    @Test
    void operandBytesMatchLayout() {
        for (Opcode op : Opcode.values()) {
            int sum = Arrays.stream(Operands.widths(op)).sum();
            assertEquals(op.operandBytes, sum, op + ": operand bytes vs layout \"" + op.layout + "\"");
        }
    }

    @Test
    void fitsInOneByte() {
        assertEquals(true, Opcode.values().length <= 256);
    }
}

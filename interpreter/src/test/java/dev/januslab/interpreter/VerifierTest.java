package dev.januslab.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.bytecode.FunctionCode;
import dev.januslab.interpreter.bytecode.Opcode;
import dev.januslab.interpreter.bytecode.Verifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verifier accepts what the compiler emits and rejects each kind of broken code. */
class VerifierTest {
    private static final BytecodeModule BASE = TestSupport.ok("async func main() do\n println(1)\nend\n");

    private static List<String> verifyMainWith(int maxStack, int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            code[i] = (byte) bytes[i];
        }
        List<FunctionCode> fs = new ArrayList<>(BASE.functions());
        FunctionCode main = fs.get(BASE.mainFunction());
        fs.set(BASE.mainFunction(), new FunctionCode(main.nameConst(), main.name(), 0, main.flags(), 0, 2, maxStack,
                main.line(), List.of(), main.returnType(), code, List.of(new FunctionCode.LineEntry(0, 1, 1))));
        BytecodeModule m = new BytecodeModule(BASE.versionMajor(), BASE.versionMinor(), BASE.sourceNameConst(),
                BASE.initFunction(), BASE.mainFunction(), BASE.constants(), BASE.structs(), BASE.errorSets(), BASE.globals(), fs);
        return Verifier.verify(m);
    }

    private static int op(Opcode o) {
        return o.ordinal();
    }

    @Test
    void acceptsMinimalCorrectCode() {
        assertEquals(List.of(), verifyMainWith(1, op(Opcode.NIL), op(Opcode.RETURN)));
    }

    @Test
    void rejectsUnknownOpcode() {
        assertFalse(verifyMainWith(1, 250, op(Opcode.RETURN)).isEmpty());
    }

    @Test
    void rejectsJumpIntoTheMiddleOfAnInstruction() {
        // 0: JUMP 6 (the middle of CONST at 5)   5: CONST 0 0   8: RETURN
        assertFalse(verifyMainWith(1, op(Opcode.JUMP), 6, 0, 0, 0, op(Opcode.CONST), 0, 0, op(Opcode.RETURN)).isEmpty());
    }

    @Test
    void rejectsStackUnderflow() {
        assertFalse(verifyMainWith(2, op(Opcode.ADD), op(Opcode.NIL), op(Opcode.RETURN)).isEmpty());
    }

    @Test
    void rejectsInconsistentDepthAtAMergePoint() {
        // 0: TRUE  1: JUMP_IF_FALSE 7  6: NIL  7: NIL  8: RETURN   (depth 1 vs 0 at 7)
        assertFalse(verifyMainWith(2, op(Opcode.TRUE), op(Opcode.JUMP_IF_FALSE), 7, 0, 0, 0, op(Opcode.NIL),
                op(Opcode.NIL), op(Opcode.RETURN)).isEmpty());
    }

    @Test
    void rejectsConstantOutOfRangeAndLocalOutOfRange() {
        assertFalse(verifyMainWith(1, op(Opcode.CONST), 0xFF, 0xFF, op(Opcode.RETURN)).isEmpty());
        assertFalse(verifyMainWith(1, op(Opcode.LOAD_LOCAL), 9, 0, op(Opcode.RETURN)).isEmpty());
    }

    @Test
    void rejectsFallingOffTheEndAndUnderstatedMaxStack() {
        assertFalse(verifyMainWith(1, op(Opcode.NIL)).isEmpty());
        assertFalse(verifyMainWith(1, op(Opcode.NIL), op(Opcode.NIL), op(Opcode.POP), op(Opcode.RETURN)).isEmpty());
    }

    @Test
    void rejectsUnbalancedBlockRecords() {
        assertFalse(verifyMainWith(2, op(Opcode.NURSERY_OPEN), op(Opcode.RETURN)).isEmpty());
        assertFalse(verifyMainWith(1, op(Opcode.TRY_POP), op(Opcode.NIL), op(Opcode.RETURN)).isEmpty());
    }

    @Test
    void binaryRoundTripIsExactAndHeaderIsAsDocumented() {
        byte[] bytes = BASE.encode();
        assertArrayEquals(new byte[] {'J', 'A', 'N', 'B', 1, 0, 0}, java.util.Arrays.copyOf(bytes, 7));
        assertArrayEquals(new byte[] {'J', 'E', 'N', 'D'}, java.util.Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length));
        assertArrayEquals(bytes, BytecodeModule.decode(bytes).encode());
        assertThrows(IllegalArgumentException.class, () -> BytecodeModule.decode(java.util.Arrays.copyOf(bytes, bytes.length - 9)));
        assertTrue(Verifier.verify(BytecodeModule.decode(bytes)).isEmpty());
    }
}

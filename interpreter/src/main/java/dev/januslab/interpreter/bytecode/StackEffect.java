package dev.januslab.interpreter.bytecode;

import java.util.function.IntUnaryOperator;

/**
 * Exact pops/pushes of one instruction, resolving the "variable" entries of opcodes.def from
 * the operands. Shared by the compiler (to compute max stack) and the verifier (to prove it).
 */
public final class StackEffect {
    private StackEffect() {}

    /**
     * Values popped by op with these operand values.
     *
     * @param structFieldCount field count of a struct index (for NEW_STRUCT); -1 if no such struct
     */
    public static int pops(Opcode op, int[] operands, IntUnaryOperator structFieldCount) {
        if (op.pops >= 0) {
            return op.pops;
        }
        return switch (op) {
            case MAKE_CLOSURE, CALL_FUNC, ASYNC_CALL, SPAWN -> operands[1];
            case CALL, ASYNC_CALL_VALUE, SPAWN_VALUE -> operands[0] + 1;
            case CALL_BUILTIN -> operands[1];
            case CALL_METHOD -> operands[1] + 1;
            case NEW_ARRAY -> operands[0];
            case NEW_STRUCT -> structFieldCount.applyAsInt(operands[0]);
            default -> throw new IllegalStateException("no variable stack effect for " + op);
        };
    }

    public static int pushes(Opcode op) {
        return op.pushes;
    }
}

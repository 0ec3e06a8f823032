package dev.januslab.interpreter.compile;

import dev.januslab.interpreter.bytecode.FunctionCode;
import dev.januslab.interpreter.bytecode.Opcode;
import dev.januslab.interpreter.bytecode.Operands;
import dev.januslab.interpreter.bytecode.StackEffect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Emits one function's code: operands little-endian, the line table (a new entry whenever
 * the source position changes), forward-jump patching through labels, and the operand
 * stack depth after every instruction (so max stack is exact).
 */
final class FunctionBuilder {
    /** A jump target; its stack depth is fixed by the first jump to it or by binding. */
    static final class Label {
        int pc = -1;
        int depth = -1;
        final List<Integer> patchSites = new ArrayList<>();
    }

    private byte[] code = new byte[64];
    private int size;
    private final List<FunctionCode.LineEntry> lines = new ArrayList<>();
    private int line;
    private int col;
    private int depth;
    private int maxDepth;
    /** False right after an unconditional transfer (JUMP, RETURN, FAIL) until a label is bound. */
    private boolean reachable = true;
    private final IntUnaryOperator structFieldCount;

    FunctionBuilder(IntUnaryOperator structFieldCount) {
        this.structFieldCount = structFieldCount;
    }

    void position(int line, int col) {
        this.line = line;
        this.col = col;
    }

    int line() {
        return line;
    }

    int col() {
        return col;
    }

    int depth() {
        return depth;
    }

    int pc() {
        return size;
    }

    /** Emits op with its operands, tracking the stack; returns the pc of the opcode byte. */
    int emit(Opcode op, int... operands) {
        int[] widths = Operands.widths(op);
        if (widths.length != operands.length) {
            throw new IllegalArgumentException(op + " takes " + widths.length + " operands");
        }
        int at = size;
        if (lines.isEmpty() || lines.get(lines.size() - 1).line() != line || lines.get(lines.size() - 1).col() != col) {
            lines.add(new FunctionCode.LineEntry(at, line, col));
        }
        put(op.ordinal(), 1);
        for (int i = 0; i < operands.length; i++) {
            put(operands[i], widths[i]);
        }
        depth -= StackEffect.pops(op, operands, structFieldCount);
        if (depth < 0) {
            if (reachable) {
                throw new IllegalStateException("stack underflow emitting " + op + " at " + at);
            }
            depth = 0; // dead code: never executed, never verified for depth
        }
        depth += StackEffect.pushes(op);
        maxDepth = Math.max(maxDepth, depth);
        if (op == Opcode.JUMP || op == Opcode.RETURN || op == Opcode.FAIL) {
            reachable = false;
        }
        return at;
    }

    /** Emits a jump-like op (JUMP, JUMP_IF_*, TRY_PUSH) to a label, patched when bound. */
    void jump(Opcode op, Label target) {
        boolean reachableBefore = reachable;
        int at = emit(op, 0);
        int targetDepth = op == Opcode.TRY_PUSH ? depth + 1 : depth;
        if (reachableBefore) {
            recordDepth(target, targetDepth);
        }
        if (target.pc >= 0) {
            patch(at + 1, target.pc);
        } else {
            target.patchSites.add(at + 1);
        }
    }

    private void recordDepth(Label target, int d) {
        if (target.depth < 0) {
            target.depth = d;
        } else if (target.depth != d) {
            throw new IllegalStateException("inconsistent stack depth at label: " + target.depth + " vs " + d);
        }
    }

    void bind(Label label) {
        label.pc = size;
        if (reachable) {
            recordDepth(label, depth);
        } else if (label.depth >= 0) {
            depth = label.depth;
            reachable = true;
        }
        for (int site : label.patchSites) {
            patch(site, size);
        }
        label.patchSites.clear();
    }

    boolean reachable() {
        return reachable;
    }

    /** After an unconditional transfer whose continuation is unknown, reset the depth explicitly. */
    void setDepth(int d) {
        depth = d;
    }

    private void patch(int at, int value) {
        for (int b = 0; b < 4; b++) {
            code[at + b] = (byte) (value >>> (8 * b));
        }
    }

    private void put(int value, int width) {
        if (size + width > code.length) {
            code = Arrays.copyOf(code, Math.max(code.length * 2, size + width));
        }
        for (int b = 0; b < width; b++) {
            code[size++] = (byte) (value >>> (8 * b));
        }
    }

    byte[] code() {
        return Arrays.copyOf(code, size);
    }

    List<FunctionCode.LineEntry> lines() {
        return List.copyOf(lines);
    }

    int maxDepth() {
        return maxDepth;
    }
}

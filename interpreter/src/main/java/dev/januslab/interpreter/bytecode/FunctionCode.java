package dev.januslab.interpreter.bytecode;

import java.util.List;

/** One function of a module, as laid out in the file (BYTECODE.md §2). */
public record FunctionCode(
        int nameConst,
        String name,
        int arity,
        int flags,
        int captureCount,
        int locals,
        int maxStack,
        int line,
        List<Param> params,
        TypeSpec returnType,
        byte[] code,
        List<LineEntry> lines) {

    public static final int ASYNC = 1;
    public static final int CLOSURE = 1 << 1;
    public static final int NO_NURSERY = 1 << 2;
    public static final int INIT = 1 << 3;
    public static final int HELPER = 1 << 4;

    public record Param(int nameConst, String name, TypeSpec type) {}

    /** From {@code pc} up to the next entry, instructions come from {@code line:col}. */
    public record LineEntry(int pc, int line, int col) {}

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The line:col entry covering pc. */
    public LineEntry lineAt(int pc) {
        LineEntry best = lines.isEmpty() ? new LineEntry(0, 0, 0) : lines.get(0);
        for (LineEntry e : lines) {
            if (e.pc() > pc) {
                break;
            }
            best = e;
        }
        return best;
    }
}

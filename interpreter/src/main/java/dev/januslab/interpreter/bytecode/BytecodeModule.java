package dev.januslab.interpreter.bytecode;

import java.util.List;

/** A compiled program, the in-memory twin of the binary module file (BYTECODE.md §2). */
public record BytecodeModule(
        int versionMajor,
        int versionMinor,
        int sourceNameConst,
        int initFunction,
        int mainFunction,
        List<Constant> constants,
        List<StructInfo> structs,
        List<ErrorSetInfo> errorSets,
        List<GlobalInfo> globals,
        List<FunctionCode> functions) {

    public static final int VERSION_MAJOR = 1;
    public static final int VERSION_MINOR = 0;

    public record Field(int nameConst, TypeSpec type) {}

    public record StructInfo(int nameConst, List<Field> fields) {}

    public record ErrorSetInfo(int nameConst, List<Integer> variantConsts) {}

    /** kind 0 = let constant, 1 = atomic var. */
    public record GlobalInfo(int nameConst, int kind) {}

    public String string(int constIndex) {
        Constant c = constIndex >= 0 && constIndex < constants.size() ? constants.get(constIndex) : null;
        return c instanceof Constant.Str s ? s.value() : "<bad const " + constIndex + ">";
    }

    public byte[] encode() {
        return ModuleCodec.encode(this);
    }

    public static BytecodeModule decode(byte[] bytes) {
        return ModuleCodec.decode(bytes);
    }
}

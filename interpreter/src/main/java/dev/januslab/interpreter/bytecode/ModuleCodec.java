package dev.januslab.interpreter.bytecode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the binary module format byte by byte as BYTECODE.md §2 describes it. */
final class ModuleCodec {
    static final byte[] MAGIC = {'J', 'A', 'N', 'B'};
    static final byte[] TRAILER = {'J', 'E', 'N', 'D'};

    private ModuleCodec() {}

    // ---- writing -------------------------------------------------------------------------

    /** A growable little-endian byte buffer (unsynchronised, unlike ByteArrayOutputStream). */
    private static final class Out {
        private byte[] buf = new byte[1 << 14];
        private int size;

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void u16(int v) {
            u8(v);
            u8(v >>> 8);
        }

        void u32(long v) {
            u16((int) (v & 0xFFFF));
            u16((int) ((v >>> 16) & 0xFFFF));
        }

        void i64(long v) {
            u32(v & 0xFFFFFFFFL);
            u32(v >>> 32);
        }

        void raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, size);
        }

        void type(TypeSpec t) {
            u8(t.tag().ordinal());
            u16(t.structIndex());
        }
    }

    static byte[] encode(BytecodeModule m) {
        Out o = new Out();
        o.raw(MAGIC);
        o.u16(m.versionMajor());
        o.u16(m.versionMinor());
        o.u16(Opcode.values().length);
        o.u16(m.sourceNameConst());
        o.u16(m.initFunction());
        o.u16(m.mainFunction());
        o.u32(m.constants().size());
        for (Constant c : m.constants()) {
            o.u8(c.tag());
            if (c instanceof Constant.Int i) {
                o.i64(i.value());
            } else if (c instanceof Constant.Float f) {
                o.i64(Double.doubleToRawLongBits(f.value()));
            } else {
                byte[] utf8 = ((Constant.Str) c).value().getBytes(StandardCharsets.UTF_8);
                o.u32(utf8.length);
                o.raw(utf8);
            }
        }
        o.u16(m.structs().size());
        for (BytecodeModule.StructInfo s : m.structs()) {
            o.u16(s.nameConst());
            o.u16(s.fields().size());
            for (BytecodeModule.Field f : s.fields()) {
                o.u16(f.nameConst());
                o.type(f.type());
            }
        }
        o.u16(m.errorSets().size());
        for (BytecodeModule.ErrorSetInfo e : m.errorSets()) {
            o.u16(e.nameConst());
            o.u16(e.variantConsts().size());
            for (int v : e.variantConsts()) {
                o.u16(v);
            }
        }
        o.u16(m.globals().size());
        for (BytecodeModule.GlobalInfo g : m.globals()) {
            o.u16(g.nameConst());
            o.u8(g.kind());
        }
        o.u16(m.functions().size());
        for (FunctionCode f : m.functions()) {
            o.u16(f.nameConst());
            o.u8(f.arity());
            o.u8(f.flags());
            o.u8(f.captureCount());
            o.u16(f.locals());
            o.u16(f.maxStack());
            o.u32(f.line());
            for (FunctionCode.Param p : f.params()) {
                o.u16(p.nameConst());
                o.type(p.type());
            }
            o.type(f.returnType());
            o.u32(f.code().length);
            o.raw(f.code());
            o.u32(f.lines().size());
            for (FunctionCode.LineEntry e : f.lines()) {
                o.u32(e.pc());
                o.u32(e.line());
                o.u16(e.col());
            }
        }
        o.raw(TRAILER);
        return o.toByteArray();
    }

    // ---- reading -------------------------------------------------------------------------

    /** Thrown for a malformed file; the message says where. */
    static final class FormatException extends IllegalArgumentException {
        FormatException(String message) {
            super(message);
        }
    }

    static BytecodeModule decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (byte b : MAGIC) {
                if (in.get() != b) {
                    throw new FormatException("not a Janus module (bad magic)");
                }
            }
            int major = u16(in);
            int minor = u16(in);
            u16(in); // opcode count
            int source = u16(in);
            int init = u16(in);
            int main = u16(in);
            long constantCount = u32(in);
            List<Constant> constants = new ArrayList<>();
            for (long i = 0; i < constantCount; i++) {
                int tag = u8(in);
                switch (tag) {
                    case 1 -> constants.add(new Constant.Int(in.getLong()));
                    case 2 -> constants.add(new Constant.Float(Double.longBitsToDouble(in.getLong())));
                    case 3 -> {
                        int len = (int) u32(in);
                        byte[] utf8 = new byte[len];
                        in.get(utf8);
                        constants.add(new Constant.Str(new String(utf8, StandardCharsets.UTF_8)));
                    }
                    default -> throw new FormatException("bad constant tag " + tag + " at " + (in.position() - 1));
                }
            }
            List<BytecodeModule.StructInfo> structs = new ArrayList<>();
            for (int i = 0, n = u16(in); i < n; i++) {
                int name = u16(in);
                List<BytecodeModule.Field> fields = new ArrayList<>();
                for (int j = 0, fc = u16(in); j < fc; j++) {
                    fields.add(new BytecodeModule.Field(u16(in), type(in)));
                }
                structs.add(new BytecodeModule.StructInfo(name, fields));
            }
            List<BytecodeModule.ErrorSetInfo> sets = new ArrayList<>();
            for (int i = 0, n = u16(in); i < n; i++) {
                int name = u16(in);
                List<Integer> variants = new ArrayList<>();
                for (int j = 0, vc = u16(in); j < vc; j++) {
                    variants.add(u16(in));
                }
                sets.add(new BytecodeModule.ErrorSetInfo(name, variants));
            }
            List<BytecodeModule.GlobalInfo> globals = new ArrayList<>();
            for (int i = 0, n = u16(in); i < n; i++) {
                globals.add(new BytecodeModule.GlobalInfo(u16(in), u8(in)));
            }
            List<FunctionCode> functions = new ArrayList<>();
            for (int i = 0, n = u16(in); i < n; i++) {
                int name = u16(in);
                int arity = u8(in);
                int flags = u8(in);
                int captures = u8(in);
                int locals = u16(in);
                int maxStack = u16(in);
                int line = (int) u32(in);
                List<FunctionCode.Param> params = new ArrayList<>();
                for (int p = 0; p < arity; p++) {
                    int pn = u16(in);
                    params.add(new FunctionCode.Param(pn, stringAt(constants, pn), type(in)));
                }
                TypeSpec ret = type(in);
                byte[] code = new byte[(int) u32(in)];
                in.get(code);
                List<FunctionCode.LineEntry> lines = new ArrayList<>();
                for (long l = 0, lc = u32(in); l < lc; l++) {
                    lines.add(new FunctionCode.LineEntry((int) u32(in), (int) u32(in), u16(in)));
                }
                functions.add(new FunctionCode(name, stringAt(constants, name), arity, flags, captures, locals, maxStack,
                        line, params, ret, code, lines));
            }
            for (byte b : TRAILER) {
                if (in.get() != b) {
                    throw new FormatException("bad trailer");
                }
            }
            if (in.hasRemaining()) {
                throw new FormatException(in.remaining() + " bytes after the trailer");
            }
            return new BytecodeModule(major, minor, source, init, main, constants, structs, sets, globals, functions);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new FormatException("truncated module at byte " + in.position());
        }
    }

    private static String stringAt(List<Constant> constants, int i) {
        return i < constants.size() && constants.get(i) instanceof Constant.Str s ? s.value() : "<bad const " + i + ">";
    }

    private static int u8(ByteBuffer in) {
        return in.get() & 0xFF;
    }

    private static int u16(ByteBuffer in) {
        return in.getShort() & 0xFFFF;
    }

    private static long u32(ByteBuffer in) {
        return in.getInt() & 0xFFFFFFFFL;
    }

    private static TypeSpec type(ByteBuffer in) {
        int tag = u8(in);
        int s = u16(in);
        if (tag >= TypeTag.values().length) {
            throw new FormatException("bad type tag " + tag);
        }
        return new TypeSpec(TypeTag.values()[tag], s);
    }
}

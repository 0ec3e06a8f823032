package dev.januslab.interpreter.bytecode;

/** Decodes the operands of one instruction according to its layout in opcodes.def. */
public final class Operands {
    private Operands() {}

    private static final java.util.Map<Opcode, int[]> WIDTHS = new java.util.EnumMap<>(Opcode.class);

    static {
        for (Opcode op : Opcode.values()) {
            String layout = op.layout.trim();
            if (layout.isEmpty()) {
                WIDTHS.put(op, new int[0]);
                continue;
            }
            String[] parts = layout.split("\\s+");
            int[] w = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                w[i] = switch (parts[i]) {
                    case "u8" -> 1;
                    case "u16" -> 2;
                    case "u32" -> 4;
                    default -> throw new IllegalStateException("bad layout " + layout + " for " + op);
                };
            }
            WIDTHS.put(op, w);
        }
    }

    /** Width in bytes of each operand of op. */
    public static int[] widths(Opcode op) {
        return WIDTHS.get(op);
    }

    /** The operand values of the instruction whose opcode byte is at pc (little-endian). */
    public static int[] read(byte[] code, int pc, Opcode op) {
        int[] w = widths(op);
        int[] v = new int[w.length];
        int p = pc + 1;
        for (int i = 0; i < w.length; i++) {
            long x = 0;
            for (int b = 0; b < w[i]; b++) {
                x |= (long) (code[p + b] & 0xFF) << (8 * b);
            }
            v[i] = (int) x;
            p += w[i];
        }
        return v;
    }
}

package dev.januslab.scheduler.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds native event records (janusrt.h layout) by hand, for decoder and pump tests. */
final class Records {
    private final ByteBuffer b;
    private long seq;

    Records(int capacity) {
        b = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    Records add(int kind, int w, long t, long a, long bb, long c, int d, int e, String text) {
        byte[] tx = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        int size = (64 + tx.length + 7) & ~7;
        int pos = b.position();
        b.putInt(pos, size);
        b.putShort(pos + 4, (short) kind);
        b.putShort(pos + 6, (short) w);
        b.putLong(pos + 8, kind == 0 ? 0 : seq++);
        b.putLong(pos + 16, t);
        b.putLong(pos + 24, a);
        b.putLong(pos + 32, bb);
        b.putLong(pos + 40, c);
        b.putInt(pos + 48, d);
        b.putInt(pos + 52, e);
        b.putInt(pos + 56, tx.length);
        b.putInt(pos + 60, 0);
        for (int i = 0; i < tx.length; i++) b.put(pos + 64 + i, tx[i]);
        for (int i = 64 + tx.length; i < size; i++) b.put(pos + i, (byte) 0);
        b.position(pos + size);
        return this;
    }

    Records add(int kind, int w, long a, long bb, long c) {
        return add(kind, w, 100 * seq, a, bb, c, 0, 0, null);
    }

    /** The records written so far, as a little-endian buffer positioned at 0. */
    ByteBuffer buffer() {
        ByteBuffer out = ByteBuffer.allocate(b.position()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(0, b, 0, b.position());
        return out;
    }

    byte[] bytes() {
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }
}

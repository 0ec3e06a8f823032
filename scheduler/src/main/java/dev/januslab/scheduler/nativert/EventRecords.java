package dev.januslab.scheduler.nativert;

import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.CancelHow;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Mode;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.Pos;
import dev.januslab.scheduler.trace.Wire.RunStatus;
import dev.januslab.scheduler.trace.Wire.TargetKind;
import dev.januslab.scheduler.trace.Wire.YieldReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * Decodes the binary event records of janusrt.h ("Events") into {@link TraceEvent}s.
 *
 * <pre>
 *   off  0  u32 size   off  4 u16 kind   off 6 i16 w
 *   off  8  u64 seq    off 16 i64 t
 *   off 24  i64 a      off 32 i64 b      off 40 i64 c
 *   off 48  i32 d      off 52 i32 e      off 56 u32 text_len   off 60 u32 reserved
 *   off 64  text (UTF-8, zero-padded to size)
 * </pre>
 *
 * The enum codes of janusrt.h are mapped explicitly, one switch per vocabulary, so a
 * reordering of {@link dev.januslab.scheduler.trace.Wire} cannot silently change meaning.
 * One decoder belongs to one thread (it keeps a scratch array for text).
 */
public final class EventRecords {
    public static final int HEADER_BYTES = 64;

    public static final int PAD = 0, RUN_START = 1, WORKER_PARK = 2, WORKER_UNPARK = 3, NURSERY_OPEN = 4,
            TASK_SPAWN = 5, TASK_PUSH = 6, TASK_POP = 7, TASK_STEAL = 8, TASK_RUN = 9, TASK_YIELD = 10,
            TASK_BLOCK = 11, TASK_WAKE = 12, CANCEL_REQUEST = 13, CANCEL_OBSERVE = 14, TASK_DONE = 15,
            NURSERY_JOIN = 16, NURSERY_CLOSE = 17, PRINT = 18, LINE = 19, ERROR = 20, RUN_END = 21,
            KIND_COUNT = 22;

    /** Wire names by native kind code (TRACE.md §1). */
    private static final String[] NAMES = {"pad", "run_start", "worker_park", "worker_unpark", "nursery_open",
            "task_spawn", "task_push", "task_pop", "task_steal", "task_run", "task_yield", "task_block",
            "task_wake", "cancel_request", "cancel_observe", "task_done", "nursery_join", "nursery_close",
            "print", "line", "error", "run_end"};

    private final IntFunction<String> funcNames;
    private byte[] scratch = new byte[256];

    /** {@code funcNames} turns a task_spawn func_id into a function name (never called for other kinds). */
    public EventRecords(IntFunction<String> funcNames) {
        this.funcNames = funcNames;
    }

    /** The wire name of native kind {@code kind}, or null if this code does not know it. */
    public static String kindName(int kind) {
        return kind > 0 && kind < NAMES.length ? NAMES[kind] : null;
    }

    /** The native kind code of a wire name, or -1. */
    public static int kindCode(String wire) {
        for (int i = 1; i < NAMES.length; i++) if (NAMES[i].equals(wire)) return i;
        return -1;
    }

    /** Size of the record at {@code pos} (bytes). */
    public static int size(ByteBuffer b, int pos) {
        return b.getInt(pos);
    }

    /** Native kind of the record at {@code pos}. */
    public static int kind(ByteBuffer b, int pos) {
        return b.getShort(pos + 4) & 0xFFFF;
    }

    /** A buffer view in the records' byte order. */
    public static ByteBuffer littleEndian(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The event of the record at {@code pos} of {@code b} (little-endian), or null for a PAD
     * record. Throws {@link IllegalArgumentException} for a record that cannot be right
     * (size not a multiple of 8, shorter than the header or its text).
     */
    public TraceEvent decode(ByteBuffer b, int pos) {
        int size = b.getInt(pos);
        int kind = b.getShort(pos + 4) & 0xFFFF;
        if (size < HEADER_BYTES || (size & 7) != 0 || pos + size > b.limit()) {
            throw new IllegalArgumentException("bad event record at byte " + pos + ": size " + size + ", kind " + kind);
        }
        int w = b.getShort(pos + 6);
        long seq = b.getLong(pos + 8);
        long t = b.getLong(pos + 16);
        long a = b.getLong(pos + 24);
        long bb = b.getLong(pos + 32);
        long c = b.getLong(pos + 40);
        int d = b.getInt(pos + 48);
        int e = b.getInt(pos + 52);
        int textLen = b.getInt(pos + 56);
        if (textLen < 0 || HEADER_BYTES + (long) textLen > size) {
            throw new IllegalArgumentException("bad event record at byte " + pos + ": text of " + textLen
                    + " bytes in a record of " + size);
        }
        switch (kind) {
            case PAD: return null;
            case RUN_START: return new RunStart(seq, t, w, (int) a, mode(bb), c);
            case WORKER_PARK: return new WorkerPark(seq, t, w);
            case WORKER_UNPARK: return new WorkerUnpark(seq, t, w);
            case NURSERY_OPEN: return new NurseryOpen(seq, t, w, (int) a, (int) bb, (int) c, e);
            case TASK_SPAWN: return new TaskSpawn(seq, t, w, (int) a, (int) bb, (int) c, funcNames.apply(d), e);
            case TASK_PUSH: return new TaskPush(seq, t, w, (int) a, (int) bb, pos(c));
            case TASK_POP: return new TaskPop(seq, t, w, (int) a);
            case TASK_STEAL: return new TaskSteal(seq, t, w, (int) a, (int) bb);
            case TASK_RUN: return new TaskRun(seq, t, w, (int) a);
            case TASK_YIELD: return new TaskYield(seq, t, w, (int) a, yieldReason(bb));
            case TASK_BLOCK: return new TaskBlock(seq, t, w, (int) a, blockOn(bb), c);
            case TASK_WAKE: return new TaskWake(seq, t, w, (int) a, (int) bb);
            case CANCEL_REQUEST: return new CancelRequest(seq, t, w, targetKind(a), (int) bb, cancelReason(d), (int) c);
            case CANCEL_OBSERVE: return new CancelObserve(seq, t, w, (int) a, cancelHow(bb), e);
            case TASK_DONE: {
                Outcome o = outcome(bb);
                String text = textOrNull(b, pos, textLen);
                return new TaskDone(seq, t, w, (int) a, o, o == Outcome.OK ? text : null,
                        o == Outcome.OK ? null : text, c != 0);
            }
            case NURSERY_JOIN: return new NurseryJoin(seq, t, w, (int) a);
            case NURSERY_CLOSE: return new NurseryClose(seq, t, w, (int) a, outcome(bb), textOrNull(b, pos, textLen));
            case PRINT: return new Print(seq, t, w, (int) a, text(b, pos, textLen));
            case LINE: return new Line(seq, t, w, (int) a, e);
            case ERROR: {
                String all = text(b, pos, textLen);
                int nul = all.indexOf('\0');
                String error = nul < 0 ? all : all.substring(0, nul);
                String trace = nul < 0 || nul + 1 == all.length() ? null : all.substring(nul + 1);
                return new TaskError(seq, t, w, (int) a, error, e, trace);
            }
            case RUN_END: return new RunEnd(seq, t, w, runStatus(a), bb);
            default: return unknown(b, pos, kind, seq, t, w, a, bb, c, d, e, textLen);
        }
    }

    private Unknown unknown(ByteBuffer b, int pos, int kind, long seq, long t, int w,
                            long a, long bb, long c, int d, int e, int textLen) {
        StringBuilder json = new StringBuilder("{\"a\":").append(a).append(",\"b\":").append(bb)
                .append(",\"c\":").append(c).append(",\"d\":").append(d).append(",\"e\":").append(e);
        if (textLen > 0) {
            json.append(",\"text\":\"");
            for (char ch : text(b, pos, textLen).toCharArray()) {
                if (ch == '"' || ch == '\\') json.append('\\').append(ch);
                else if (ch < 0x20) json.append(String.format("\\u%04x", (int) ch));
                else json.append(ch);
            }
            json.append('"');
        }
        return new Unknown(seq, t, w, "kind_" + kind, json.append('}').toString());
    }

    private String textOrNull(ByteBuffer b, int pos, int len) {
        return len == 0 ? null : text(b, pos, len);
    }

    private String text(ByteBuffer b, int pos, int len) {
        if (len == 0) return "";
        if (len > scratch.length) scratch = new byte[Math.max(len, scratch.length * 2)];
        b.get(pos + HEADER_BYTES, scratch, 0, len);
        return new String(scratch, 0, len, StandardCharsets.UTF_8);
    }

    static Mode mode(long v) {
        return v == ConfigStruct.MODE_DETERMINISTIC ? Mode.DETERMINISTIC : Mode.LIVE;
    }

    static Pos pos(long v) {
        return v == 0 ? Pos.TOP : v == 1 ? Pos.BOTTOM : null;
    }

    static YieldReason yieldReason(long v) {
        return v == 0 ? YieldReason.BUDGET : v == 1 ? YieldReason.YIELD : null;
    }

    static BlockOn blockOn(long v) {
        switch ((int) v) {
            case 0: return BlockOn.AWAIT;
            case 1: return BlockOn.SLEEP;
            case 2: return BlockOn.IO;
            case 3: return BlockOn.JOIN;
            default: return null;
        }
    }

    static TargetKind targetKind(long v) {
        return v == 0 ? TargetKind.TASK : v == 1 ? TargetKind.NURSERY : null;
    }

    static CancelReason cancelReason(long v) {
        switch ((int) v) {
            case 0: return CancelReason.EXPLICIT;
            case 1: return CancelReason.FAILURE;
            case 2: return CancelReason.PARENT;
            default: return null;
        }
    }

    static CancelHow cancelHow(long v) {
        return v == 0 ? CancelHow.POLL : v == 1 ? CancelHow.CHECKPOINT : null;
    }

    static Outcome outcome(long v) {
        switch ((int) v) {
            case 0: return Outcome.OK;
            case 1: return Outcome.ERROR;
            case 2: return Outcome.CANCELLED;
            default: return null;
        }
    }

    static RunStatus runStatus(long v) {
        switch ((int) v) {
            case 0: return RunStatus.OK;
            case 1: return RunStatus.ERROR;
            case 2: return RunStatus.ABORTED;
            default: return null;
        }
    }
}

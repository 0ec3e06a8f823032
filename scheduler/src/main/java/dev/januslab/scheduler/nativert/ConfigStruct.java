package dev.januslab.scheduler.nativert;

/**
 * Java's picture of {@code struct jrt_config} (janusrt.h): 24 consecutive int64 fields,
 * the last nine reserved. {@link NativeLibrary} refuses a library whose
 * {@code jrt_config_size()} disagrees with {@link #SIZE}, so a changed struct fails at
 * load time with a message instead of corrupting a run.
 */
public final class ConfigStruct {
    private ConfigStruct() {}

    public static final int WORKERS = 0;
    public static final int MODE = 1;
    public static final int SEED = 2;
    public static final int QUANTUM = 3;
    public static final int STACK_KB = 4;
    public static final int MAX_TASKS_PER_NURSERY = 5;
    public static final int MAX_TOTAL_TASKS = 6;
    public static final int TASK_MEMORY = 7;
    public static final int MAX_RUN_MS = 8;
    public static final int EVENTS = 9;
    public static final int LINE_EVENTS = 10;
    public static final int RING_KB = 11;
    public static final int OP_NS = 12;
    public static final int SWITCH_NS = 13;
    public static final int GRACE_MS = 14;
    /** Fields before {@code reserved[9]}. */
    public static final int NAMED_FIELDS = 15;
    public static final int FIELDS = NAMED_FIELDS + 9;
    public static final int SIZE = FIELDS * Long.BYTES;

    public static final long MODE_LIVE = 0, MODE_DETERMINISTIC = 1;

    /** Byte offset of field {@code index}. */
    public static long offset(int index) {
        return (long) index * Long.BYTES;
    }
}

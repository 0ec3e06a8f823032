package dev.januslab.scheduler.nativert;

import jnr.ffi.annotations.IgnoreError;

/**
 * The part of {@code native/include/janusrt.h} Java calls, through jnr-ffi: config,
 * lifecycle, control, statistics and the merged event drain.
 *
 * <p>Pointers ({@code jrt_runtime *}, {@code jrt_config *}, the drain buffer) travel as
 * plain {@code long} addresses: Linux x86_64 is LP64, every call here is made with a
 * handful of them, and a raw address costs no wrapper object on the hot drain path.
 * Every call is {@link IgnoreError}: no function of janusrt.h reports through errno, so
 * saving it after each call would only slow the event pump down.
 *
 * <p>Obtain the instance from {@link NativeLibrary#runtime()}.
 */
public interface NativeRuntime {
    int JRT_OK = 0;
    int JRT_ETIMEDOUT = 8;

    int STATUS_CREATED = 0, STATUS_RUNNING = 1, STATUS_PAUSED = 2, STATUS_STOPPING = 3, STATUS_FINISHED = 4;
    int RESULT_NONE = -1, RESULT_OK = 0, RESULT_ERROR = 1, RESULT_ABORTED = 2;

    int STAT_TASKS = 0, STAT_SWITCHES = 1, STAT_STEALS = 2, STAT_PEAK_LIVE_TASKS = 3, STAT_EVENTS = 4,
            STAT_DROPPED = 5, STAT_RUN_NS = 6, STAT_LIVE_TASKS = 7, STAT_STACK_BYTES = 8;

    /** Fills {@code cfg} (a {@code jrt_config}, see {@link ConfigStruct}) with the defaults. */
    @IgnoreError void jrt_config_init(long cfg);

    /** {@code sizeof(jrt_config)}: checked against {@link ConfigStruct#SIZE} at load time. */
    @IgnoreError long jrt_config_size();

    /** A new runtime (one run), or 0 on a bad config or out of memory. */
    @IgnoreError long jrt_create(long cfg);

    /** 0 when the run has finished, {@link #JRT_ETIMEDOUT} otherwise; {@code timeoutMs < 0} waits forever. */
    @IgnoreError int jrt_wait(long rt, long timeoutMs);

    @IgnoreError void jrt_pause(long rt);
    @IgnoreError void jrt_step(long rt);
    @IgnoreError void jrt_resume(long rt);
    @IgnoreError void jrt_stop(long rt);
    @IgnoreError int jrt_status(long rt);
    @IgnoreError int jrt_result(long rt);

    /** Text explaining an ERROR/ABORTED result ("" when ok); valid until {@link #jrt_destroy}. */
    @IgnoreError String jrt_result_text(long rt);

    /** Waits for the run if it is still going, then frees everything it owns. */
    @IgnoreError void jrt_destroy(long rt);

    @IgnoreError long jrt_stat(long rt, int key);

    /** The wire name of a native event kind, or null/"" for one the library does not know. */
    @IgnoreError String jrt_event_kind_name(int kind);

    /**
     * Copies whole event records, merged in seq order, into {@code buf} (at most {@code cap}
     * bytes). Returns the bytes copied; 0 = nothing now, or the end once the run finished.
     */
    @IgnoreError long jrt_events_read(long rt, long buf, long cap);
}

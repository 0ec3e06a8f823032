package dev.januslab.scheduler.trace;

/**
 * Where a task is in its life, as the events last said. Which fields of {@link TaskInfo}
 * mean something in each state is written beside the constant.
 */
public enum TaskState {
    /** Created by task_spawn, not yet in a queue. */
    SPAWNED,
    /** In a run queue: {@link TaskInfo#queue()} is the worker, or -1 for the inject queue. */
    QUEUED,
    /** Switched in: {@link TaskInfo#worker()} runs it. */
    RUNNING,
    /** Switched out but runnable ({@link TaskInfo#yieldReason()}), not yet back in a queue. */
    YIELDED,
    /** Runnable but in no visible queue: woken ({@link TaskInfo#wokenBy()}), popped or stolen and about to run. */
    RUNNABLE,
    /** Waiting: {@link TaskInfo#blockedOn()} and {@link TaskInfo#blockTarget()}. */
    BLOCKED,
    /** Finished: {@link TaskInfo#outcome()} and {@link TaskInfo#value()} or {@link TaskInfo#error()}. */
    DONE
}

package dev.januslab.lessons;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.Arrays;

/**
 * What a predicate needs to know about the run so far: each task's function (from its
 * {@code task_spawn}) and each nursery's owner (from its {@code nursery_open}). Fed the
 * events in seq order, each before it is matched; {@link #catchUp(Trace)} reads whatever a
 * growing trace has appended since the last call.
 */
public final class TraceNames {
    private String[] funcs = new String[16];
    private int[] owners = filled(new int[16]);
    private long seen;

    /** Reads the events of {@code trace} this index has not seen yet. */
    public void catchUp(Trace trace) {
        long n = trace.size();
        for (long s = seen; s < n; s++) observe(trace.get(s));
    }

    /** How many events have been observed. */
    public long seen() {
        return seen;
    }

    /** Takes note of one event (the next in seq order). */
    public void observe(TraceEvent e) {
        seen++;
        if (e instanceof TraceEvent.TaskSpawn s && s.task() >= 0) {
            if (s.task() >= funcs.length) funcs = Arrays.copyOf(funcs, Math.max(funcs.length * 2, s.task() + 1));
            funcs[s.task()] = s.func();
        } else if (e instanceof TraceEvent.NurseryOpen o && o.nursery() >= 0) {
            if (o.nursery() >= owners.length) {
                int old = owners.length;
                owners = Arrays.copyOf(owners, Math.max(old * 2, o.nursery() + 1));
                Arrays.fill(owners, old, owners.length, -1);
            }
            owners[o.nursery()] = o.owner();
        }
    }

    /** The function task {@code id} runs, or null if its spawn has not been seen. */
    public String func(int task) {
        return task >= 0 && task < funcs.length ? funcs[task] : null;
    }

    /** {@code FUNC#ID} ({@code main#0}); {@code task#ID} for a task whose spawn was not seen; "-1" for none. */
    public String taskName(int task) {
        if (task < 0) return Integer.toString(task);
        String f = func(task);
        return TraceEvent.taskName(f == null && task == 0 ? "main" : f, task);
    }

    /** The task that owns nursery {@code id}, or -1 (the root nursery, or not seen). */
    public int owner(int nursery) {
        return nursery >= 0 && nursery < owners.length ? owners[nursery] : -1;
    }

    private static int[] filled(int[] a) {
        Arrays.fill(a, -1);
        return a;
    }
}

package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.TraceEvent.TaskError;
import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.CancelReason;
import dev.januslab.scheduler.trace.Wire.Mode;
import dev.januslab.scheduler.trace.Wire.RunStatus;
import dev.januslab.scheduler.trace.Wire.TargetKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the scheduler looked like once the event {@link #seq()} had happened: workers with
 * their running task and deque, the inject queue, every task and nursery so far, who
 * sleeps or waits on what, program output, and the last steal/spawn/cancel for animation.
 *
 * <p>Immutable and thread-safe. Large parts (tasks, nurseries, output) are persistent
 * structures shared between states, so a keyframe costs little more than the worker
 * deques. A state is a pure function of the events folded into it: equal event prefixes
 * give {@link #equals equal} states, whether reached by seeking or by stepping.
 *
 * <p>Built by {@link Trace#stateAt(long)} or {@link #fold(Iterable)}; events are folded by
 * {@link StateFolder}, whose comments say what each kind does to the state.
 */
public final class SchedulerState {

    /** A worker lane: the running task (-1 if none), whether it is parked, and its deque top → bottom. */
    public record Worker(int index, int running, boolean parked, TaskIds queue) {
        public boolean isIdle() {
            return running < 0;
        }
    }

    /** One {@code print} event: the console colours output by task. */
    public record Output(long seq, int task, String text) {}

    /** The last {@code task_steal}, for the steal animation. */
    public record StealMark(long seq, int task, int victim, int thief) {}

    /** The last {@code task_spawn}, for the spawn animation; {@code worker} is where it happened. */
    public record SpawnMark(long seq, int task, int parent, int nursery, int worker) {}

    /** The last {@code cancel_request}, for the cancellation wave. */
    public record CancelMark(long seq, TargetKind targetKind, int target, CancelReason reason, int by) {}

    final long seq;
    final long time;
    final Mode mode;
    final long seed;
    final Worker[] workers;
    final TaskIds inject;
    final IdMap<TaskInfo> tasks;
    final IdMap<NurseryInfo> nurseries;
    final IdMap<BlockOn> waiting;
    final Chain<Output> output;
    final Chain<TaskError> errors;
    final int doneTasks;
    final long steals;
    final long switches;
    final long dropped;
    final RunStatus runStatus;
    final StealMark lastSteal;
    final SpawnMark lastSpawn;
    final CancelMark lastCancel;

    SchedulerState(long seq, long time, Mode mode, long seed, Worker[] workers, TaskIds inject,
                   IdMap<TaskInfo> tasks, IdMap<NurseryInfo> nurseries, IdMap<BlockOn> waiting,
                   Chain<Output> output, Chain<TaskError> errors, int doneTasks, long steals, long switches,
                   long dropped, RunStatus runStatus, StealMark lastSteal, SpawnMark lastSpawn,
                   CancelMark lastCancel) {
        this.seq = seq;
        this.time = time;
        this.mode = mode;
        this.seed = seed;
        this.workers = workers;
        this.inject = inject;
        this.tasks = tasks;
        this.nurseries = nurseries;
        this.waiting = waiting;
        this.output = output;
        this.errors = errors;
        this.doneTasks = doneTasks;
        this.steals = steals;
        this.switches = switches;
        this.dropped = dropped;
        this.runStatus = runStatus;
        this.lastSteal = lastSteal;
        this.lastSpawn = lastSpawn;
        this.lastCancel = lastCancel;
    }

    /** The state before any event: {@code workers} idle, unparked lanes with empty deques. */
    public static SchedulerState initial(int workers) {
        Worker[] ws = new Worker[Math.max(0, workers)];
        for (int i = 0; i < ws.length; i++) ws[i] = new Worker(i, -1, false, TaskIds.EMPTY);
        return new SchedulerState(-1, 0, null, 0, ws, TaskIds.EMPTY, IdMap.empty(), IdMap.empty(),
                IdMap.empty(), Chain.empty(), Chain.empty(), 0, 0, 0, 0, null, null, null, null);
    }

    /** Folds {@code events} from the initial state (0 workers until run_start says how many). */
    public static SchedulerState fold(Iterable<? extends TraceEvent> events) {
        StateFolder f = new StateFolder(initial(0));
        for (TraceEvent e : events) f.apply(e);
        return f.snapshot();
    }

    /** This state with one more event folded in. For many events use {@link Trace#stateAt}. */
    public SchedulerState apply(TraceEvent e) {
        StateFolder f = new StateFolder(this);
        f.apply(e);
        return f.snapshot();
    }

    /** The seq of the last event folded in; -1 before the first. */
    public long seq() { return seq; }
    /** The {@code t} of the last event folded in (ns since run start). */
    public long time() { return time; }
    /** From run_start; null before it. */
    public Mode mode() { return mode; }
    public long seed() { return seed; }

    public int workerCount() { return workers.length; }
    public Worker worker(int index) { return workers[index]; }
    public List<Worker> workers() { return List.of(workers); }
    /** The shared inject queue, front first. */
    public TaskIds injectQueue() { return inject; }

    /** The task with this id, or null if it has not been spawned by this seq. */
    public TaskInfo task(int id) { return tasks.get(id); }
    /** {@code FUNC#ID} of a task, or {@code task#ID} if unknown. */
    public String taskName(int id) {
        TaskInfo t = tasks.get(id);
        return t != null ? t.name() : TraceEvent.taskName(null, id);
    }
    /** Every task spawned so far, by id (finished ones included). */
    public List<TaskInfo> tasks() { return tasks.values(); }
    public int taskCount() { return tasks.size(); }
    public int doneTaskCount() { return doneTasks; }
    public int liveTaskCount() { return tasks.size() - doneTasks; }

    public NurseryInfo nursery(int id) { return nurseries.get(id); }
    public List<NurseryInfo> nurseries() { return nurseries.values(); }
    public int nurseryCount() { return nurseries.size(); }

    /** Tasks blocked on {@code sleep}, by id. */
    public List<TaskInfo> sleeping() { return waitingOn(true); }
    /** Tasks blocked on await, io or join, by id. */
    public List<TaskInfo> blocked() { return waitingOn(false); }

    private List<TaskInfo> waitingOn(boolean sleep) {
        List<TaskInfo> out = new ArrayList<>();
        waiting.forEach((on, id) -> {
            if ((on == BlockOn.SLEEP) == sleep) out.add(tasks.get(id));
        });
        return out;
    }

    /** Children of the nursery not finished yet: whom its {@code end} waits for. */
    public TaskIds waitingFor(int nursery) {
        NurseryInfo n = nurseries.get(nursery);
        if (n == null) return TaskIds.EMPTY;
        int[] kids = n.children.toArray();
        int[] out = new int[n.liveChildren];
        int k = 0;
        for (int id : kids) {
            TaskInfo t = tasks.get(id);
            if (t != null && !t.isDone() && k < out.length) out[k++] = id;
        }
        return TaskIds.wrap(k == out.length ? out : Arrays.copyOf(out, k));
    }

    /**
     * Whether cancellation has reached this task: requested for it, for its nursery, or
     * (transitively) for the task owning that nursery — LANGUAGE.md §6.4.
     */
    public boolean isCancelRequested(int taskId) {
        for (int depth = 0; taskId >= 0 && depth < 100_000; depth++) {
            TaskInfo t = tasks.get(taskId);
            if (t == null) return false;
            if (t.cancelRequested()) return true;
            NurseryInfo n = nurseries.get(t.nursery);
            if (n == null) return false;
            if (n.cancelRequested()) return true;
            taskId = n.owner;
        }
        return false;
    }

    /** Every {@code print} so far, in order. */
    public List<Output> output() { return output.toList(); }
    /** The last {@code n} prints, oldest first. */
    public List<Output> outputTail(int n) { return output.tail(n); }
    public int outputCount() { return output.size(); }
    /** The program's output so far, as the console shows it. */
    public String outputText() {
        StringBuilder sb = new StringBuilder();
        for (Output o : output.toList()) sb.append(o.text());
        return sb.toString();
    }

    /** Every {@code error} event (an error escaped a task) so far. */
    public List<TaskError> errors() { return errors.toList(); }

    public long steals() { return steals; }
    /** task_run events so far. */
    public long switches() { return switches; }
    /** Events lost to full rings, from run_end. */
    public long dropped() { return dropped; }
    /** From run_end; null while the run goes on. */
    public RunStatus runStatus() { return runStatus; }
    public boolean isFinished() { return runStatus != null; }

    public StealMark lastSteal() { return lastSteal; }
    public SpawnMark lastSpawn() { return lastSpawn; }
    public CancelMark lastCancel() { return lastCancel; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof SchedulerState s)) return false;
        return seq == s.seq && time == s.time && mode == s.mode && seed == s.seed
                && Arrays.equals(workers, s.workers) && inject.equals(s.inject)
                && doneTasks == s.doneTasks && steals == s.steals && switches == s.switches
                && dropped == s.dropped && runStatus == s.runStatus
                && Objects.equals(lastSteal, s.lastSteal) && Objects.equals(lastSpawn, s.lastSpawn)
                && Objects.equals(lastCancel, s.lastCancel)
                && tasks.equals(s.tasks) && nurseries.equals(s.nurseries) && waiting.equals(s.waiting)
                && output.equals(s.output) && errors.equals(s.errors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, time, tasks.size(), nurseries.size(), output.size(), Arrays.hashCode(workers));
    }

    /** A readable dump (one line per worker, task and nursery): for test failures and bug reports. */
    public String describe() {
        StringBuilder sb = new StringBuilder("state at seq ").append(seq).append(" t=").append(time).append('\n');
        for (Worker w : workers) {
            sb.append("  W").append(w.index()).append(w.parked() ? " parked" : "")
                    .append(" running ").append(w.running() < 0 ? "-" : taskName(w.running()))
                    .append(" deque ").append(w.queue()).append('\n');
        }
        sb.append("  inject ").append(inject).append('\n');
        tasks.forEach((t, id) -> sb.append("  ").append(t).append('\n'));
        nurseries.forEach((n, id) -> sb.append("  ").append(n).append('\n'));
        sb.append("  output ").append(output.size()).append(" prints, dropped ").append(dropped)
                .append(", status ").append(runStatus).append('\n');
        return sb.toString();
    }

    @Override
    public String toString() {
        return "SchedulerState{seq=" + seq + ", tasks=" + tasks.size() + ", live=" + liveTaskCount() + "}";
    }
}

package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.SchedulerState.CancelMark;
import dev.januslab.scheduler.trace.SchedulerState.Output;
import dev.januslab.scheduler.trace.SchedulerState.SpawnMark;
import dev.januslab.scheduler.trace.SchedulerState.StealMark;
import dev.januslab.scheduler.trace.SchedulerState.Worker;
import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.BlockOn;
import dev.januslab.scheduler.trace.Wire.Mode;
import dev.januslab.scheduler.trace.Wire.Outcome;
import dev.januslab.scheduler.trace.Wire.Pos;
import dev.januslab.scheduler.trace.Wire.RunStatus;
import dev.januslab.scheduler.trace.Wire.TargetKind;

import java.util.Arrays;

/**
 * Folds events into a {@link SchedulerState}, one at a time, mutating private copies and
 * handing out immutable snapshots. One folder belongs to one thread.
 *
 * <p>The fold is forgiving: a trace that breaks an invariant still folds to something
 * drawable (the {@link InvariantChecker} is what reports the breakage). In particular a
 * task is taken out of whatever queue it is in before being put anywhere else, so a
 * missing pop or a push of an already-queued task never shows a task twice.
 *
 * <p>Queue rules: {@code task_push top} goes where the owner pops next (index 0),
 * {@code bottom} to the far end; {@code task_pop}/{@code task_run} take the task out;
 * {@code task_steal} moves it from the victim to the bottom of the thief's deque, where
 * the following {@code task_run} on the thief takes it out again (a steal of several tasks
 * leaves the others there, in steal order).
 */
final class StateFolder implements TraceEvent.Visitor<Void> {
    /** A worker index beyond this is treated as garbage rather than allocating lanes for it. */
    private static final int MAX_WORKERS = 4096;

    private long seq;
    private long time;
    private Mode mode;
    private long seed;

    private int nWorkers;
    private int[] running;
    private boolean[] parked;
    private IntDeque[] queues;
    private IntDeque inject;
    /** The last snapshot's lanes, reused for workers that did not change since. */
    private Worker[] lastWorkers;
    private boolean[] dirty;
    private TaskIds lastInject;
    private boolean injectDirty;

    /**
     * Task and nursery infos created since the last snapshot carry this token and are changed
     * in place; older ones may be shared with snapshots and are copied first.
     */
    private Object epoch = new Object();
    private final IdMap.Editor<TaskInfo> tasks;
    private final IdMap.Editor<NurseryInfo> nurseries;
    private final IdMap.Editor<BlockOn> waiting;
    private Chain<Output> output;
    private Chain<TaskError> errors;
    private int doneTasks;
    private long steals;
    private long switches;
    private long dropped;
    private RunStatus runStatus;
    private StealMark lastSteal;
    private SpawnMark lastSpawn;
    private CancelMark lastCancel;

    StateFolder(SchedulerState s) {
        seq = s.seq;
        time = s.time;
        mode = s.mode;
        seed = s.seed;
        nWorkers = s.workers.length;
        running = new int[nWorkers];
        parked = new boolean[nWorkers];
        queues = new IntDeque[nWorkers];
        for (int i = 0; i < nWorkers; i++) {
            Worker w = s.workers[i];
            running[i] = w.running();
            parked[i] = w.parked();
            queues[i] = new IntDeque(w.queue().toIntArray());
        }
        lastWorkers = s.workers.clone();
        dirty = new boolean[nWorkers];
        inject = new IntDeque(s.inject.toIntArray());
        lastInject = s.inject;
        tasks = s.tasks.editor();
        nurseries = s.nurseries.editor();
        waiting = s.waiting.editor();
        output = s.output;
        errors = s.errors;
        doneTasks = s.doneTasks;
        steals = s.steals;
        switches = s.switches;
        dropped = s.dropped;
        runStatus = s.runStatus;
        lastSteal = s.lastSteal;
        lastSpawn = s.lastSpawn;
        lastCancel = s.lastCancel;
    }

    void apply(TraceEvent e) {
        e.accept(this);
        seq = e.seq();
        time = e.t();
    }

    SchedulerState snapshot() {
        Worker[] ws = new Worker[nWorkers];
        for (int i = 0; i < nWorkers; i++) {
            if (!dirty[i] && i < lastWorkers.length) {
                ws[i] = lastWorkers[i];
            } else {
                ws[i] = new Worker(i, running[i], parked[i], TaskIds.wrap(queues[i].toArray()));
                dirty[i] = false;
            }
        }
        lastWorkers = ws;
        if (injectDirty) {
            lastInject = TaskIds.wrap(inject.toArray());
            injectDirty = false;
        }
        epoch = new Object();
        return new SchedulerState(seq, time, mode, seed, ws, lastInject, tasks.snapshot(),
                nurseries.snapshot(), waiting.snapshot(), output, errors, doneTasks, steals, switches,
                dropped, runStatus, lastSteal, lastSpawn, lastCancel);
    }

    int workerCount() {
        return nWorkers;
    }

    /** Current length of worker {@code w}'s deque (for exporters that watch queues without snapshots). */
    int queueLength(int w) {
        return w >= 0 && w < nWorkers ? queues[w].size() : 0;
    }

    int injectLength() {
        return inject.size();
    }

    // ---- helpers ----

    private boolean isWorker(int w) {
        if (w < 0 || w >= MAX_WORKERS) return false;
        if (w >= nWorkers) resize(w + 1);
        return true;
    }

    private void resize(int n) {
        int old = nWorkers;
        running = Arrays.copyOf(running, n);
        parked = Arrays.copyOf(parked, n);
        queues = Arrays.copyOf(queues, n);
        dirty = Arrays.copyOf(dirty, n);
        for (int i = old; i < n; i++) {
            running[i] = -1;
            queues[i] = new IntDeque();
            dirty[i] = true;
        }
        for (int i = 0; i < Math.min(old, n); i++) dirty[i] = true;
        nWorkers = n;
    }

    /** A fresh, storable copy of the task (a placeholder if the trace never spawned it). */
    private TaskInfo edit(int id) {
        TaskInfo t = tasks.get(id);
        if (t != null && t.epoch == epoch) return t;
        t = t != null ? t.copy() : new TaskInfo(id, null, -1, -1, 0, -1);
        t.epoch = epoch;
        return t;
    }

    private void store(TaskInfo t) {
        if (tasks.get(t.id) != t) tasks.put(t.id, t);
    }

    private NurseryInfo editNursery(int id) {
        NurseryInfo n = nurseries.get(id);
        if (n != null && n.epoch == epoch) return n;
        n = n != null ? n.copy() : new NurseryInfo(id, -1, -1, 0, -1);
        n.epoch = epoch;
        return n;
    }

    private void storeNursery(NurseryInfo n) {
        if (nurseries.get(n.id) != n) nurseries.put(n.id, n);
    }

    private void unqueue(TaskInfo t) {
        int q = t.queue;
        if (q == TaskInfo.INJECT) {
            if (inject.remove(t.id)) injectDirty = true;
        } else if (q >= 0 && q < nWorkers) {
            if (queues[q].remove(t.id)) dirty[q] = true;
        }
        t.queue = TaskInfo.NO_QUEUE;
    }

    private void unrun(TaskInfo t) {
        for (int w = 0; w < nWorkers; w++) {
            if (running[w] == t.id && (w == t.worker || t.state == TaskState.RUNNING)) {
                running[w] = -1;
                dirty[w] = true;
            }
        }
    }

    private void unwait(TaskInfo t) {
        waiting.put(t.id, null);
        t.blockedOn = null;
        t.blockTarget = -1;
    }

    // ---- one method per kind ----

    @Override
    public Void runStart(RunStart e) {
        mode = e.mode();
        seed = e.seed();
        if (e.workers() >= 0 && e.workers() <= MAX_WORKERS && e.workers() != nWorkers) resize(e.workers());
        return null;
    }

    @Override
    public Void workerPark(WorkerPark e) {
        if (isWorker(e.w())) {
            parked[e.w()] = true;
            dirty[e.w()] = true;
        }
        return null;
    }

    @Override
    public Void workerUnpark(WorkerUnpark e) {
        if (isWorker(e.w())) {
            parked[e.w()] = false;
            dirty[e.w()] = true;
        }
        return null;
    }

    @Override
    public Void nurseryOpen(NurseryOpen e) {
        if (e.nursery() < 0 || nurseries.get(e.nursery()) != null) return null;
        NurseryInfo created = new NurseryInfo(e.nursery(), e.owner(), e.parent(), e.line(), e.seq());
        created.epoch = epoch;
        nurseries.put(e.nursery(), created);
        if (e.parent() >= 0 && e.parent() != e.nursery()) {
            NurseryInfo p = editNursery(e.parent());
            p.nurseries = p.nurseries.append(e.nursery());
            storeNursery(p);
        }
        if (e.owner() >= 0) {
            TaskInfo o = edit(e.owner());
            o.nurseries = o.nurseries.append(e.nursery());
            store(o);
        }
        return null;
    }

    @Override
    public Void taskSpawn(TaskSpawn e) {
        if (e.task() < 0 || tasks.get(e.task()) != null) return null;
        TaskInfo created = new TaskInfo(e.task(), e.func(), e.parent(), e.nursery(), e.line(), e.seq());
        created.epoch = epoch;
        store(created);
        if (e.nursery() >= 0) {
            NurseryInfo n = editNursery(e.nursery());
            n.children = n.children.append(e.task());
            n.liveChildren++;
            storeNursery(n);
        }
        lastSpawn = new SpawnMark(e.seq(), e.task(), e.parent(), e.nursery(), e.w());
        return null;
    }

    @Override
    public Void taskPush(TaskPush e) {
        TaskInfo t = edit(e.task());
        unqueue(t);
        if (t.state == TaskState.RUNNING) unrun(t);
        int q = e.queue();
        if (q == TaskInfo.INJECT) {
            if (e.pos() == Pos.TOP) inject.addTop(t.id);
            else inject.addBottom(t.id);
            injectDirty = true;
        } else if (isWorker(q)) {
            if (e.pos() == Pos.TOP) queues[q].addTop(t.id);
            else queues[q].addBottom(t.id);
            dirty[q] = true;
        } else {
            q = TaskInfo.NO_QUEUE;
        }
        t.queue = q;
        if (t.state != TaskState.DONE) t.state = TaskState.QUEUED;
        store(t);
        return null;
    }

    @Override
    public Void taskPop(TaskPop e) {
        TaskInfo t = edit(e.task());
        unqueue(t);
        if (t.state != TaskState.DONE) t.state = TaskState.RUNNABLE;
        if (e.w() >= 0) t.worker = e.w();
        store(t);
        return null;
    }

    @Override
    public Void taskSteal(TaskSteal e) {
        TaskInfo t = edit(e.task());
        if (t.queue != TaskInfo.NO_QUEUE) {
            unqueue(t);
        } else if (e.victim() >= 0 && e.victim() < nWorkers && queues[e.victim()].remove(t.id)) {
            dirty[e.victim()] = true;
        }
        int thief = e.w();
        if (isWorker(thief)) {
            queues[thief].addBottom(t.id);
            dirty[thief] = true;
            t.queue = thief;
            t.worker = thief;
        }
        if (t.state != TaskState.DONE) t.state = t.queue == TaskInfo.NO_QUEUE ? TaskState.RUNNABLE : TaskState.QUEUED;
        store(t);
        steals++;
        lastSteal = new StealMark(e.seq(), e.task(), e.victim(), e.w());
        return null;
    }

    @Override
    public Void taskRun(TaskRun e) {
        TaskInfo t = edit(e.task());
        unqueue(t);
        unrun(t);
        unwait(t);
        t.state = TaskState.RUNNING;
        t.runs++;
        if (isWorker(e.w())) {
            running[e.w()] = t.id;
            dirty[e.w()] = true;
        }
        t.worker = e.w();
        store(t);
        switches++;
        return null;
    }

    @Override
    public Void taskYield(TaskYield e) {
        TaskInfo t = edit(e.task());
        unrun(t);
        t.state = TaskState.YIELDED;
        t.yieldReason = e.reason();
        store(t);
        return null;
    }

    @Override
    public Void taskBlock(TaskBlock e) {
        TaskInfo t = edit(e.task());
        unrun(t);
        unqueue(t);
        t.state = TaskState.BLOCKED;
        t.blockedOn = e.on();
        t.blockTarget = e.target();
        waiting.put(t.id, e.on());
        store(t);
        return null;
    }

    @Override
    public Void taskWake(TaskWake e) {
        TaskInfo t = edit(e.task());
        unwait(t);
        if (t.state != TaskState.DONE && t.state != TaskState.RUNNING && t.state != TaskState.QUEUED) {
            t.state = TaskState.RUNNABLE;
        }
        t.wokenBy = e.by();
        store(t);
        return null;
    }

    @Override
    public Void cancelRequest(CancelRequest e) {
        if (e.targetKind() == TargetKind.TASK) {
            TaskInfo t = edit(e.target());
            if (t.cancelRequestSeq < 0) {
                t.cancelRequestSeq = e.seq();
                t.cancelReason = e.reason();
            }
            store(t);
        } else if (e.target() >= 0) {
            NurseryInfo n = editNursery(e.target());
            if (n.cancelRequestSeq < 0) {
                n.cancelRequestSeq = e.seq();
                n.cancelReason = e.reason();
                n.cancelBy = e.by();
            }
            storeNursery(n);
        }
        lastCancel = new CancelMark(e.seq(), e.targetKind(), e.target(), e.reason(), e.by());
        return null;
    }

    @Override
    public Void cancelObserve(CancelObserve e) {
        TaskInfo t = edit(e.task());
        if (t.cancelObservedSeq < 0) {
            t.cancelObservedSeq = e.seq();
            t.cancelHow = e.how();
            t.cancelObservedLine = e.line();
        }
        t.line = e.line();
        store(t);
        return null;
    }

    @Override
    public Void taskDone(TaskDone e) {
        TaskInfo t = edit(e.task());
        boolean wasDone = t.state == TaskState.DONE;
        unqueue(t);
        unrun(t);
        unwait(t);
        t.state = TaskState.DONE;
        t.outcome = e.outcome();
        t.value = e.value();
        t.error = e.error();
        t.doneWithCancelRequested = e.cancelRequested();
        store(t);
        if (!wasDone) {
            doneTasks++;
            if (t.nursery >= 0 && nurseries.get(t.nursery) != null) {
                NurseryInfo n = editNursery(t.nursery);
                n.liveChildren = Math.max(0, n.liveChildren - 1);
                if (e.outcome() == Outcome.ERROR && n.firstChildError == null && !isCancelledError(e.error())) {
                    n.firstChildError = e.error();
                }
                storeNursery(n);
            }
        }
        return null;
    }

    /** Whether a rendered error is the built-in {@code Cancelled} (LANGUAGE.md §5). */
    static boolean isCancelledError(String error) {
        return "Runtime.Cancelled".equals(error) || "Cancelled".equals(error);
    }

    @Override
    public Void nurseryJoin(NurseryJoin e) {
        NurseryInfo n = editNursery(e.nursery());
        if (n.status == NurseryInfo.Status.OPEN) n.status = NurseryInfo.Status.JOINING;
        storeNursery(n);
        return null;
    }

    @Override
    public Void nurseryClose(NurseryClose e) {
        NurseryInfo n = editNursery(e.nursery());
        n.status = NurseryInfo.Status.CLOSED;
        n.outcome = e.outcome();
        n.error = e.error();
        storeNursery(n);
        return null;
    }

    @Override
    public Void print(Print e) {
        output = output.append(new Output(e.seq(), e.task(), e.text()));
        return null;
    }

    @Override
    public Void line(Line e) {
        TaskInfo t = edit(e.task());
        t.line = e.line();
        store(t);
        return null;
    }

    @Override
    public Void taskError(TaskError e) {
        errors = errors.append(e);
        TaskInfo t = edit(e.task());
        t.line = e.line();
        store(t);
        return null;
    }

    @Override
    public Void runEnd(RunEnd e) {
        runStatus = e.status();
        dropped = e.dropped();
        return null;
    }

    @Override
    public Void unknown(Unknown e) {
        return null;
    }
}

package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.Wire.Mode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small discrete-event model of the CBC-MN scheduler that writes plausible, valid traces
 * of a fan-out tree (skynet-like): every inner task opens a nursery, spawns {@code branch}
 * children LIFO onto its own deque (yielding by budget every 64 spawns), joins; every leaf
 * computes {@code slices} quanta (yielding by budget between them), prints and returns.
 * Idle workers pop their own top, else steal one task from the bottom of a random busy
 * victim, else park; a push unparks a parked worker.
 *
 * <p>It exists to drive the views, tests and benchmarks before the VM does: the traces
 * keep TRACE.md §2 invariants 1–7 (the tests check) and are deterministic for a seed.
 * It is not the runtime and makes no claim about its timing.
 */
public final class SyntheticRun {
    private static final long SPAWN_NS = 300, SWITCH_NS = 100, STEAL_NS = 400, PRINT_NS = 200, DONE_NS = 100;

    private enum Phase { START, SPAWNING, COMPUTE, JOINING, CLOSING }

    private static final class SimTask {
        final int id;
        final int nursery;
        final int depth;
        final String func;
        Phase phase = Phase.START;
        int ownNursery = -1;
        int spawned;
        int slicesLeft;
        int live;
        boolean blocked;

        SimTask(int id, int nursery, int depth, String func, int slices) {
            this.id = id;
            this.nursery = nursery;
            this.depth = depth;
            this.func = func;
            this.slicesLeft = slices;
        }
    }

    private final int workers;
    private final int branch;
    private final int depth;
    private final int slices;
    private final SplittableRandom random;
    private final long seed;
    private final TraceBuilder b;
    private final List<SimTask> tasks = new ArrayList<>();
    private final List<Integer> nurseryOwner = new ArrayList<>();
    private final ArrayDeque<Integer>[] deques;
    private final long[] clock;
    private final int[] running;
    private final boolean[] parked;
    private boolean mainDone;

    @SuppressWarnings("unchecked")
    private SyntheticRun(String program, int workers, int branch, int depth, int slices, long seed) {
        this.workers = workers;
        this.branch = branch;
        this.depth = depth;
        this.slices = Math.max(1, slices);
        this.random = new SplittableRandom(seed);
        this.seed = seed;
        this.b = new TraceBuilder().program(program, source(branch, depth)).config(workers, "deterministic", seed, 1000, 8)
                .step(0);
        this.deques = new ArrayDeque[workers];
        for (int i = 0; i < workers; i++) deques[i] = new ArrayDeque<>();
        this.clock = new long[workers];
        this.running = new int[workers];
        java.util.Arrays.fill(running, -1);
        this.parked = new boolean[workers];
    }

    /**
     * A run of the fan-out program: {@code branch}^{@code depth} leaves under main, on
     * {@code workers} workers. Events ≈ 10 per leaf with 2 slices.
     */
    public static Trace fanOut(String program, int workers, int branch, int depth, int slices, long seed) {
        return new SyntheticRun(program, workers, branch, depth, slices, seed).simulate();
    }

    private static String source(int branch, int depth) {
        String loop = "    nursery do\n        for i in 0..<" + branch + " do\n"
                + "            if level == " + depth + " then spawn leaf(i) else spawn node(level + 1) end\n"
                + "        end\n    end\n";
        return "// synthetic fan-out: " + branch + " children per level, depth " + depth + "\n"
                + "async func leaf(i) do\n    println(\"leaf\", task_id())\n    return task_id()\nend\n\n"
                + "async func node(level) do\n" + loop + "end\n\n"
                + "async func main() do\n    let level = 1\n" + loop + "end\n";
    }

    private Trace simulate() {
        b.on(-1).at(0).runStart(workers, Mode.DETERMINISTIC.wire(), seed);
        b.nurseryOpen(0, -1, -1, 0);
        nurseryOwner.add(-1);
        newTask(-1, 0, 0, "main", 14);
        b.push(0, 0, "top");
        deques[0].addFirst(0);
        int steps = 0;
        while (!mainDone) {
            int w = nextWorker();
            if (w < 0) throw new IllegalStateException("synthetic run deadlocked");
            step(w);
            if (++steps > 100_000_000) throw new IllegalStateException("synthetic run does not end");
        }
        long end = 0;
        for (long c : clock) end = Math.max(end, c);
        b.on(-1).at(end).close(0, "ok", null);
        b.runEnd("ok", 0);
        return b.build();
    }

    private SimTask newTask(int parent, int nursery, int depth, String func, int line) {
        SimTask t = new SimTask(tasks.size(), nursery, depth, func, slices);
        tasks.add(t);
        b.spawn(t.id, parent, nursery, func, line);
        return t;
    }

    private int nextWorker() {
        int best = -1;
        for (int w = 0; w < workers; w++) {
            if (parked[w]) continue;
            if (best < 0 || clock[w] < clock[best]) best = w;
        }
        return best;
    }

    private void emitOn(int w) {
        b.on(w).at(clock[w]);
    }

    private void push(int w, int task, boolean top) {
        emitOn(w);
        b.push(task, w, top ? "top" : "bottom");
        if (top) deques[w].addFirst(task);
        else deques[w].addLast(task);
        for (int v = 0; v < workers; v++) {
            if (parked[v]) {
                parked[v] = false;
                clock[v] = Math.max(clock[v], clock[w]);
                emitOn(v);
                b.unpark();
                break;
            }
        }
    }

    private void step(int w) {
        if (running[w] < 0) {
            idle(w);
            return;
        }
        SimTask t = tasks.get(running[w]);
        boolean leaf = t.depth >= depth;
        switch (t.phase) {
            case START -> {
                if (leaf) {
                    t.phase = Phase.COMPUTE;
                } else {
                    t.ownNursery = nurseryOwner.size();
                    nurseryOwner.add(t.id);
                    emitOn(w);
                    b.nurseryOpen(t.ownNursery, t.id, t.nursery, t.id == 0 ? 14 : 7);
                    t.phase = Phase.SPAWNING;
                }
            }
            case SPAWNING -> {
                if (t.spawned < branch) {
                    emitOn(w);
                    boolean childIsLeaf = t.depth + 1 >= depth;
                    SimTask c = newTask(t.id, t.ownNursery, t.depth + 1, childIsLeaf ? "leaf" : "node", childIsLeaf ? 9 : 15);
                    clock[w] += SPAWN_NS;
                    t.spawned++;
                    t.live++;
                    push(w, c.id, true);
                    if (t.spawned % 64 == 0 && t.spawned < branch) {
                        clock[w] += SWITCH_NS;
                        emitOn(w);
                        b.yield(t.id, "budget");
                        running[w] = -1;
                        push(w, t.id, false);
                    }
                } else {
                    emitOn(w);
                    b.join(t.ownNursery);
                    t.phase = Phase.JOINING;
                    if (t.live > 0) {
                        clock[w] += SWITCH_NS;
                        emitOn(w);
                        b.block(t.id, "join", t.ownNursery);
                        t.blocked = true;
                        running[w] = -1;
                    }
                }
            }
            case JOINING -> {
                clock[w] += SWITCH_NS;
                emitOn(w);
                b.close(t.ownNursery, "ok", null);
                t.phase = Phase.CLOSING;
            }
            case CLOSING -> finish(w, t, "nil");
            case COMPUTE -> {
                clock[w] += 1500 + random.nextInt(1000);
                t.slicesLeft--;
                if (t.slicesLeft > 0) {
                    emitOn(w);
                    b.yield(t.id, "budget");
                    running[w] = -1;
                    push(w, t.id, false);
                } else {
                    emitOn(w);
                    b.print(t.id, "leaf " + t.id + "\n");
                    clock[w] += PRINT_NS;
                    finish(w, t, Integer.toString(t.id));
                }
            }
        }
    }

    private void finish(int w, SimTask t, String value) {
        clock[w] += DONE_NS;
        emitOn(w);
        b.ok(t.id, value);
        running[w] = -1;
        if (t.id == 0) {
            mainDone = true;
            return;
        }
        int owner = nurseryOwner.get(t.nursery);
        if (owner < 0) return;
        SimTask o = tasks.get(owner);
        o.live--;
        if (o.live == 0 && o.blocked) {
            o.blocked = false;
            emitOn(w);
            b.wake(o.id, t.id);
            push(w, o.id, true);
        }
    }

    private void idle(int w) {
        Integer mine = deques[w].pollFirst();
        if (mine != null) {
            clock[w] += SWITCH_NS;
            emitOn(w);
            b.pop(mine);
            b.run(mine);
            running[w] = mine;
            return;
        }
        int start = random.nextInt(workers);
        for (int i = 0; i < workers; i++) {
            int v = (start + i) % workers;
            if (v == w || deques[v].isEmpty()) continue;
            int task = deques[v].pollLast();
            clock[w] = Math.max(clock[w], clock[v]) + STEAL_NS;
            emitOn(w);
            b.steal(task, v);
            b.run(task);
            running[w] = task;
            return;
        }
        emitOn(w);
        b.park();
        parked[w] = true;
    }
}

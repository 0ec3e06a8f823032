package dev.januslab.scheduler.trace;

import dev.januslab.scheduler.trace.TraceEvent.*;
import dev.januslab.scheduler.trace.Wire.TargetKind;

/** Small questions about any event, answered the same way everywhere (event log, filters, seeking). */
public final class TraceEvents {
    private TraceEvents() {}

    /** The task an event is about, or -1 (worker, nursery and run events; unknown kinds). */
    public static int taskOf(TraceEvent e) {
        return e.accept(TASK_OF);
    }

    private static final TraceEvent.Visitor<Integer> TASK_OF = new TraceEvent.Visitor<>() {
        public Integer runStart(RunStart e) { return -1; }
        public Integer workerPark(WorkerPark e) { return -1; }
        public Integer workerUnpark(WorkerUnpark e) { return -1; }
        public Integer nurseryOpen(NurseryOpen e) { return -1; }
        public Integer taskSpawn(TaskSpawn e) { return e.task(); }
        public Integer taskPush(TaskPush e) { return e.task(); }
        public Integer taskPop(TaskPop e) { return e.task(); }
        public Integer taskSteal(TaskSteal e) { return e.task(); }
        public Integer taskRun(TaskRun e) { return e.task(); }
        public Integer taskYield(TaskYield e) { return e.task(); }
        public Integer taskBlock(TaskBlock e) { return e.task(); }
        public Integer taskWake(TaskWake e) { return e.task(); }
        public Integer cancelRequest(CancelRequest e) { return e.targetKind() == TargetKind.TASK ? e.target() : -1; }
        public Integer cancelObserve(CancelObserve e) { return e.task(); }
        public Integer taskDone(TaskDone e) { return e.task(); }
        public Integer nurseryJoin(NurseryJoin e) { return -1; }
        public Integer nurseryClose(NurseryClose e) { return -1; }
        public Integer print(Print e) { return e.task(); }
        public Integer line(Line e) { return e.task(); }
        public Integer taskError(TaskError e) { return e.task(); }
        public Integer runEnd(RunEnd e) { return -1; }
        public Integer unknown(Unknown e) { return -1; }
    };
}

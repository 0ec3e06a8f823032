package dev.januslab.lessons;

import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.util.Set;

/** The schedule a lesson pins: worker count, mode, seed and quantum (VM ops per turn). */
public record LessonConfig(int workers, Mode mode, long seed, int quantum) {

    static LessonConfig parse(Json j) {
        j.onlyFields(Set.of("workers", "mode", "seed", "quantum"));
        long workers = j.get("workers").integer();
        if (workers < 1 || workers > 64) throw j.get("workers").error("must be 1..64, not " + workers);
        String m = j.get("mode").string();
        Mode mode = Mode.parse(m);
        if (mode == null) throw j.get("mode").error("must be \"deterministic\" or \"live\", not \"" + m + "\"");
        long seed = j.get("seed").integer();
        long quantum = j.get("quantum").integer();
        if (quantum < 1 || quantum > Integer.MAX_VALUE) throw j.get("quantum").error("must be at least 1, not " + quantum);
        return new LessonConfig((int) workers, mode, seed, (int) quantum);
    }

    /** The run settings for this lesson: the runtime's defaults with the pinned fields. */
    public RunConfig runConfig() {
        return RunConfig.defaults().withWorkers(workers).withMode(mode).withSeed(seed).withQuantum(quantum);
    }
}

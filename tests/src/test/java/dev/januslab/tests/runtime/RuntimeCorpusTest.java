package dev.januslab.tests.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every program of {@code tests/programs/} that expects output or a runtime error,
 * in this JVM through the native binding: deterministic mode with 1, 2 and 4 workers and
 * several seeds, live mode with 2 and 4 workers, repeated. Each run's stdout must equal the
 * {@code // expect:} lines exactly, the error escaping main must be the expected one, and
 * the recorded trace must keep every invariant of TRACE.md §2.
 *
 * <p>The matrix can be widened from the command line:
 * {@code -Djanus.corpus.seeds=1,2,3 -Djanus.corpus.detWorkers=1,2,4,8 -Djanus.corpus.liveRepeats=5}.
 */
class RuntimeCorpusTest {
    static final List<Long> SEEDS = CorpusProgram.longs(System.getProperty("janus.corpus.seeds", "1,99"));
    static final List<Long> DET_WORKERS = CorpusProgram.longs(System.getProperty("janus.corpus.detWorkers", "1,2,4"));
    static final List<Long> LIVE_WORKERS = CorpusProgram.longs(System.getProperty("janus.corpus.liveWorkers", "2,4"));
    static final int LIVE_REPEATS = Integer.getInteger("janus.corpus.liveRepeats", 2);

    @TestFactory
    Stream<DynamicNode> everyProgramInEveryMode() {
        List<CorpusProgram> programs = CorpusProgram.load(CorpusProgram.ROOT);
        assertFalse(programs.isEmpty(), "no runnable programs under " + CorpusProgram.ROOT.toAbsolutePath());
        return programs.stream().map(p -> DynamicContainer.dynamicContainer(p.name(), p.path().toUri(), runs(p)));
    }

    private static Stream<DynamicNode> runs(CorpusProgram p) {
        List<DynamicNode> tests = new ArrayList<>();
        for (long w : p.runsIn(Mode.DETERMINISTIC) ? DET_WORKERS : List.<Long>of()) {
            for (long seed : SEEDS) {
                RunConfig c = RunConfig.defaults().withMode(Mode.DETERMINISTIC).withWorkers((int) w).withSeed(seed);
                tests.add(DynamicTest.dynamicTest("deterministic workers=" + w + " seed=" + seed, () -> check(p, c)));
            }
        }
        for (long w : p.runsIn(Mode.LIVE) ? LIVE_WORKERS : List.<Long>of()) {
            for (int i = 1; i <= LIVE_REPEATS; i++) {
                RunConfig c = RunConfig.defaults().withMode(Mode.LIVE).withWorkers((int) w).withSeed(i);
                tests.add(DynamicTest.dynamicTest("live workers=" + w + " run " + i, () -> check(p, c)));
            }
        }
        return tests.stream();
    }

    static void check(CorpusProgram p, RunConfig c) throws InterruptedException {
        ProgramRuns.Ran r = ProgramRuns.run(p, c, true);
        List<String> problems = ProgramRuns.problems(p, r, true);
        if (!problems.isEmpty()) {
            fail(p.name() + " (" + c.mode().wire() + ", " + c.workers() + " workers, seed " + c.seed() + "):\n  "
                    + String.join("\n  ", problems));
        }
    }

}

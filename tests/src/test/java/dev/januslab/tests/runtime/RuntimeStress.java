package dev.januslab.tests.runtime;

import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stress command (not part of the default suite): runs the whole runtime corpus N times
 * in live mode (alternating 2 and 4 workers, different seeds), checks every run's output,
 * escaped error and trace invariants, and reports each failing program with its first
 * problem and how often it failed. Exit status 0 when every run passed, 1 otherwise.
 *
 * <pre>  tests/stress.sh [N] [--workers 2,4] [--programs DIR]   (N defaults to 1,000)</pre>
 */
public final class RuntimeStress {
    private RuntimeStress() {}

    public static void main(String[] args) throws Exception {
        int rounds = 1000;
        List<Integer> workers = List.of(2, 4);
        Path root = CorpusProgram.ROOT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workers" -> workers = CorpusProgram.longs(args[++i]).stream().map(Long::intValue).toList();
                case "--programs" -> root = Path.of(args[++i]);
                default -> rounds = Integer.parseInt(args[i].replace("_", ""));
            }
        }
        List<CorpusProgram> programs = CorpusProgram.load(root).stream().filter(p -> p.runsIn(Mode.LIVE)).toList();
        for (CorpusProgram p : programs) ProgramRuns.compile(p);
        System.out.printf("stress: %d programs x %d rounds, live mode, workers %s%n", programs.size(), rounds, workers);
        Map<String, List<String>> failures = new LinkedHashMap<>();
        Map<String, Integer> failureCounts = new LinkedHashMap<>();
        long runs = 0, failed = 0, t0 = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            for (CorpusProgram p : programs) {
                int w = workers.get((int) (runs % workers.size()));
                RunConfig c = RunConfig.defaults().withMode(Mode.LIVE).withWorkers(w).withSeed(round);
                List<String> problems = ProgramRuns.problems(p, ProgramRuns.run(p, c, true), true);
                runs++;
                if (!problems.isEmpty()) {
                    failed++;
                    String key = p.name();
                    failureCounts.merge(key, 1, Integer::sum);
                    failures.computeIfAbsent(key, k -> new ArrayList<>(List.of(
                            "workers=" + w + ": " + problems.get(0))));
                    System.out.printf("FAIL round %d %s (workers=%d): %s%n", round, key, w, String.join("\n  ", problems));
                }
            }
            if (round % 10 == 0 || round == rounds) {
                System.out.printf("round %d/%d: %d runs, %d failed, %.0f s%n", round, rounds, runs, failed,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("stress done: %d runs, %d failed (%d programs)%n", runs, failed, failureCounts.size());
        failureCounts.forEach((k, n) -> System.out.printf("  %s failed %d times; first: %s%n", k, n, failures.get(k).get(0)));
        System.exit(failed == 0 ? 0 : 1);
    }
}

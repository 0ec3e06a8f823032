package dev.januslab.interpreter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.bytecode.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and mutated programs: the front end returns diagnostics or a verified module for
 * every input, never throws, and never takes long on one input. Each jqwik try is a seed
 * that generates a batch of programs: 10,000 tries x {@code janus.fuzz.batch}. The default batch
 * of 10 runs the 100,000 programs in the default suite (about 40 s on 2 cores);
 * {@code -Djanus.fuzz.batch=2} runs 20,000 for a quicker local loop.
 */
class FrontEndRobustnessTest {
    private static final int BATCH = Integer.getInteger("janus.fuzz.batch", 10);
    /** Per-input bound: generous for GC pauses on a loaded machine, far below a hang. */
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;
    private static final AtomicLong PROGRAMS = new AtomicLong();
    private static final AtomicLong CLEAN = new AtomicLong();
    private static List<String> seeds;

    private static synchronized List<String> seeds() throws IOException {
        if (seeds == null) {
            List<String> s = new ArrayList<>();
            try (var files = Files.list(Path.of("src/test/resources/golden"))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".jan")).sorted().toList()) {
                    s.add(Files.readString(p));
                }
            }
            seeds = s;
        }
        return seeds;
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.OFF, seed = "4242")
    void frontEndNeverThrowsOrHangs(@ForAll long seed) throws IOException {
        ProgramGenerator gen = new ProgramGenerator(seed);
        List<String> seedPrograms = seeds();
        for (int i = 0; i < BATCH; i++) {
            String source = gen.next(seedPrograms);
            long t0 = System.nanoTime();
            JanusCompiler.Result r;
            try {
                r = JanusCompiler.compile("fuzz.jan", source);
            } catch (Throwable t) {
                throw new AssertionError("front end threw on:\n" + source, t);
            }
            long took = System.nanoTime() - t0;
            assertTrue(took < MAX_NANOS_PER_INPUT, "took " + took / 1_000_000 + " ms on:\n" + source);
            PROGRAMS.incrementAndGet();
            if (r.diagnostics().isEmpty()) {
                BytecodeModule m = r.module();
                assertTrue(m != null, "no diagnostics and no module for:\n" + source);
                List<String> problems = Verifier.verify(m);
                assertTrue(problems.isEmpty(), problems + " for:\n" + source);
                assertTrue(java.util.Arrays.equals(m.encode(), BytecodeModule.decode(m.encode()).encode()));
                CLEAN.incrementAndGet();
            } else {
                assertTrue(r.module() == null, "a module despite diagnostics");
            }
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("FrontEndRobustnessTest: " + PROGRAMS.get() + " programs, " + CLEAN.get()
                + " compiled clean and verified");
    }
}

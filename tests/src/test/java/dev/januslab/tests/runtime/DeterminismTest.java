package dev.januslab.tests.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.januslab.scheduler.run.RunConfig;
import dev.januslab.scheduler.trace.InvariantChecker;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceFiles;
import dev.januslab.scheduler.trace.Wire.Mode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * TRACE.md §2.8: in deterministic mode the same program, seed, worker count and budgets
 * give a byte-identical trace file, ignoring the header's creation time. Every corpus
 * program is run twice with the same settings and the two .jtrace files compared.
 */
class DeterminismTest {
    private static final String CREATED = "2000-01-01T00:00:00Z";

    @TestFactory
    Stream<DynamicTest> sameInputsGiveByteIdenticalTraces() {
        RunConfig c = RunConfig.defaults().withMode(Mode.DETERMINISTIC).withWorkers(4).withSeed(5);
        return CorpusProgram.load(CorpusProgram.ROOT).stream()
                .map(p -> DynamicTest.dynamicTest(p.name(), p.path().toUri(), () -> compare(p, c)));
    }

    static void compare(CorpusProgram p, RunConfig c) throws Exception {
        Trace a = ProgramRuns.run(p, c, true).outcome().trace();
        Trace b = ProgramRuns.run(p, c, true).outcome().trace();
        byte[] fa = bytes(a);
        byte[] fb = bytes(b);
        if (!Arrays.equals(fa, fb)) {
            Optional<InvariantChecker.Violation> v = InvariantChecker.compareIgnoringCreated(a, b);
            fail(p.name() + ": two deterministic runs gave different traces (" + a.size() + " vs " + b.size()
                    + " events): " + v.map(Object::toString).orElse(firstDifference(fa, fb)));
        }
        assertTrue(a.size() > 0);
    }

    static byte[] bytes(Trace t) throws IOException {
        t.setHeader(t.header().withCreated(CREATED));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceFiles.write(t, out);
        return out.toByteArray();
    }

    private static String firstDifference(byte[] a, byte[] b) {
        List<String> la = List.of(new String(a, StandardCharsets.UTF_8).split("\n"));
        List<String> lb = List.of(new String(b, StandardCharsets.UTF_8).split("\n"));
        for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
            if (!la.get(i).equals(lb.get(i))) return "line " + (i + 1) + ":\n  " + la.get(i) + "\n  " + lb.get(i);
        }
        return "one file is a prefix of the other";
    }
}

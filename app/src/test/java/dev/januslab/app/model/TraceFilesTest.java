package dev.januslab.app.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceBuilder;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.TraceFileException;
import dev.januslab.scheduler.trace.TraceFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save Trace / Open .jtrace as the app uses them (TraceFiles), including the errors the dialog shows. */
class TraceFilesTest {
    @Test
    void aWrittenTraceReadsBackEventForEvent(@TempDir Path dir) throws Exception {
        Trace rec = SampleTraces.cancelWave();
        for (String name : new String[] {"t.jtrace", "t.jtrace.gz"}) {
            Path f = dir.resolve(name);
            TraceFiles.write(rec, f);
            Trace back = TraceFiles.read(f);
            assertEquals(rec.size(), back.size());
            assertEquals(rec.header().program().source(), back.header().program().source());
            for (long i = 0; i < rec.size(); i++) assertEquals(rec.get(i), back.get(i));
            assertEquals(rec.stateAt(rec.size() - 1), back.stateAt(back.size() - 1));
        }
    }

    @Test
    void aBrokenLineIsReportedWithFileAndLine() throws Exception {
        String text = header()
                + "{\"seq\":0,\"t\":0,\"w\":-1,\"k\":\"run_start\",\"workers\":1,\"mode\":\"deterministic\",\"seed\":0}\n"
                + "{\"seq\":1,\"t\":0,\"w\":0,\"k\":\"task_run\",\"task\":0\n";
        var ex = assertThrows(TraceFileException.class, () -> read(text));
        assertEquals("x.jtrace", ex.file());
        assertEquals(3, ex.line());
        assertTrue(ex.getMessage().startsWith("x.jtrace:3: "), ex.getMessage());
    }

    @Test
    void aNewerVersionOrAForeignFileIsRefusedClearly() {
        var newer = assertThrows(TraceFileException.class, () -> read("{\"format\":\"janus-trace\",\"version\":99}\n"));
        assertTrue(newer.getMessage().contains("newer than this Janus Lab reads"), newer.getMessage());
        var foreign = assertThrows(TraceFileException.class, () -> read("{\"traceEvents\":[]}\n"));
        assertTrue(foreign.getMessage().startsWith("x.jtrace:1: not a Janus trace"), foreign.getMessage());
    }

    @Test
    void unknownKindsAreKeptButChangeNothing() throws Exception {
        Trace rec = read(header()
                + "{\"seq\":0,\"t\":0,\"w\":-1,\"k\":\"run_start\",\"workers\":2,\"mode\":\"deterministic\",\"seed\":0}\n"
                + "{\"seq\":1,\"t\":5,\"w\":0,\"k\":\"gc_pause\",\"ms\":3}\n");
        assertEquals(2, rec.size());
        assertTrue(rec.get(1) instanceof TraceEvent.Unknown);
        assertEquals(2, rec.stateAt(1).workerCount());
        assertEquals(rec.stateAt(0).worker(1), rec.stateAt(1).worker(1));
    }

    /** A valid header line, as TraceFiles writes it. */
    static String header() throws Exception {
        String all = new String(bytes(new TraceBuilder().build()), StandardCharsets.UTF_8);
        return all.substring(0, all.indexOf('\n') + 1);
    }

    private static Trace read(String text) throws Exception {
        return TraceFiles.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x.jtrace");
    }

    static byte[] bytes(Trace rec) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceFiles.write(rec, out);
        return out.toByteArray();
    }

    public static Path writeTemp(Trace rec, Path dir) throws Exception {
        Path f = dir.resolve("sample.jtrace");
        Files.write(f, bytes(rec));
        return f;
    }
}

package dev.januslab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.Main;
import dev.januslab.scheduler.trace.SampleTraces;
import dev.januslab.scheduler.trace.TraceFiles;
import dev.januslab.app.ui.Pictures;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
    @Test
    void rendersTheWindowAtAMomentToAPng(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("cancel.jtrace");
        var rec = SampleTraces.cancelWave();
        TraceFiles.write(rec, trace);
        Path out = Path.of("target", "screenshots", "render-cancellation.png");
        long seq = 0;
        while (!rec.get(seq).kind().equals("cancel_request")) seq++;
        seq += 3;
        int rc = Main.commandLine().execute("render", trace.toString(), "--seq", String.valueOf(seq), "--out", out.toString());
        assertEquals(0, rc);
        var img = SwingFXUtils.toFXImage(ImageIO.read(out.toFile()), null);
        assertEquals(1600, (int) img.getWidth());
        assertTrue(Pictures.distinctColours(img, 7) > 30, "not blank");
    }

    @Test
    void aBrokenTraceIsABadUsageWithAMessage(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("broken.jtrace");
        Files.writeString(trace, "{\"format\":\"janus-trace\",\"version\":1}\n{oops\n");
        int rc = Main.commandLine().execute("render", trace.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(JanusLabCommand.EXIT_USAGE, rc);
    }
}

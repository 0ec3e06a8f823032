package dev.januslab.app.cli;

import dev.januslab.app.ui.Headless;
import dev.januslab.app.ui.MainWindow;
import dev.januslab.app.ui.Pictures;
import dev.januslab.app.ui.UserFiles;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceFileException;
import dev.januslab.scheduler.trace.TraceFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code janus-lab render TRACE.jtrace --seq N --out view.png}: the whole window at one moment, headless. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render the app's window at one moment of a trace to a PNG, with no display.")
public final class RenderCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TRACE", description = "A .jtrace or .jtrace.gz file.")
    Path trace;

    @Option(names = "--seq", description = "The event to show (default: the last).")
    Long seq;

    @Option(names = "--out", required = true, description = "The PNG to write.")
    Path out;

    @Option(names = "--width", defaultValue = "1600") int width;
    @Option(names = "--height", defaultValue = "1000") int height;
    @Option(names = "--dark", description = "Use the dark theme.") boolean dark;
    @Option(names = "--select", description = "Task id to select (its line is highlighted).") Integer select;
    @Option(names = "--font-size", defaultValue = "15") double fontSize;

    @Override
    public Integer call() throws Exception {
        Trace rec;
        try {
            rec = TraceFiles.read(trace);
        } catch (TraceFileException e) {
            System.err.println("janus-lab: " + e.getMessage());
            return JanusLabCommand.EXIT_USAGE;
        }
        Headless.start();
        WritableImage img = Headless.call(() -> {
            MainWindow w = new MainWindow(UserFiles.none());
            Scene scene = w.createScene(width, height);
            w.setDark(dark);
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            w.showRecording(rec, trace.getFileName().toString());
            w.model.fontSize.set(fontSize);
            w.model.cursor.set(seq == null ? rec.size() - 1 : Math.min(seq, rec.size() - 1));
            if (select != null) w.model.select(select);
            return w;
        }).thenSettle(w -> {
            w.loop.renderNow();
            w.root().applyCss();
            w.root().layout();
            w.loop.renderNow();
            return w.root().getScene().snapshot(null);
        });
        Pictures.writePng(img, out);
        System.out.println("wrote " + out + " (" + (int) img.getWidth() + "x" + (int) img.getHeight() + ")");
        Headless.exit();
        return JanusLabCommand.EXIT_OK;
    }
}

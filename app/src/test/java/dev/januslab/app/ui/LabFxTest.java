package dev.januslab.app.ui;

import dev.januslab.scheduler.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** Opens a real {@link MainWindow} (headless on Monocle) for each test; helpers drive it on the FX thread. */
@ExtendWith(ApplicationExtension.class)
abstract class LabFxTest extends FxRobot {
    protected MainWindow window;
    protected Stage stage;

    /** Each test class calls this from its own {@code @Start} (TestFX looks only at declared methods). */
    protected void open(Stage stage) throws Exception {
        this.stage = stage;
        Path home = Files.createTempDirectory("janus-lab-test");
        window = new MainWindow(new UserFiles(home));
        stage.setScene(window.createScene(1500, 950));
        window.attach(stage);
        window.openInitial(null);
        stage.show();
        window.loop.start();
        window.lanes.requestFocus();
    }

    /**
     * Every test starts from a window that has been laid out: TestFX runs the test as soon
     * as {@code @Start} returns, before the window's first pulses have applied its CSS, and
     * a test that reads where something is then saw the timeline 16 px higher than where a
     * click lands a moment later (the first test of a class, now and then, in CI).
     */
    @BeforeEach
    void settleTheWindow() {
        WaitForAsyncUtils.waitForFxEvents(4);
        fxRun(() -> {
            window.root().applyCss();
            window.root().layout();
        });
    }

    protected <T> T fx(Callable<T> work) {
        try {
            return WaitForAsyncUtils.asyncFx(work).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected void fxRun(Runnable work) {
        fx(() -> {
            work.run();
            return null;
        });
    }

    /** Shows a recording and moves the cursor; renders synchronously (no waiting on pulses). */
    protected void showAt(Trace rec, long seq) {
        fxRun(() -> {
            if (window.model.recording.get() != rec) window.showRecording(rec, "test");
            window.model.seek(seq);
            window.loop.renderNow();
            // as a pulse would: a recording shown may change a label's lines (and so where
            // the views are), and a test that clicks must click where they will be
            window.root().applyCss();
            window.root().layout();
            window.loop.renderNow();
        });
    }

    protected void seek(long seq) {
        fxRun(() -> {
            window.model.seek(seq);
            window.loop.renderNow();
        });
    }

    protected <T extends Node> T find(String query) {
        return fx(() -> {
            @SuppressWarnings("unchecked")
            T n = (T) window.root().lookup(query);
            return n;
        });
    }

    /** Waits (up to 5 s) for a node that the next frame draws (after its layout pass), and returns it. */
    protected <T extends Node> T findOnTheNextFrame(String query) {
        try {
            WaitForAsyncUtils.waitFor(5, java.util.concurrent.TimeUnit.SECONDS, () -> find(query) != null);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
        return find(query);
    }

    /** Saves the window as target/screenshots/NAME.png and returns it. */
    protected WritableImage screenshot(String name) {
        WritableImage img = fx(() -> {
            window.loop.renderNow();
            return window.root().getScene().snapshot(null);
        });
        try {
            Pictures.writePng(img, Path.of("target", "screenshots", name + ".png"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return img;
    }
}

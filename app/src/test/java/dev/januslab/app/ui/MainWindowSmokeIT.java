package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.januslab.app.session.NativeRunSession;
import dev.januslab.app.session.RunSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Button;
import javafx.scene.image.WritableImage;
import javafx.scene.robot.Robot;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A real window on a real display (Xvfb + GTK 3 in .ci/run): launch the app on the first
 * lesson, press Run, take screenshots of the screen and of the scene, and check that the
 * window is not blank and its title and controls are there. Run executes lesson 6's program
 * (cancellation) on the native scheduler. Skipped when there is no display, except in CI.
 */
@ExtendWith(ApplicationExtension.class)
class MainWindowSmokeIT extends FxRobot {
    private MainWindow window;
    private Stage stage;

    @BeforeAll
    static void needsADisplay() {
        boolean display = System.getenv("DISPLAY") != null && !System.getenv("DISPLAY").isBlank();
        // CI always provides Xvfb (.ci/run): there a missing display is a broken setup, not
        // a reason to skip. On a developer's headless machine the test is reported skipped.
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(display, "CI must run this test under a display (.ci/run starts Xvfb)");
        }
        assumeTrue(display, "no DISPLAY: skipped (run .ci/run, or set DISPLAY, to include it)");
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        window = new MainWindow(new UserFiles(Files.createTempDirectory("janus-smoke")));
        stage.setScene(window.createScene(1440, 900));
        window.attach(stage);
        window.openInitial(null);
        stage.setX(0);
        stage.setY(0);
        window.loop.start();
        stage.show();
        window.lanes.requestFocus();
    }

    @Test
    void aRealRunOfLessonSixInARealWindow() throws Exception {
        assertTrue(stage.getTitle().startsWith("Janus Lab"), stage.getTitle());
        for (String id : new String[] {"#run", "#pause", "#step", "#stop", "#workers", "#mode", "#seed", "#quantum"}) {
            assertNotNull(lookup(id).tryQuery().orElse(null), id);
        }
        assertEquals("▶ Run", lookup("#run").queryAs(Button.class).getText());
        Lessons.Program lesson = Lessons.byId("06-cancellation");
        assertNotNull(lesson, "lesson 6 is on the classpath");
        interact(() -> window.loadProgram(lesson.source(), null, lesson.fileName()));
        WaitForAsyncUtils.sleep(800, TimeUnit.MILLISECONDS); // the checker looks at the program
        assertTrue(window.editor.diagnostics().isEmpty(), String.valueOf(window.editor.diagnostics()));
        clickOn("#run");
        assertTrue(window.model.session.get() instanceof NativeRunSession, "a real run");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.model.session.get() != null
                && window.model.session.get().status() == RunSession.Status.FINISHED
                && window.model.cursor.get() == window.model.recording.get().size() - 1);
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
        WritableImage scene = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get();
        WritableImage screen = WaitForAsyncUtils.asyncFx(() -> new Robot().getScreenCapture(null,
                new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()))).get();
        Pictures.writePng(scene, Path.of("target", "screenshots", "smoke-scene.png"));
        Pictures.writePng(screen, Path.of("target", "screenshots", "smoke-screen.png"));
        assertTrue(Pictures.distinctColours(scene, 5) > 40, "the scene is not blank");
        assertTrue(Pictures.distinctColours(screen, 5) > 40, "the screen shows the window");
        assertTrue(window.console.lines().stream().anyMatch(l -> l.text().equals("sleepy ended with Runtime.Cancelled")),
                String.valueOf(window.console.lines()));
        assertTrue(window.model.recording.get().stateAt(window.model.cursor.get()).tasks().stream()
                .anyMatch(t -> t.cancelRequested()), "the run cancelled tasks");
        // the moment of the cancellation wave, as a student would step to it
        long req = 0;
        var rec = window.model.recording.get();
        while (req < rec.size() && !rec.get(req).kind().equals("cancel_request")) req++;
        assertTrue(req < rec.size(), "the run recorded cancel_request");
        long at = Math.min(rec.size() - 1, req + 6);
        interact(() -> {
            window.model.seek(at);
            window.loop.renderNow();
        });
        WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
        WritableImage cancel = WaitForAsyncUtils.asyncFx(() -> new Robot().getScreenCapture(null,
                new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()))).get();
        Pictures.writePng(cancel, Path.of("target", "screenshots", "smoke-lesson6-cancel.png"));
    }
}

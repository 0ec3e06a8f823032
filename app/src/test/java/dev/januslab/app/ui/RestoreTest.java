package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The window restores the autosave of a session that was killed before saving. */
@ExtendWith(ApplicationExtension.class)
class RestoreTest extends FxRobot {
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        Path home = Files.createTempDirectory("janus-restore");
        UserFiles before = new UserFiles(home);
        before.autosave("async func main() do\n    println(\"unsaved\")\nend\n", null, true);
        before.flush();
        window = new MainWindow(new UserFiles(home));
        stage.setScene(window.createScene(1200, 800));
        window.attach(stage);
        window.openInitial(null);
        stage.show();
    }

    @Test
    void unsavedEditsComeBack() {
        assertTrue(window.editor.text().contains("println(\"unsaved\")"));
        assertTrue(((Label) window.root().lookup("#demo-banner")).getText().startsWith("Restored your unsaved work"));
        assertEquals(true, window.unsaved());
    }
}

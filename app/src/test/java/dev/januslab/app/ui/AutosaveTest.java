package dev.januslab.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutosaveTest {
    @Test
    void unsavedWorkSurvivesAKillAndSettingsPersist(@TempDir Path home) throws Exception {
        UserFiles files = new UserFiles(home);
        Path prog = home.resolve("p.jan");
        Files.writeString(prog, "old");
        files.autosave("new text", prog, true);
        files.put("dark", "true");
        files.addRecent(prog);
        files.flush();
        // a fresh process (after a kill) sees everything
        UserFiles again = new UserFiles(home);
        var a = again.loadAutosave().orElseThrow();
        assertEquals("new text", a.text());
        assertEquals(prog.toAbsolutePath(), a.file());
        assertTrue(a.unsaved());
        assertEquals("true", again.get("dark", "false"));
        assertEquals(prog.toAbsolutePath(), again.recent().get(0));
        assertFalse(Files.exists(home.resolve("autosave.jan.tmp")), "writes are atomic");
    }
}

package dev.januslab.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.app.Main;
import dev.januslab.lessons.LessonCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `janus-lab lessons` (DESIGN.md §6) and what the bare command says when it cannot open the app. */
class LessonsCommandTest {
    private static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int rc = Main.commandLine().execute(args);
            return new String[] {String.valueOf(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void listsEveryLessonInOrderWithItsPinnedRunFlags() {
        String[] r = run("lessons");
        assertEquals("0", r[0], r[2]);
        var lessons = LessonCatalog.fromClasspath().lessons();
        String[] lines = r[1].strip().split("\n");
        assertEquals(lessons.size(), lines.length, r[1]);
        assertTrue(lessons.size() >= 12);
        for (int i = 0; i < lessons.size(); i++) {
            assertTrue(lines[i].startsWith(lessons.get(i).id()), lines[i]);
            assertTrue(lines[i].contains("--workers " + lessons.get(i).config().workers()), lines[i]);
        }
    }

    @Test
    void printsOneLessonsProgramByIdOrNumber() {
        var l4 = LessonCatalog.fromClasspath().find("04-work-stealing").orElseThrow();
        assertEquals(l4.program(), run("lessons", "4")[1]);
        assertEquals(l4.program(), run("lessons", "04-work-stealing")[1]);
        String[] missing = run("lessons", "99");
        assertEquals(String.valueOf(JanusLabCommand.EXIT_USAGE), missing[0]);
        assertTrue(missing[2].contains("no lesson 99"), missing[2]);
    }

    @Test
    void aFolderIsNotAFileToOpen(@TempDir Path dir) {
        String[] r = run(dir.toString());
        assertEquals(String.valueOf(JanusLabCommand.EXIT_USAGE), r[0]);
        assertTrue(r[2].contains("it is a folder"), r[2]);
    }

    @Test
    void withoutADisplayTheAppSaysSoInsteadOfAStackTrace() {
        boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
        String why = JanusLabCommand.missingDisplay(Map.of(), null);
        if (linux) {
            assertNotNull(why);
            assertTrue(why.contains("DISPLAY") && why.contains("janus-lab run"), why);
        }
        assertNull(JanusLabCommand.missingDisplay(Map.of("DISPLAY", ":0"), null));
        assertNull(JanusLabCommand.missingDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), null));
        assertNull(JanusLabCommand.missingDisplay(Map.of(), "Monocle"), "headless Monocle needs no display");
    }
}

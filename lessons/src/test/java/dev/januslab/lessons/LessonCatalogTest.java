package dev.januslab.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.scheduler.trace.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonCatalogTest {
    static final String GOOD_JSON = """
            {
              "id": "%s",
              "title": "A lesson",
              "config": { "workers": 2, "mode": "deterministic", "seed": 7, "quantum": 1000 },
              "steps": [ { "at": { "k": "task_steal" }, "say": "A steal." } ],
              "questions": [ { "ask": "Who steals?", "choices": ["W0", "W1"],
                               "answer": { "of": { "k": "task_steal" }, "field": "w", "format": "W{}" } } ],
              "goal": { "text": "Be quick.", "check": { "kind": "before", "event": { "k": "run_end" }, "ms": 150 } }
            }
            """;

    @TempDir
    Path dir;

    private void lesson(String id, String json) throws IOException {
        Path d = Files.createDirectories(dir.resolve(id));
        Files.writeString(d.resolve("lesson.md"), "# " + id + "\n");
        Files.writeString(d.resolve("program.jan"), "async func main() do end\n");
        Files.writeString(d.resolve("solution.jan"), "async func main() do end\n");
        Files.writeString(d.resolve("lesson.json"), json);
    }

    private String problem(LessonCatalog c) {
        assertEquals(1, c.problems().size(), () -> c.problems().toString());
        return c.problems().get(0).getMessage();
    }

    @Test
    void readsAWellFormedLesson() throws IOException {
        lesson("02-second", GOOD_JSON.formatted("02-second"));
        lesson("01-first", GOOD_JSON.formatted("01-first"));
        Files.createDirectories(dir.resolve("src"));   // not a lesson: ignored
        LessonCatalog c = LessonCatalog.fromDirectory(dir);
        assertEquals(List.of(), c.problems());
        assertEquals(List.of("01-first", "02-second"), c.lessons().stream().map(Lesson::id).toList());
        Lesson l = c.lessons().get(0);
        assertEquals("A lesson", l.title());
        assertEquals("# 01-first\n", l.markdown());
        assertEquals(new LessonConfig(2, Wire.Mode.DETERMINISTIC, 7, 1000), l.config());
        assertEquals(7, l.config().runConfig().seed());
        assertEquals(1, l.steps().size());
        assertEquals("A steal.", l.steps().get(0).say());
        assertEquals(List.of("W0", "W1"), l.questions().get(0).choices());
        assertEquals("Be quick.", l.goal().text());
        assertEquals("02-second", c.after("01-first").orElseThrow().id());
    }

    @Test
    void malformedJsonNamesTheFileLineAndColumn() throws IOException {
        lesson("01-first", "{\n  \"id\": \"01-first\",\n  \"title\": oops\n}");
        String m = problem(LessonCatalog.fromDirectory(dir));
        String name = dir.getFileName() + "/01-first/lesson.json:3:";
        assertTrue(m.startsWith(name) && m.contains("malformed JSON"), m);
    }

    @Test
    void aBadFieldNamesTheFileAndJsonPath() throws IOException {
        lesson("01-first", GOOD_JSON.formatted("01-first").replace("\"task_steal\" }, \"say\"", "\"task_stael\" }, \"say\""));
        String m = problem(LessonCatalog.fromDirectory(dir));
        assertTrue(m.startsWith(dir.getFileName() + "/01-first/lesson.json: $.steps[0].at.k: unknown event kind \"task_stael\""), m);
    }

    @Test
    void otherMistakes() throws IOException {
        lesson("01-first", GOOD_JSON.formatted("01-other"));
        assertTrue(problem(LessonCatalog.fromDirectory(dir)).contains("$.id: is \"01-other\" but the folder is 01-first"));

        lesson("01-first", GOOD_JSON.formatted("01-first").replace("\"deterministic\"", "\"fast\""));
        assertTrue(problem(LessonCatalog.fromDirectory(dir)).contains("$.config.mode: must be \"deterministic\" or \"live\""));

        lesson("01-first", GOOD_JSON.formatted("01-first").replace("\"title\"", "\"titel\""));
        assertTrue(problem(LessonCatalog.fromDirectory(dir)).contains("$.titel: unknown field"));

        lesson("01-first", GOOD_JSON.formatted("01-first").replace("\"ms\": 150", "\"ms\": 0"));
        assertTrue(problem(LessonCatalog.fromDirectory(dir)).contains("$.goal.check.ms: must be more than 0"));

        lesson("01-first", GOOD_JSON.formatted("01-first").replace("\"steps\": [ {", "\"steps\": [ ], \"x\": [ {"));
        assertTrue(problem(LessonCatalog.fromDirectory(dir)).contains("lesson.json: $.x: unknown field"));
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        lesson("01-first", GOOD_JSON.formatted("01-first"));
        Files.delete(dir.resolve("01-first/solution.jan"));
        String m = problem(LessonCatalog.fromDirectory(dir));
        assertTrue(m.startsWith(dir.getFileName() + "/01-first/solution.jan: missing"), m);
    }

    @Test
    void oneBrokenLessonDoesNotHideTheOthers() throws IOException {
        lesson("01-first", GOOD_JSON.formatted("01-first"));
        lesson("02-second", "[]");
        lesson("03-Third", GOOD_JSON.formatted("03-Third"));
        lesson("04-fourth", GOOD_JSON.formatted("04-fourth"));
        lesson("04-again", GOOD_JSON.formatted("04-again"));
        LessonCatalog c = LessonCatalog.fromDirectory(dir);
        assertEquals(List.of("01-first", "04-again"), c.lessons().stream().map(Lesson::id).toList());
        List<String> problems = c.problems().stream().map(Throwable::getMessage).toList();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("02-second/lesson.json: $: must be an object"), problems.get(0));
        assertTrue(problems.get(1).contains("03-Third/: a lesson folder is named NN-slug"), problems.get(1));
        assertTrue(problems.get(2).contains("04-fourth/: has the same number as 04-again"), problems.get(2));
    }

    @Test
    void readsLessonsFromAJarOnTheClasspath() throws IOException {
        Path jar = dir.resolve("lessons.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("lessons/", "lessons/01-first/")) out.putNextEntry(new java.util.jar.JarEntry(name));
            for (String[] f : new String[][] {{"lesson.md", "# One\n"}, {"program.jan", "async func main() do end\n"},
                    {"solution.jan", "async func main() do end\n"}, {"lesson.json", GOOD_JSON.formatted("01-first")}}) {
                out.putNextEntry(new java.util.jar.JarEntry("lessons/01-first/" + f[0]));
                out.write(f[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            LessonCatalog c = LessonCatalog.fromClasspath(loader);
            assertEquals(List.of(), c.problems());
            assertEquals(List.of("01-first"), c.lessons().stream().map(Lesson::id).toList());
            assertEquals("# One\n", c.lessons().get(0).markdown());
        }
    }

    @Test
    void theClasspathHoldsTheCourse() {
        LessonCatalog c = LessonCatalog.fromClasspath();
        assertEquals(List.of(), c.problems());
        assertTrue(c.lessons().size() >= 12);
        assertEquals("01-why-async", c.lessons().get(0).id());
        assertTrue(c.lessons().get(0).program().contains("async func main"));
        assertEquals("04-work-stealing", c.find("04-work-stealing").orElseThrow().id());
    }
}

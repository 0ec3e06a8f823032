package dev.januslab.lessons;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One lesson, as its folder {@code NN-slug/} holds it (README.md): the text, the program it
 * opens with, the reference solution, the pinned schedule, the step script, the questions
 * and the goal.
 *
 * @param id       the folder name, which {@code lesson.json}'s {@code id} must repeat
 * @param markdown {@code lesson.md}
 * @param program  {@code program.jan}
 * @param solution {@code solution.jan}
 */
public record Lesson(String id, String title, String markdown, String program, String solution, LessonConfig config,
                     List<Step> steps, List<Question> questions, Goal goal) {

    /** A lesson folder's name: two digits, a dash, a slug. */
    public static final Pattern FOLDER = Pattern.compile("[0-9]{2}-[a-z0-9][a-z0-9-]*");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The lesson's number ({@code 4} for {@code 04-work-stealing}). */
    public int number() {
        return Integer.parseInt(id.substring(0, 2));
    }

    /** The file name {@code program.jan} runs under in diagnostics and traces ({@code 04-work-stealing/program.jan}). */
    public String programName() {
        return id + "/program.jan";
    }

    /** A script that locates this lesson's steps in {@code trace}. */
    public LessonScript script(dev.januslab.scheduler.trace.Trace trace) {
        return new LessonScript(steps, trace);
    }

    /**
     * Reads the lesson in folder {@code id}. {@code read} gives a file's text by its name
     * within the folder, or null if there is no such file; {@code prefix} is how files are
     * named in errors ({@code "lessons/"}).
     */
    public static Lesson read(String id, Function<String, String> read, String prefix) {
        String dir = prefix + id + "/";
        if (!FOLDER.matcher(id).matches()) {
            throw new LessonException(dir, null, "a lesson folder is named NN-slug (two digits, a dash, lower-case words)");
        }
        String markdown = required(read, dir, "lesson.md");
        String program = required(read, dir, "program.jan");
        String solution = required(read, dir, "solution.jan");
        String jsonFile = dir + "lesson.json";
        String text = required(read, dir, "lesson.json");
        return parse(id, jsonFile, text, markdown, program, solution);
    }

    /** Parses {@code lesson.json} ({@code file} names it in errors) with the folder's other files. */
    static Lesson parse(String id, String file, String json, String markdown, String program, String solution) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new LessonException(file + where, "malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) throw new LessonException(file, "$", "the file is empty");
        Json j = new Json(file, "$", root);
        j.onlyFields(Set.of("id", "title", "config", "steps", "questions", "goal"));
        String declared = j.get("id").string();
        if (!declared.equals(id)) throw j.get("id").error("is \"" + declared + "\" but the folder is " + id + "; they must be equal");
        String title = j.get("title").nonEmptyString();
        LessonConfig config = LessonConfig.parse(j.get("config"));
        Json ss = j.get("steps");
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < ss.size(); i++) steps.add(Step.parse(ss.at(i)));
        if (steps.isEmpty()) throw ss.error("a lesson needs at least one step");
        Json qs = j.get("questions");
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < qs.size(); i++) questions.add(Question.parse(qs.at(i)));
        if (questions.isEmpty()) throw qs.error("a lesson needs at least one question");
        Goal goal = Goal.parse(j.get("goal"));
        return new Lesson(id, title, markdown, program, solution, config, List.copyOf(steps), List.copyOf(questions), goal);
    }

    private static String required(Function<String, String> read, String dir, String name) {
        String s = read.apply(name);
        if (s == null) throw new LessonException(dir + name, null, "missing: every lesson folder holds lesson.md, program.jan, lesson.json and solution.jan");
        return s;
    }
}

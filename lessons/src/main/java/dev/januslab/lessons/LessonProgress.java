package dev.januslab.lessons;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a student has done in each lesson — steps seen, questions answered (and whether
 * right), goal met — kept between launches in {@code progress.json} under a directory the
 * caller chooses (the app: {@code ~/.janus-lab/}).
 *
 * <pre>{"format":"janus-lab-progress","version":1,"lessons":{"04-work-stealing":
 *   {"steps_seen":[0,1],"answers":{"0":{"answer":"leaf#1","correct":true}},"goal_met":false}}}</pre>
 *
 * A missing file is a fresh start. A file that cannot be read is kept aside as
 * {@code progress.json.broken} (so nothing is lost silently), {@link #loadProblem()} says
 * why, and progress starts fresh. Saving writes a temporary file and moves it over the old
 * one, so a crash mid-save never leaves half a file. Thread-safe.
 */
public final class LessonProgress {
    public static final String FILE = "progress.json";
    private static final String FORMAT = "janus-lab-progress";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A recorded answer to a question. */
    public record Answered(String answer, boolean correct) {}

    private static final class Entry {
        final SortedSet<Integer> stepsSeen = new TreeSet<>();
        final Map<Integer, Answered> answers = new TreeMap<>();
        boolean goalMet;
    }

    private final Path dir;
    private final Map<String, Entry> lessons = new TreeMap<>();
    private String loadProblem;

    private LessonProgress(Path dir) {
        this.dir = dir;
    }

    /** Reads {@code dir/progress.json}, or starts fresh if there is none (or it is broken). */
    public static LessonProgress load(Path dir) {
        LessonProgress p = new LessonProgress(dir);
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return p;
        try {
            p.read(JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            p.lessons.clear();
            p.loadProblem = file + " could not be read (" + e.getMessage().lines().findFirst().orElse("") + "); progress starts fresh";
            try {
                Files.copy(file, dir.resolve(FILE + ".broken"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                p.loadProblem += " and the old file could not be kept aside";
            }
        }
        return p;
    }

    /** Why the saved progress was not read, or null. */
    public synchronized String loadProblem() {
        return loadProblem;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    public synchronized void markStepSeen(String lesson, int step) {
        entry(lesson).stepsSeen.add(step);
    }

    public synchronized SortedSet<Integer> stepsSeen(String lesson) {
        Entry e = lessons.get(lesson);
        return e == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(e.stepsSeen));
    }

    /** Records the student's answer to question {@code question} (a later answer replaces it). */
    public synchronized void recordAnswer(String lesson, int question, String answer, boolean correct) {
        entry(lesson).answers.put(question, new Answered(answer, correct));
    }

    public synchronized Optional<Answered> answer(String lesson, int question) {
        Entry e = lessons.get(lesson);
        return e == null ? Optional.empty() : Optional.ofNullable(e.answers.get(question));
    }

    public synchronized void markGoalMet(String lesson) {
        entry(lesson).goalMet = true;
    }

    public synchronized boolean goalMet(String lesson) {
        Entry e = lessons.get(lesson);
        return e != null && e.goalMet;
    }

    /** Every step seen, every question answered and the goal met. */
    public synchronized boolean complete(Lesson lesson) {
        Entry e = lessons.get(lesson.id());
        if (e == null || !e.goalMet) return false;
        for (int i = 0; i < lesson.steps().size(); i++) if (!e.stepsSeen.contains(i)) return false;
        for (int i = 0; i < lesson.questions().size(); i++) if (!e.answers.containsKey(i)) return false;
        return true;
    }

    /** Forgets one lesson's progress. */
    public synchronized void reset(String lesson) {
        lessons.remove(lesson);
    }

    /** Writes the progress to {@link #file()}, creating the directory if needed. */
    public synchronized void save() throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, FILE, ".tmp");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(toJson()) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Entry entry(String lesson) {
        return lessons.computeIfAbsent(lesson, k -> new Entry());
    }

    private ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode ls = root.putObject("lessons");
        for (Map.Entry<String, Entry> l : lessons.entrySet()) {
            ObjectNode o = ls.putObject(l.getKey());
            ArrayNode seen = o.putArray("steps_seen");
            l.getValue().stepsSeen.forEach(seen::add);
            ObjectNode as = o.putObject("answers");
            for (Map.Entry<Integer, Answered> a : l.getValue().answers.entrySet()) {
                ObjectNode x = as.putObject(Integer.toString(a.getKey()));
                x.put("answer", a.getValue().answer());
                x.put("correct", a.getValue().correct());
            }
            o.put("goal_met", l.getValue().goalMet);
        }
        return root;
    }

    private void read(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("not a JSON object");
        if (!FORMAT.equals(root.path("format").asText())) throw new IllegalArgumentException("not a progress file");
        if (root.path("version").asInt(0) > VERSION) {
            throw new IllegalArgumentException("written by a newer Janus Lab (version " + root.path("version").asInt() + ")");
        }
        Iterator<Map.Entry<String, JsonNode>> it = root.path("lessons").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> l = it.next();
            Entry e = entry(l.getKey());
            for (JsonNode s : l.getValue().path("steps_seen")) {
                if (!s.canConvertToInt() || s.asInt() < 0) throw new IllegalArgumentException("bad step index " + s);
                e.stepsSeen.add(s.asInt());
            }
            Iterator<Map.Entry<String, JsonNode>> as = l.getValue().path("answers").fields();
            while (as.hasNext()) {
                Map.Entry<String, JsonNode> a = as.next();
                e.answers.put(Integer.parseInt(a.getKey()),
                        new Answered(a.getValue().path("answer").asText(), a.getValue().path("correct").asBoolean()));
            }
            e.goalMet = l.getValue().path("goal_met").asBoolean(false);
        }
    }
}

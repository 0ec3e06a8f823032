package dev.januslab.app.ui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lessons' programs ({@code lessons/NN-slug/program.jan} on the classpath, from the
 * janus-lessons jar) for the Demos menu and the first start: real programs, run on the
 * native scheduler like any other.
 */
public final class Lessons {
    private Lessons() {}

    /** One lesson's program: {@code 06-cancellation}, its title and source. */
    public record Program(String id, String title, String source) {
        public String fileName() {
            return id + ".jan";
        }
    }

    static final String[] IDS = {
        "01-why-async", "02-first-async-function", "03-parallel", "04-work-stealing", "05-structured-concurrency",
        "06-cancellation", "07-errors-cancel-siblings", "08-nested-nurseries", "09-patterns", "10-budgets",
        "11-shared-state", "12-capstone",
    };

    private static volatile List<Program> programs;

    public static List<Program> programs() {
        List<Program> p = programs;
        if (p == null) {
            List<Program> out = new ArrayList<>();
            for (String id : IDS) {
                String src = read("/lessons/" + id + "/program.jan");
                if (src != null) out.add(new Program(id, title(id), src));
            }
            programs = p = List.copyOf(out);
        }
        return p;
    }

    public static Program byId(String id) {
        for (Program p : programs()) if (p.id().equals(id)) return p;
        return null;
    }

    static String title(String id) {
        String words = id.substring(3).replace('-', ' ');
        return id.substring(0, 2) + " · " + Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String read(String resource) {
        try (InputStream in = Lessons.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}

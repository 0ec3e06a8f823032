package dev.januslab.app.ui;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What the app keeps in the user's config dir ({@code ~/.janus-lab}, or {@code -Djanuslab.home}):
 * settings (theme, font size, recent files) and the editor autosave. Writes go through one
 * background thread and replace files atomically, so a crash or kill never leaves half a file
 * and the FX thread never waits on the disk.
 */
public final class UserFiles {
    public static final int MAX_RECENT = 8;
    private final Path dir;
    private final Properties settings = new Properties();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "janus-autosave");
        t.setDaemon(true);
        return t;
    });

    /** An autosaved editor: its text, the file it belongs to (may be null), and whether it differs from it. */
    public record Autosave(String text, Path file, boolean unsaved, long savedAtMillis) {}

    public UserFiles(Path dir) {
        this.dir = dir;
        Path p = dir == null ? null : dir.resolve("settings.properties");
        if (p != null && Files.isReadable(p)) {
            try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                settings.load(r);
            } catch (IOException ignored) {
                // a broken settings file only loses preferences
            }
        }
    }

    /** Keeps nothing on disk (the `render` command must not touch the user's settings). */
    public static UserFiles none() {
        return new UserFiles(null);
    }

    public static UserFiles standard() {
        String home = System.getProperty("januslab.home");
        return new UserFiles(home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".janus-lab"));
    }

    public Path dir() {
        return dir;
    }

    public String get(String key, String dflt) {
        return settings.getProperty(key, dflt);
    }

    public void put(String key, String value) {
        settings.setProperty(key, value);
        Properties copy = (Properties) settings.clone();
        writer.submit(() -> writeAtomically("settings.properties", w -> copy.store(w, "Janus Lab settings")));
    }

    public List<Path> recent() {
        List<Path> out = new ArrayList<>();
        for (String s : get("recent", "").split("\n")) if (!s.isBlank()) out.add(Path.of(s));
        return out;
    }

    public void addRecent(Path file) {
        List<Path> r = recent();
        r.remove(file.toAbsolutePath());
        r.add(0, file.toAbsolutePath());
        while (r.size() > MAX_RECENT) r.remove(r.size() - 1);
        StringBuilder b = new StringBuilder();
        for (Path p : r) b.append(p).append('\n');
        put("recent", b.toString());
    }

    /** Saves the editor text in the background (called after each pause in typing). */
    public void autosave(String text, Path file, boolean unsaved) {
        Properties meta = new Properties();
        meta.setProperty("file", file == null ? "" : file.toAbsolutePath().toString());
        meta.setProperty("unsaved", String.valueOf(unsaved));
        meta.setProperty("savedAt", String.valueOf(System.currentTimeMillis()));
        writer.submit(() -> {
            writeAtomically("autosave.jan", w -> w.write(text));
            writeAtomically("autosave.properties", w -> meta.store(w, "editor autosave"));
        });
    }

    public Optional<Autosave> loadAutosave() {
        if (dir == null) return Optional.empty();
        Path text = dir.resolve("autosave.jan"), meta = dir.resolve("autosave.properties");
        if (!Files.isReadable(text) || !Files.isReadable(meta)) return Optional.empty();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            Properties m = new Properties();
            m.load(r);
            String f = m.getProperty("file", "");
            return Optional.of(new Autosave(Files.readString(text, StandardCharsets.UTF_8),
                    f.isEmpty() ? null : Path.of(f), Boolean.parseBoolean(m.getProperty("unsaved")),
                    Long.parseLong(m.getProperty("savedAt", "0"))));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Waits (briefly) for pending writes; used on exit and by tests. */
    public void flush() {
        try {
            writer.submit(() -> { }).get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort on the way out
        }
    }

    private interface Body {
        void write(Writer w) throws IOException;
    }

    private void writeAtomically(String name, Body body) {
        if (dir == null) return;
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(name + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("janus-lab: could not write " + dir.resolve(name) + ": " + e.getMessage());
        }
    }
}

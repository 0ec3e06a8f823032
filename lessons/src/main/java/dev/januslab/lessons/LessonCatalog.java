package dev.januslab.lessons;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every lesson, in {@code NN} order: from the classpath ({@code /lessons/NN-slug/...}, as
 * the lessons jar packages them) or from a folder on disk (a teacher's working copy).
 *
 * <p>A folder whose name starts with two digits and a dash is a lesson. A lesson that
 * cannot be read does not stop the others: it is left out and its {@link LessonException}
 * (naming the file and JSON path) is in {@link #problems()}.
 */
public final class LessonCatalog {
    /** Where lessons live on the classpath. */
    public static final String RESOURCE_ROOT = "lessons/";

    private static final java.util.regex.Pattern CANDIDATE = java.util.regex.Pattern.compile("[0-9]{2}-.*");

    private final List<Lesson> lessons;
    private final List<LessonException> problems;

    private LessonCatalog(List<Lesson> lessons, List<LessonException> problems) {
        this.lessons = List.copyOf(lessons);
        this.problems = List.copyOf(problems);
    }

    /** The lessons on this class's classpath. */
    public static LessonCatalog fromClasspath() {
        return fromClasspath(LessonCatalog.class.getClassLoader());
    }

    public static LessonCatalog fromClasspath(ClassLoader loader) {
        TreeSet<String> folders = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(RESOURCE_ROOT);
            for (URL root : Collections.list(roots)) folders.addAll(foldersAt(root));
            // A jar without directory entries has no "lessons/" resource; its files are still there.
            if (folders.isEmpty()) folders.addAll(foldersInOwnJar());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lessons on the classpath", e);
        }
        return load(folders, id -> name -> resource(loader, RESOURCE_ROOT + id + "/" + name), RESOURCE_ROOT);
    }

    /** The lessons in {@code dir} (its {@code NN-slug} subfolders); files are named relative to it in errors. */
    public static LessonCatalog fromDirectory(Path dir) {
        TreeSet<String> folders = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> CANDIDATE.matcher(n).matches())
                    .forEach(folders::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lessons in " + dir, e);
        }
        String prefix = dir.getFileName() == null ? "" : dir.getFileName() + "/";
        return load(folders, id -> name -> {
            Path f = dir.resolve(id).resolve(name);
            try {
                return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new LessonException(prefix + id + "/" + name, "cannot be read: " + e.getMessage(), e);
            }
        }, prefix);
    }

    private static LessonCatalog load(TreeSet<String> folders, Function<String, Function<String, String>> files, String prefix) {
        List<Lesson> lessons = new ArrayList<>();
        List<LessonException> problems = new ArrayList<>();
        Map<Integer, String> byNumber = new HashMap<>();
        for (String id : folders) {
            try {
                Lesson l = Lesson.read(id, files.apply(id), prefix);
                String other = byNumber.putIfAbsent(l.number(), id);
                if (other != null) {
                    throw new LessonException(prefix + id + "/", null, "has the same number as " + other + "; lesson numbers must differ");
                }
                lessons.add(l);
            } catch (LessonException e) {
                problems.add(e);
            }
        }
        return new LessonCatalog(lessons, problems);
    }

    /** The lessons that could be read, in NN order. */
    public List<Lesson> lessons() {
        return lessons;
    }

    /** Why each lesson that could not be read was left out (empty when all are fine). */
    public List<LessonException> problems() {
        return problems;
    }

    public Optional<Lesson> find(String id) {
        return lessons.stream().filter(l -> l.id().equals(id)).findFirst();
    }

    /** The lesson after {@code id} in order, if any. */
    public Optional<Lesson> after(String id) {
        for (int i = 0; i + 1 < lessons.size(); i++) if (lessons.get(i).id().equals(id)) return Optional.of(lessons.get(i + 1));
        return Optional.empty();
    }

    /** The lesson folders under a classpath root: a directory or a jar. */
    private static List<String> foldersAt(URL root) throws IOException {
        List<String> out = new ArrayList<>();
        if ("file".equals(root.getProtocol())) {
            Path dir;
            try {
                dir = Path.of(root.toURI());
            } catch (URISyntaxException e) {
                throw new IOException("bad classpath URL " + root, e);
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> CANDIDATE.matcher(n).matches())
                        .forEach(out::add);
            }
        } else if ("jar".equals(root.getProtocol())) {
            URLConnection c = root.openConnection();
            c.setUseCaches(false);
            if (c instanceof JarURLConnection jc) {
                try (JarFile jar = jc.getJarFile()) {
                    out.addAll(foldersIn(jar));
                }
            }
        }
        return out;
    }

    /** The lesson folders in the jar this class was loaded from, if it was loaded from a jar. */
    private static List<String> foldersInOwnJar() throws IOException {
        java.security.CodeSource src = LessonCatalog.class.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null || !src.getLocation().getPath().endsWith(".jar")) return List.of();
        try (JarFile jar = new JarFile(Path.of(src.getLocation().toURI()).toFile())) {
            return foldersIn(jar);
        } catch (URISyntaxException e) {
            return List.of();
        }
    }

    private static List<String> foldersIn(JarFile jar) {
        List<String> out = new ArrayList<>();
        for (JarEntry e : Collections.list(jar.entries())) {
            String n = e.getName();
            if (!n.startsWith(RESOURCE_ROOT)) continue;
            String rest = n.substring(RESOURCE_ROOT.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) continue;
            String folder = rest.substring(0, slash);
            if (CANDIDATE.matcher(folder).matches() && !out.contains(folder)) out.add(folder);
        }
        return out;
    }

    private static String resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LessonException(name, "cannot be read: " + e.getMessage(), e);
        }
    }
}

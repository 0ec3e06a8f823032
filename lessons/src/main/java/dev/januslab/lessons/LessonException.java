package dev.januslab.lessons;

/**
 * A lesson that cannot be used: a missing file, malformed JSON, or a field of
 * {@code lesson.json} that is wrong. The message names the file and, when it is about a
 * field, its JSON path ({@code lessons/04-work-stealing/lesson.json: $.steps[1].at.k: ...}),
 * so a teacher knows what to fix without reading Java.
 */
public final class LessonException extends RuntimeException {
    private final String file;
    private final String path;

    public LessonException(String file, String path, String message) {
        super(file + (path == null ? "" : ": " + path) + ": " + message);
        this.file = file;
        this.path = path;
    }

    public LessonException(String file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
        this.path = null;
    }

    /** The file at fault, as the catalog names it ({@code lessons/04-work-stealing/lesson.json}). */
    public String file() {
        return file;
    }

    /** The JSON path of the bad field ({@code $.steps[1].at}), or null when the whole file is at fault. */
    public String jsonPath() {
        return path;
    }
}

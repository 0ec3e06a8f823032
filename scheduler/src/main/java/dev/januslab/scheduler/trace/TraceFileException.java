package dev.januslab.scheduler.trace;

import java.nio.file.Path;

/**
 * A trace file that cannot be loaded: the file, the 1-based line (0 when the problem is
 * not on one line, e.g. the file is missing) and a sentence for the user. The message is
 * {@code FILE:LINE: reason}, ready to show as it is.
 */
public final class TraceFileException extends Exception {
    private final String file;
    private final int line;
    private final String reason;

    public TraceFileException(String file, int line, String reason) {
        super(format(file, line, reason));
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public TraceFileException(String file, int line, String reason, Throwable cause) {
        this(file, line, reason);
        initCause(cause);
    }

    static String displayName(Path path) {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    private static String format(String file, int line, String reason) {
        return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
    }

    /** The file's name as shown in messages. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, or 0. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}

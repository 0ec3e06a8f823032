package dev.januslab.app.model;

import dev.januslab.scheduler.trace.TraceEvent;

/**
 * An error event (TRACE.md: "an error escaped a task") in a student's words: the error, the
 * line where it left this task (the innermost frame of the VM's trace), the line where it was
 * raised when that was elsewhere (an error a child raised leaves its parent at the nursery's
 * end), and the VM's message, if any.
 *
 * @param leftAt   the line where the error left the task, or -1 if the trace has no frame
 * @param raisedAt the error's own line (where it was raised), or -1
 * @param message  "integer division by zero", or null
 */
public record EscapedError(String error, int leftAt, int raisedAt, String message) {
    public static EscapedError of(TraceEvent.TaskError e) {
        String message = null;
        int at = -1;
        if (e.trace() != null) {
            for (String l : e.trace().split("\n")) {
                String s = l.strip();
                if (s.startsWith("at ")) {
                    if (at < 0) at = frameLine(s);
                } else if (!s.isEmpty() && message == null) {
                    message = s;
                }
            }
        }
        return new EscapedError(e.error(), at, e.line() > 0 ? e.line() : -1, message);
    }

    /** The line of a frame "at worker (/path/fail.jan:4)", or -1. */
    private static int frameLine(String frame) {
        int colon = frame.lastIndexOf(':'), close = frame.lastIndexOf(')');
        if (colon < 0 || close < colon) return -1;
        try {
            return Integer.parseInt(frame.substring(colon + 1, close));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The line to point at: where it left the task, else where it was raised. */
    public int line() {
        return leftAt > 0 ? leftAt : raisedAt;
    }

    /** Where it was raised, when that is not where it left this task. */
    public boolean raisedElsewhere() {
        return leftAt > 0 && raisedAt > 0 && raisedAt != leftAt;
    }

    /** "✖ Runtime.DivByZero at line 4: integer division by zero", "✖ Runtime.DivByZero at line 15 (raised at line 4)". */
    public String consoleText() {
        StringBuilder b = new StringBuilder("✖ ").append(error);
        if (line() > 0) b.append(" at line ").append(line());
        if (raisedElsewhere()) b.append(" (raised at line ").append(raisedAt).append(')');
        if (message != null) b.append(": ").append(message);
        return b.toString();
    }
}

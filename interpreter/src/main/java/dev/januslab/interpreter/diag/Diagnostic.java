package dev.januslab.interpreter.diag;

/** One compile error: where it is (1-based line and column), its stable code and a message for a student. */
public record Diagnostic(String file, int line, int col, String code, String message) implements Comparable<Diagnostic> {
    @Override
    public int compareTo(Diagnostic o) {
        if (line != o.line) {
            return Integer.compare(line, o.line);
        }
        if (col != o.col) {
            return Integer.compare(col, o.col);
        }
        return code.compareTo(o.code);
    }

    /** {@code FILE:LINE:COL: error[CODE]: message}. */
    public String headline() {
        return file + ":" + line + ":" + col + ": error[" + code + "]: " + message;
    }
}

package dev.januslab.interpreter.diag;

import dev.januslab.interpreter.ast.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects every diagnostic of one file (all errors in one pass). */
public final class Diagnostics {
    private final String file;
    private final List<Diagnostic> list = new ArrayList<>();

    public Diagnostics(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void error(int line, int col, Code code, String message) {
        list.add(new Diagnostic(file, line, col, code.name(), message));
    }

    public void error(Span span, Code code, String message) {
        error(span.line(), span.col(), code, message);
    }

    public boolean hasErrors() {
        return !list.isEmpty();
    }

    /** Sorted by position; exact duplicates removed. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(new java.util.LinkedHashSet<>(list));
        Collections.sort(out);
        return List.copyOf(out);
    }
}

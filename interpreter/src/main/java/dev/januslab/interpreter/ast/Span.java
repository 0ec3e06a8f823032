package dev.januslab.interpreter.ast;

/** Where a node starts in the source (1-based line and column) and how many characters it covers on that line. */
public record Span(int line, int col, int length) {
    public static final Span NONE = new Span(0, 0, 0);
}

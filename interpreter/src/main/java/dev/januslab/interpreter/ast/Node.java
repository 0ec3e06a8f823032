package dev.januslab.interpreter.ast;

/** Every AST node knows where it came from. */
public interface Node {
    Span span();
}

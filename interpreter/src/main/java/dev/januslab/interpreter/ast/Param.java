package dev.januslab.interpreter.ast;

/** A function or closure parameter; {@code type} is null when not annotated. */
public record Param(Span span, String name, TypeRef type) implements Node {}

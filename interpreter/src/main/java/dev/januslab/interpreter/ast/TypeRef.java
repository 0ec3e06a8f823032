package dev.januslab.interpreter.ast;

/** A written type annotation. Checked at run time; the checker only resolves names. */
public sealed interface TypeRef extends Node {
    /** {@code int}, {@code string}, {@code Item}, {@code Task}, ... */
    record Named(Span span, String name) implements TypeRef {}

    /** {@code Array<T>} or {@code [T]} (only array-ness is checked). */
    record ArrayOf(Span span, TypeRef element) implements TypeRef {}

    /** {@code Name<T>} for a name other than Array: always an unknown type. */
    record Generic(Span span, String name, TypeRef argument) implements TypeRef {}

    /** {@code T ! E}: documents the error set, not enforced. */
    record ErrorUnion(Span span, TypeRef value, String errorSet, Span errorSetSpan) implements TypeRef {}
}

package dev.januslab.interpreter.ast;

import java.util.List;

/** Top-level declarations. */
public sealed interface Decl extends Node {
    String name();

    Span nameSpan();

    <R> R accept(Visitor<R> v);

    /** {@code [async] func name(params) [-> T] do body end}; {@code returnType} may be null. */
    record Func(Span span, String name, Span nameSpan, boolean async, List<Param> params, TypeRef returnType, Block body)
            implements Decl {
        public <R> R accept(Visitor<R> v) { return v.visitFunc(this); }
    }

    record Struct(Span span, String name, Span nameSpan, List<Param> fields) implements Decl {
        public <R> R accept(Visitor<R> v) { return v.visitStruct(this); }
    }

    record ErrorSet(Span span, String name, Span nameSpan, List<Variant> variants) implements Decl {
        public <R> R accept(Visitor<R> v) { return v.visitErrorSet(this); }
    }

    /** Top-level {@code let} (constant) or {@code var} (atomic shared scalar). */
    record Global(Span span, String name, Span nameSpan, boolean mutable, TypeRef type, Expr init) implements Decl {
        public <R> R accept(Visitor<R> v) { return v.visitGlobal(this); }
    }

    record Variant(Span span, String name) implements Node {}

    interface Visitor<R> {
        R visitFunc(Func d);

        R visitStruct(Struct d);

        R visitErrorSet(ErrorSet d);

        R visitGlobal(Global d);
    }
}

package dev.januslab.interpreter.ast;

import java.util.List;

/** Expressions. */
public sealed interface Expr extends Node {
    <R> R accept(Visitor<R> v);

    enum BinaryOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"),
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
        AND("and"), OR("or");

        public final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }
    }

    record IntLit(Span span, long value) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitInt(this); }
    }

    record FloatLit(Span span, double value) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitFloat(this); }
    }

    /** {@code value} has its escapes decoded. */
    record StringLit(Span span, String value) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitString(this); }
    }

    record BoolLit(Span span, boolean value) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitBool(this); }
    }

    record NilLit(Span span) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitNil(this); }
    }

    record Name(Span span, String name) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitName(this); }
    }

    record FieldInit(Span span, String name, Expr value) {}

    /** {@code Item { id: 1, name: "a" }}. */
    record StructLit(Span span, String name, List<FieldInit> fields) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitStructLit(this); }
    }

    record ArrayLit(Span span, List<Expr> elements) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitArrayLit(this); }
    }

    /** {@code { |x, y| body }}: the value is the last expression statement of body, else nil. */
    record Closure(Span span, List<Param> params, Block body) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitClosure(this); }
    }

    /** {@code callee(args)}, trailing closure already appended to args. */
    record Call(Span span, Expr callee, List<Expr> args) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitCall(this); }
    }

    /** {@code receiver.name(args)}, trailing closure already appended to args. */
    record MethodCall(Span span, Expr receiver, String name, Span nameSpan, List<Expr> args) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitMethodCall(this); }
    }

    /** {@code object.name}: a struct field, or {@code Set.Variant} when object names an error set. */
    record Field(Span span, Expr object, String name, Span nameSpan) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitField(this); }
    }

    record Index(Span span, Expr object, Expr index) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitIndex(this); }
    }

    /** Unary minus ({@code not} is {@link Not}). */
    record Negate(Span span, Expr operand) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitNegate(this); }
    }

    record Not(Span span, Expr operand) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitNot(this); }
    }

    record Binary(Span span, BinaryOp op, Expr left, Expr right) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitBinary(this); }
    }

    record Await(Span span, Expr operand) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitAwait(this); }
    }

    /** {@code async call} ({@code spawn} false) or {@code spawn call}; the operand should be a call. */
    record Start(Span span, boolean spawn, Expr call) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitStart(this); }
    }

    /** {@code body catch |errorName| handler}: the handler block's last expression is the value. */
    record Catch(Span span, Expr body, String errorName, Span errorNameSpan, Block handler) implements Expr {
        public <R> R accept(Visitor<R> v) { return v.visitCatch(this); }
    }

    interface Visitor<R> {
        R visitInt(IntLit e);

        R visitFloat(FloatLit e);

        R visitString(StringLit e);

        R visitBool(BoolLit e);

        R visitNil(NilLit e);

        R visitName(Name e);

        R visitStructLit(StructLit e);

        R visitArrayLit(ArrayLit e);

        R visitClosure(Closure e);

        R visitCall(Call e);

        R visitMethodCall(MethodCall e);

        R visitField(Field e);

        R visitIndex(Index e);

        R visitNegate(Negate e);

        R visitNot(Not e);

        R visitBinary(Binary e);

        R visitAwait(Await e);

        R visitStart(Start e);

        R visitCatch(Catch e);
    }
}

package dev.januslab.interpreter.ast;

import java.util.List;

/** Statements. */
public sealed interface Stmt extends Node {
    <R> R accept(Visitor<R> v);

    /** {@code let}/{@code var} inside a function; {@code type} may be null. */
    record Local(Span span, String name, Span nameSpan, boolean mutable, TypeRef type, Expr init) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitLocal(this); }
    }

    /** {@code if c then b else if c2 then b2 else b3 end}; {@code elseBlock} may be null. */
    record If(Span span, List<Branch> branches, Block elseBlock) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitIf(this); }
    }

    record Branch(Expr condition, Block body) {}

    record While(Span span, Expr condition, Block body) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitWhile(this); }
    }

    /** {@code for v in start..end} ({@code end} non-null, range) or {@code for v in array} ({@code end} null). */
    record For(Span span, String var, Span varSpan, Expr start, Expr end, boolean exclusive, Block body) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitFor(this); }
    }

    record Break(Span span) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitBreak(this); }
    }

    record Continue(Span span) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitContinue(this); }
    }

    /** {@code value} may be null. */
    record Return(Span span, Expr value) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitReturn(this); }
    }

    record Fail(Span span, Expr error) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitFail(this); }
    }

    /** {@code defer e} or {@code defer do … end}; the body runs at function exit. */
    record Defer(Span span, Block body) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitDefer(this); }
    }

    /** {@code nursery [|name|] do … end}; {@code name} may be null; {@code endSpan} is the closing {@code end} (where it joins). */
    record Nursery(Span span, String name, Span nameSpan, Block body, Span endSpan) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitNursery(this); }
    }

    /** {@code target = value} ({@code op} null) or {@code target op= value}. */
    record Assign(Span span, Expr target, Expr.BinaryOp op, Expr value) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitAssign(this); }
    }

    record ExprStmt(Span span, Expr expr) implements Stmt {
        public <R> R accept(Visitor<R> v) { return v.visitExprStmt(this); }
    }

    interface Visitor<R> {
        R visitLocal(Local s);

        R visitIf(If s);

        R visitWhile(While s);

        R visitFor(For s);

        R visitBreak(Break s);

        R visitContinue(Continue s);

        R visitReturn(Return s);

        R visitFail(Fail s);

        R visitDefer(Defer s);

        R visitNursery(Nursery s);

        R visitAssign(Assign s);

        R visitExprStmt(ExprStmt s);
    }
}

package dev.januslab.interpreter.check;

import dev.januslab.interpreter.ast.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled function: a top-level func, a closure, a defer body or the module init.
 * Closures record which outer locals they capture, in capture-index order.
 */
public final class FunctionInfo {
    public enum Kind { FUNC, CLOSURE, DEFER, INIT }

    public final Kind kind;
    /** Decl.Func, Expr.Closure, Stmt.Defer, or null for init. */
    public final Node node;
    public final FunctionInfo parent;
    /** May await (an async func, or a closure/defer written inside one). */
    public final boolean async;
    public final List<Symbol.Local> captures = new ArrayList<>();
    /** Captures a mutable local (directly or through an inner closure): may not cross into a task. */
    public boolean capturesVar;
    private int slots;

    FunctionInfo(Kind kind, Node node, FunctionInfo parent, boolean async) {
        this.kind = kind;
        this.node = node;
        this.parent = parent;
        this.async = async;
    }

    /** A fresh frame slot; the compiler also takes hidden temporaries from here. */
    public int newSlot() {
        return slots++;
    }

    public int slotCount() {
        return slots;
    }

    public int captureIndex(Symbol.Local local) {
        return captures.indexOf(local);
    }

    public boolean isClosure() {
        return kind == Kind.CLOSURE || kind == Kind.DEFER;
    }
}

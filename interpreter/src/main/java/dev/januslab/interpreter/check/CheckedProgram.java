package dev.januslab.interpreter.check;

import dev.januslab.interpreter.ast.Expr;
import dev.januslab.interpreter.ast.Node;
import dev.januslab.interpreter.ast.Program;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checker's output, everything the compiler needs: what each name use refers to, the
 * local declared by each binding node, and the function info of every function-like node.
 */
public final class CheckedProgram {
    public final Program program;
    public final Map<Expr.Name, Symbol> names = new IdentityHashMap<>();
    /** Binding node (Stmt.Local, Param, Stmt.For, Expr.Catch, Stmt.Nursery) to its local. */
    public final Map<Object, Symbol.Local> locals = new IdentityHashMap<>();
    /** Decl.Func, Expr.Closure, Stmt.Defer to its function info. */
    public final Map<Node, FunctionInfo> functions = new IdentityHashMap<>();
    public FunctionInfo init;
    public List<Symbol.Function> funcs;
    public List<Symbol.Struct> structs;
    public List<Symbol.ErrorSet> errorSets;
    public List<Symbol.Global> globals;
    public Map<String, Symbol> topLevel;

    CheckedProgram(Program program) {
        this.program = program;
    }

    public Symbol.Function main() {
        Symbol s = topLevel.get("main");
        return s instanceof Symbol.Function f ? f : null;
    }
}

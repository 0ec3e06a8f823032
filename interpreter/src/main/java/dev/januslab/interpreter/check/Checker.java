package dev.januslab.interpreter.check;

import dev.januslab.interpreter.ast.Block;
import dev.januslab.interpreter.ast.Decl;
import dev.januslab.interpreter.ast.Expr;
import dev.januslab.interpreter.ast.Node;
import dev.januslab.interpreter.ast.Param;
import dev.januslab.interpreter.ast.Program;
import dev.januslab.interpreter.ast.Span;
import dev.januslab.interpreter.ast.Stmt;
import dev.januslab.interpreter.ast.TypeRef;
import dev.januslab.interpreter.bytecode.RuntimeError;
import dev.januslab.interpreter.diag.Code;
import dev.januslab.interpreter.diag.Diagnostics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolver and checker in one walk: scopes and name resolution, closure captures, and the
 * language's static rules (LANGUAGE.md §3, §6). Reports every error of the file; the
 * compiler runs only when there are none.
 */
public final class Checker implements Stmt.Visitor<Void>, Expr.Visitor<Void> {
    private final Diagnostics d;
    private final CheckedProgram out;

    // ---- walk state ------------------------------------------------------------------------
    private Scope scope;
    private FunctionInfo fn;
    private int loopDepth;
    private int nurseryDepth;
    /** While checking a top-level initialiser: its index, to catch uses of later globals. */
    private int initialisingGlobal = -1;

    private Checker(Program program, Diagnostics d) {
        this.d = d;
        this.out = new CheckedProgram(program);
    }

    public static CheckedProgram check(Program program, Diagnostics d) {
        Checker c = new Checker(program, d);
        c.run();
        return c.out;
    }

    /** A lexical scope: one block. */
    private static final class Scope {
        final Scope parent;
        final Map<String, Symbol.Local> names = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }
    }

    // ---- top level --------------------------------------------------------------------------

    private void run() {
        Map<String, Symbol> top = new LinkedHashMap<>();
        List<Symbol.Function> funcs = new ArrayList<>();
        List<Symbol.Struct> structs = new ArrayList<>();
        List<Symbol.ErrorSet> sets = new ArrayList<>();
        List<Symbol.Global> globals = new ArrayList<>();
        sets.add(new Symbol.ErrorSet("Runtime", null, 0, List.of(RuntimeError.RUNTIME)));
        sets.add(new Symbol.ErrorSet("NetError", null, 1, List.of(RuntimeError.NET_ERROR)));
        top.put("Runtime", sets.get(0));
        top.put("NetError", sets.get(1));

        for (Decl decl : out.program.decls()) {
            String name = decl.name();
            if (Builtins.FUNCTIONS.containsKey(name) || Builtins.TYPES.containsKey(name) || name.equals("Array")) {
                d.error(decl.nameSpan(), Code.N1014, "`" + name + "` is a built-in name and cannot be redeclared");
                continue;
            }
            Symbol previous = top.get(name);
            if (previous instanceof Symbol.ErrorSet es && es.decl() == null) {
                d.error(decl.nameSpan(), Code.N1014, "`" + name + "` is a built-in error set and cannot be redeclared");
                continue;
            }
            if (previous != null) {
                d.error(decl.nameSpan(), Code.N1008, "`" + name + "` is already declared on line " + line(previous));
                continue;
            }
            Symbol sym;
            if (decl instanceof Decl.Func f) {
                sym = new Symbol.Function(name, f, funcs.size(), f.async() || name.equals("main"));
                funcs.add((Symbol.Function) sym);
            } else if (decl instanceof Decl.Struct s) {
                List<String> fields = new ArrayList<>();
                for (Param p : s.fields()) {
                    if (fields.contains(p.name())) {
                        d.error(p.span(), Code.N1008, "field `" + p.name() + "` is declared twice in struct `" + name + "`");
                    }
                    fields.add(p.name());
                }
                sym = new Symbol.Struct(name, s, structs.size(), fields);
                structs.add((Symbol.Struct) sym);
            } else if (decl instanceof Decl.ErrorSet e) {
                List<String> variants = new ArrayList<>();
                for (Decl.Variant v : e.variants()) {
                    if (variants.contains(v.name())) {
                        d.error(v.span(), Code.N1008, "variant `" + v.name() + "` is declared twice in error set `" + name + "`");
                    }
                    variants.add(v.name());
                }
                sym = new Symbol.ErrorSet(name, e, sets.size(), variants);
                sets.add((Symbol.ErrorSet) sym);
            } else {
                Decl.Global g = (Decl.Global) decl;
                sym = new Symbol.Global(name, g, globals.size());
                globals.add((Symbol.Global) sym);
            }
            top.put(name, sym);
        }
        out.topLevel = top;
        out.funcs = funcs;
        out.structs = structs;
        out.errorSets = sets;
        out.globals = globals;

        Symbol main = top.get("main");
        if (!(main instanceof Symbol.Function)) {
            d.error(1, 1, Code.N1011, "this program has no `main` function: add `async func main() do … end`");
        } else if (!((Symbol.Function) main).decl().params().isEmpty()) {
            d.error(((Symbol.Function) main).decl().nameSpan(), Code.N1021, "`main` cannot take parameters");
        }

        // Top-level initialisers run in source order in the module init function.
        out.init = new FunctionInfo(FunctionInfo.Kind.INIT, null, null, false);
        for (Symbol.Global g : globals) {
            fn = out.init;
            scope = new Scope(null);
            initialisingGlobal = g.index();
            Decl.Global decl = g.decl();
            if (decl.type() != null) {
                resolveType(decl.type());
            }
            expr(decl.init());
            if (decl.mutable()) {
                checkScalarGlobal(decl);
            }
        }
        initialisingGlobal = -1;

        for (Decl decl : out.program.decls()) {
            if (decl instanceof Decl.Struct s && top.get(s.name()) instanceof Symbol.Struct) {
                for (Param p : s.fields()) {
                    resolveType(p.type());
                }
            } else if (decl instanceof Decl.ErrorSet) {
                // nothing to resolve
            } else if (decl instanceof Decl.Func f && top.get(f.name()) instanceof Symbol.Function sym
                    && sym.decl() == f) {
                function(f, sym.async());
            }
        }
    }

    private static int line(Symbol s) {
        if (s instanceof Symbol.Function f) {
            return f.decl().span().line();
        }
        if (s instanceof Symbol.Struct st) {
            return st.decl().span().line();
        }
        if (s instanceof Symbol.ErrorSet e && e.decl() != null) {
            return e.decl().span().line();
        }
        if (s instanceof Symbol.Global g) {
            return g.decl().span().line();
        }
        return 0;
    }

    private void checkScalarGlobal(Decl.Global g) {
        if (g.type() != null) {
            String t = g.type() instanceof TypeRef.Named n ? Builtins.TYPES.get(n.name()) : null;
            if (!"int".equals(t) && !"float".equals(t) && !"bool".equals(t)) {
                d.error(g.type().span(), Code.N1013,
                        "a top-level `var` holds only int, float or bool (it is shared by all tasks); use `let` for other values");
            }
            return;
        }
        Expr e = g.init();
        while (e instanceof Expr.Negate n) {
            e = n.operand();
        }
        String kind = null;
        if (e instanceof Expr.StringLit) {
            kind = "a string";
        } else if (e instanceof Expr.ArrayLit) {
            kind = "an array";
        } else if (e instanceof Expr.StructLit) {
            kind = "a struct";
        } else if (e instanceof Expr.Closure) {
            kind = "a closure";
        } else if (e instanceof Expr.NilLit) {
            kind = "nil";
        }
        if (kind != null) {
            d.error(g.init().span(), Code.N1013, "a top-level `var` holds only int, float or bool (it is shared by all tasks), not "
                    + kind + "; use `let` for a constant");
        }
    }

    private void function(Decl.Func f, boolean async) {
        FunctionInfo info = new FunctionInfo(FunctionInfo.Kind.FUNC, f, null, async);
        out.functions.put(f, info);
        fn = info;
        scope = new Scope(null);
        loopDepth = 0;
        nurseryDepth = 0;
        for (Param p : f.params()) {
            if (p.type() != null) {
                resolveType(p.type());
            }
            declare(p, p.name(), p.span(), false);
        }
        if (f.returnType() != null) {
            resolveType(f.returnType());
        }
        // Parameters and the body's top-level statements share one scope.
        stmts(f.body().stmts());
    }

    // ---- scopes -----------------------------------------------------------------------------

    private Symbol.Local declare(Object node, String name, Span span, boolean mutable) {
        Symbol.Local existing = scope.names.get(name);
        if (existing != null) {
            d.error(span, Code.N1008, "`" + name + "` is already declared in this block (line "
                    + existing.declared.line() + "); use another name, or assign it with `=` if it is a `var`");
        }
        Symbol.Local local = new Symbol.Local(name, mutable, span, fn);
        scope.names.put(name, local);
        out.locals.put(node, local);
        return local;
    }

    private void block(Block b) {
        Scope saved = scope;
        scope = new Scope(scope);
        stmts(b.stmts());
        scope = saved;
    }

    private void stmts(List<Stmt> stmts) {
        for (Stmt s : stmts) {
            s.accept(this);
        }
    }

    /** Resolves a name use; records captures when it crosses a closure boundary. */
    private Symbol resolve(Expr.Name use) {
        for (Scope s = scope; s != null; s = s.parent) {
            Symbol.Local local = s.names.get(use.name());
            if (local != null) {
                if (local.owner != fn) {
                    capture(local);
                }
                return local;
            }
        }
        Symbol top = out.topLevel.get(use.name());
        if (top != null) {
            return top;
        }
        return Builtins.FUNCTIONS.get(use.name());
    }

    private void capture(Symbol.Local local) {
        local.captured = true;
        for (FunctionInfo f = fn; f != null && f != local.owner; f = f.parent) {
            if (!f.captures.contains(local)) {
                f.captures.add(local);
            }
            if (local.mutable) {
                f.capturesVar = true;
            }
        }
    }

    // ---- types ------------------------------------------------------------------------------

    private void resolveType(TypeRef t) {
        if (t instanceof TypeRef.Named n) {
            if (!Builtins.TYPES.containsKey(n.name()) && !(out.topLevel.get(n.name()) instanceof Symbol.Struct)) {
                d.error(n.span(), Code.N1009, "unknown type `" + n.name() + "`" + typeHint(n.name()));
            }
        } else if (t instanceof TypeRef.ArrayOf a) {
            resolveType(a.element());
        } else if (t instanceof TypeRef.Generic g) {
            d.error(g.span(), Code.N1009, "unknown type `" + g.name() + "<…>` (the only generic type is `Array<T>`)");
        } else {
            TypeRef.ErrorUnion u = (TypeRef.ErrorUnion) t;
            resolveType(u.value());
            if (!(out.topLevel.get(u.errorSet()) instanceof Symbol.ErrorSet)) {
                d.error(u.errorSetSpan(), Code.N1009, "unknown error set `" + u.errorSet() + "`");
            }
        }
    }

    private String typeHint(String name) {
        String lower = name.toLowerCase();
        if (Builtins.TYPES.containsKey(lower)) {
            return "; did you mean `" + lower + "`?";
        }
        if (lower.equals("str")) {
            return "; did you mean `string`?";
        }
        return "";
    }

    // ---- statements -------------------------------------------------------------------------

    @Override
    public Void visitLocal(Stmt.Local s) {
        if (s.type() != null) {
            resolveType(s.type());
        }
        expr(s.init());
        Symbol.Local local = declare(s, s.name(), s.nameSpan(), s.mutable());
        if (!s.mutable() && s.init() instanceof Expr.Closure c) {
            local.closureInit = out.functions.get(c);
        }
        return null;
    }

    @Override
    public Void visitIf(Stmt.If s) {
        for (Stmt.Branch b : s.branches()) {
            expr(b.condition());
            block(b.body());
        }
        if (s.elseBlock() != null) {
            block(s.elseBlock());
        }
        return null;
    }

    @Override
    public Void visitWhile(Stmt.While s) {
        expr(s.condition());
        loopDepth++;
        block(s.body());
        loopDepth--;
        return null;
    }

    @Override
    public Void visitFor(Stmt.For s) {
        expr(s.start());
        if (s.end() != null) {
            expr(s.end());
        }
        Scope saved = scope;
        scope = new Scope(scope);
        declare(s, s.var(), s.varSpan(), false);
        loopDepth++;
        block(s.body());
        loopDepth--;
        scope = saved;
        return null;
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
        if (loopDepth == 0) {
            d.error(s.span(), Code.N1012, "`break` can only be used inside a `while` or `for` loop");
        }
        return null;
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
        if (loopDepth == 0) {
            d.error(s.span(), Code.N1012, "`continue` can only be used inside a `while` or `for` loop");
        }
        return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
        if (s.value() != null) {
            expr(s.value());
        }
        return null;
    }

    @Override
    public Void visitFail(Stmt.Fail s) {
        expr(s.error());
        return null;
    }

    @Override
    public Void visitDefer(Stmt.Defer s) {
        // The deferred code is compiled as a closure of no parameters.
        nested(s, FunctionInfo.Kind.DEFER, List.of(), s.body());
        return null;
    }

    @Override
    public Void visitNursery(Stmt.Nursery s) {
        Scope saved = scope;
        scope = new Scope(scope);
        if (s.name() != null) {
            declare(s, s.name(), s.nameSpan(), false);
        }
        nurseryDepth++;
        stmts(s.body().stmts());
        nurseryDepth--;
        scope = saved;
        return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign s) {
        expr(s.value());
        Expr target = s.target();
        if (target instanceof Expr.Name n) {
            Symbol sym = resolve(n);
            out.names.put(n, sym);
            if (sym == null) {
                d.error(n.span(), Code.N1007, "`" + n.name() + "` is not declared" + suggestion(n.name()));
            } else if (sym instanceof Symbol.Local l) {
                if (!l.mutable) {
                    d.error(n.span(), Code.N1005, "`" + n.name() + "` is a `let` binding (line " + l.declared.line()
                            + ") and cannot be assigned; declare it with `var` to change it");
                }
            } else if (sym instanceof Symbol.Global g) {
                if (!g.decl().mutable()) {
                    d.error(n.span(), Code.N1005, "`" + n.name() + "` is a top-level `let` constant (line "
                            + g.decl().span().line() + ") and cannot be assigned");
                }
            } else {
                d.error(n.span(), Code.N1018, "cannot assign to `" + n.name() + "`: it is not a variable");
            }
        } else if (target instanceof Expr.Field f) {
            expr(f.object());
        } else if (target instanceof Expr.Index i) {
            expr(i.object());
            expr(i.index());
        } else {
            expr(target);
            d.error(target.span(), Code.N1018,
                    "only a variable, a field (`p.x`) or an element (`a[i]`) can be assigned");
        }
        return null;
    }

    @Override
    public Void visitExprStmt(Stmt.ExprStmt s) {
        expr(s.expr());
        return null;
    }

    // ---- expressions ------------------------------------------------------------------------

    private void expr(Expr e) {
        e.accept(this);
    }

    @Override
    public Void visitInt(Expr.IntLit e) {
        return null;
    }

    @Override
    public Void visitFloat(Expr.FloatLit e) {
        return null;
    }

    @Override
    public Void visitString(Expr.StringLit e) {
        return null;
    }

    @Override
    public Void visitBool(Expr.BoolLit e) {
        return null;
    }

    @Override
    public Void visitNil(Expr.NilLit e) {
        return null;
    }

    @Override
    public Void visitName(Expr.Name e) {
        Symbol sym = nameUse(e);
        if (sym instanceof Symbol.BuiltinFunction b) {
            d.error(e.span(), Code.N1020, "the built-in `" + b.name() + "` can only be called; to pass it on, wrap it: { |x| "
                    + b.name() + "(x) }");
        } else if (sym instanceof Symbol.Struct s) {
            d.error(e.span(), Code.N1023, "`" + s.name() + "` is a struct type, not a value; build one with `" + s.name()
                    + " { … }`");
        } else if (sym instanceof Symbol.ErrorSet s) {
            d.error(e.span(), Code.N1023, "`" + s.name() + "` is an error set, not a value; use one of its errors, like `"
                    + s.name() + "." + (s.variants().isEmpty() ? "Variant" : s.variants().get(0)) + "`");
        }
        return null;
    }

    /** Resolves and records a name use, reporting undefined names and too-early globals. */
    private Symbol nameUse(Expr.Name e) {
        Symbol sym = resolve(e);
        out.names.put(e, sym);
        if (sym == null) {
            d.error(e.span(), Code.N1007, "`" + e.name() + "` is not declared" + suggestion(e.name()));
        } else if (sym instanceof Symbol.Global g && initialisingGlobal >= 0 && g.index() >= initialisingGlobal) {
            d.error(e.span(), Code.N1022, "`" + e.name() + "` is used before it is initialised: top-level `let`/`var` "
                    + "initialisers run in source order, and it is declared on line " + g.decl().span().line());
        }
        return sym;
    }

    private String suggestion(String name) {
        String best = null;
        int bestDistance = 3;
        List<String> candidates = new ArrayList<>(out.topLevel.keySet());
        candidates.addAll(Builtins.FUNCTIONS.keySet());
        for (Scope s = scope; s != null; s = s.parent) {
            candidates.addAll(s.names.keySet());
        }
        for (String c : candidates) {
            int dist = distance(name, c);
            if (dist < bestDistance && dist < Math.max(2, name.length() / 2 + 1)) {
                bestDistance = dist;
                best = c;
            }
        }
        return best == null ? "" : "; did you mean `" + best + "`?";
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 40 || b.length() > 40) {
            return 99;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public Void visitStructLit(Expr.StructLit e) {
        Symbol sym = out.topLevel.get(e.name());
        for (Expr.FieldInit f : e.fields()) {
            expr(f.value());
        }
        if (!(sym instanceof Symbol.Struct s)) {
            d.error(e.span(), Code.N1009, "unknown struct `" + e.name() + "`" + suggestion(e.name()));
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (Expr.FieldInit f : e.fields()) {
            if (!s.fields().contains(f.name())) {
                d.error(f.span(), Code.N1015, "struct `" + s.name() + "` has no field `" + f.name() + "` (fields: "
                        + String.join(", ", s.fields()) + ")");
            } else if (!seen.add(f.name())) {
                d.error(f.span(), Code.N1008, "field `" + f.name() + "` is given twice");
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : s.fields()) {
            if (!seen.contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            d.error(e.span(), Code.N1016, "struct `" + s.name() + "` also needs " + (missing.size() == 1 ? "field " : "fields ")
                    + "`" + String.join("`, `", missing) + "`");
        }
        return null;
    }

    @Override
    public Void visitArrayLit(Expr.ArrayLit e) {
        for (Expr x : e.elements()) {
            expr(x);
        }
        return null;
    }

    @Override
    public Void visitClosure(Expr.Closure e) {
        nested(e, FunctionInfo.Kind.CLOSURE, e.params(), e.body());
        return null;
    }

    /** A closure or defer body: new function, inherits async-ness and the lexical nursery, not the loop. */
    private void nested(Node node, FunctionInfo.Kind kind, List<Param> params, Block body) {
        FunctionInfo saved = fn;
        Scope savedScope = scope;
        int savedLoop = loopDepth;
        fn = new FunctionInfo(kind, node, saved, saved.async);
        out.functions.put(node, fn);
        scope = new Scope(scope);
        loopDepth = 0;
        for (Param p : params) {
            declare(p, p.name(), p.span(), false);
        }
        stmts(body.stmts());
        FunctionInfo inner = fn;
        fn = saved;
        scope = savedScope;
        loopDepth = savedLoop;
        // Captures of the inner function that belong further out are captures of ours too.
        for (Symbol.Local l : inner.captures) {
            if (l.owner != fn) {
                capture(l);
            }
        }
    }

    private enum CallMode { PLAIN, ASYNC, SPAWN, AWAIT }

    @Override
    public Void visitCall(Expr.Call e) {
        call(e, CallMode.PLAIN);
        return null;
    }

    /** Checks a call; returns what the callee resolved to (null if dynamic or unknown). */
    private Symbol call(Expr.Call e, CallMode mode) {
        Symbol callee = null;
        if (e.callee() instanceof Expr.Name n) {
            callee = nameUse(n);
        } else {
            expr(e.callee());
        }
        for (Expr a : e.args()) {
            expr(a);
        }
        String name = e.callee() instanceof Expr.Name n ? n.name() : null;
        if (callee instanceof Symbol.Function f) {
            arity(e, name, f.decl().params().size(), f.decl().params().size());
            if (f.async() && mode == CallMode.PLAIN) {
                d.error(e.span(), Code.N1003, "`" + name + "` is an `async func`: call it with `await " + name
                        + "(…)` to wait for its result, or start it as a task with `async " + name + "(…)`");
            } else if (!f.async() && mode != CallMode.PLAIN) {
                notAsync(e, name, mode);
            }
        } else if (callee instanceof Symbol.BuiltinFunction b) {
            arity(e, name, b.minArgs(), b.maxArgs());
            if (b.async() && mode == CallMode.PLAIN) {
                d.error(e.span(), Code.N1003, "`" + name + "` is an async built-in: write `await " + name + "(…)`");
            } else if (!b.async() && mode != CallMode.PLAIN) {
                d.error(e.span(), Code.N1006, "`" + name + "` is a built-in that runs at once, so it cannot be "
                        + (mode == CallMode.AWAIT ? "awaited" : mode == CallMode.SPAWN ? "spawned" : "started with `async`")
                        + "; call it directly");
            }
        } else if (callee instanceof Symbol.Struct || callee instanceof Symbol.ErrorSet) {
            d.error(e.callee().span(), Code.N1023, "`" + name + "` is a type, not a function");
        }
        return callee;
    }

    private void notAsync(Expr.Call e, String name, CallMode mode) {
        String how = switch (mode) {
            case AWAIT -> "awaited";
            case SPAWN -> "spawned";
            default -> "started with `async`";
        };
        d.error(e.span(), Code.N1006, "`" + name + "` is not an `async func`, so it cannot be " + how
                + "; call it directly, or declare it `async func " + name + "`");
    }

    private void arity(Expr.Call e, String name, int min, int max) {
        int n = e.args().size();
        if (n < min || (max >= 0 && n > max)) {
            String expected = min == max ? String.valueOf(min) : (max < 0 ? "at least " + min : min + " to " + max);
            d.error(e.span(), Code.N1010, "`" + name + "` takes " + expected + " argument" + (expected.equals("1") ? "" : "s")
                    + ", but " + n + (n == 1 ? " was" : " were") + " given");
        }
    }

    @Override
    public Void visitMethodCall(Expr.MethodCall e) {
        expr(e.receiver());
        for (Expr a : e.args()) {
            expr(a);
        }
        Integer args = Builtins.METHODS.get(e.name());
        if (args != null && args != e.args().size()) {
            d.error(e.nameSpan(), Code.N1010, "method `" + e.name() + "` takes " + args + " argument" + (args == 1 ? "" : "s")
                    + ", but " + e.args().size() + (e.args().size() == 1 ? " was" : " were") + " given");
        }
        return null;
    }

    @Override
    public Void visitField(Expr.Field e) {
        if (e.object() instanceof Expr.Name n && isErrorSetName(n)) {
            Symbol.ErrorSet set = (Symbol.ErrorSet) out.topLevel.get(n.name());
            out.names.put(n, set);
            if (!set.variants().contains(e.name())) {
                d.error(e.nameSpan(), Code.N1017, "error set `" + set.name() + "` has no error `" + e.name() + "` (it has: "
                        + String.join(", ", set.variants()) + ")");
            }
            return null;
        }
        expr(e.object());
        return null;
    }

    /** True when this name, here, means a top-level error set (no local shadows it). */
    private boolean isErrorSetName(Expr.Name n) {
        for (Scope s = scope; s != null; s = s.parent) {
            if (s.names.containsKey(n.name())) {
                return false;
            }
        }
        return out.topLevel.get(n.name()) instanceof Symbol.ErrorSet;
    }

    @Override
    public Void visitIndex(Expr.Index e) {
        expr(e.object());
        expr(e.index());
        return null;
    }

    @Override
    public Void visitNegate(Expr.Negate e) {
        expr(e.operand());
        return null;
    }

    @Override
    public Void visitNot(Expr.Not e) {
        expr(e.operand());
        return null;
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
        expr(e.left());
        expr(e.right());
        return null;
    }

    @Override
    public Void visitAwait(Expr.Await e) {
        if (!fn.async) {
            d.error(e.span(), Code.N1002, fn.kind == FunctionInfo.Kind.INIT
                    ? "`await` cannot be used in a top-level initialiser; move it into `main`"
                    : "`await` is only allowed inside an `async func`; declare the enclosing function `async func`");
        }
        if (e.operand() instanceof Expr.Call c) {
            Symbol callee = call(c, CallMode.AWAIT);
            if (!(callee instanceof Symbol.Function) && !(callee instanceof Symbol.BuiltinFunction)) {
                return null;
            }
        } else {
            expr(e.operand());
        }
        return null;
    }

    @Override
    public Void visitStart(Expr.Start e) {
        String word = e.spawn() ? "spawn" : "async";
        if (e.spawn() && nurseryDepth == 0) {
            d.error(e.span(), Code.N1001, "`spawn` is only allowed inside a `nursery do … end` block; use `async` "
                    + "to start a task whose handle you keep");
        }
        if (!(e.call() instanceof Expr.Call c)) {
            expr(e.call());
            d.error(e.call().span(), Code.N1019, "`" + word + "` must be followed by a function call, like `" + word
                    + " fetch(url)`");
            return null;
        }
        call(c, e.spawn() ? CallMode.SPAWN : CallMode.ASYNC);
        for (Expr a : c.args()) {
            FunctionInfo closure = null;
            if (a instanceof Expr.Closure cl) {
                closure = out.functions.get(cl);
            } else if (a instanceof Expr.Name n && out.names.get(n) instanceof Symbol.Local l) {
                closure = l.closureInit;
            }
            if (closure != null && closure.capturesVar) {
                d.error(a.span(), Code.N1004, "this closure captures a `var`, so it cannot be passed to another task "
                        + "(tasks share no mutable memory); capture a `let` copy, or use a top-level `var`");
            }
        }
        return null;
    }

    @Override
    public Void visitCatch(Expr.Catch e) {
        expr(e.body());
        Scope saved = scope;
        scope = new Scope(scope);
        declare(e, e.errorName(), e.errorNameSpan(), false);
        stmts(e.handler().stmts());
        scope = saved;
        return null;
    }
}

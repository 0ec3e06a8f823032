package dev.januslab.interpreter.compile;

import dev.januslab.interpreter.ast.Block;
import dev.januslab.interpreter.ast.Decl;
import dev.januslab.interpreter.ast.Expr;
import dev.januslab.interpreter.ast.Node;
import dev.januslab.interpreter.ast.Param;
import dev.januslab.interpreter.ast.Span;
import dev.januslab.interpreter.ast.Stmt;
import dev.januslab.interpreter.ast.TypeRef;
import dev.januslab.interpreter.bytecode.Builtin;
import dev.januslab.interpreter.bytecode.Constant;
import dev.januslab.interpreter.bytecode.FunctionCode;
import dev.januslab.interpreter.bytecode.Method;
import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.bytecode.Opcode;
import dev.januslab.interpreter.bytecode.TypeSpec;
import dev.januslab.interpreter.bytecode.TypeTag;
import dev.januslab.interpreter.check.Builtins;
import dev.januslab.interpreter.check.CheckedProgram;
import dev.januslab.interpreter.check.FunctionInfo;
import dev.januslab.interpreter.check.Symbol;
import dev.januslab.interpreter.diag.Code;
import dev.januslab.interpreter.diag.Diagnostics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checked AST to bytecode module (native/BYTECODE.md). One walk per function; closures and
 * defer bodies are compiled as they are met and appended to the function table; helpers
 * ({@code <map>}, {@code <sleep>} …) are generated on first use.
 *
 * <p>Invariants the VM relies on: every statement starts and ends at the same operand stack
 * depth; every {@code TRY_PUSH}/{@code NURSERY_OPEN} is matched on every path, including
 * {@code break}/{@code continue}/{@code return}, which close the records they leave.
 */
public final class Compiler implements Stmt.Visitor<Void>, Expr.Visitor<Void> {
    private static final int LIMIT_U16 = 0xFFFF;
    private static final int LIMIT_U8 = 0xFF;

    private final CheckedProgram checked;
    private final Diagnostics diagnostics;
    private final Map<Constant, Integer> constantIndex = new HashMap<>();
    private final List<Constant> constants = new ArrayList<>();
    private final List<FunctionCode> functions = new ArrayList<>();
    private final Map<String, Integer> helpers = new HashMap<>();
    private boolean tooLarge;

    // ---- per-function state --------------------------------------------------------------
    private FunctionInfo fn;
    private FunctionBuilder out;
    /** Open TRY / NURSERY records of the current function, innermost last. */
    private List<Opcode> records;
    private Loop loop;

    private record Loop(Loop outer, FunctionBuilder.Label breakLabel, FunctionBuilder.Label continueLabel,
                        int depth, int records) {}

    private Compiler(CheckedProgram checked, Diagnostics diagnostics) {
        this.checked = checked;
        this.diagnostics = diagnostics;
    }

    /** Compiles a program the checker accepted; null if a size limit was hit (reported as N1024). */
    public static BytecodeModule compile(CheckedProgram checked, Diagnostics diagnostics) {
        return new Compiler(checked, diagnostics).module();
    }

    private BytecodeModule module() {
        int sourceName = str(checked.program.file());
        for (int i = 0; i < checked.funcs.size(); i++) {
            functions.add(null);
        }
        for (Symbol.Function f : checked.funcs) {
            functions.set(f.index(), function(f));
        }
        int init = initFunction();
        List<BytecodeModule.StructInfo> structs = new ArrayList<>();
        for (Symbol.Struct s : checked.structs) {
            List<BytecodeModule.Field> fields = new ArrayList<>();
            for (Param p : s.decl().fields()) {
                fields.add(new BytecodeModule.Field(str(p.name()), typeSpec(p.type())));
            }
            structs.add(new BytecodeModule.StructInfo(str(s.name()), fields));
        }
        List<BytecodeModule.ErrorSetInfo> sets = new ArrayList<>();
        for (Symbol.ErrorSet e : checked.errorSets) {
            List<Integer> variants = new ArrayList<>();
            for (String v : e.variants()) {
                variants.add(str(v));
            }
            sets.add(new BytecodeModule.ErrorSetInfo(str(e.name()), variants));
        }
        List<BytecodeModule.GlobalInfo> globals = new ArrayList<>();
        for (Symbol.Global g : checked.globals) {
            globals.add(new BytecodeModule.GlobalInfo(str(g.name()), g.decl().mutable() ? 1 : 0));
        }
        limit(constants.size(), LIMIT_U16, "constants");
        limit(functions.size(), LIMIT_U16, "functions");
        limit(structs.size(), LIMIT_U16, "structs");
        limit(globals.size(), LIMIT_U16, "top-level variables");
        if (tooLarge) {
            return null;
        }
        Symbol.Function main = checked.main();
        return new BytecodeModule(BytecodeModule.VERSION_MAJOR, BytecodeModule.VERSION_MINOR, sourceName, init, main.index(),
                List.copyOf(constants), structs, sets, globals, List.copyOf(functions));
    }

    private void limit(int n, int max, String what) {
        if (n > max && !tooLarge) {
            tooLarge = true;
            diagnostics.error(1, 1, Code.N1024, "the program is too large: more than " + max + " " + what);
        }
    }

    // ---- constants, types ----------------------------------------------------------------

    private int constant(Constant c) {
        Integer i = constantIndex.get(c);
        if (i == null) {
            i = constants.size();
            constants.add(c);
            constantIndex.put(c, i);
        }
        return i > LIMIT_U16 ? LIMIT_U16 : i; // over the limit: reported in module()
    }

    private int str(String s) {
        return constant(new Constant.Str(s));
    }

    private TypeSpec typeSpec(TypeRef t) {
        if (t == null) {
            return TypeSpec.ANY;
        }
        if (t instanceof TypeRef.ErrorUnion u) {
            return typeSpec(u.value());
        }
        if (t instanceof TypeRef.ArrayOf) {
            return TypeSpec.of(TypeTag.ARRAY);
        }
        if (t instanceof TypeRef.Named n) {
            String canonical = Builtins.TYPES.get(n.name());
            if (canonical == null) {
                Symbol s = checked.topLevel.get(n.name());
                return s instanceof Symbol.Struct st ? new TypeSpec(TypeTag.STRUCT, st.index()) : TypeSpec.ANY;
            }
            for (TypeTag tag : TypeTag.values()) {
                if (tag.janusName.equals(canonical)) {
                    return TypeSpec.of(tag);
                }
            }
        }
        return TypeSpec.ANY;
    }

    // ---- functions -----------------------------------------------------------------------

    private FunctionBuilder newBuilder() {
        return new FunctionBuilder(s -> s >= 0 && s < checked.structs.size() ? checked.structs.get(s).fields().size() : 0);
    }

    private FunctionCode function(Symbol.Function sym) {
        Decl.Func f = sym.decl();
        FunctionInfo info = checked.functions.get(f);
        begin(info);
        out.position(f.span().line(), f.span().col());
        statements(f.body().stmts());
        // Always end with `return nil`, even after a return/fail: a label bound at the very
        // end (an if whose body fails) must still name an instruction.
        out.emit(Opcode.NIL);
        out.emit(Opcode.RETURN);
        List<FunctionCode.Param> params = new ArrayList<>();
        for (Param p : f.params()) {
            params.add(new FunctionCode.Param(str(p.name()), p.name(), typeSpec(p.type())));
        }
        int flags = sym.async() ? FunctionCode.ASYNC : 0;
        return end(f.name(), params, flags, 0, typeSpec(f.returnType()), f.span().line());
    }

    private int initFunction() {
        FunctionInfo info = checked.init;
        int index = functions.size();
        functions.add(null);
        begin(info);
        out.position(1, 1);
        for (Symbol.Global g : checked.globals) {
            Decl.Global d = g.decl();
            out.position(d.span().line(), d.span().col());
            expr(d.init());
            if (d.type() != null) {
                checkType(typeSpec(d.type()));
            }
            out.position(d.span().line(), d.span().col());
            out.emit(Opcode.SET_GLOBAL, g.index());
        }
        out.emit(Opcode.NIL);
        out.emit(Opcode.RETURN);
        functions.set(index, end("<init>", List.of(), FunctionCode.INIT, 0, TypeSpec.ANY, 1));
        return index;
    }

    private void begin(FunctionInfo info) {
        fn = info;
        out = newBuilder();
        records = new ArrayList<>();
        loop = null;
    }

    private FunctionCode end(String name, List<FunctionCode.Param> params, int flags, int captures, TypeSpec ret, int line) {
        if (fn.slotCount() > LIMIT_U16 || out.maxDepth() > LIMIT_U16) {
            limit(LIMIT_U16 + 1, LIMIT_U16, "local variables or stack slots in `" + name + "`");
        }
        return new FunctionCode(str(name), name, params.size(), flags, captures, Math.min(fn.slotCount(), LIMIT_U16),
                Math.min(out.maxDepth(), LIMIT_U16), line, params, ret, out.code(), out.lines());
    }

    /** Compiles a closure or defer body as its own function and returns its index. */
    private int nestedFunction(Node node, List<Param> params, Block body, boolean deferBody) {
        FunctionInfo info = checked.functions.get(node);
        FunctionInfo savedFn = fn;
        FunctionBuilder savedOut = out;
        List<Opcode> savedRecords = records;
        Loop savedLoop = loop;
        int index = functions.size();
        functions.add(null);
        begin(info);
        out.position(node.span().line(), node.span().col());
        if (deferBody) {
            statements(body.stmts());
            out.emit(Opcode.NIL);
        } else {
            blockValue(body);
        }
        out.emit(Opcode.RETURN);
        List<FunctionCode.Param> ps = new ArrayList<>();
        for (Param p : params) {
            ps.add(new FunctionCode.Param(str(p.name()), p.name(), TypeSpec.ANY));
        }
        String name = (deferBody ? "<defer " : "<closure ") + enclosingName(savedFn) + ":" + node.span().line() + ">";
        if (info.captures.size() > LIMIT_U8) {
            limit(LIMIT_U16 + 1, LIMIT_U16, "captured variables in one closure");
        }
        FunctionCode code = end(name, ps, FunctionCode.CLOSURE | FunctionCode.NO_NURSERY,
                Math.min(info.captures.size(), LIMIT_U8), TypeSpec.ANY, node.span().line());
        functions.set(index, code);
        fn = savedFn;
        out = savedOut;
        records = savedRecords;
        loop = savedLoop;
        return index;
    }

    private static String enclosingName(FunctionInfo f) {
        while (f != null && f.isClosure()) {
            f = f.parent;
        }
        if (f == null || f.kind == FunctionInfo.Kind.INIT) {
            return "init";
        }
        return ((Decl.Func) f.node).name();
    }

    /** Pushes the captures of a closure, in capture order, then MAKE_CLOSURE. */
    private void makeClosure(int index, FunctionInfo info) {
        for (Symbol.Local c : info.captures) {
            if (c.owner == fn) {
                out.emit(Opcode.LOAD_LOCAL, c.slot);
            } else {
                out.emit(Opcode.LOAD_CAPTURE, fn.captureIndex(c));
            }
        }
        out.emit(Opcode.MAKE_CLOSURE, index, Math.min(info.captures.size(), LIMIT_U8));
    }

    // ---- helpers generated on demand -----------------------------------------------------

    /** {@code <map>}, {@code <filter>}, {@code <each>}: array iteration calling a function value. */
    private int iterationHelper(String method) {
        String name = "<" + method + ">";
        Integer existing = helpers.get(name);
        if (existing != null) {
            return existing;
        }
        FunctionInfo savedFn = fn;
        FunctionBuilder savedOut = out;
        FunctionBuilder b = newBuilder();
        b.position(0, 0);
        // locals: 0 array, 1 function, 2 result, 3 index, 4 element
        int array = 0, f = 1, result = 2, index = 3, element = 4;
        if (!method.equals("each")) {
            b.emit(Opcode.NEW_ARRAY, 0);
            b.emit(Opcode.STORE_LOCAL, result);
        }
        b.emit(Opcode.CONST, constant(new Constant.Int(0)));
        b.emit(Opcode.STORE_LOCAL, index);
        FunctionBuilder.Label top = new FunctionBuilder.Label();
        FunctionBuilder.Label done = new FunctionBuilder.Label();
        b.bind(top);
        b.emit(Opcode.LOAD_LOCAL, index);
        b.emit(Opcode.LOAD_LOCAL, array);
        b.emit(Opcode.LEN);
        b.emit(Opcode.LT);
        b.jump(Opcode.JUMP_IF_FALSE, done);
        b.emit(Opcode.LOAD_LOCAL, array);
        b.emit(Opcode.LOAD_LOCAL, index);
        b.emit(Opcode.INDEX_GET);
        b.emit(Opcode.STORE_LOCAL, element);
        b.emit(Opcode.LOAD_LOCAL, f);
        b.emit(Opcode.LOAD_LOCAL, element);
        b.emit(Opcode.CALL, 1);
        switch (method) {
            case "map" -> {
                b.emit(Opcode.STORE_LOCAL, element);
                b.emit(Opcode.LOAD_LOCAL, result);
                b.emit(Opcode.LOAD_LOCAL, element);
                b.emit(Opcode.CALL_METHOD, Method.PUSH.ordinal(), 1);
                b.emit(Opcode.POP);
            }
            case "filter" -> {
                FunctionBuilder.Label skip = new FunctionBuilder.Label();
                b.jump(Opcode.JUMP_IF_FALSE, skip);
                b.emit(Opcode.LOAD_LOCAL, result);
                b.emit(Opcode.LOAD_LOCAL, element);
                b.emit(Opcode.CALL_METHOD, Method.PUSH.ordinal(), 1);
                b.emit(Opcode.POP);
                b.bind(skip);
            }
            default -> b.emit(Opcode.POP);
        }
        b.emit(Opcode.LOAD_LOCAL, index);
        b.emit(Opcode.CONST, constant(new Constant.Int(1)));
        b.emit(Opcode.ADD);
        b.emit(Opcode.STORE_LOCAL, index);
        b.jump(Opcode.JUMP, top);
        b.bind(done);
        if (method.equals("each")) {
            b.emit(Opcode.NIL);
        } else {
            b.emit(Opcode.LOAD_LOCAL, result);
        }
        b.emit(Opcode.RETURN);
        List<FunctionCode.Param> params = List.of(
                new FunctionCode.Param(str("array"), "array", TypeSpec.of(TypeTag.ARRAY)),
                new FunctionCode.Param(str("f"), "f", TypeSpec.ANY));
        FunctionCode code = new FunctionCode(str(name), name, 2, FunctionCode.HELPER | FunctionCode.NO_NURSERY, 0, 5,
                b.maxDepth(), 0, params, TypeSpec.ANY, b.code(), b.lines());
        fn = savedFn;
        out = savedOut;
        int index2 = functions.size();
        functions.add(code);
        helpers.put(name, index2);
        return index2;
    }

    /** {@code <sleep>} etc.: an async function whose body is the builtin's opcode, for {@code async sleep(ms)}. */
    private int asyncBuiltinHelper(String builtin) {
        String name = "<" + builtin + ">";
        Integer existing = helpers.get(name);
        if (existing != null) {
            return existing;
        }
        FunctionBuilder b = newBuilder();
        b.position(0, 0);
        Opcode op = asyncBuiltinOpcode(builtin);
        int arity = op == Opcode.YIELD ? 0 : 1;
        if (arity == 1) {
            b.emit(Opcode.LOAD_LOCAL, 0);
        }
        b.emit(op);
        b.emit(Opcode.RETURN);
        List<FunctionCode.Param> params = arity == 0 ? List.of()
                : List.of(new FunctionCode.Param(str("arg"), "arg", TypeSpec.ANY));
        FunctionCode code = new FunctionCode(str(name), name, arity,
                FunctionCode.HELPER | FunctionCode.ASYNC | FunctionCode.NO_NURSERY, 0, arity, b.maxDepth(), 0, params,
                TypeSpec.ANY, b.code(), b.lines());
        int index = functions.size();
        functions.add(code);
        helpers.put(name, index);
        return index;
    }

    private static Opcode asyncBuiltinOpcode(String builtin) {
        return switch (builtin) {
            case "sleep" -> Opcode.SLEEP;
            case "yield" -> Opcode.YIELD;
            case "http_get" -> Opcode.HTTP_GET;
            case "await_any" -> Opcode.AWAIT_ANY;
            default -> Opcode.AWAIT_ALL;
        };
    }

    // ---- statements ----------------------------------------------------------------------

    private void statements(List<Stmt> stmts) {
        for (Stmt s : stmts) {
            stmt(s);
        }
    }

    private void stmt(Stmt s) {
        int line = out.line();
        int col = out.col();
        out.position(s.span().line(), s.span().col());
        s.accept(this);
        out.position(line, col);
    }

    /** A block whose value is its last expression statement (nil otherwise); leaves one value. */
    private void blockValue(Block b) {
        List<Stmt> stmts = b.stmts();
        if (!stmts.isEmpty() && stmts.get(stmts.size() - 1) instanceof Stmt.ExprStmt last) {
            statements(stmts.subList(0, stmts.size() - 1));
            int line = out.line();
            int col = out.col();
            out.position(last.span().line(), last.span().col());
            expr(last.expr());
            out.position(line, col);
        } else {
            statements(stmts);
            out.emit(Opcode.NIL);
        }
    }

    @Override
    public Void visitLocal(Stmt.Local s) {
        expr(s.init());
        if (s.type() != null) {
            checkType(typeSpec(s.type()));
        }
        Symbol.Local local = checked.locals.get(s);
        out.emit(Opcode.STORE_LOCAL, local.slot);
        if (local.boxed()) {
            out.emit(Opcode.BOX_LOCAL, local.slot);
        }
        return null;
    }

    private void checkType(TypeSpec t) {
        if (t.tag() != TypeTag.ANY) {
            out.emit(Opcode.CHECK_TYPE, t.tag().ordinal(), t.structIndex());
        }
    }

    @Override
    public Void visitIf(Stmt.If s) {
        FunctionBuilder.Label end = new FunctionBuilder.Label();
        for (Stmt.Branch b : s.branches()) {
            FunctionBuilder.Label next = new FunctionBuilder.Label();
            expr(b.condition());
            out.jump(Opcode.JUMP_IF_FALSE, next);
            statements(b.body().stmts());
            if (out.reachable()) {
                out.jump(Opcode.JUMP, end);
            }
            out.bind(next);
        }
        if (s.elseBlock() != null) {
            statements(s.elseBlock().stmts());
        }
        out.bind(end);
        return null;
    }

    @Override
    public Void visitWhile(Stmt.While s) {
        FunctionBuilder.Label top = new FunctionBuilder.Label();
        FunctionBuilder.Label exit = new FunctionBuilder.Label();
        out.bind(top);
        expr(s.condition());
        out.jump(Opcode.JUMP_IF_FALSE, exit);
        loop = new Loop(loop, exit, top, out.depth(), records.size());
        statements(s.body().stmts());
        loop = loop.outer();
        if (out.reachable()) {
            out.jump(Opcode.JUMP, top);
        }
        out.bind(exit);
        return null;
    }

    @Override
    public Void visitFor(Stmt.For s) {
        Symbol.Local var = checked.locals.get(s);
        FunctionBuilder.Label top = new FunctionBuilder.Label();
        FunctionBuilder.Label step = new FunctionBuilder.Label();
        FunctionBuilder.Label exit = new FunctionBuilder.Label();
        int counter = fn.newSlot();
        if (s.end() != null) {
            int limit = fn.newSlot();
            expr(s.start());
            out.emit(Opcode.CHECK_TYPE, TypeTag.INT.ordinal(), TypeSpec.NO_STRUCT);
            out.emit(Opcode.STORE_LOCAL, counter);
            expr(s.end());
            out.emit(Opcode.CHECK_TYPE, TypeTag.INT.ordinal(), TypeSpec.NO_STRUCT);
            out.emit(Opcode.STORE_LOCAL, limit);
            out.bind(top);
            out.emit(Opcode.LOAD_LOCAL, counter);
            out.emit(Opcode.LOAD_LOCAL, limit);
            out.emit(s.exclusive() ? Opcode.LT : Opcode.LE);
            out.jump(Opcode.JUMP_IF_FALSE, exit);
            out.emit(Opcode.LOAD_LOCAL, counter);
            out.emit(Opcode.STORE_LOCAL, var.slot);
        } else {
            int array = fn.newSlot();
            expr(s.start());
            out.emit(Opcode.CHECK_TYPE, TypeTag.ARRAY.ordinal(), TypeSpec.NO_STRUCT);
            out.emit(Opcode.STORE_LOCAL, array);
            out.emit(Opcode.CONST, constant(new Constant.Int(0)));
            out.emit(Opcode.STORE_LOCAL, counter);
            out.bind(top);
            out.emit(Opcode.LOAD_LOCAL, counter);
            out.emit(Opcode.LOAD_LOCAL, array);
            out.emit(Opcode.LEN);
            out.emit(Opcode.LT);
            out.jump(Opcode.JUMP_IF_FALSE, exit);
            out.emit(Opcode.LOAD_LOCAL, array);
            out.emit(Opcode.LOAD_LOCAL, counter);
            out.emit(Opcode.INDEX_GET);
            out.emit(Opcode.STORE_LOCAL, var.slot);
        }
        loop = new Loop(loop, exit, step, out.depth(), records.size());
        statements(s.body().stmts());
        loop = loop.outer();
        out.bind(step);
        if (out.reachable()) {
            out.emit(Opcode.LOAD_LOCAL, counter);
            out.emit(Opcode.CONST, constant(new Constant.Int(1)));
            out.emit(Opcode.ADD);
            out.emit(Opcode.STORE_LOCAL, counter);
            out.jump(Opcode.JUMP, top);
        }
        out.bind(exit);
        return null;
    }

    /** Closes the TRY/NURSERY records above {@code downTo}, innermost first. */
    private void closeRecords(int downTo) {
        for (int i = records.size() - 1; i >= downTo; i--) {
            out.emit(records.get(i) == Opcode.TRY_PUSH ? Opcode.TRY_POP : Opcode.NURSERY_CLOSE);
        }
    }

    private void leaveTo(FunctionBuilder.Label target) {
        int saved = out.depth();
        for (int i = out.depth(); i > loop.depth(); i--) {
            out.emit(Opcode.POP);
        }
        closeRecords(loop.records());
        out.jump(Opcode.JUMP, target);
        out.setDepth(saved);
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
        leaveTo(loop.breakLabel());
        return null;
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
        leaveTo(loop.continueLabel());
        return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
        if (s.value() != null) {
            expr(s.value());
        } else {
            out.emit(Opcode.NIL);
        }
        closeRecords(0);
        out.emit(Opcode.RETURN);
        return null;
    }

    @Override
    public Void visitFail(Stmt.Fail s) {
        expr(s.error());
        out.emit(Opcode.FAIL);
        return null;
    }

    @Override
    public Void visitDefer(Stmt.Defer s) {
        int index = nestedFunction(s, List.of(), s.body(), true);
        makeClosure(index, checked.functions.get(s));
        out.emit(Opcode.DEFER);
        return null;
    }

    @Override
    public Void visitNursery(Stmt.Nursery s) {
        out.emit(Opcode.NURSERY_OPEN);
        Symbol.Local name = checked.locals.get(s);
        if (name != null) {
            out.emit(Opcode.STORE_LOCAL, name.slot);
        } else {
            out.emit(Opcode.POP);
        }
        records.add(Opcode.NURSERY_OPEN);
        statements(s.body().stmts());
        records.remove(records.size() - 1);
        if (out.reachable()) {
            out.position(s.endSpan().line(), s.endSpan().col());
            out.emit(Opcode.NURSERY_CLOSE);
        }
        return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign s) {
        Expr target = s.target();
        Opcode op = s.op() == null ? null : arithmetic(s.op());
        if (target instanceof Expr.Name n) {
            Symbol sym = checked.names.get(n);
            if (sym instanceof Symbol.Global g && op != null) {
                expr(s.value());
                out.emit(Opcode.GLOBAL_RMW, g.index(), op.ordinal() - Opcode.ADD.ordinal());
                return null;
            }
            if (op != null) {
                loadName(n, sym);
                expr(s.value());
                out.emit(op);
            } else {
                expr(s.value());
            }
            storeName(sym);
        } else if (target instanceof Expr.Field f) {
            expr(f.object());
            int k = str(f.name());
            if (op != null) {
                out.emit(Opcode.DUP);
                out.emit(Opcode.GET_FIELD, k);
                expr(s.value());
                out.emit(op);
            } else {
                expr(s.value());
            }
            out.emit(Opcode.SET_FIELD, k);
        } else if (target instanceof Expr.Index i) {
            expr(i.object());
            expr(i.index());
            if (op != null) {
                out.emit(Opcode.DUP2);
                out.emit(Opcode.INDEX_GET);
                expr(s.value());
                out.emit(op);
            } else {
                expr(s.value());
            }
            out.emit(Opcode.INDEX_SET);
        }
        return null;
    }

    private static Opcode arithmetic(Expr.BinaryOp op) {
        return switch (op) {
            case ADD -> Opcode.ADD;
            case SUB -> Opcode.SUB;
            case MUL -> Opcode.MUL;
            case DIV -> Opcode.DIV;
            case MOD -> Opcode.MOD;
            case EQ -> Opcode.EQ;
            case NE -> Opcode.NE;
            case LT -> Opcode.LT;
            case LE -> Opcode.LE;
            case GT -> Opcode.GT;
            case GE -> Opcode.GE;
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    @Override
    public Void visitExprStmt(Stmt.ExprStmt s) {
        expr(s.expr());
        out.emit(Opcode.POP);
        return null;
    }

    // ---- names ---------------------------------------------------------------------------

    private void loadName(Expr.Name n, Symbol sym) {
        if (sym instanceof Symbol.Local l) {
            if (l.owner == fn) {
                out.emit(l.boxed() ? Opcode.LOAD_CELL : Opcode.LOAD_LOCAL, l.slot);
            } else {
                out.emit(l.boxed() ? Opcode.LOAD_CAPTURE_CELL : Opcode.LOAD_CAPTURE, fn.captureIndex(l));
            }
        } else if (sym instanceof Symbol.Global g) {
            out.emit(Opcode.GET_GLOBAL, g.index());
        } else if (sym instanceof Symbol.Function f) {
            out.emit(Opcode.LOAD_FUNC, f.index());
        } else {
            throw new IllegalStateException("unresolved name " + n.name());
        }
    }

    private void storeName(Symbol sym) {
        if (sym instanceof Symbol.Local l) {
            if (l.owner == fn) {
                out.emit(l.boxed() ? Opcode.STORE_CELL : Opcode.STORE_LOCAL, l.slot);
            } else {
                out.emit(Opcode.STORE_CAPTURE_CELL, fn.captureIndex(l));
            }
        } else if (sym instanceof Symbol.Global g) {
            out.emit(Opcode.SET_GLOBAL, g.index());
        } else {
            throw new IllegalStateException("not assignable: " + sym);
        }
    }

    // ---- expressions ---------------------------------------------------------------------

    private void expr(Expr e) {
        int line = out.line();
        int col = out.col();
        out.position(e.span().line(), e.span().col());
        e.accept(this);
        out.position(line, col);
    }

    @Override
    public Void visitInt(Expr.IntLit e) {
        out.emit(Opcode.CONST, constant(new Constant.Int(e.value())));
        return null;
    }

    @Override
    public Void visitFloat(Expr.FloatLit e) {
        out.emit(Opcode.CONST, constant(new Constant.Float(e.value())));
        return null;
    }

    @Override
    public Void visitString(Expr.StringLit e) {
        out.emit(Opcode.CONST, str(e.value()));
        return null;
    }

    @Override
    public Void visitBool(Expr.BoolLit e) {
        out.emit(e.value() ? Opcode.TRUE : Opcode.FALSE);
        return null;
    }

    @Override
    public Void visitNil(Expr.NilLit e) {
        out.emit(Opcode.NIL);
        return null;
    }

    @Override
    public Void visitName(Expr.Name e) {
        loadName(e, checked.names.get(e));
        return null;
    }

    @Override
    public Void visitStructLit(Expr.StructLit e) {
        Symbol.Struct s = (Symbol.Struct) checked.topLevel.get(e.name());
        boolean inOrder = true;
        for (int i = 0; i < e.fields().size(); i++) {
            if (!e.fields().get(i).name().equals(s.fields().get(i))) {
                inOrder = false;
            }
        }
        if (inOrder) {
            for (Expr.FieldInit f : e.fields()) {
                expr(f.value());
            }
        } else {
            // Evaluate in source order, push in declaration order.
            Map<String, Integer> temps = new HashMap<>();
            for (Expr.FieldInit f : e.fields()) {
                int slot = fn.newSlot();
                temps.put(f.name(), slot);
                expr(f.value());
                out.emit(Opcode.STORE_LOCAL, slot);
            }
            for (String field : s.fields()) {
                out.emit(Opcode.LOAD_LOCAL, temps.get(field));
            }
        }
        out.emit(Opcode.NEW_STRUCT, s.index());
        return null;
    }

    @Override
    public Void visitArrayLit(Expr.ArrayLit e) {
        for (Expr x : e.elements()) {
            expr(x);
        }
        if (e.elements().size() > LIMIT_U16) {
            limit(e.elements().size(), LIMIT_U16, "elements in one array literal");
            for (int i = LIMIT_U16; i < e.elements().size(); i++) {
                out.emit(Opcode.POP);
            }
        }
        out.emit(Opcode.NEW_ARRAY, Math.min(e.elements().size(), LIMIT_U16));
        return null;
    }

    @Override
    public Void visitClosure(Expr.Closure e) {
        int index = nestedFunction(e, e.params(), e.body(), false);
        makeClosure(index, checked.functions.get(e));
        return null;
    }

    private int args(List<Expr> args) {
        for (Expr a : args) {
            expr(a);
        }
        if (args.size() > LIMIT_U8) {
            limit(args.size(), LIMIT_U8, "arguments in one call");
        }
        return Math.min(args.size(), LIMIT_U8);
    }

    @Override
    public Void visitCall(Expr.Call e) {
        Symbol callee = e.callee() instanceof Expr.Name n ? checked.names.get(n) : null;
        if (callee instanceof Symbol.Function f) {
            int argc = args(e.args());
            out.emit(Opcode.CALL_FUNC, f.index(), argc);
        } else if (callee instanceof Symbol.BuiltinFunction b) {
            switch (b.name()) {
                case "is_cancelled" -> out.emit(Opcode.IS_CANCELLED);
                case "cancel" -> {
                    args(e.args());
                    out.emit(Opcode.CANCEL);
                }
                default -> {
                    int argc = args(e.args());
                    out.emit(Opcode.CALL_BUILTIN, builtin(b.name()).ordinal(), argc);
                }
            }
        } else {
            expr(e.callee());
            int argc = args(e.args());
            out.emit(Opcode.CALL, argc);
        }
        return null;
    }

    private static Builtin builtin(String name) {
        for (Builtin b : Builtin.values()) {
            if (b.janusName.equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Override
    public Void visitMethodCall(Expr.MethodCall e) {
        String name = e.name();
        expr(e.receiver());
        switch (name) {
            case "map", "filter", "each" -> {
                int helper = iterationHelper(name);
                args(e.args());
                out.emit(Opcode.CALL_FUNC, helper, 2);
                return null;
            }
            case "cancel" -> {
                out.emit(Opcode.CANCEL);
                return null;
            }
            case "is_cancelled" -> {
                out.emit(Opcode.HANDLE_IS_CANCELLED);
                return null;
            }
            default -> {
                for (Method m : Method.values()) {
                    if (m.janusName.equals(name)) {
                        int argc = args(e.args());
                        out.emit(Opcode.CALL_METHOD, m.ordinal(), argc);
                        return null;
                    }
                }
            }
        }
        // A field holding a function: obj.f(args).
        out.emit(Opcode.GET_FIELD, str(name));
        int argc = args(e.args());
        out.emit(Opcode.CALL, argc);
        return null;
    }

    @Override
    public Void visitField(Expr.Field e) {
        if (e.object() instanceof Expr.Name n && checked.names.get(n) instanceof Symbol.ErrorSet set) {
            out.emit(Opcode.MAKE_ERROR, set.index(), set.variants().indexOf(e.name()));
            return null;
        }
        expr(e.object());
        out.emit(Opcode.GET_FIELD, str(e.name()));
        return null;
    }

    @Override
    public Void visitIndex(Expr.Index e) {
        expr(e.object());
        expr(e.index());
        out.emit(Opcode.INDEX_GET);
        return null;
    }

    @Override
    public Void visitNegate(Expr.Negate e) {
        expr(e.operand());
        out.emit(Opcode.NEG);
        return null;
    }

    @Override
    public Void visitNot(Expr.Not e) {
        expr(e.operand());
        out.emit(Opcode.NOT);
        return null;
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
        if (e.op() == Expr.BinaryOp.AND || e.op() == Expr.BinaryOp.OR) {
            // Both operands must be bool; the result is a bool.
            Opcode shortCircuit = e.op() == Expr.BinaryOp.AND ? Opcode.JUMP_IF_FALSE : Opcode.JUMP_IF_TRUE;
            FunctionBuilder.Label decided = new FunctionBuilder.Label();
            FunctionBuilder.Label end = new FunctionBuilder.Label();
            expr(e.left());
            out.jump(shortCircuit, decided);
            expr(e.right());
            out.jump(shortCircuit, decided);
            out.emit(e.op() == Expr.BinaryOp.AND ? Opcode.TRUE : Opcode.FALSE);
            out.jump(Opcode.JUMP, end);
            out.bind(decided);
            out.emit(e.op() == Expr.BinaryOp.AND ? Opcode.FALSE : Opcode.TRUE);
            out.bind(end);
            return null;
        }
        expr(e.left());
        expr(e.right());
        out.emit(arithmetic(e.op()));
        return null;
    }

    @Override
    public Void visitAwait(Expr.Await e) {
        if (e.operand() instanceof Expr.Call c && c.callee() instanceof Expr.Name n) {
            Symbol callee = checked.names.get(n);
            if (callee instanceof Symbol.Function f) {
                int argc = args(c.args());
                out.emit(Opcode.ASYNC_CALL, f.index(), argc);
                out.emit(Opcode.AWAIT);
                return null;
            }
            if (callee instanceof Symbol.BuiltinFunction b && b.async()) {
                args(c.args());
                out.emit(asyncBuiltinOpcode(b.name()));
                return null;
            }
        }
        expr(e.operand());
        out.emit(Opcode.AWAIT);
        return null;
    }

    @Override
    public Void visitStart(Expr.Start e) {
        Expr.Call c = (Expr.Call) e.call();
        Symbol callee = c.callee() instanceof Expr.Name n ? checked.names.get(n) : null;
        if (callee instanceof Symbol.Function f) {
            int argc = args(c.args());
            out.emit(e.spawn() ? Opcode.SPAWN : Opcode.ASYNC_CALL, f.index(), argc);
        } else if (callee instanceof Symbol.BuiltinFunction b) {
            int helper = asyncBuiltinHelper(b.name());
            int argc = args(c.args());
            out.emit(e.spawn() ? Opcode.SPAWN : Opcode.ASYNC_CALL, helper, argc);
        } else {
            expr(c.callee());
            int argc = args(c.args());
            out.emit(e.spawn() ? Opcode.SPAWN_VALUE : Opcode.ASYNC_CALL_VALUE, argc);
        }
        return null;
    }

    @Override
    public Void visitCatch(Expr.Catch e) {
        FunctionBuilder.Label handler = new FunctionBuilder.Label();
        FunctionBuilder.Label end = new FunctionBuilder.Label();
        out.jump(Opcode.TRY_PUSH, handler);
        records.add(Opcode.TRY_PUSH);
        expr(e.body());
        records.remove(records.size() - 1);
        out.emit(Opcode.TRY_POP);
        out.jump(Opcode.JUMP, end);
        out.bind(handler);
        out.position(e.errorNameSpan().line(), e.errorNameSpan().col());
        out.emit(Opcode.STORE_LOCAL, checked.locals.get(e).slot);
        blockValue(e.handler());
        out.bind(end);
        return null;
    }
}

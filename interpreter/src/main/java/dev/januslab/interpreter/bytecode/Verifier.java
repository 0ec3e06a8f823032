package dev.januslab.interpreter.bytecode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Structural verifier for a module (BYTECODE.md §3): the checks the C VM makes before it
 * runs anything, done in Java so every module the compiler emits is proven in tests.
 * Returns a list of problems; empty means the module is well formed.
 */
public final class Verifier {
    private final BytecodeModule m;
    private final List<String> problems = new ArrayList<>();

    private Verifier(BytecodeModule m) {
        this.m = m;
    }

    public static List<String> verify(BytecodeModule m) {
        Verifier v = new Verifier(m);
        v.run();
        return v.problems;
    }

    private void problem(String where, String what) {
        if (problems.size() < 100) {
            problems.add(where + ": " + what);
        }
    }

    private boolean isString(int k) {
        return k >= 0 && k < m.constants().size() && m.constants().get(k) instanceof Constant.Str;
    }

    private void run() {
        if (m.versionMajor() != BytecodeModule.VERSION_MAJOR) {
            problem("header", "version " + m.versionMajor());
        }
        if (!isString(m.sourceNameConst())) {
            problem("header", "source name is not a string constant");
        }
        int nf = m.functions().size();
        if (m.initFunction() >= nf || m.mainFunction() >= nf) {
            problem("header", "entry point out of range");
        } else {
            FunctionCode main = m.functions().get(m.mainFunction());
            if (!main.has(FunctionCode.ASYNC) || main.arity() != 0) {
                problem("header", "main must be async with no parameters");
            }
            if (!m.functions().get(m.initFunction()).has(FunctionCode.INIT)) {
                problem("header", "init function lacks the INIT flag");
            }
        }
        for (BytecodeModule.StructInfo s : m.structs()) {
            if (!isString(s.nameConst())) {
                problem("struct", "name is not a string constant");
            }
            for (BytecodeModule.Field f : s.fields()) {
                if (!isString(f.nameConst())) {
                    problem("struct", "field name is not a string constant");
                }
                type("struct field", f.type());
            }
        }
        if (m.errorSets().size() < 2
                || m.errorSets().get(0).variantConsts().size() != RuntimeError.RUNTIME.length
                || m.errorSets().get(1).variantConsts().size() != RuntimeError.NET_ERROR.length
                || !m.string(m.errorSets().get(0).nameConst()).equals("Runtime")
                || !m.string(m.errorSets().get(1).nameConst()).equals("NetError")) {
            problem("error sets", "sets 0 and 1 must be the built-in Runtime and NetError");
        }
        for (BytecodeModule.ErrorSetInfo e : m.errorSets()) {
            if (!isString(e.nameConst()) || !e.variantConsts().stream().allMatch(this::isString)) {
                problem("error sets", "names must be string constants");
            }
        }
        for (BytecodeModule.GlobalInfo g : m.globals()) {
            if (!isString(g.nameConst()) || g.kind() > 1) {
                problem("globals", "bad global entry");
            }
        }
        for (int i = 0; i < nf; i++) {
            function(i, m.functions().get(i));
        }
    }

    private void type(String where, TypeSpec t) {
        if (t.tag() == TypeTag.STRUCT && t.structIndex() >= m.structs().size()) {
            problem(where, "struct index " + t.structIndex() + " out of range");
        }
    }

    private void function(int index, FunctionCode f) {
        String where = "function " + index + " " + f.name();
        if (!isString(f.nameConst())) {
            problem(where, "name is not a string constant");
        }
        if (f.locals() < f.arity()) {
            problem(where, "fewer locals than parameters");
        }
        for (FunctionCode.Param p : f.params()) {
            type(where, p.type());
        }
        type(where, f.returnType());
        byte[] code = f.code();
        // Pass 1: decode linearly, check operands.
        boolean[] start = new boolean[code.length + 1];
        List<Integer> pcs = new ArrayList<>();
        int pc = 0;
        while (pc < code.length) {
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (op == null) {
                problem(where, "unknown opcode " + (code[pc] & 0xFF) + " at " + pc);
                return;
            }
            if (pc + op.length() > code.length) {
                problem(where, op + " at " + pc + " runs past the end of the code");
                return;
            }
            start[pc] = true;
            pcs.add(pc);
            operands(where + " @" + pc, f, op, Operands.read(code, pc, op));
            pc += op.length();
        }
        if (code.length == 0) {
            problem(where, "empty code");
            return;
        }
        for (int p : pcs) {
            Opcode op = Opcode.of(code[p] & 0xFF);
            if (isJump(op)) {
                int target = Operands.read(code, p, op)[0];
                if (target < 0 || target >= code.length || !start[target]) {
                    problem(where + " @" + p, op + " target " + target + " is not an instruction");
                }
            }
        }
        if (!problems.isEmpty()) {
            return;
        }
        // Line table: sorted, starts at 0, inside the code.
        List<FunctionCode.LineEntry> lines = f.lines();
        if (lines.isEmpty() || lines.get(0).pc() != 0) {
            problem(where, "line table must start at pc 0");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).pc() <= lines.get(i - 1).pc() || lines.get(i).pc() >= code.length) {
                problem(where, "line table not sorted or out of range at entry " + i);
            }
        }
        flow(where, f);
    }

    private static boolean isJump(Opcode op) {
        return op == Opcode.JUMP || op == Opcode.JUMP_IF_FALSE || op == Opcode.JUMP_IF_TRUE || op == Opcode.TRY_PUSH;
    }

    private void operands(String where, FunctionCode f, Opcode op, int[] v) {
        int nf = m.functions().size();
        switch (op) {
            case CONST -> {
                if (v[0] >= m.constants().size()) {
                    problem(where, "constant " + v[0] + " out of range");
                }
            }
            case GET_FIELD, SET_FIELD -> {
                if (!isString(v[0])) {
                    problem(where, "field name " + v[0] + " is not a string constant");
                }
            }
            case LOAD_LOCAL, STORE_LOCAL, BOX_LOCAL, LOAD_CELL, STORE_CELL -> {
                if (v[0] >= f.locals()) {
                    problem(where, "local " + v[0] + " >= locals " + f.locals());
                }
            }
            case LOAD_CAPTURE, LOAD_CAPTURE_CELL, STORE_CAPTURE_CELL -> {
                if (v[0] >= f.captureCount()) {
                    problem(where, "capture " + v[0] + " >= captures " + f.captureCount());
                }
            }
            case GET_GLOBAL, SET_GLOBAL -> {
                if (v[0] >= m.globals().size()) {
                    problem(where, "global " + v[0] + " out of range");
                }
            }
            case GLOBAL_RMW -> {
                if (v[0] >= m.globals().size() || m.globals().get(v[0]).kind() != 1 || v[1] > 4) {
                    problem(where, "GLOBAL_RMW needs a var global and op 0..4");
                }
            }
            case LOAD_FUNC -> {
                if (v[0] >= nf || m.functions().get(v[0]).has(FunctionCode.CLOSURE)) {
                    problem(where, "LOAD_FUNC needs a non-closure function");
                }
            }
            case MAKE_CLOSURE -> {
                if (v[0] >= nf || !m.functions().get(v[0]).has(FunctionCode.CLOSURE)
                        || m.functions().get(v[0]).captureCount() != v[1]) {
                    problem(where, "MAKE_CLOSURE needs a closure function with " + v[1] + " captures");
                }
            }
            case CALL_FUNC -> {
                if (v[0] >= nf || m.functions().get(v[0]).arity() != v[1]
                        || m.functions().get(v[0]).has(FunctionCode.CLOSURE)) {
                    problem(where, "CALL_FUNC: bad function or argument count");
                }
            }
            case ASYNC_CALL, SPAWN -> {
                if (v[0] >= nf || m.functions().get(v[0]).arity() != v[1]
                        || !m.functions().get(v[0]).has(FunctionCode.ASYNC)) {
                    problem(where, op + ": needs an async function taking " + v[1] + " arguments");
                }
            }
            case CALL_BUILTIN -> {
                Builtin[] bs = Builtin.values();
                if (v[0] >= bs.length || v[1] < bs[v[0]].minArgs || (bs[v[0]].maxArgs >= 0 && v[1] > bs[v[0]].maxArgs)) {
                    problem(where, "CALL_BUILTIN: bad builtin or argument count");
                }
            }
            case CALL_METHOD -> {
                Method[] ms = Method.values();
                if (v[0] >= ms.length || ms[v[0]].args != v[1]) {
                    problem(where, "CALL_METHOD: bad method or argument count");
                }
            }
            case NEW_STRUCT -> {
                if (v[0] >= m.structs().size()) {
                    problem(where, "struct " + v[0] + " out of range");
                }
            }
            case MAKE_ERROR -> {
                if (v[0] >= m.errorSets().size() || v[1] >= m.errorSets().get(v[0]).variantConsts().size()) {
                    problem(where, "error " + v[0] + "." + v[1] + " out of range");
                }
            }
            case CHECK_TYPE -> {
                if (v[0] >= TypeTag.values().length) {
                    problem(where, "bad type tag " + v[0]);
                } else {
                    type(where, new TypeSpec(TypeTag.values()[v[0]], v[1]));
                }
            }
            default -> {
            }
        }
    }

    /** Abstract state at an instruction: stack depth and the open block records (T = handler, N = nursery). */
    private record State(int depth, String blocks) {}

    private void flow(String where, FunctionCode f) {
        byte[] code = f.code();
        State[] at = new State[code.length];
        Deque<Integer> work = new ArrayDeque<>();
        at[0] = new State(0, "");
        work.push(0);
        int max = 0;
        while (!work.isEmpty()) {
            int pc = work.pop();
            State s = at[pc];
            Opcode op = Opcode.of(code[pc] & 0xFF);
            int[] v = Operands.read(code, pc, op);
            int pops = StackEffect.pops(op, v, i -> i < m.structs().size() ? m.structs().get(i).fields().size() : 0);
            if (s.depth < pops) {
                problem(where + " @" + pc, op + " pops " + pops + " but the stack holds " + s.depth);
                return;
            }
            int depth = s.depth - pops + StackEffect.pushes(op);
            max = Math.max(max, depth);
            String blocks = s.blocks;
            int next = pc + op.length();
            switch (op) {
                case RETURN, FAIL -> {
                    if (op == Opcode.RETURN && !blocks.isEmpty()) {
                        problem(where + " @" + pc, "RETURN with open block records " + blocks);
                    }
                    continue;
                }
                case JUMP -> {
                    merge(where, at, work, v[0], new State(depth, blocks));
                    continue;
                }
                case JUMP_IF_FALSE, JUMP_IF_TRUE -> merge(where, at, work, v[0], new State(depth, blocks));
                case TRY_PUSH -> {
                    merge(where, at, work, v[0], new State(depth + 1, blocks));
                    blocks = blocks + "T";
                }
                case TRY_POP, NURSERY_CLOSE -> {
                    char want = op == Opcode.TRY_POP ? 'T' : 'N';
                    if (blocks.isEmpty() || blocks.charAt(blocks.length() - 1) != want) {
                        problem(where + " @" + pc, op + " without a matching open record (open: " + blocks + ")");
                        return;
                    }
                    blocks = blocks.substring(0, blocks.length() - 1);
                }
                case NURSERY_OPEN -> blocks = blocks + "N";
                default -> {
                }
            }
            if (next >= code.length) {
                problem(where + " @" + pc, "execution falls off the end of the code");
                return;
            }
            merge(where, at, work, next, new State(depth, blocks));
            if (!problems.isEmpty()) {
                return;
            }
        }
        if (max > f.maxStack()) {
            problem(where, "needs stack " + max + " but declares max stack " + f.maxStack());
        }
        if (Arrays.stream(at).allMatch(x -> x == null)) {
            problem(where, "no reachable code");
        }
    }

    private void merge(String where, State[] at, Deque<Integer> work, int target, State s) {
        State old = at[target];
        if (old == null) {
            at[target] = s;
            work.push(target);
        } else if (!old.equals(s)) {
            problem(where + " @" + target, "inconsistent state: " + old + " vs " + s);
        }
    }
}

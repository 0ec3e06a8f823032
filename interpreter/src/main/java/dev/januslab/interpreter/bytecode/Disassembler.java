package dev.januslab.interpreter.bytecode;



/**
 * A readable listing of a module with the source lines interleaved: the product's teaching
 * view of "what the VM runs" and the golden-file format of the tests.
 *
 * <pre>
 * == function 0: main  async  arity 0  locals 2  stack 3 ==
 *    3 |     let h = async fetch("a")
 *    0000  CONST            1        ; "a"
 *    0003  ASYNC_CALL       2 1      ; fetch, 1 arg
 * </pre>
 */
public final class Disassembler {
    private final BytecodeModule m;
    private final String[] source;
    private final StringBuilder out = new StringBuilder();

    private Disassembler(BytecodeModule m, String source) {
        this.m = m;
        this.source = source == null ? new String[0] : source.split("\r\n|\r|\n", -1);
    }

    public static String disassemble(BytecodeModule m, String source) {
        Disassembler d = new Disassembler(m, source);
        d.run();
        return d.out.toString();
    }

    private void run() {
        out.append("module ").append(m.string(m.sourceNameConst())).append("  format ").append(m.versionMajor())
                .append('.').append(m.versionMinor()).append("  init ").append(m.initFunction()).append("  main ")
                .append(m.mainFunction()).append('\n');
        out.append("constants ").append(m.constants().size()).append("  structs ").append(m.structs().size())
                .append("  error sets ").append(m.errorSets().size()).append("  globals ").append(m.globals().size())
                .append("  functions ").append(m.functions().size()).append('\n');
        for (int i = 0; i < m.structs().size(); i++) {
            BytecodeModule.StructInfo s = m.structs().get(i);
            out.append("struct ").append(i).append(' ').append(m.string(s.nameConst())).append(" {");
            for (int f = 0; f < s.fields().size(); f++) {
                BytecodeModule.Field field = s.fields().get(f);
                out.append(f == 0 ? " " : ", ").append(m.string(field.nameConst())).append(": ").append(type(field.type()));
            }
            out.append(" }\n");
        }
        for (int i = 2; i < m.errorSets().size(); i++) {
            BytecodeModule.ErrorSetInfo e = m.errorSets().get(i);
            out.append("error ").append(i).append(' ').append(m.string(e.nameConst())).append(" {");
            for (int v = 0; v < e.variantConsts().size(); v++) {
                out.append(v == 0 ? " " : ", ").append(m.string(e.variantConsts().get(v)));
            }
            out.append(" }\n");
        }
        for (int i = 0; i < m.globals().size(); i++) {
            BytecodeModule.GlobalInfo g = m.globals().get(i);
            out.append("global ").append(i).append(' ').append(g.kind() == 1 ? "var " : "let ")
                    .append(m.string(g.nameConst())).append('\n');
        }
        for (int i = 0; i < m.functions().size(); i++) {
            function(i, m.functions().get(i));
        }
    }

    private String type(TypeSpec t) {
        if (t.tag() == TypeTag.STRUCT) {
            return t.structIndex() < m.structs().size() ? m.string(m.structs().get(t.structIndex()).nameConst()) : "struct?";
        }
        return t.tag().janusName;
    }

    private void function(int index, FunctionCode f) {
        out.append("\n== function ").append(index).append(": ").append(f.name());
        if (f.has(FunctionCode.ASYNC)) {
            out.append("  async");
        }
        if (f.has(FunctionCode.CLOSURE)) {
            out.append("  closure(").append(f.captureCount()).append(')');
        }
        if (f.has(FunctionCode.INIT)) {
            out.append("  init");
        }
        if (f.has(FunctionCode.HELPER)) {
            out.append("  helper");
        }
        if (f.has(FunctionCode.NO_NURSERY)) {
            out.append("  no-nursery");
        }
        out.append("  arity ").append(f.arity()).append("  locals ").append(f.locals()).append("  stack ")
                .append(f.maxStack()).append(" ==\n");
        if (!f.params().isEmpty() || f.returnType().tag() != TypeTag.ANY) {
            out.append("   (");
            for (int p = 0; p < f.params().size(); p++) {
                FunctionCode.Param param = f.params().get(p);
                out.append(p == 0 ? "" : ", ").append(param.name()).append(": ").append(type(param.type()));
            }
            out.append(") -> ").append(type(f.returnType())).append('\n');
        }
        byte[] code = f.code();
        int lastLine = -1;
        int pc = 0;
        while (pc < code.length) {
            Opcode op = Opcode.of(code[pc] & 0xFF);
            if (op == null || pc + op.length() > code.length) {
                out.append(String.format("   %04d  <bad byte %d>%n", pc, code[pc] & 0xFF));
                return;
            }
            FunctionCode.LineEntry where = f.lineAt(pc);
            if (where.line() != lastLine) {
                lastLine = where.line();
                if (where.line() >= 1 && where.line() <= source.length) {
                    out.append(String.format("%5d | %s%n", where.line(), source[where.line() - 1].stripTrailing()));
                }
            }
            int[] v = Operands.read(code, pc, op);
            StringBuilder args = new StringBuilder();
            for (int x : v) {
                args.append(x).append(' ');
            }
            String comment = comment(op, v);
            String line = String.format("   %04d  %-19s %-9s", pc, op.name(), args.toString().trim());
            out.append(comment.isEmpty() ? line.stripTrailing() : line + " ; " + comment).append('\n');
            pc += op.length();
        }
    }

    private String function(int i) {
        return i < m.functions().size() ? m.functions().get(i).name() : "?";
    }

    private String comment(Opcode op, int[] v) {
        switch (op) {
            case CONST:
                return v[0] < m.constants().size() ? constant(m.constants().get(v[0])) : "?";
            case GET_FIELD:
            case SET_FIELD:
                return "." + m.string(v[0]);
            case GET_GLOBAL:
            case SET_GLOBAL:
                return v[0] < m.globals().size() ? m.string(m.globals().get(v[0]).nameConst()) : "?";
            case GLOBAL_RMW:
                return (v[0] < m.globals().size() ? m.string(m.globals().get(v[0]).nameConst()) : "?") + " "
                        + (v[1] < 5 ? "+-*/%".charAt(v[1]) : '?') + "=";
            case LOAD_FUNC:
            case MAKE_CLOSURE:
            case CALL_FUNC:
            case ASYNC_CALL:
            case SPAWN:
                return function(v[0]);
            case CALL_BUILTIN:
                return v[0] < Builtin.values().length ? Builtin.values()[v[0]].janusName : "?";
            case CALL_METHOD:
                return v[0] < Method.values().length ? "." + Method.values()[v[0]].janusName : "?";
            case NEW_STRUCT:
                return v[0] < m.structs().size() ? m.string(m.structs().get(v[0]).nameConst()) : "?";
            case MAKE_ERROR:
                if (v[0] < m.errorSets().size() && v[1] < m.errorSets().get(v[0]).variantConsts().size()) {
                    BytecodeModule.ErrorSetInfo e = m.errorSets().get(v[0]);
                    return m.string(e.nameConst()) + "." + m.string(e.variantConsts().get(v[1]));
                }
                return "?";
            case CHECK_TYPE:
                return v[0] < TypeTag.values().length ? type(new TypeSpec(TypeTag.values()[v[0]], v[1])) : "?";
            case JUMP:
            case JUMP_IF_FALSE:
            case JUMP_IF_TRUE:
            case TRY_PUSH:
                return String.format("-> %04d", v[0]);
            default:
                return "";
        }
    }

    private static String constant(Constant c) {
        if (c instanceof Constant.Int i) {
            return Long.toString(i.value());
        }
        if (c instanceof Constant.Float f) {
            return Double.toString(f.value());
        }
        String s = ((Constant.Str) c).value();
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 40; i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(ch);
            }
        }
        return sb.append(s.length() > 40 ? "…\"" : "\"").toString();
    }

}

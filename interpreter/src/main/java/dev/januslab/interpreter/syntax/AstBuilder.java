package dev.januslab.interpreter.syntax;

import dev.januslab.interpreter.ast.Block;
import dev.januslab.interpreter.ast.Decl;
import dev.januslab.interpreter.ast.Expr;
import dev.januslab.interpreter.ast.Param;
import dev.januslab.interpreter.ast.Program;
import dev.januslab.interpreter.ast.Span;
import dev.januslab.interpreter.ast.Stmt;
import dev.januslab.interpreter.ast.TypeRef;
import dev.januslab.interpreter.diag.Code;
import dev.januslab.interpreter.diag.Diagnostics;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parse tree (of an error-free parse) to AST records. Decodes literals and reports their
 * problems (bad escapes, out-of-range or malformed numbers); everything else was settled by
 * the grammar.
 */
final class AstBuilder {
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final String file;
    private final Diagnostics diagnostics;

    AstBuilder(String file, Diagnostics diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    Program program(JanusParser.ProgramContext ctx) {
        List<Decl> decls = new ArrayList<>();
        for (JanusParser.DeclContext d : ctx.decl()) {
            decls.add(decl(d));
        }
        return new Program(file, decls);
    }

    // ---- spans ----------------------------------------------------------------------------

    static Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop();
        int length = 1;
        if (stop != null && stop.getStopIndex() >= start.getStartIndex()) {
            length = stop.getStopIndex() - start.getStartIndex() + 1;
        }
        return new Span(start.getLine(), start.getCharPositionInLine() + 1, length);
    }

    static Span span(Token t) {
        return new Span(t.getLine(), t.getCharPositionInLine() + 1, Math.max(1, t.getText().length()));
    }

    static Span span(TerminalNode n) {
        return span(n.getSymbol());
    }

    // ---- declarations ---------------------------------------------------------------------

    private Decl decl(JanusParser.DeclContext d) {
        if (d instanceof JanusParser.FuncDeclContext f) {
            return new Decl.Func(span(f), f.name.getText(), span(f.name), f.ASYNC() != null, params(f.params()),
                    f.type() == null ? null : type(f.type()), block(f.block()));
        }
        if (d instanceof JanusParser.StructDeclContext s) {
            List<Param> fields = new ArrayList<>();
            for (JanusParser.FieldContext fc : s.field()) {
                fields.add(new Param(span(fc), fc.ID().getText(), type(fc.type())));
            }
            return new Decl.Struct(span(s), s.name.getText(), span(s.name), fields);
        }
        if (d instanceof JanusParser.ErrorDeclContext e) {
            List<Decl.Variant> variants = new ArrayList<>();
            for (TerminalNode id : e.ID()) {
                if (id.getSymbol() != e.name) {
                    variants.add(new Decl.Variant(span(id), id.getText()));
                }
            }
            return new Decl.ErrorSet(span(e), e.name.getText(), span(e.name), variants);
        }
        if (d instanceof JanusParser.LetDeclContext l) {
            return new Decl.Global(span(l), l.name.getText(), span(l.name), false,
                    l.type() == null ? null : type(l.type()), expr(l.expr()));
        }
        JanusParser.VarDeclContext v = (JanusParser.VarDeclContext) d;
        return new Decl.Global(span(v), v.name.getText(), span(v.name), true,
                v.type() == null ? null : type(v.type()), expr(v.expr()));
    }

    private List<Param> params(JanusParser.ParamsContext ps) {
        List<Param> out = new ArrayList<>();
        if (ps != null) {
            for (JanusParser.ParamContext p : ps.param()) {
                out.add(new Param(span(p), p.ID().getText(), p.type() == null ? null : type(p.type())));
            }
        }
        return out;
    }

    private TypeRef type(JanusParser.TypeContext t) {
        if (t instanceof JanusParser.NamedTypeContext n) {
            return new TypeRef.Named(span(n), n.ID().getText());
        }
        if (t instanceof JanusParser.ArrayTypeContext a) {
            return new TypeRef.ArrayOf(span(a), type(a.type()));
        }
        if (t instanceof JanusParser.GenericTypeContext g) {
            TypeRef arg = type(g.type());
            if (g.ID().getText().equals("Array")) {
                return new TypeRef.ArrayOf(span(g), arg);
            }
            return new TypeRef.Generic(span(g), g.ID().getText(), arg);
        }
        JanusParser.ErrorUnionTypeContext u = (JanusParser.ErrorUnionTypeContext) t;
        return new TypeRef.ErrorUnion(span(u), type(u.type()), u.ID().getText(), span(u.ID()));
    }

    // ---- statements -----------------------------------------------------------------------

    private Block block(JanusParser.BlockContext b) {
        List<Stmt> stmts = new ArrayList<>();
        for (JanusParser.StmtContext s : b.stmt()) {
            stmts.add(stmt(s));
        }
        return new Block(span(b), stmts);
    }

    private Stmt stmt(JanusParser.StmtContext s) {
        if (s instanceof JanusParser.ExprStmtContext e) {
            if (e.op == null) {
                return new Stmt.ExprStmt(span(e), expr(e.expr(0)));
            }
            Expr.BinaryOp op = switch (e.op.getType()) {
                case JanusParser.PLUS_ASSIGN -> Expr.BinaryOp.ADD;
                case JanusParser.MINUS_ASSIGN -> Expr.BinaryOp.SUB;
                case JanusParser.STAR_ASSIGN -> Expr.BinaryOp.MUL;
                case JanusParser.SLASH_ASSIGN -> Expr.BinaryOp.DIV;
                case JanusParser.PERCENT_ASSIGN -> Expr.BinaryOp.MOD;
                default -> null;
            };
            return new Stmt.Assign(span(e), expr(e.expr(0)), op, expr(e.expr(1)));
        }
        if (s instanceof JanusParser.LetStmtContext l) {
            return new Stmt.Local(span(l), l.name.getText(), span(l.name), false,
                    l.type() == null ? null : type(l.type()), expr(l.expr()));
        }
        if (s instanceof JanusParser.VarStmtContext v) {
            return new Stmt.Local(span(v), v.name.getText(), span(v.name), true,
                    v.type() == null ? null : type(v.type()), expr(v.expr()));
        }
        if (s instanceof JanusParser.IfStmtContext i) {
            List<Stmt.Branch> branches = new ArrayList<>();
            List<JanusParser.ExprContext> conds = i.expr();
            List<JanusParser.BlockContext> blocks = i.block();
            for (int k = 0; k < conds.size(); k++) {
                branches.add(new Stmt.Branch(expr(conds.get(k)), block(blocks.get(k))));
            }
            Block elseBlock = blocks.size() > conds.size() ? block(blocks.get(blocks.size() - 1)) : null;
            return new Stmt.If(span(i), branches, elseBlock);
        }
        if (s instanceof JanusParser.WhileStmtContext w) {
            return new Stmt.While(span(w), expr(w.expr()), block(w.block()));
        }
        if (s instanceof JanusParser.ForStmtContext f) {
            Expr start = expr(f.expr(0));
            Expr end = f.expr().size() > 1 ? expr(f.expr(1)) : null;
            boolean exclusive = f.op != null && f.op.getType() == JanusParser.RANGE_EXCL;
            return new Stmt.For(span(f), f.ID().getText(), span(f.ID()), start, end, exclusive, block(f.block()));
        }
        if (s instanceof JanusParser.BreakStmtContext b) {
            return new Stmt.Break(span(b));
        }
        if (s instanceof JanusParser.ContinueStmtContext c) {
            return new Stmt.Continue(span(c));
        }
        if (s instanceof JanusParser.ReturnStmtContext r) {
            return new Stmt.Return(span(r), r.expr() == null ? null : expr(r.expr()));
        }
        if (s instanceof JanusParser.FailStmtContext f) {
            return new Stmt.Fail(span(f), expr(f.expr()));
        }
        if (s instanceof JanusParser.DeferStmtContext d) {
            Block body;
            if (d.block() != null) {
                body = block(d.block());
            } else {
                Expr e = expr(d.expr());
                body = new Block(e.span(), List.of(new Stmt.ExprStmt(e.span(), e)));
            }
            return new Stmt.Defer(span(d), body);
        }
        JanusParser.NurseryStmtContext n = (JanusParser.NurseryStmtContext) s;
        TerminalNode name = n.ID();
        return new Stmt.Nursery(span(n), name == null ? null : name.getText(), name == null ? null : span(name),
                block(n.block()), span(n.END()));
    }

    // ---- expressions ----------------------------------------------------------------------

    private Expr expr(JanusParser.ExprContext e) {
        if (e instanceof JanusParser.PostfixExprContext p) {
            return postfix(p.postfix());
        }
        if (e instanceof JanusParser.BinaryExprContext b) {
            return new Expr.Binary(span(b), binaryOp(b.op.getType()), expr(b.expr(0)), expr(b.expr(1)));
        }
        if (e instanceof JanusParser.PrefixExprContext p) {
            switch (p.op.getType()) {
                case JanusParser.MINUS: {
                    JanusParser.IntLitContext lit = intLiteralOperand(p.expr());
                    if (lit != null) {
                        return new Expr.IntLit(span(p), intLiteral(lit.INT().getSymbol(), true));
                    }
                    return new Expr.Negate(span(p), expr(p.expr()));
                }
                case JanusParser.AWAIT:
                    return new Expr.Await(span(p), expr(p.expr()));
                case JanusParser.SPAWN:
                    return new Expr.Start(span(p), true, expr(p.expr()));
                default:
                    return new Expr.Start(span(p), false, expr(p.expr()));
            }
        }
        if (e instanceof JanusParser.NotExprContext n) {
            return new Expr.Not(span(n), expr(n.expr()));
        }
        JanusParser.CatchExprContext c = (JanusParser.CatchExprContext) e;
        Block handler;
        if (c.block() != null) {
            handler = block(c.block());
        } else {
            Expr fallback = expr(c.expr(1));
            handler = new Block(fallback.span(), List.of(new Stmt.ExprStmt(fallback.span(), fallback)));
        }
        return new Expr.Catch(span(c), expr(c.expr(0)), c.ID().getText(), span(c.ID()), handler);
    }

    private static JanusParser.IntLitContext intLiteralOperand(JanusParser.ExprContext e) {
        if (e instanceof JanusParser.PostfixExprContext p
                && p.postfix() instanceof JanusParser.PrimaryPostfixContext pp
                && pp.primary() instanceof JanusParser.IntLitContext lit) {
            return lit;
        }
        return null;
    }

    private static Expr.BinaryOp binaryOp(int type) {
        return switch (type) {
            case JanusParser.PLUS -> Expr.BinaryOp.ADD;
            case JanusParser.MINUS -> Expr.BinaryOp.SUB;
            case JanusParser.STAR -> Expr.BinaryOp.MUL;
            case JanusParser.SLASH -> Expr.BinaryOp.DIV;
            case JanusParser.PERCENT -> Expr.BinaryOp.MOD;
            case JanusParser.EQ -> Expr.BinaryOp.EQ;
            case JanusParser.NE -> Expr.BinaryOp.NE;
            case JanusParser.LT -> Expr.BinaryOp.LT;
            case JanusParser.LE -> Expr.BinaryOp.LE;
            case JanusParser.GT -> Expr.BinaryOp.GT;
            case JanusParser.GE -> Expr.BinaryOp.GE;
            case JanusParser.AND -> Expr.BinaryOp.AND;
            default -> Expr.BinaryOp.OR;
        };
    }

    private Expr postfix(JanusParser.PostfixContext p) {
        if (p instanceof JanusParser.PrimaryPostfixContext pp) {
            return primary(pp.primary());
        }
        if (p instanceof JanusParser.MemberPostfixContext m) {
            Expr receiver = postfix(m.postfix());
            boolean call = m.LPAREN() != null || m.closure() != null;
            if (!call) {
                return new Expr.Field(span(m), receiver, m.ID().getText(), span(m.ID()));
            }
            List<Expr> args = args(m.args());
            if (m.closure() != null) {
                args.add(closure(m.closure()));
            }
            return new Expr.MethodCall(span(m), receiver, m.ID().getText(), span(m.ID()), args);
        }
        if (p instanceof JanusParser.CallPostfixContext c) {
            List<Expr> args = args(c.args());
            if (c.closure() != null) {
                args.add(closure(c.closure()));
            }
            return new Expr.Call(span(c), postfix(c.postfix()), args);
        }
        JanusParser.IndexPostfixContext i = (JanusParser.IndexPostfixContext) p;
        return new Expr.Index(span(i), postfix(i.postfix()), expr(i.expr()));
    }

    private List<Expr> args(JanusParser.ArgsContext a) {
        List<Expr> out = new ArrayList<>();
        if (a != null) {
            for (JanusParser.ExprContext e : a.expr()) {
                out.add(expr(e));
            }
        }
        return out;
    }

    private Expr primary(JanusParser.PrimaryContext p) {
        if (p instanceof JanusParser.IntLitContext i) {
            return new Expr.IntLit(span(i), intLiteral(i.INT().getSymbol(), false));
        }
        if (p instanceof JanusParser.FloatLitContext f) {
            return new Expr.FloatLit(span(f), floatLiteral(f.FLOAT().getSymbol()));
        }
        if (p instanceof JanusParser.StringLitContext s) {
            return new Expr.StringLit(span(s), stringLiteral(s.STRING().getSymbol()));
        }
        if (p instanceof JanusParser.TrueLitContext t) {
            return new Expr.BoolLit(span(t), true);
        }
        if (p instanceof JanusParser.FalseLitContext f) {
            return new Expr.BoolLit(span(f), false);
        }
        if (p instanceof JanusParser.NilLitContext n) {
            return new Expr.NilLit(span(n));
        }
        if (p instanceof JanusParser.NameRefContext n) {
            return new Expr.Name(span(n), n.ID().getText());
        }
        if (p instanceof JanusParser.StructLitContext s) {
            List<Expr.FieldInit> fields = new ArrayList<>();
            for (JanusParser.FieldInitContext f : s.fieldInit()) {
                fields.add(new Expr.FieldInit(span(f.ID()), f.ID().getText(), expr(f.expr())));
            }
            return new Expr.StructLit(span(s), s.ID().getText(), fields);
        }
        if (p instanceof JanusParser.ArrayLitContext a) {
            return new Expr.ArrayLit(span(a), args(a.args()));
        }
        if (p instanceof JanusParser.ClosureLitContext c) {
            return closure(c.closure());
        }
        return expr(((JanusParser.ParenExprContext) p).expr());
    }

    private Expr.Closure closure(JanusParser.ClosureContext c) {
        List<Param> params = new ArrayList<>();
        for (TerminalNode id : c.ID()) {
            params.add(new Param(span(id), id.getText(), null));
        }
        return new Expr.Closure(span(c), params, block(c.block()));
    }

    // ---- literals -------------------------------------------------------------------------

    private long intLiteral(Token t, boolean negative) {
        String text = t.getText().replace("_", "");
        int radix = 10;
        if (text.length() > 1 && (text.charAt(1) == 'x' || text.charAt(1) == 'X')) {
            radix = 16;
            text = text.substring(2);
        } else if (text.length() > 1 && (text.charAt(1) == 'b' || text.charAt(1) == 'B')) {
            radix = 2;
            text = text.substring(2);
        }
        if (text.isEmpty()) {
            diagnostics.error(span(t), Code.S0008, "the number `" + t.getText() + "` has no digits after its prefix");
            return 0;
        }
        BigInteger v = new BigInteger(text, radix);
        if (negative) {
            v = v.negate();
        }
        if (v.compareTo(MIN_LONG) < 0 || v.compareTo(MAX_LONG) > 0) {
            diagnostics.error(span(t), Code.S0007, "the number `" + (negative ? "-" : "") + t.getText()
                    + "` does not fit in a 64-bit int (-9223372036854775808..9223372036854775807)");
            return 0;
        }
        return v.longValue();
    }

    private double floatLiteral(Token t) {
        double d = Double.parseDouble(t.getText().replace("_", ""));
        if (Double.isInfinite(d)) {
            diagnostics.error(span(t), Code.S0008, "the number `" + t.getText() + "` is too large for a float");
        }
        return d;
    }

    private String stringLiteral(Token t) {
        String raw = t.getText();
        StringBuilder sb = new StringBuilder(raw.length());
        int end = raw.length() - 1;
        for (int i = 1; i < end; i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            int col = t.getCharPositionInLine() + 1 + i;
            char n = raw.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'u' -> {
                    int close = raw.indexOf('}', i);
                    String hex = (i + 1 < end && raw.charAt(i + 1) == '{' && close > i + 2 && close < end)
                            ? raw.substring(i + 2, close) : null;
                    int cp = -1;
                    if (hex != null && hex.length() <= 6 && hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        cp = Integer.parseInt(hex, 16);
                    }
                    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                        diagnostics.error(t.getLine(), col, Code.S0004,
                                "`\\u` must be followed by a Unicode code point in braces, like \\u{1F600}");
                        if (close > i && close < end) {
                            i = close;
                        }
                    } else {
                        sb.appendCodePoint(cp);
                        i = close;
                    }
                }
                default -> diagnostics.error(t.getLine(), col, Code.S0004,
                        "unknown escape `\\" + n + "` (use \\n, \\t, \\\", \\\\ or \\u{…})");
            }
        }
        return sb.toString();
    }
}

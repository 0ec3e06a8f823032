package dev.januslab.interpreter.syntax;

import dev.januslab.interpreter.ast.Program;
import dev.januslab.interpreter.diag.Code;
import dev.januslab.interpreter.diag.Diagnostics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Source text to AST. Lexical problems are reported first, then the parse runs in fast SLL
 * mode and falls back to full LL with {@link StudentErrorStrategy} only if SLL fails. The
 * AST is built only from a parse without syntax errors; otherwise null is returned and the
 * diagnostics say why.
 */
public final class SourceParser {
    /** Deepest bracket nesting accepted; deeper programs get S0009 instead of a stack overflow. */
    static final int MAX_NESTING = 200;

    private SourceParser() {}

    public static Program parse(String file, String source, Diagnostics diagnostics) {
        JanusLexer lexer = new JanusLexer(CharStreams.fromString(source, file));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        Set<Integer> linesWithErrors = new HashSet<>();
        if (!lexicalCheck(tokens.getTokens(), diagnostics, linesWithErrors)) {
            return null;
        }
        JanusParser parser = new JanusParser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        JanusParser.ProgramContext tree;
        try {
            tree = parser.program();
        } catch (ParseCancellationException e) {
            tokens.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new StudentErrorStrategy(diagnostics, linesWithErrors));
            tree = parser.program();
        }
        if (diagnostics.hasErrors()) {
            return null;
        }
        return new AstBuilder(file, diagnostics).program(tree);
    }

    /**
     * Reports bad characters, unterminated strings/comments and too-deep nesting; false if
     * parsing is pointless. After a lexical error the parse is skipped: its errors would be
     * cascades of the broken token (an unclosed string swallows the closing bracket).
     */
    private static boolean lexicalCheck(List<Token> tokens, Diagnostics d, Set<Integer> lines) {
        int depth = 0;
        boolean ok = true;
        int prefixRun = 0;
        for (Token t : tokens) {
            int col = t.getCharPositionInLine() + 1;
            int type = t.getType();
            boolean prefix = type == JanusLexer.MINUS || type == JanusLexer.NOT || type == JanusLexer.AWAIT
                    || type == JanusLexer.ASYNC || type == JanusLexer.SPAWN;
            prefixRun = prefix ? prefixRun + 1 : 0;
            if (prefixRun > MAX_NESTING) {
                d.error(t.getLine(), col, Code.S0009,
                        "too many prefix operators in a row here (more than " + MAX_NESTING + ")");
                return false;
            }
            switch (t.getType()) {
                case JanusLexer.UNTERMINATED_STRING:
                    d.error(t.getLine(), col, Code.S0003,
                            "this string has no closing `\"` on its line (a string cannot span lines; write \\n for a newline)");
                    lines.add(t.getLine());
                    ok = false;
                    break;
                case JanusLexer.UNTERMINATED_COMMENT:
                    d.error(t.getLine(), col, Code.S0006, "this `/*` comment is never closed with `*/`");
                    lines.add(t.getLine());
                    ok = false;
                    break;
                case JanusLexer.BAD_CHAR:
                    d.error(t.getLine(), col, Code.S0005,
                            "the character `" + printable(t.getText()) + "` cannot appear here");
                    lines.add(t.getLine());
                    ok = false;
                    break;
                case JanusLexer.LPAREN: case JanusLexer.LBRACK: case JanusLexer.LBRACE:
                    depth++;
                    if (depth > MAX_NESTING) {
                        d.error(t.getLine(), col, Code.S0009,
                                "the program is nested too deeply here (more than " + MAX_NESTING + " brackets)");
                        return false;
                    }
                    break;
                case JanusLexer.RPAREN: case JanusLexer.RBRACK: case JanusLexer.RBRACE:
                    depth = Math.max(0, depth - 1);
                    break;
                default:
                    break;
            }
        }
        return ok;
    }

    private static String printable(String s) {
        int cp = s.codePointAt(0);
        if (cp < 0x20 || cp == 0x7f) {
            return String.format("\\u{%X}", cp);
        }
        return s;
    }
}

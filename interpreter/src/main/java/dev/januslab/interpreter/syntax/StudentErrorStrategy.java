package dev.januslab.interpreter.syntax;

import dev.januslab.interpreter.diag.Code;
import dev.januslab.interpreter.diag.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery (single-token insertion/deletion, resync) with our own words: every
 * syntax error says what was expected and what was found, phrased for a student, and is
 * reported through {@link Diagnostics} rather than ANTLR's English.
 */
final class StudentErrorStrategy extends DefaultErrorStrategy {
    private final Diagnostics diagnostics;
    private final java.util.Set<Integer> linesWithErrors;

    StudentErrorStrategy(Diagnostics diagnostics, java.util.Set<Integer> linesWithErrors) {
        this.diagnostics = diagnostics;
        this.linesWithErrors = linesWithErrors;
    }

    private void report(Parser recognizer, Token at, Code code, String message) {
        int line = at.getLine();
        int col = at.getCharPositionInLine() + 1;
        if (at.getType() == Token.EOF) {
            // Point just after the last real token, not at an empty last line.
            Token last = lastToken(recognizer, at);
            if (last != null) {
                line = last.getLine();
                col = last.getCharPositionInLine() + 1 + Math.max(1, last.getText().length());
            } else {
                line = Math.max(1, line);
            }
        }
        // One syntax error per line, and none after an error until the next top-level
        // declaration: ANTLR's recovery cascades, and a cascade only confuses a student.
        if (at.getTokenIndex() >= 0 && at.getTokenIndex() < suppressUntil) {
            return;
        }
        if (!linesWithErrors.add(line)) {
            return;
        }
        suppressUntil = nextDeclarationStart(recognizer.getInputStream(), at);
        if (TokenWords.isLexicalError(at.getType())) {
            return; // already reported by the lexer check, in better words
        }
        diagnostics.error(line, col, code, message);
    }

    private int suppressUntil = -1;

    /** Index of the next token that starts a top-level declaration at column 1, after at. */
    private static int nextDeclarationStart(org.antlr.v4.runtime.TokenStream ts, Token at) {
        for (int i = Math.max(0, at.getTokenIndex()) + 1; i < ts.size(); i++) {
            Token t = ts.get(i);
            if (t.getType() == Token.EOF) {
                return i;
            }
            if (t.getCharPositionInLine() == 0 && (t.getType() == JanusLexer.FUNC || t.getType() == JanusLexer.ASYNC
                    || t.getType() == JanusLexer.STRUCT || t.getType() == JanusLexer.ERROR
                    || t.getType() == JanusLexer.LET || t.getType() == JanusLexer.VAR)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static Token lastToken(Parser recognizer, Token eof) {
        org.antlr.v4.runtime.TokenStream ts = recognizer.getInputStream();
        for (int i = eof.getTokenIndex() - 1; i >= 0; i--) {
            Token t = ts.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL && t.getType() != JanusLexer.NL) {
                return t;
            }
        }
        return null;
    }

    @Override
    protected void reportNoViableAlternative(Parser recognizer, NoViableAltException e) {
        Token t = e.getOffendingToken();
        String sameLine = sameLineStatement(recognizer, t, e.getExpectedTokens());
        report(recognizer, t, Code.S0001, sameLine != null ? sameLine
                : unexpected(t) + expectedSuffix(recognizer, e.getExpectedTokens()));
    }

    @Override
    protected void reportInputMismatch(Parser recognizer, InputMismatchException e) {
        Token t = e.getOffendingToken();
        report(recognizer, t, Code.S0001, unexpected(t) + expectedSuffix(recognizer, e.getExpectedTokens()));
    }

    @Override
    protected void reportFailedPredicate(Parser recognizer, FailedPredicateException e) {
        Token t = e.getOffendingToken();
        report(recognizer, t, Code.S0001, unexpected(t));
    }

    @Override
    protected void reportUnwantedToken(Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        Token t = recognizer.getCurrentToken();
        report(recognizer, t, Code.S0001, unexpected(t) + expectedSuffix(recognizer, getExpectedTokens(recognizer)));
    }

    @Override
    protected void reportMissingToken(Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) {
            return;
        }
        beginErrorCondition(recognizer);
        Token t = recognizer.getCurrentToken();
        IntervalSet expecting = getExpectedTokens(recognizer);
        String sameLine = sameLineStatement(recognizer, t, expecting);
        if (sameLine != null) {
            report(recognizer, t, Code.S0001, sameLine);
            return;
        }
        String what = TokenWords.describeExpected(expecting);
        String closes = closes(recognizer, expecting);
        report(recognizer, t, Code.S0002, "expected " + what + closes + " before " + TokenWords.describe(t));
    }

    /** "a new line" is what is missing when a second statement starts on the same line. */
    private static String sameLineStatement(Parser recognizer, Token t, IntervalSet expecting) {
        if (expecting == null || !(expecting.contains(JanusLexer.NL) || expecting.contains(JanusLexer.END))
                || t.getType() == Token.EOF
                || t.getTokenIndex() <= 0) {
            return null;
        }
        Token prev = recognizer.getInputStream().get(t.getTokenIndex() - 1);
        boolean startsStatement = t.getType() == JanusLexer.LET || t.getType() == JanusLexer.VAR
                || t.getType() == JanusLexer.IF || t.getType() == JanusLexer.WHILE || t.getType() == JanusLexer.FOR
                || t.getType() == JanusLexer.RETURN || t.getType() == JanusLexer.NURSERY
                || t.getType() == JanusLexer.DEFER || t.getType() == JanusLexer.FAIL;
        if (startsStatement && prev.getLine() == t.getLine()) {
            return "expected a new line or `;` before " + TokenWords.describe(t)
                    + ": each statement goes on its own line";
        }
        return null;
    }

    private static String unexpected(Token t) {
        if (t.getType() == Token.EOF) {
            return "the file ends too early";
        }
        if (t.getType() == JanusLexer.NL) {
            return "this line ends too early";
        }
        String what = TokenWords.describe(t);
        return "unexpected " + (what.startsWith("the ") ? what.substring(4) : what);
    }

    private static String expectedSuffix(Parser recognizer, IntervalSet expecting) {
        if (expecting == null || expecting.isNil()) {
            return "";
        }
        return ": expected " + TokenWords.describeExpected(expecting) + closes(recognizer, expecting);
    }

    /** When `end` or `}` is expected, say which construct it would close and where that began. */
    private static String closes(Parser recognizer, IntervalSet expecting) {
        boolean end = expecting.contains(JanusParser.END);
        boolean brace = expecting.contains(JanusParser.RBRACE);
        if (!end && !brace) {
            return "";
        }
        for (ParserRuleContext c = recognizer.getContext(); c != null; c = c.getParent()) {
            String what = opener(c);
            if (what != null && (end != (c instanceof JanusParser.ClosureContext
                    || c instanceof JanusParser.StructDeclContext || c instanceof JanusParser.ErrorDeclContext
                    || c instanceof JanusParser.StructLitContext))) {
                return " to close the " + what + " on line " + c.getStart().getLine();
            }
        }
        return "";
    }

    private static String opener(ParserRuleContext c) {
        if (c instanceof JanusParser.FuncDeclContext f) {
            return "`func " + (f.name == null ? "" : f.name.getText()) + "`";
        }
        if (c instanceof JanusParser.IfStmtContext) {
            return "`if`";
        }
        if (c instanceof JanusParser.WhileStmtContext) {
            return "`while` loop";
        }
        if (c instanceof JanusParser.ForStmtContext) {
            return "`for` loop";
        }
        if (c instanceof JanusParser.NurseryStmtContext) {
            return "`nursery` block";
        }
        if (c instanceof JanusParser.DeferStmtContext) {
            return "`defer` block";
        }
        if (c instanceof JanusParser.CatchExprContext) {
            return "`catch` block";
        }
        if (c instanceof JanusParser.ClosureContext) {
            return "closure";
        }
        if (c instanceof JanusParser.StructDeclContext || c instanceof JanusParser.StructLitContext) {
            return "struct";
        }
        if (c instanceof JanusParser.ErrorDeclContext) {
            return "error set";
        }
        return null;
    }

    static List<String> names(IntervalSet s) {
        List<String> out = new ArrayList<>();
        for (int t : s.toArray()) {
            out.add(TokenWords.name(t));
        }
        return out;
    }
}

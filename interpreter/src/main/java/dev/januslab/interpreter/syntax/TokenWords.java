package dev.januslab.interpreter.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Token types in the words a student would use: `end`, a name, a number, the end of the line. */
final class TokenWords {
    private TokenWords() {}

    static boolean isLexicalError(int type) {
        return type == JanusLexer.UNTERMINATED_STRING || type == JanusLexer.UNTERMINATED_COMMENT
                || type == JanusLexer.BAD_CHAR;
    }

    /** The token as found in the source. */
    static String describe(Token t) {
        switch (t.getType()) {
            case Token.EOF:
                return "the end of the file";
            case JanusLexer.NL:
                return "the end of the line";
            case JanusLexer.ID:
                return "the name `" + t.getText() + "`";
            case JanusLexer.INT:
            case JanusLexer.FLOAT:
                return "the number `" + t.getText() + "`";
            case JanusLexer.STRING:
                return "a string";
            default:
                return "`" + shorten(t.getText()) + "`";
        }
    }

    private static String shorten(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }

    /** One expected token type. */
    static String name(int type) {
        switch (type) {
            case Token.EOF:
                return "the end of the file";
            case JanusLexer.NL:
                return "a new line";
            case JanusLexer.ID:
                return "a name";
            case JanusLexer.INT:
            case JanusLexer.FLOAT:
                return "a number";
            case JanusLexer.STRING:
                return "a string";
            default:
                String lit = JanusLexer.VOCABULARY.getLiteralName(type);
                if (lit != null) {
                    return "`" + lit.substring(1, lit.length() - 1) + "`";
                }
                return JanusLexer.VOCABULARY.getDisplayName(type).toLowerCase();
        }
    }

    /** An expected set: "an expression", "`end`", "a name or `)`" ... */
    static String describeExpected(IntervalSet s) {
        List<String> words = new ArrayList<>();
        boolean expression = s.contains(JanusLexer.INT) && s.contains(JanusLexer.ID) && s.contains(JanusLexer.STRING);
        boolean statement = expression && s.contains(JanusLexer.LET) && s.contains(JanusLexer.IF);
        boolean declaration = !expression && s.contains(JanusLexer.FUNC) && s.contains(JanusLexer.STRUCT);
        if (statement) {
            words.add("a statement");
        } else if (expression) {
            words.add("an expression");
        } else if (declaration) {
            words.add("a declaration (`func`, `async func`, `struct`, `error`, `let` or `var`)");
        }
        for (int t : s.toArray()) {
            if (expression && startsExpression(t)) {
                continue;
            }
            if (statement && startsStatement(t)) {
                continue;
            }
            if (declaration && startsDeclaration(t)) {
                continue;
            }
            if (t == JanusLexer.SEMI && s.contains(JanusLexer.NL)) {
                continue; // "a new line" says it
            }
            words.add(name(t));
        }
        if (words.size() > 5) {
            words = new ArrayList<>(words.subList(0, 5));
            words.add("…");
        }
        if (words.isEmpty()) {
            return "something else";
        }
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static boolean startsExpression(int t) {
        switch (t) {
            case JanusLexer.INT: case JanusLexer.FLOAT: case JanusLexer.STRING: case JanusLexer.ID:
            case JanusLexer.TRUE: case JanusLexer.FALSE: case JanusLexer.NIL: case JanusLexer.LPAREN:
            case JanusLexer.LBRACK: case JanusLexer.LBRACE: case JanusLexer.MINUS: case JanusLexer.NOT:
            case JanusLexer.AWAIT: case JanusLexer.ASYNC: case JanusLexer.SPAWN:
                return true;
            default:
                return false;
        }
    }

    private static boolean startsStatement(int t) {
        switch (t) {
            case JanusLexer.LET: case JanusLexer.VAR: case JanusLexer.IF: case JanusLexer.WHILE:
            case JanusLexer.FOR: case JanusLexer.BREAK: case JanusLexer.CONTINUE: case JanusLexer.RETURN:
            case JanusLexer.FAIL: case JanusLexer.DEFER: case JanusLexer.NURSERY:
                return true;
            default:
                return false;
        }
    }

    private static boolean startsDeclaration(int t) {
        switch (t) {
            case JanusLexer.FUNC: case JanusLexer.ASYNC: case JanusLexer.STRUCT: case JanusLexer.ERROR:
            case JanusLexer.LET: case JanusLexer.VAR:
                return true;
            default:
                return false;
        }
    }
}

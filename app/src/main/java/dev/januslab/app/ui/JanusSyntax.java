package dev.januslab.app.ui;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.interpreter.syntax.JanusLexer;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/**
 * Syntax colouring from the front end's own ANTLR lexer (so the editor and the compiler never
 * disagree about what a token is), and diagnostics from the front end. Comments are skipped
 * by the lexer, so the text between tokens that is not blank is coloured as a comment.
 */
public final class JanusSyntax {
    private static final Set<String> CONCURRENCY = Set.of("ASYNC", "AWAIT", "SPAWN", "NURSERY");
    private static final Set<String> BUILTINS = Set.of("sleep", "println", "print", "now_ms", "is_cancelled",
            "cancel", "yield", "http_get", "await_any", "await_all", "task_id", "worker_id", "random", "len",
            "str", "int", "float", "assert");

    private JanusSyntax() {}

    /**
     * The colouring of {@code text}. Blank stretches between tokens take the style of what is
     * before them (spaces have no ink, and the editor's font is monospaced, bold or not), so a
     * line is a few runs of one style each rather than a run per token and per space: the
     * editor makes a text node per run, and a program's rows are built anew whenever it is
     * replaced (an opened trace, a lesson).
     */
    public static StyleSpans<Collection<String>> highlight(String text) {
        Spans b = new Spans();
        JanusLexer lexer = new JanusLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        int pos = 0;
        try {
            for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
                int start = t.getStartIndex(), stop = t.getStopIndex() + 1;
                if (start < pos || stop > text.length()) continue;
                if (start > pos) gap(b, text, pos, start);
                b.add(styleOf(t), stop - start);
                pos = stop;
            }
        } catch (RuntimeException lexerTrouble) {
            // colour what we have; the checker reports the problem
        }
        if (pos < text.length()) gap(b, text, pos, text.length());
        return b.create();
    }

    private static void gap(Spans b, String text, int from, int to) {
        b.add(text.substring(from, to).isBlank() ? b.last : "comment", to - from);
    }

    /** Style runs, each as long as the style stays the same ({@code null}: no style). */
    private static final class Spans {
        final StyleSpansBuilder<Collection<String>> builder = new StyleSpansBuilder<>();
        String last;
        int length;

        void add(String style, int n) {
            if (n <= 0) return;
            if (length > 0 && !java.util.Objects.equals(style, last)) flush();
            last = style;
            length += n;
        }

        private void flush() {
            builder.add(last == null ? List.of() : List.of(last), length);
            length = 0;
        }

        StyleSpans<Collection<String>> create() {
            if (length > 0) flush();
            else builder.add(List.of(), 0); // an empty text still has one (empty) span
            return builder.create();
        }
    }

    private static String styleOf(Token t) {
        String name = JanusLexer.VOCABULARY.getSymbolicName(t.getType());
        if (name == null) return "plain";
        if (CONCURRENCY.contains(name)) return "kw-async";
        if (name.equals("STRING") || name.equals("UNTERMINATED_STRING")) return "string";
        if (name.equals("INT") || name.equals("FLOAT") || name.startsWith("INT") || name.endsWith("NUMBER")) return "number";
        if (name.equals("TRUE") || name.equals("FALSE") || name.equals("NIL")) return "number";
        if (name.equals("ID")) return BUILTINS.contains(t.getText()) ? "builtin" : "plain";
        if (name.equals("BAD_CHAR") || name.equals("UNTERMINATED_COMMENT")) return "bad";
        if (name.matches("[A-Z]+") && t.getText().matches("[a-z]+")) return "keyword";
        return "plain";
    }

    /** Every compile error of the text (all in one pass), sorted by position. */
    public static List<Diagnostic> check(String fileName, String text) {
        // The full front end (parse + checker), so semantic errors are underlined too.
        try {
            return JanusCompiler.check(fileName, text);
        } catch (RuntimeException internal) {
            return List.of();
        }
    }
}

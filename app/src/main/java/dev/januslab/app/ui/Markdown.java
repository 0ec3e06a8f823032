package dev.januslab.app.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * A small Markdown renderer for lesson text (no WebView): headings, paragraphs, bullet and
 * numbered lists, fenced code blocks, and inline {@code `code`}, {@code **bold**} and
 * {@code *italic*} spans. Each block becomes a {@link TextFlow} (or a label for code) styled
 * by the {@code md-*} classes in base.css.
 */
public final class Markdown {
    private Markdown() {}

    /** One block of the document, for tests: kind ("h1".."h3", "p", "li", "code") and its raw text. */
    public record Block(String kind, String text) {}

    public static List<Block> parse(String markdown) {
        List<Block> out = new ArrayList<>();
        String[] lines = markdown.replace("\r\n", "\n").split("\n", -1);
        StringBuilder para = new StringBuilder();
        String listKind = null;
        StringBuilder item = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String t = line.strip();
            if (t.startsWith("```")) {
                flush(out, para, listKind, item);
                item = null;
                listKind = null;
                para.setLength(0);
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.length && !lines[i].strip().startsWith("```"); i++) {
                    if (code.length() > 0) code.append('\n');
                    code.append(lines[i]);
                }
                out.add(new Block("code", code.toString()));
                continue;
            }
            if (t.isEmpty()) {
                flush(out, para, listKind, item);
                item = null;
                listKind = null;
                para.setLength(0);
                continue;
            }
            if (t.startsWith("#")) {
                flush(out, para, listKind, item);
                item = null;
                listKind = null;
                para.setLength(0);
                int level = 0;
                while (level < t.length() && t.charAt(level) == '#') level++;
                out.add(new Block("h" + Math.min(3, level), t.substring(level).strip()));
                continue;
            }
            String bullet = null;
            if (t.matches("[-*+] .*")) bullet = "•";
            else if (t.matches("\\d+[.)] .*")) bullet = t.substring(0, t.indexOf(' '));
            if (bullet != null) {
                flush(out, para, listKind, item);
                para.setLength(0);
                listKind = bullet;
                item = new StringBuilder(t.substring(t.indexOf(' ') + 1).strip());
                continue;
            }
            if (item != null && Character.isWhitespace(line.isEmpty() ? 'x' : line.charAt(0))) {
                item.append(' ').append(t); // continuation of a list item
                continue;
            }
            if (item != null) {
                flush(out, para, listKind, item);
                item = null;
                listKind = null;
            }
            if (para.length() > 0) para.append(' ');
            para.append(t);
        }
        flush(out, para, listKind, item);
        return out;
    }

    private static void flush(List<Block> out, StringBuilder para, String listKind, StringBuilder item) {
        if (item != null && item.length() > 0) out.add(new Block("li", listKind + "\u0000" + item));
        else if (para.length() > 0) out.add(new Block("p", para.toString()));
        if (item != null) item.setLength(0);
        para.setLength(0);
    }

    /** Renders {@code markdown} into a VBox of styled blocks. */
    public static VBox render(String markdown) {
        VBox box = new VBox(8);
        box.getStyleClass().add("markdown");
        for (Block b : parse(markdown)) box.getChildren().add(node(b));
        return box;
    }

    private static Node node(Block b) {
        switch (b.kind()) {
            case "code" -> {
                Label code = new Label(b.text());
                code.getStyleClass().add("md-code-block");
                code.setMaxWidth(Double.MAX_VALUE);
                code.setWrapText(false);
                return code;
            }
            case "li" -> {
                int z = b.text().indexOf('\u0000');
                Label mark = new Label(b.text().substring(0, z));
                mark.getStyleClass().add("md-bullet");
                mark.setMinWidth(22);
                TextFlow flow = inline(b.text().substring(z + 1));
                flow.getStyleClass().add("md-li");
                HBox row = new HBox(4, mark, flow);
                HBox.setHgrow(flow, Priority.ALWAYS);
                return row;
            }
            default -> {
                TextFlow flow = inline(b.text());
                flow.getStyleClass().add("md-" + b.kind());
                return flow;
            }
        }
    }

    /** Inline spans: `code`, **bold**, *italic*; the rest is plain text. */
    static TextFlow inline(String s) {
        TextFlow flow = new TextFlow();
        StringBuilder plain = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            String style = null;
            int end = -1;
            int skip = 0;
            if (c == '`') {
                end = s.indexOf('`', i + 1);
                style = "md-code";
                skip = 1;
            } else if (s.startsWith("**", i)) {
                end = s.indexOf("**", i + 2);
                style = "md-bold";
                skip = 2;
            } else if (c == '*' && i + 1 < s.length() && s.charAt(i + 1) != ' ') {
                end = s.indexOf('*', i + 1);
                style = "md-italic";
                skip = 1;
            }
            if (style != null && end > i) {
                addText(flow, plain.toString(), "md-text");
                plain.setLength(0);
                addText(flow, s.substring(i + skip, end), style);
                i = end + skip;
            } else {
                plain.append(c);
                i++;
            }
        }
        addText(flow, plain.toString(), "md-text");
        return flow;
    }

    private static void addText(TextFlow flow, String s, String style) {
        if (s.isEmpty()) return;
        Text t = new Text(s);
        t.getStyleClass().addAll("md-span", style);
        flow.getChildren().add(t);
    }
}

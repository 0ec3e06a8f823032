package dev.januslab.interpreter;

import java.util.List;
import java.util.Random;

/**
 * Random Janus programs for the robustness test: mostly well-formed programs built from the
 * grammar (so the checker, compiler and verifier are exercised), and mutations of them and
 * of real programs (so the lexer, parser and error recovery are).
 */
final class ProgramGenerator {
    private static final String[] NAMES = {"a", "b", "x", "total", "h", "n", "item", "main", "fetch", "work", "LIMIT", "counter"};
    private static final String[] TOKENS = {"func", "async", "await", "spawn", "nursery", "let", "var", "if", "then", "else",
        "while", "for", "in", "do", "end", "return", "break", "continue", "fail", "catch", "defer", "struct", "error",
        "and", "or", "not", "true", "false", "nil", "(", ")", "[", "]", "{", "}", "|", "||", ",", ".", "..", "..<", ":",
        ";", "->", "=", "+=", "==", "!=", "<", ">", "+", "-", "*", "/", "%", "!", "\n", "\"s\"", "\"", "1", "0x", "2.5e3",
        "/*", "*/", "//", "\\", "@", "é", "\u0000", "x", "Item", "E.A", "    "};

    private final Random r;
    private int depth;

    ProgramGenerator(long seed) {
        this.r = new Random(seed);
    }

    String next(List<String> seeds) {
        int kind = r.nextInt(10);
        if (kind < 4) {
            return program();
        }
        String base = kind < 7 ? program() : seeds.get(r.nextInt(seeds.size()));
        int mutations = 1 + r.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            base = mutate(base);
        }
        return base;
    }

    private String mutate(String s) {
        if (s.isEmpty()) {
            return pick(TOKENS);
        }
        int at = r.nextInt(s.length() + 1);
        switch (r.nextInt(6)) {
            case 0: { // delete a range
                int end = Math.min(s.length(), at + 1 + r.nextInt(12));
                return at >= s.length() ? s : s.substring(0, at) + s.substring(end);
            }
            case 1: // insert a token
                return s.substring(0, at) + pick(TOKENS) + (r.nextBoolean() ? " " : "") + s.substring(at);
            case 2: { // duplicate a slice
                int end = Math.min(s.length(), at + r.nextInt(40));
                return s.substring(0, end) + s.substring(at, end) + s.substring(end);
            }
            case 3: // truncate
                return s.substring(0, at);
            case 4: // random character
                return s.substring(0, at) + (char) r.nextInt(0x3000) + s.substring(Math.min(s.length(), at + 1));
            default: { // swap two lines
                String[] lines = s.split("\n", -1);
                int i = r.nextInt(lines.length);
                int j = r.nextInt(lines.length);
                String t = lines[i];
                lines[i] = lines[j];
                lines[j] = t;
                return String.join("\n", lines);
            }
        }
    }

    private String pick(String[] xs) {
        return xs[r.nextInt(xs.length)];
    }

    String program() {
        depth = 0;
        StringBuilder sb = new StringBuilder();
        sb.append("struct Item { id: int, name: string }\nerror E { A, B }\nlet LIMIT = 3\nvar counter = 0\n");
        sb.append("async func fetch(u) do\n    return await http_get(u)\nend\n");
        sb.append("func work(a, b) do\n").append(block(1)).append("    return a\nend\n");
        sb.append(r.nextBoolean() ? "async func main() do\n" : "func main() do\n");
        sb.append(block(1));
        sb.append("end\n");
        return sb.toString();
    }

    private String block(int indent) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append("    ".repeat(indent)).append(stmt(indent)).append('\n');
        }
        return sb.toString();
    }

    private String stmt(int indent) {
        depth++;
        try {
            if (depth > 4) {
                return "println(" + expr() + ")";
            }
            switch (r.nextInt(14)) {
                case 0: return "let " + pick(NAMES) + " = " + expr();
                case 1: return "var " + pick(NAMES) + " = " + expr();
                case 2: return pick(NAMES) + (r.nextBoolean() ? " = " : " += ") + expr();
                case 3: return "if " + expr() + " then\n" + block(indent + 1) + "    ".repeat(indent)
                        + (r.nextBoolean() ? "else\n" + block(indent + 1) + "    ".repeat(indent) : "") + "end";
                case 4: return "while " + expr() + " do\n" + block(indent + 1) + "    ".repeat(indent) + "end";
                case 5: return "for " + pick(NAMES) + " in " + expr() + (r.nextBoolean() ? ".." + expr() : "") + " do\n"
                        + block(indent + 1) + "    ".repeat(indent) + "end";
                case 6: return "nursery" + (r.nextBoolean() ? " |n|" : "") + " do\n" + "    ".repeat(indent + 1)
                        + "spawn fetch(" + expr() + ")\n" + block(indent + 1) + "    ".repeat(indent) + "end";
                case 7: return r.nextBoolean() ? "break" : "continue";
                case 8: return "return " + expr();
                case 9: return "fail E." + (r.nextBoolean() ? "A" : "B");
                case 10: return "defer println(" + expr() + ")";
                case 11: return "counter += " + expr();
                default: return expr();
            }
        } finally {
            depth--;
        }
    }

    private String expr() {
        depth++;
        try {
            if (depth > 6) {
                return atom();
            }
            switch (r.nextInt(16)) {
                case 0: return expr() + " " + pick(new String[] {"+", "-", "*", "/", "%", "==", "<", "and", "or"}) + " " + expr();
                case 1: return "-" + expr();
                case 2: return "not " + expr();
                case 3: return "await " + (r.nextBoolean() ? "fetch(" + expr() + ")" : pick(NAMES));
                case 4: return "async fetch(" + expr() + ")";
                case 5: return "[" + expr() + ", " + expr() + "]";
                case 6: return "{ |x| " + expr() + " }";
                case 7: return pick(NAMES) + ".map { |u| " + expr() + " }";
                case 8: return "work(" + expr() + ", " + expr() + ")";
                case 9: return "Item { id: " + expr() + ", name: \"n\" }";
                case 10: return "(" + expr() + " catch |e| " + expr() + ")";
                case 11: return pick(NAMES) + "[" + expr() + "]";
                case 12: return pick(NAMES) + ".name";
                case 13: return "E.A";
                default: return atom();
            }
        } finally {
            depth--;
        }
    }

    private String atom() {
        switch (r.nextInt(7)) {
            case 0: return Integer.toString(r.nextInt(100));
            case 1: return "2.5";
            case 2: return "\"s" + r.nextInt(10) + "\"";
            case 3: return r.nextBoolean() ? "true" : "false";
            case 4: return "nil";
            default: return pick(NAMES);
        }
    }
}

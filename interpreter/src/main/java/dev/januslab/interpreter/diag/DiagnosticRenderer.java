package dev.januslab.interpreter.diag;

import java.util.List;

/**
 * Renders diagnostics the way a compiler does:
 * <pre>
 * hello.jan:3:13: error[N1002]: `await` is only allowed inside an `async func`
 *     let x = await fetch()
 *             ^
 * </pre>
 */
public final class DiagnosticRenderer {
    private final String[] lines;

    public DiagnosticRenderer(String source) {
        this.lines = source.split("\r\n|\r|\n", -1);
    }

    public String render(Diagnostic d) {
        StringBuilder sb = new StringBuilder(d.headline()).append('\n');
        if (d.line() >= 1 && d.line() <= lines.length) {
            String src = lines[d.line() - 1];
            sb.append(src).append('\n');
            int upto = Math.max(0, Math.min(d.col() - 1, src.length()));
            for (int i = 0; i < upto; i++) {
                sb.append(src.charAt(i) == '\t' ? '\t' : ' ');
            }
            sb.append("^\n");
        }
        return sb.toString();
    }

    public String renderAll(List<Diagnostic> ds) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : ds) {
            sb.append(render(d));
        }
        return sb.toString();
    }
}

package dev.januslab.app.cli;

import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.interpreter.diag.DiagnosticRenderer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the headless commands share: UTF-8 stdout/stderr whatever the platform default, and
 *  how compile errors are printed (FILE:LINE:COL, source line, caret; then the count). */
final class CliStreams {
    private CliStreams() {}

    // Over System.out/err (bytes pass through them unchanged), so a test that redirects them sees the output.
    static PrintStream stderr() {
        return new PrintStream(System.err, true, StandardCharsets.UTF_8);
    }

    static PrintStream stdout() {
        return new PrintStream(System.out, true, StandardCharsets.UTF_8);
    }

    static void printCompileErrors(PrintStream err, String source, List<Diagnostic> diagnostics) {
        err.print(new DiagnosticRenderer(source).renderAll(diagnostics));
        int n = diagnostics.size();
        err.println(n + (n == 1 ? " error" : " errors"));
        err.flush();
    }
}

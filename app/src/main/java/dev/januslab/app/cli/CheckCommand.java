package dev.januslab.app.cli;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.diag.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `janus-lab check FILE.jan`: compile only; diagnostics on stderr. Exit 0 clean, 2 errors, 3 unreadable. */
@Command(name = "check", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = JanusLabCommand.EXIT_USAGE,
        description = "Check a program for compile errors (all of them, in one pass).")
public final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.jan", description = "the program to check")
    Path file;

    @Override
    public Integer call() {
        java.io.PrintStream err = CliStreams.stderr();
        String source = SourceFile.read(file, err);
        if (source == null) {
            return JanusLabCommand.EXIT_USAGE;
        }
        List<Diagnostic> diagnostics = JanusCompiler.check(file.toString(), source);
        if (diagnostics.isEmpty()) {
            return JanusLabCommand.EXIT_OK;
        }
        CliStreams.printCompileErrors(err, source, diagnostics);
        return JanusLabCommand.EXIT_COMPILE_ERRORS;
    }
}

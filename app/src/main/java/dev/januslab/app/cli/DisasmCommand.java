package dev.januslab.app.cli;

import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.bytecode.Disassembler;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `janus-lab disasm FILE.jan`: the bytecode listing on stdout, source lines interleaved. */
@Command(name = "disasm", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = JanusLabCommand.EXIT_USAGE,
        description = "Compile a program and print its bytecode with the source lines interleaved.")
public final class DisasmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.jan", description = "the program to disassemble")
    Path file;

    @Override
    public Integer call() {
        java.io.PrintStream err = CliStreams.stderr();
        String source = SourceFile.read(file, err);
        if (source == null) {
            return JanusLabCommand.EXIT_USAGE;
        }
        JanusCompiler.Result result = JanusCompiler.compile(file.toString(), source);
        if (!result.ok()) {
            CliStreams.printCompileErrors(err, source, result.diagnostics());
            return JanusLabCommand.EXIT_COMPILE_ERRORS;
        }
        java.io.PrintStream out = CliStreams.stdout();
        out.print(Disassembler.disassemble(result.module(), source));
        out.flush();
        return JanusLabCommand.EXIT_OK;
    }
}

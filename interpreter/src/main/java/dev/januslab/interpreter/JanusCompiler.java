package dev.januslab.interpreter;

import dev.januslab.interpreter.ast.Program;
import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.check.CheckedProgram;
import dev.januslab.interpreter.check.Checker;
import dev.januslab.interpreter.compile.Compiler;
import dev.januslab.interpreter.diag.Code;
import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.interpreter.diag.Diagnostics;
import dev.januslab.interpreter.syntax.SourceParser;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The front end in one call: source text to diagnostics and (when there are none) a
 * bytecode module. Parse, check, compile. It never throws for any input: a program too
 * deep for the stack becomes diagnostic S0009.
 */
public final class JanusCompiler {
    /** Stack for the retry of a program that overflowed the caller's thread stack. */
    private static final long BIG_STACK = 512L << 20;

    private JanusCompiler() {}

    /** The outcome: all diagnostics (sorted), and the module if there were none. */
    public record Result(List<Diagnostic> diagnostics, BytecodeModule module) {
        public boolean ok() {
            return diagnostics.isEmpty() && module != null;
        }
    }

    public static Result compile(String file, String source) {
        try {
            return run(file, source);
        } catch (StackOverflowError e) {
            // Deeply nested but legal programs: retry once on a thread with a large stack.
            AtomicReference<Result> result = new AtomicReference<>();
            Thread t = new Thread(null, () -> {
                try {
                    result.set(run(file, source));
                } catch (StackOverflowError again) {
                    Diagnostics d = new Diagnostics(file);
                    d.error(1, 1, Code.S0009, "the program is nested too deeply to compile");
                    result.set(new Result(d.sorted(), null));
                }
            }, "janus-compile-deep", BIG_STACK);
            t.start();
            try {
                t.join();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            Result r = result.get();
            if (r == null) {
                Diagnostics d = new Diagnostics(file);
                d.error(1, 1, Code.S0009, "the program is nested too deeply to compile");
                r = new Result(d.sorted(), null);
            }
            return r;
        }
    }

    /** Diagnostics only (what `janus-lab check` prints). */
    public static List<Diagnostic> check(String file, String source) {
        return compile(file, source).diagnostics();
    }

    private static Result run(String file, String source) {
        Diagnostics d = new Diagnostics(file);
        Program program = SourceParser.parse(file, source, d);
        if (program == null || d.hasErrors()) {
            return new Result(d.sorted(), null);
        }
        CheckedProgram checked = Checker.check(program, d);
        if (d.hasErrors()) {
            return new Result(d.sorted(), null);
        }
        BytecodeModule module = Compiler.compile(checked, d);
        return new Result(d.sorted(), d.hasErrors() ? null : module);
    }
}

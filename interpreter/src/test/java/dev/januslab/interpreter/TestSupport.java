package dev.januslab.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.bytecode.Verifier;
import dev.januslab.interpreter.diag.Diagnostic;
import java.util.List;

/** Shared helpers: compile clean (and verified), or compile to a list of "line:code" strings. */
final class TestSupport {
    private TestSupport() {}

    static BytecodeModule ok(String source) {
        JanusCompiler.Result r = JanusCompiler.compile("test.jan", source);
        assertEquals(List.of(), r.diagnostics().stream().map(Diagnostic::headline).toList());
        List<String> problems = Verifier.verify(r.module());
        assertTrue(problems.isEmpty(), problems.toString());
        return r.module();
    }

    static List<String> errors(String source) {
        return JanusCompiler.compile("test.jan", source).diagnostics().stream()
                .map(d -> d.line() + ":" + d.code()).toList();
    }
}

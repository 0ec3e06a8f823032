package dev.januslab.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.interpreter.diag.DiagnosticRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticRenderingTest {
    @Test
    void headlineSourceLineAndCaret() {
        String src = "async func main() do\n\tlet x = 1\n\tx = 2\nend\n";
        List<Diagnostic> ds = JanusCompiler.check("prog.jan", src);
        assertEquals(1, ds.size());
        String out = new DiagnosticRenderer(src).render(ds.get(0));
        String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("prog.jan:3:2: error[N1005]: `x` is a `let` binding"), lines[0]);
        assertEquals("\tx = 2", lines[1]);
        assertEquals("\t^", lines[2]);
    }

    @Test
    void syntaxErrorsNeverUseAntlrWording() {
        for (String src : List.of("async func main() do\n let = 3\nend\n", "func (\n", "async func main() do\n foo(1,,2)\nend\n",
                "struct { }\n", "async func main() do\n if x then\nend\n")) {
            List<Diagnostic> ds = JanusCompiler.check("p.jan", src);
            assertTrue(!ds.isEmpty(), src);
            for (Diagnostic d : ds) {
                assertTrue(d.code().startsWith("S"), d.headline());
                assertTrue(!d.message().contains("mismatched") && !d.message().contains("viable")
                        && !d.message().contains("extraneous") && !d.message().contains("<EOF>")
                        && !d.message().contains("'"), d.headline());
            }
        }
    }
}

package dev.januslab.interpreter;

import static dev.januslab.interpreter.TestSupport.errors;
import static dev.januslab.interpreter.TestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.bytecode.Disassembler;
import dev.januslab.interpreter.bytecode.FunctionCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the compiler emits for the constructs whose translation the VM depends on. */
class CompilerTest {
    private static String listing(String source) {
        return Disassembler.disassemble(ok(source), source);
    }

    private static FunctionCode function(BytecodeModule m, String name) {
        return m.functions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void compoundAssignmentOfTopLevelVarIsOneAtomicRmw() {
        String l = listing("var counter = 0\nasync func main() do\n counter += 1\n counter = counter + 1\nend\n");
        assertTrue(l.contains("GLOBAL_RMW          0 0       ; counter +="), l);
        assertTrue(l.contains("GET_GLOBAL") && l.contains("SET_GLOBAL"), l);
    }

    @Test
    void capturedVarIsBoxedAndCapturedLetIsCopied() {
        String l = listing("async func main() do\n var total = 0\n let k = 2\n [1].each { |x| total += x * k }\n println(total)\nend\n");
        assertTrue(l.contains("BOX_LOCAL"), l);
        assertTrue(l.contains("LOAD_CAPTURE_CELL") && l.contains("STORE_CAPTURE_CELL"), l);
        assertTrue(l.matches("(?s).*LOAD_CAPTURE\\s+\\d.*"), l);
        assertTrue(l.contains("LOAD_CELL"), l);
    }

    @Test
    void uncapturedVarIsAPlainSlot() {
        String l = listing("async func main() do\n var x = 1\n x += 1\n println(x)\nend\n");
        assertFalse(l.contains("BOX_LOCAL"), l);
    }

    @Test
    void mainIsAlwaysAsyncAndEntryPointsAreSet() {
        BytecodeModule m = ok("func main() do\nend\n");
        FunctionCode main = m.functions().get(m.mainFunction());
        assertEquals("main", main.name());
        assertTrue(main.has(FunctionCode.ASYNC));
        assertTrue(m.functions().get(m.initFunction()).has(FunctionCode.INIT));
    }

    @Test
    void builtinErrorSetsHaveFixedIndexes() {
        BytecodeModule m = ok("error Mine { A }\nasync func main() do\n let a = Runtime.Cancelled\n let b = NetError.Timeout\n let c = Mine.A\nend\n");
        assertEquals("Runtime", m.string(m.errorSets().get(0).nameConst()));
        assertEquals("NetError", m.string(m.errorSets().get(1).nameConst()));
        assertEquals("Mine", m.string(m.errorSets().get(2).nameConst()));
        String l = Disassembler.disassemble(m, "");
        assertTrue(l.contains("MAKE_ERROR          0 0       ; Runtime.Cancelled"), l);
        assertTrue(l.contains("MAKE_ERROR          1 1       ; NetError.Timeout"), l);
        assertTrue(l.contains("MAKE_ERROR          2 0       ; Mine.A"), l);
    }

    @Test
    void awaitOfAsyncBuiltinsUsesTheirOpcodes() {
        String l = listing("async func main() do\n await sleep(1)\n await yield()\n let b = await http_get(\"u\")\n"
                + " let i = await await_any([async sleep(1)])\n let a = await await_all([])\nend\n");
        for (String op : List.of("SLEEP", "YIELD", "HTTP_GET", "AWAIT_ANY", "AWAIT_ALL")) {
            assertTrue(l.contains("  " + op), op + " missing in\n" + l);
        }
        assertTrue(l.contains("== function") && l.contains("<sleep>  async  helper"), l);
    }

    @Test
    void returnAndBreakCloseOpenNurseriesAndHandlers() {
        String l = listing("async func w() do\nend\nasync func main() do\n for i in 0..3 do\n  nursery do\n   spawn w()\n"
                + "   if i == 1 then break end\n   let x = (i catch |e| do return 1 end)\n  end\n end\nend\n");
        // break inside the nursery: NURSERY_CLOSE before the JUMP; return inside a handler inside the nursery
        assertTrue(l.matches("(?s).*NURSERY_CLOSE\\s*\\n\\s+\\d+\\s+JUMP.*"), l);
        assertTrue(l.matches("(?s).*NURSERY_CLOSE\\s*\\n\\s+\\d+\\s+RETURN.*"), l);
    }

    @Test
    void structLiteralFieldsEvaluatedInSourceOrderPushedInDeclarationOrder() {
        String l = listing("struct P { x: int, y: int }\nasync func main() do\n let p = P { y: 2, x: 1 }\nend\n");
        int y = l.indexOf("; 2");
        int x = l.indexOf("; 1");
        assertTrue(y > 0 && x > y, l);
        assertTrue(l.contains("NEW_STRUCT"), l);
    }

    @Test
    void typeAnnotationsBecomeRuntimeChecks() {
        BytecodeModule m = ok("struct Item { id: int }\nfunc f(a: int, b: Item, c: [string], d) -> float do\n return 1.0\nend\n"
                + "async func main() do\n let x: bool = true\nend\n");
        FunctionCode f = function(m, "f");
        assertEquals("INT", f.params().get(0).type().tag().name());
        assertEquals("STRUCT", f.params().get(1).type().tag().name());
        assertEquals(0, f.params().get(1).type().structIndex());
        assertEquals("ARRAY", f.params().get(2).type().tag().name());
        assertEquals("ANY", f.params().get(3).type().tag().name());
        assertEquals("FLOAT", f.returnType().tag().name());
        assertTrue(Disassembler.disassemble(m, "").contains("CHECK_TYPE          3"));
    }

    @Test
    void everyInstructionHasALine() {
        BytecodeModule m = ok("async func main() do\n let a = 1\n\n println(a)\nend\n");
        FunctionCode main = function(m, "main");
        assertEquals(0, main.lines().get(0).pc());
        assertTrue(main.lines().stream().allMatch(e -> e.line() >= 1 && e.col() >= 1));
    }

    @Test
    void closuresInsideAsyncMayAwaitButNotElsewhere() {
        assertEquals(List.of(), errors("async func main() do\n let f = { |h| await h }\nend\n"));
        assertEquals(List.of("2:N1002"), errors("func g() do\n let f = { |h| await h }\nend\nasync func main() do\nend\n"));
    }

    @Test
    void deepButLegalExpressionsCompile() {
        StringBuilder sb = new StringBuilder("async func main() do\n let x = 0");
        for (int i = 0; i < 5000; i++) {
            sb.append(" + 1");
        }
        sb.append("\n println(x)\nend\n");
        ok(sb.toString());
    }
}

// JanC: compile .jan files to Janus bytecode module files with the Java front end, for the
// VM's C tests (native/tests/vm). Usage (single-file source launch, Java 17):
//   java -cp INTERPRETER_JAR:ANTLR_RUNTIME_JAR JanC.java OUTDIR FILE.jan...
// Writes OUTDIR/<dir>__<name>.jbc for each file that compiles; prints diagnostics otherwise.
import dev.januslab.interpreter.bytecode.BytecodeModule;
import dev.januslab.interpreter.check.Checker;
import dev.januslab.interpreter.compile.Compiler;
import dev.januslab.interpreter.diag.Diagnostics;
import dev.januslab.interpreter.syntax.SourceParser;
import java.nio.file.Files;
import java.nio.file.Path;

public class JanC {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        int bad = 0;
        for (int i = 1; i < args.length; i++) {
            Path src = Path.of(args[i]);
            String name = src.getFileName().toString();
            Diagnostics d = new Diagnostics(name);
            var prog = SourceParser.parse(name, Files.readString(src), d);
            BytecodeModule m = null;
            if (!d.hasErrors()) {
                var checked = Checker.check(prog, d);
                if (!d.hasErrors()) m = Compiler.compile(checked, d);
            }
            if (m == null || d.hasErrors()) {
                System.err.println(src + ": compile errors: " + d.sorted());
                bad++;
                continue;
            }
            String dir = src.toAbsolutePath().getParent().getFileName().toString();
            Files.write(out.resolve(dir + "__" + name.replaceAll("\\.jan$", ".jbc")), m.encode());
        }
        System.exit(bad == 0 ? 0 : 1);
    }
}

package dev.januslab.interpreter.bench;

import dev.januslab.interpreter.JanusCompiler;
import java.util.Arrays;

/**
 * Compile-time benchmark (not a test): generates a 10,000-line program, warms up, then
 * times full front-end compiles (parse, check, compile to a module, encode to bytes).
 * Target: at most 300 ms per compile after warm-up. Run with
 * <pre>
 * tests/bench.sh compile     (after ./mvnw -B -Dnative.sanitizers.skip -DskipTests package)
 * </pre>
 */
public final class CompileBenchmark {
    private CompileBenchmark() {}

    /** A program of about {@code lines} lines: many functions with loops, closures, tasks and errors. */
    public static String program(int lines) {
        StringBuilder sb = new StringBuilder();
        sb.append("struct Item { id: int, name: string }\nerror AppError { Bad, Worse }\nvar counter = 0\nlet LIMIT = 10\n\n");
        int n = 0;
        int written = 5;
        while (written < lines - 10) {
            sb.append("async func work").append(n).append("(x: int, name: string) -> int do\n");
            sb.append("    var total = 0\n");
            sb.append("    let items = [1, 2, 3, x]\n");
            sb.append("    for i in 0..<LIMIT do\n");
            sb.append("        total += i * x + items.len()\n");
            sb.append("        if total > 1000 then\n");
            sb.append("            break\n");
            sb.append("        else if total % 7 == 0 then\n");
            sb.append("            continue\n");
            sb.append("        end\n");
            sb.append("    end\n");
            sb.append("    let doubled = items.map { |v| v * 2 + x }\n");
            sb.append("    let item = Item { id: total, name: name + \"-\" + str(x) }\n");
            sb.append("    let v = risky(total) catch |e| do\n");
            sb.append("        println(\"caught\", e, item.name)\n");
            sb.append("        -1\n");
            sb.append("    end\n");
            sb.append("    counter += 1\n");
            sb.append("    nursery do\n");
            sb.append("        spawn helper(v)\n");
            sb.append("    end\n");
            sb.append("    return total + doubled.sum() + v\n");
            sb.append("end\n\n");
            written += 24;
            n++;
        }
        sb.append("func risky(n: int) -> int ! AppError do\n    if n < 0 then\n        fail AppError.Bad\n    end\n    return n\nend\n\n");
        sb.append("async func helper(v) do\n    await sleep(v)\nend\n\n");
        sb.append("async func main() do\n    let h = async work0(1, \"a\")\n    println(await h)\nend\n");
        return sb.toString();
    }

    public static void main(String[] args) {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String source = program(lines);
        long actualLines = source.chars().filter(c -> c == '\n').count();
        JanusCompiler.Result first = JanusCompiler.compile("bench.jan", source);
        if (!first.ok()) {
            throw new IllegalStateException("benchmark program does not compile: " + first.diagnostics());
        }
        for (int i = 0; i < 30; i++) {
            JanusCompiler.compile("bench.jan", source).module().encode();
        }
        int runs = 20;
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            byte[] bytes = JanusCompiler.compile("bench.jan", source).module().encode();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (bytes.length == 0) {
                throw new IllegalStateException();
            }
        }
        Arrays.sort(ms);
        System.out.printf("compile %d lines (%d functions, %d bytes of bytecode module): median %.1f ms, min %.1f ms, max %.1f ms"
                        + " over %d runs after 30 warm-up compiles (target <= 300 ms)%n",
                actualLines, first.module().functions().size(), first.module().encode().length, ms[runs / 2], ms[0],
                ms[runs - 1], runs);
    }
}

package dev.januslab.lessons;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.List;

/** A program's output: the text of its {@code print} events in seq order, and its lines. */
public final class ProgramOutput {
    private ProgramOutput() {}

    /** Everything the run printed, as stdout would show it. */
    public static String of(Trace trace) {
        StringBuilder sb = new StringBuilder();
        long n = trace.size();
        for (long s = 0; s < n; s++) {
            if (trace.get(s) instanceof TraceEvent.Print p) sb.append(p.text());
        }
        return sb.toString();
    }

    /** The output split into lines; a final newline does not start another line. */
    public static List<String> lines(String output) {
        if (output.isEmpty()) return List.of();
        String s = output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
        return List.of(s.split("\n", -1));
    }
}

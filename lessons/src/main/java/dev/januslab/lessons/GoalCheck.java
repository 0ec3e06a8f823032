package dev.januslab.lessons;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import dev.januslab.scheduler.trace.Wire;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The automatic check of a lesson goal (README.md, "Goals"), evaluated on a finished run:
 * its trace, its output, and the source that ran. Each kind is a record; a list of checks
 * is {@link All}. Every result carries a sentence a student can act on.
 */
public sealed interface GoalCheck {

    /** Evaluates this check on one run. */
    GoalResult check(Trace trace, String output, String source);

    /** Same, with the output read from the trace's {@code print} events. */
    default GoalResult check(Trace trace, String source) {
        return check(trace, ProgramOutput.of(trace), source);
    }

    /** The picked event (nth match, or the first) happens before {@code ms} ms of (virtual) time. */
    record Before(EventPredicate event, double ms) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            long seq = event.find(trace);
            if (seq < 0) return new GoalResult(false, "No event matches " + event.text() + " in this run.");
            double at = trace.time(seq) / 1e6;
            boolean ok = at < ms;
            return new GoalResult(ok, String.format(Locale.ROOT, "%s happens at %s ms, %s %s ms.",
                    describe(trace, seq), showMs(at), ok ? "under" : "not under", showMs(ms)));
        }
    }

    /** No event matches; with {@code nth}: there are fewer than {@code nth} matches. */
    record Never(EventPredicate event) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            long seq = event.find(trace);
            if (seq < 0) {
                return new GoalResult(true, event.nth() == null
                        ? "No event matches " + event.text() + "."
                        : "Fewer than " + event.nth() + " events match " + without(event) + ".");
            }
            return new GoalResult(false, "It still happens: " + describe(trace, seq) + " matches " + event.text() + ".");
        }
    }

    /** The output is exactly these lines. */
    record Output(List<String> lines) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            List<String> have = ProgramOutput.lines(output);
            if (have.equals(lines)) return new GoalResult(true, "The output is exactly as expected.");
            for (int i = 0; i < Math.max(have.size(), lines.size()); i++) {
                String h = i < have.size() ? have.get(i) : null;
                String w = i < lines.size() ? lines.get(i) : null;
                if (h == null) return new GoalResult(false, "The output stops after " + i + " lines; line " + (i + 1) + " should be \"" + w + "\".");
                if (w == null) return new GoalResult(false, "The output has more than " + i + " lines; line " + (i + 1) + " is \"" + h + "\".");
                if (!h.equals(w)) return new GoalResult(false, "Output line " + (i + 1) + " is \"" + h + "\", expected \"" + w + "\".");
            }
            return new GoalResult(false, "The output differs.");
        }
    }

    /** Some output line equals {@code line}. */
    record OutputHas(String line) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            boolean ok = ProgramOutput.lines(output).contains(line);
            return new GoalResult(ok, ok ? "The output has the line \"" + line + "\"."
                    : "No output line is \"" + line + "\".");
        }
    }

    /** At no moment are more than {@code atMost} tasks of {@code func} alive (spawned, not yet done). */
    record MaxLive(String func, int atMost) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            Set<Integer> alive = new HashSet<>();
            int peak = 0;
            long peakSeq = -1;
            long spawned = 0;
            long n = trace.size();
            for (long s = 0; s < n; s++) {
                TraceEvent e = trace.get(s);
                if (e instanceof TraceEvent.TaskSpawn sp && func.equals(sp.func())) {
                    alive.add(sp.task());
                    spawned++;
                    if (alive.size() > peak) {
                        peak = alive.size();
                        peakSeq = s;
                    }
                } else if (e instanceof TraceEvent.TaskDone d) {
                    alive.remove(d.task());
                }
            }
            if (peak > atMost) {
                return new GoalResult(false, String.format(Locale.ROOT,
                        "%d %s tasks are alive at once at %s ms; at most %d may be.", peak, func, showMs(trace.time(peakSeq) / 1e6), atMost));
            }
            return new GoalResult(true, spawned == 0 ? "No " + func + " task runs at all."
                    : "At most " + peak + " " + func + " task" + (peak == 1 ? " is" : "s are") + " alive at once (" + spawned + " in all).");
        }
    }

    /** The source does not contain {@code text} (what no deterministic run can show, like a race). */
    record SourceLacks(String text) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            int at = source.indexOf(text);
            if (at < 0) return new GoalResult(true, "The program no longer contains \"" + text + "\".");
            int line = 1;
            for (int i = 0; i < at; i++) if (source.charAt(i) == '\n') line++;
            return new GoalResult(false, "Line " + line + " still contains \"" + text + "\".");
        }
    }

    /**
     * The task or nursery the picked event is about ends with {@code outcome}. A task event
     * names its task, a nursery event ({@code nursery_*}, {@code cancel_request} of a
     * nursery) its nursery; {@code task_done} and {@code nursery_close} are their own ending.
     */
    record OutcomeIs(EventPredicate event, String outcome) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            long seq = event.find(trace);
            if (seq < 0) return new GoalResult(false, "No event matches " + event.text() + " in this run.");
            TraceEvent e = trace.get(seq);
            int nursery = nurseryOf(e);
            int task = nursery >= 0 ? -1 : dev.januslab.scheduler.trace.TraceEvents.taskOf(e);
            if (nursery < 0 && task < 0) {
                return new GoalResult(false, "Event " + seq + " (" + e.kind() + ") is about no task or nursery.");
            }
            TraceNames names = new TraceNames();
            long n = trace.size();
            for (long s = 0; s < n; s++) {
                TraceEvent x = trace.get(s);
                names.observe(x);
                Wire.Outcome o = null;
                if (task >= 0 && x instanceof TraceEvent.TaskDone d && d.task() == task) o = d.outcome();
                if (nursery >= 0 && x instanceof TraceEvent.NurseryClose c && c.nursery() == nursery) o = c.outcome();
                if (o != null) {
                    String who = task >= 0 ? names.taskName(task) : "nursery " + nursery;
                    boolean ok = o.wire().equals(outcome);
                    return new GoalResult(ok, who + " ends " + o.wire() + (ok ? "." : ", not " + outcome + "."));
                }
            }
            return new GoalResult(false, (task >= 0 ? "Task " + task : "Nursery " + nursery) + " never ends in this run.");
        }

        private static int nurseryOf(TraceEvent e) {
            if (e instanceof TraceEvent.NurseryOpen o) return o.nursery();
            if (e instanceof TraceEvent.NurseryJoin j) return j.nursery();
            if (e instanceof TraceEvent.NurseryClose c) return c.nursery();
            if (e instanceof TraceEvent.CancelRequest c && c.targetKind() == Wire.TargetKind.NURSERY) return c.target();
            return -1;
        }
    }

    /** Every check passes (a list in {@code lesson.json}). */
    record All(List<GoalCheck> checks) implements GoalCheck {
        public GoalResult check(Trace trace, String output, String source) {
            List<String> failed = new ArrayList<>();
            List<String> passed = new ArrayList<>();
            for (GoalCheck c : checks) {
                GoalResult r = c.check(trace, output, source);
                (r.passed() ? passed : failed).add(r.why());
            }
            return failed.isEmpty() ? new GoalResult(true, String.join(" ", passed))
                    : new GoalResult(false, String.join(" ", failed));
        }
    }

    static GoalCheck parse(Json j) {
        if (j.isArray()) {
            int n = j.size();
            if (n == 0) throw j.error("a list of checks must not be empty");
            List<GoalCheck> cs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Json c = j.at(i);
                if (c.isArray()) throw c.error("a list of checks holds check objects, not lists");
                cs.add(parse(c));
            }
            return new All(List.copyOf(cs));
        }
        j.object();
        String kind = j.get("kind").string();
        switch (kind) {
            case "before": {
                j.onlyFields(Set.of("kind", "event", "ms"));
                double ms = j.get("ms").number();
                if (ms <= 0) throw j.get("ms").error("must be more than 0");
                return new Before(EventPredicate.parse(j.get("event")), ms);
            }
            case "never":
                j.onlyFields(Set.of("kind", "event"));
                return new Never(EventPredicate.parse(j.get("event")));
            case "output": {
                j.onlyFields(Set.of("kind", "lines"));
                Json ls = j.get("lines");
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < ls.size(); i++) lines.add(ls.at(i).string());
                return new Output(List.copyOf(lines));
            }
            case "output_has":
                j.onlyFields(Set.of("kind", "line"));
                return new OutputHas(j.get("line").string());
            case "max_live": {
                j.onlyFields(Set.of("kind", "func", "at_most"));
                long at = j.get("at_most").integer();
                if (at < 0) throw j.get("at_most").error("must be 0 or more");
                return new MaxLive(j.get("func").nonEmptyString(), (int) Math.min(at, Integer.MAX_VALUE));
            }
            case "source_lacks":
                j.onlyFields(Set.of("kind", "text"));
                return new SourceLacks(j.get("text").nonEmptyString());
            case "outcome": {
                j.onlyFields(Set.of("kind", "event", "outcome"));
                String o = j.get("outcome").string();
                if (Wire.Outcome.parse(o) == null) throw j.get("outcome").error("must be ok, error or cancelled, not \"" + o + "\"");
                return new OutcomeIs(EventPredicate.parse(j.get("event")), o);
            }
            default:
                throw j.get("kind").error("unknown check kind \"" + kind
                        + "\"; expected before, never, output, output_has, max_live, source_lacks or outcome");
        }
    }

    private static String describe(Trace trace, long seq) {
        TraceEvent e = trace.get(seq);
        int task = dev.januslab.scheduler.trace.TraceEvents.taskOf(e);
        if (task < 0) return e.kind() + " (event " + seq + ")";
        TraceNames names = new TraceNames();
        for (long s = 0; s <= seq; s++) names.observe(trace.get(s));
        return e.kind() + " of " + names.taskName(task) + " (event " + seq + ")";
    }

    private static String without(EventPredicate p) {
        return p.text().replaceAll(",?\"nth\":[0-9]+", "").replace("{,", "{");
    }

    private static String showMs(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

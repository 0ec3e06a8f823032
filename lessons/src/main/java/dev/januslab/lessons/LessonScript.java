package dev.januslab.lessons;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where a lesson's steps land in one run. Step {@code i} is at:
 * <ul>
 * <li>without {@code nth}: the first event after step {@code i-1}'s event that matches;</li>
 * <li>with {@code nth}: the nth matching event of the whole run, which must come after step
 *     {@code i-1}'s event (otherwise the script is broken at step {@code i}: {@link #problem()}).</li>
 * </ul>
 * Works on a finished trace or a growing one: every query first reads the events appended
 * since the last (one pass over the trace in all). A step not reached yet has seq -1.
 *
 * <p>Thread-safe; the app may ask from the FX thread while the pump appends.
 */
public final class LessonScript {
    private final List<Step> steps;
    private final Trace trace;
    private final TraceNames names = new TraceNames();
    private final long[] seqs;
    /** For nth steps: matches so far and the seq of the nth one (-1 until seen). */
    private final int[] counts;
    private final long[] nthSeq;
    private int next;
    private String problem;

    public LessonScript(List<Step> steps, Trace trace) {
        this.steps = List.copyOf(steps);
        this.trace = trace;
        this.seqs = new long[steps.size()];
        this.counts = new int[steps.size()];
        this.nthSeq = new long[steps.size()];
        Arrays.fill(seqs, -1);
        Arrays.fill(nthSeq, -1);
    }

    public List<Step> steps() {
        return steps;
    }

    public Trace trace() {
        return trace;
    }

    /** The seq of step {@code i}'s event, or -1 if the run has not reached it (yet, or at all). */
    public synchronized long seqOf(int i) {
        catchUp();
        return seqs[i];
    }

    /** The seq of every step, in order (-1 for those not reached). */
    public synchronized long[] seqs() {
        catchUp();
        return seqs.clone();
    }

    /** How many steps have been located (they are located in order). */
    public synchronized int located() {
        catchUp();
        return next;
    }

    /** Whether every step has been located. */
    public synchronized boolean complete() {
        catchUp();
        return next == steps.size();
    }

    /**
     * Why the script cannot go on in this run: a step whose nth match comes before the
     * previous step, or (once the run has ended) a step that matched nothing after the
     * previous one. Null while all is well.
     */
    public synchronized String problem() {
        catchUp();
        if (problem != null) return problem;
        if (next < steps.size() && Question.ended(trace)) {
            EventPredicate p = steps.get(next).at();
            String after = next == 0 ? "" : " after step " + next + " (event " + seqs[next - 1] + ")";
            if (p.nth() != null && counts[next] < p.nth()) {
                return "step " + (next + 1) + " " + p.text() + ": the run has only " + counts[next] + " matching events";
            }
            return "step " + (next + 1) + " " + p.text() + ": no event matches" + after;
        }
        return null;
    }

    /** The step whose event is {@code seq}, if one is. */
    public synchronized OptionalInt stepAt(long seq) {
        catchUp();
        for (int i = 0; i < next; i++) if (seqs[i] == seq) return OptionalInt.of(i);
        return OptionalInt.empty();
    }

    /** The first step whose event comes after {@code cursor} (Next step); empty if none is located yet. */
    public synchronized OptionalInt nextStep(long cursor) {
        catchUp();
        for (int i = 0; i < next; i++) if (seqs[i] > cursor) return OptionalInt.of(i);
        return OptionalInt.empty();
    }

    /** The last step whose event comes before {@code cursor} (Previous step); empty if none. */
    public synchronized OptionalInt previousStep(long cursor) {
        catchUp();
        for (int i = next - 1; i >= 0; i--) if (seqs[i] < cursor) return OptionalInt.of(i);
        return OptionalInt.empty();
    }

    /** The last step at or before {@code cursor}: the narration to show there; empty before the first step. */
    public synchronized OptionalInt currentStep(long cursor) {
        catchUp();
        for (int i = next - 1; i >= 0; i--) if (seqs[i] <= cursor) return OptionalInt.of(i);
        return OptionalInt.empty();
    }

    private void catchUp() {
        long n = trace.size();
        for (long s = names.seen(); s < n; s++) {
            TraceEvent e = trace.get(s);
            names.observe(e);
            if (problem != null || next == steps.size()) continue;
            for (int i = next; i < steps.size(); i++) {
                EventPredicate p = steps.get(i).at();
                if (p.nth() != null && nthSeq[i] < 0 && p.matches(e, names) && ++counts[i] == p.nth()) nthSeq[i] = s;
            }
            resolve(e, s);
        }
    }

    /** Locates as many further steps as event {@code s} allows. */
    private void resolve(TraceEvent e, long s) {
        while (next < steps.size()) {
            long prev = next == 0 ? -1 : seqs[next - 1];
            EventPredicate p = steps.get(next).at();
            if (p.nth() != null) {
                if (nthSeq[next] < 0) return;
                if (nthSeq[next] <= prev) {
                    problem = "step " + (next + 1) + " " + p.text() + ": match number " + p.nth() + " is event " + nthSeq[next]
                            + ", which is not after step " + next + " (event " + prev + ")";
                    return;
                }
                seqs[next] = nthSeq[next];
                next++;
            } else {
                if (s <= prev || !p.matches(e, names)) return;
                seqs[next++] = s;
            }
        }
    }
}

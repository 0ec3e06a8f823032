package dev.januslab.lessons;

import dev.januslab.scheduler.trace.Trace;

/** What the student is asked to change ({@code text}) and how the change is checked. */
public record Goal(String text, GoalCheck check) {
    static Goal parse(Json j) {
        j.onlyFields(java.util.Set.of("text", "check"));
        return new Goal(j.get("text").nonEmptyString(), GoalCheck.parse(j.get("check")));
    }

    /** Evaluates the check on a finished run of {@code source}. */
    public GoalResult check(Trace trace, String output, String source) {
        return check.check(trace, output, source);
    }
}

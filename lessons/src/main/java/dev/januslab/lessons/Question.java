package dev.januslab.lessons;

import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A predict-then-reveal question. Its answer is never typed in: it is read from the run,
 * either a field of one event ({@code of} + {@code field}) or a number of events
 * ({@code count}), and shown through {@code format} ({@code "W{}"}).
 *
 * @param choices the options offered (may be empty: a free answer); the linter checks the
 *                run's answer is one of them
 */
public record Question(String ask, List<String> choices, Answer answer) {

    /** Where the answer comes from. */
    public sealed interface Answer {
        String format();
    }

    /** A field of the event {@code of} picks (its {@code nth} match, or the first). */
    public record FieldOf(EventPredicate of, String field, String format) implements Answer {}

    /** How many events match {@code count} in the whole run (known once the run has ended). */
    public record Count(EventPredicate count, String format) implements Answer {}

    static Question parse(Json j) {
        j.onlyFields(Set.of("ask", "choices", "answer"));
        String ask = j.get("ask").nonEmptyString();
        List<String> choices = new ArrayList<>();
        if (j.has("choices")) {
            Json cs = j.get("choices");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < cs.size(); i++) {
                String c = cs.at(i).nonEmptyString();
                if (!seen.add(c)) throw cs.at(i).error("the choice \"" + c + "\" is given twice");
                choices.add(c);
            }
        }
        Json a = j.get("answer").object();
        String format = a.has("format") ? a.get("format").string() : "{}";
        if (!format.contains("{}")) throw a.get("format").error("must contain {} where the value goes, as in \"W{}\"");
        Answer answer;
        if (a.has("count")) {
            a.onlyFields(Set.of("count", "format"));
            EventPredicate p = EventPredicate.parse(a.get("count"));
            if (p.nth() != null) throw a.get("count").get("nth").error("a count counts every match; nth has no meaning here");
            answer = new Count(p, format);
        } else if (a.has("of")) {
            a.onlyFields(Set.of("of", "field", "format"));
            EventPredicate p = EventPredicate.parse(a.get("of"));
            Json f = a.get("field");
            String field = f.nonEmptyString();
            Set<String> allowed = new HashSet<>(EventFields.COMMON);
            allowed.add("k");
            if (p.kind() != null) allowed.addAll(EventFields.KINDS.get(p.kind()));
            else EventFields.KINDS.values().forEach(allowed::addAll);
            if (!allowed.contains(field)) {
                throw f.error("\"" + field + "\" is not a field of " + (p.kind() == null ? "any event" : p.kind())
                        + "; expected one of " + String.join(", ", allowed.stream().sorted().toList()));
            }
            answer = new FieldOf(p, field, format);
        } else {
            throw a.error("needs \"of\" and \"field\" (a field of one event) or \"count\" (a number of events)");
        }
        return new Question(ask, List.copyOf(choices), answer);
    }

    /** The answer {@code trace} gives; unknown (with the reason) if it does not give one (yet). */
    public QuestionAnswer answer(Trace trace) {
        boolean ended = ended(trace);
        if (answer instanceof Count c) {
            if (!ended) return QuestionAnswer.none("the run has not ended, so the count is not final");
            return QuestionAnswer.of(c.format().replace("{}", Long.toString(c.count().count(trace))), trace.size() - 1);
        }
        FieldOf f = (FieldOf) answer;
        long seq = f.of().find(trace);
        if (seq < 0) {
            return QuestionAnswer.none("no event matches " + f.of().text() + (ended ? " in this run" : " yet"));
        }
        TraceEvent e = trace.get(seq);
        Object value = EventFields.get(e, f.field());
        if (value == null) {
            return QuestionAnswer.none("event " + seq + " (" + e.kind() + ") has no " + f.field());
        }
        TraceNames names = new TraceNames();
        for (long s = 0; s <= seq; s++) names.observe(trace.get(s));
        return QuestionAnswer.of(f.format().replace("{}", EventFields.show(e, f.field(), value, names)), seq);
    }

    /** Whether the run has ended (its last event is {@code run_end}). */
    static boolean ended(Trace trace) {
        long n = trace.size();
        return n > 0 && trace.get(n - 1) instanceof TraceEvent.RunEnd;
    }
}

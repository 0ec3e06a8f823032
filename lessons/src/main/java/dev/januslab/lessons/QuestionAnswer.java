package dev.januslab.lessons;

/**
 * A question's answer as the run gives it.
 *
 * @param text    the answer as shown ({@code "W1"}, {@code "leaf#3"}, {@code "4"}), or null
 *                when the run does not determine it (yet)
 * @param seq     the event it was read from (for a count: the run's last event), or -1
 * @param missing why there is no answer (null when there is one)
 */
public record QuestionAnswer(String text, long seq, String missing) {
    static QuestionAnswer of(String text, long seq) {
        return new QuestionAnswer(text, seq, null);
    }

    static QuestionAnswer none(String why) {
        return new QuestionAnswer(null, -1, why);
    }

    /** Whether the run has determined the answer. */
    public boolean known() {
        return text != null;
    }

    /** Whether {@code guess} is this answer (exact text). */
    public boolean isAnsweredBy(String guess) {
        return text != null && text.equals(guess);
    }
}

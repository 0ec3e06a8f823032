package dev.januslab.lessons;

/**
 * One scripted moment of a lesson: the event the cursor stops at ({@code at}) and the
 * narration shown there ({@code say}, Markdown). Where it lands in a run is
 * {@link LessonScript}'s business.
 */
public record Step(EventPredicate at, String say) {
    static Step parse(Json j) {
        j.onlyFields(java.util.Set.of("at", "say"));
        return new Step(EventPredicate.parse(j.get("at")), j.get("say").nonEmptyString());
    }
}

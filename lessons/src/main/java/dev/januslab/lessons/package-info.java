/**
 * The lesson model: what a lesson folder ({@code lessons/NN-slug/}, format in
 * {@code lessons/README.md}) means, evaluated against a run's trace. No JavaFX here; the
 * app's lesson mode drives it.
 *
 * <ul>
 * <li>{@link dev.januslab.lessons.LessonCatalog} — every lesson from the classpath (or a folder), in
 *     order; unreadable lessons are left out with a {@link dev.januslab.lessons.LessonException}
 *     naming the file and JSON path.</li>
 * <li>{@link dev.januslab.lessons.Lesson} — text, program, solution, pinned
 *     {@link dev.januslab.lessons.LessonConfig}, {@link dev.januslab.lessons.Step}s,
 *     {@link dev.januslab.lessons.Question}s and {@link dev.januslab.lessons.Goal}.</li>
 * <li>{@link dev.januslab.lessons.EventPredicate} — "which event": TRACE.md fields plus {@code task}
 *     by display name, {@code func}, and {@code nth}; {@link dev.januslab.lessons.TraceNames} is the
 *     run-so-far it needs.</li>
 * <li>{@link dev.januslab.lessons.LessonScript} — where each step lands in a finished or growing
 *     trace; next/previous/current step from a cursor.</li>
 * <li>{@link dev.januslab.lessons.Question#answer} → {@link dev.januslab.lessons.QuestionAnswer},
 *     read from the run; {@link dev.januslab.lessons.GoalCheck} → {@link dev.januslab.lessons.GoalResult}
 *     with a sentence for the student.</li>
 * <li>{@link dev.januslab.lessons.LessonProgress} — steps seen, answers, goals met, in
 *     {@code progress.json} under the directory the app gives.</li>
 * <li>{@link dev.januslab.lessons.LessonRun} — a whole headless run of a lesson's (or the
 *     student's) program with the pinned schedule: what the lesson linter uses.</li>
 * </ul>
 */
package dev.januslab.lessons;

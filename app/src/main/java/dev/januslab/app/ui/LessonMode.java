package dev.januslab.app.ui;

import dev.januslab.lessons.GoalResult;
import dev.januslab.lessons.Lesson;
import dev.januslab.lessons.LessonCatalog;
import dev.januslab.lessons.LessonProgress;
import dev.januslab.lessons.LessonRun;
import dev.januslab.lessons.LessonScript;
import dev.januslab.lessons.Question;
import dev.januslab.lessons.QuestionAnswer;
import dev.januslab.scheduler.trace.Trace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Lesson mode (issue 6): the navigator of lessons with progress marks, the lesson text,
 * Next/Previous step over the current run's scripted moments, the predict-then-reveal
 * questions and the goal check. It drives the {@link MainWindow}'s one cursor; the
 * narration bar shows the step's text when the cursor stands on a step.
 */
public final class LessonMode {
    private final MainWindow window;
    private final LessonCatalog catalog;
    private final LessonProgress progress;
    private final VBox pane = new VBox(6);
    private final ListView<Lesson> navigator = new ListView<>();
    private final Label title = new Label();
    private final ScrollPane textScroll = new ScrollPane();
    /** The lesson text, then the question and goal boxes, in one scrolling column. */
    private final VBox textContent = new VBox(10);
    private final VBox goalBox = new VBox(6);
    private final ScrollPane tasksScroll = new ScrollPane();
    private final Label stepLabel = new Label();
    private final Label stepSay = new Label();
    private final Button prevButton = new Button("◀ Prev step");
    private final Button nextButton = new Button("Next step ▶");
    private final VBox questionBox = new VBox(6);
    private final Label goalText = new Label();
    private final Label goalResult = new Label();
    private final Button checkGoal = new Button("Check goal");
    private final Button backButton = new Button("↺ Back to the lesson");
    private Lesson lesson;
    private LessonScript script;
    private boolean pendingNext;
    private boolean goalRunning;
    private final boolean saves;
    private final List<QuestionState> questions = new ArrayList<>();

    private final class QuestionState {
        final int index;
        final Question q;
        final Label result = new Label();
        final List<Button> buttons = new ArrayList<>();
        String guess;
        boolean revealed;
        boolean recorded;
        /** The run's answer, cached: asking scans the trace, so it is asked again only while unknown, twice a second at most. */
        QuestionAnswer cached;
        Trace cachedFor;
        long cachedAt;
        long cachedSize = -1;

        QuestionAnswer answer(Trace t) {
            if (t == null) return null;
            long now = System.nanoTime();
            if (cachedFor != t || cached == null
                    || !cached.known() && t.size() != cachedSize && now - cachedAt > 500_000_000L) {
                cached = q.answer(t);
                cachedFor = t;
                cachedAt = now;
                cachedSize = t.size();
            }
            return cached;
        }

        QuestionState(int index, Question q) {
            this.index = index;
            this.q = q;
        }
    }

    /** The lessons read on another thread while JavaFX starts (see {@link #preloadLessons}), or null. */
    private static volatile java.util.concurrent.CompletableFuture<LessonCatalog> preloaded;

    /**
     * Starts reading the lessons on a background thread. The app calls it before it starts
     * JavaFX: parsing twelve lessons (and initialising Jackson) then overlaps the toolkit's
     * own start on the other core instead of delaying the first window.
     */
    static void preloadLessons() {
        if (preloaded == null) preloaded = java.util.concurrent.CompletableFuture.supplyAsync(LessonCatalog::fromClasspath);
    }

    private static LessonCatalog readLessons() {
        java.util.concurrent.CompletableFuture<LessonCatalog> f = preloaded;
        preloaded = null; // used once: a second window (tests) reads the lessons afresh
        try {
            return f != null ? f.join() : LessonCatalog.fromClasspath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    LessonMode(MainWindow window, java.nio.file.Path homeDir) {
        this.window = window;
        this.catalog = readLessons();
        this.saves = homeDir != null;
        this.progress = LessonProgress.load(homeDir != null ? homeDir
                : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "janus-lab-no-home"));
        build();
    }

    // ---------------------------------------------------------------- layout

    private void build() {
        pane.setId("lesson-pane");
        pane.getStyleClass().add("lesson-pane");
        navigator.setId("lesson-list");
        navigator.setPrefHeight(118);
        navigator.setMinHeight(80);
        if (catalog != null) navigator.getItems().setAll(catalog.lessons());
        navigator.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Lesson l, boolean empty) {
                super.updateItem(l, empty);
                setText(empty || l == null ? null : mark(l) + "  " + String.format("%02d", l.number()) + " · " + l.title());
            }
        });
        navigator.setOnMouseClicked(e -> openHighlighted());
        // arrow keys only move the highlight (opening replaces the editor's program); Enter opens
        navigator.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openHighlighted();
                e.consume();
            }
        });
        navigator.setTooltip(new Tooltip("Click a lesson, or move with ↑/↓ and press Enter, to open it"));
        title.setId("lesson-title");
        title.getStyleClass().add("lesson-title");
        title.setWrapText(true);
        textScroll.setId("lesson-text");
        textScroll.setFitToWidth(true);
        textScroll.getStyleClass().add("lesson-text");
        VBox.setVgrow(textScroll, Priority.ALWAYS);

        prevButton.setId("lesson-prev");
        nextButton.setId("lesson-next");
        prevButton.setTooltip(new Tooltip("Previous scripted moment (Page Up)"));
        nextButton.setTooltip(new Tooltip("Next scripted moment (Page Down)"));
        prevButton.setOnAction(e -> previousStep());
        nextButton.setOnAction(e -> nextStep());
        stepLabel.setId("lesson-step");
        stepLabel.getStyleClass().add("lesson-step");
        stepSay.setId("lesson-say");
        stepSay.setWrapText(true);
        stepSay.getStyleClass().add("lesson-say");
        // a flow, not a row: in a laptop's narrow lesson column the step count goes below the
        // buttons instead of every control being cut short ("◀ Prev s…", "Next ste…", "Step …")
        javafx.scene.layout.FlowPane stepRow = new javafx.scene.layout.FlowPane(6, 4, prevButton, nextButton, stepLabel);
        stepRow.setAlignment(Pos.CENTER_LEFT);
        for (javafx.scene.Node n : stepRow.getChildren()) ((javafx.scene.layout.Region) n).setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);

        questionBox.setId("lesson-questions");
        questionBox.getStyleClass().add("lesson-box");

        goalText.setId("lesson-goal");
        goalText.setWrapText(true);
        goalResult.setId("lesson-goal-result");
        goalResult.setWrapText(true);
        goalResult.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        goalText.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        checkGoal.setId("lesson-check-goal");
        checkGoal.setOnAction(e -> checkGoal());
        backButton.setId("lesson-back");
        backButton.setOnAction(e -> backToLesson());
        backButton.setTooltip(new Tooltip("Put the lesson's program and settings back in the editor"));
        Label goalTitle = new Label("Goal");
        goalTitle.getStyleClass().add("lesson-box-title");
        goalBox.getChildren().addAll(goalTitle, goalText, new HBox(6, checkGoal, backButton), goalResult);
        goalBox.getStyleClass().add("lesson-box");

        title.setVisible(false); // the lesson text starts with its own heading
        title.setManaged(false);
        textScroll.setContent(textContent);
        VBox tasks = new VBox(8, questionBox, goalBox);
        tasks.setPadding(new javafx.geometry.Insets(4, 10, 4, 4));
        tasksScroll.setContent(tasks);
        tasksScroll.setFitToWidth(true);
        tasksScroll.setId("lesson-tasks");
        tasksScroll.getStyleClass().add("lesson-text");
        javafx.scene.control.SplitPane split = new javafx.scene.control.SplitPane(textScroll, tasksScroll);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        VBox.setVgrow(split, Priority.ALWAYS);
        stepSay.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        pane.getChildren().addAll(navigator, stepRow, stepSay, split);
        pane.setMinWidth(260);
    }

    private String mark(Lesson l) {
        if (progress.complete(l)) return "✔";
        if (progress.goalMet(l.id()) || !progress.stepsSeen(l.id()).isEmpty()) return "◐";
        return "○";
    }

    public VBox pane() {
        return pane;
    }

    public boolean active() {
        return lesson != null;
    }

    public Lesson lesson() {
        return lesson;
    }

    public LessonProgress progress() {
        return progress;
    }

    public LessonScript script() {
        return script;
    }

    public List<Lesson> lessons() {
        return catalog == null ? List.of() : catalog.lessons();
    }

    public Optional<Lesson> find(String id) {
        return catalog == null ? Optional.empty() : catalog.find(id);
    }

    // ---------------------------------------------------------------- entering and leaving

    /** Opens lesson {@code id}: its text, its program in the editor and its pinned settings on the toolbar. */
    public boolean open(String id) {
        Optional<Lesson> l = find(id);
        if (l.isEmpty()) return false;
        enter(l.get());
        window.loadLessonProgram(lesson);
        window.setStatus("Lesson " + lesson.number() + ": press Next step (Page Down) to run it and go to its first moment.");
        return true;
    }

    private void openHighlighted() {
        Lesson l = navigator.getSelectionModel().getSelectedItem();
        if (l != null && l != lesson) open(l.id());
    }

    /** Shows {@code l}'s panel without touching the editor (replay of a lesson trace). */
    void enter(Lesson l) {
        boolean changed = lesson != l;
        lesson = l;
        pendingNext = false;
        window.showLessonPane(true);
        window.userFilesPut("lesson", l.id());
        if (changed) {
            title.setText(l.number() + ". " + l.title());
            textContent.getChildren().setAll(Markdown.render(l.markdown()));
            textScroll.setVvalue(0);
            goalText.setText(l.goal().text());
            goalResult.setText("");
            buildQuestions();
            navigator.getSelectionModel().select(l);
            navigator.scrollTo(l);
        }
        recordingChanged(window.model.recording.get());
    }

    /** Leaves lesson mode (a program or trace of its own was opened). */
    public void leave() {
        if (lesson == null) return;
        lesson = null;
        script = null;
        pendingNext = false;
        window.showLessonPane(false);
    }

    public void backToLesson() {
        if (lesson == null) return;
        window.loadLessonProgram(lesson);
        goalResult.setText("");
        window.setStatus("The lesson's program and settings are back. Press Next step (Page Down) to run it.");
    }

    /** A new recording is shown: locate the lesson's steps in it. */
    void recordingChanged(Trace rec) {
        script = lesson == null || rec == null ? null : lesson.script(rec);
        for (QuestionState qs : questions) {
            qs.revealed = false;
            qs.recorded = false;
        }
        refresh();
    }

    private void buildQuestions() {
        questionBox.getChildren().clear();
        questions.clear();
        Label t = new Label("Predict, then check");
        t.getStyleClass().add("lesson-box-title");
        questionBox.getChildren().add(t);
        for (int i = 0; i < lesson.questions().size(); i++) {
            QuestionState qs = new QuestionState(i, lesson.questions().get(i));
            questions.add(qs);
            Label ask = new Label(qs.q.ask());
            ask.setWrapText(true);
            ask.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            ask.getStyleClass().add("lesson-ask");
            FlowPane choices = new FlowPane(6, 6);
            for (String c : qs.q.choices()) {
                Button b = new Button(c);
                b.getStyleClass().add("lesson-choice");
                b.setId("choice-" + i + "-" + c.replaceAll("[^A-Za-z0-9]", "_"));
                b.setOnAction(e -> guess(qs, c));
                qs.buttons.add(b);
                choices.getChildren().add(b);
            }
            Button reveal = new Button("Reveal");
            reveal.setId("reveal-" + i);
            reveal.setOnAction(e -> reveal(qs));
            choices.getChildren().add(reveal);
            qs.result.setId("answer-" + i);
            qs.result.setWrapText(true);
            qs.result.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            qs.result.getStyleClass().add("lesson-answer");
            progress.answer(lesson.id(), i).ifPresent(a -> qs.guess = a.answer());
            questionBox.getChildren().addAll(ask, choices, qs.result);
        }
    }

    // ---------------------------------------------------------------- steps

    /** Next step: moves the cursor to the next scripted moment (runs the lesson first if nothing ran yet). */
    public void nextStep() {
        if (lesson == null) return;
        Trace rec = window.model.recording.get();
        if (rec == null || script == null || window.model.session.get() == null && !window.isReplay()) {
            pendingNext = true;
            window.run();
            return;
        }
        OptionalInt next = script.nextStep(window.model.cursor.get());
        if (next.isPresent()) {
            goToStep(next.getAsInt());
        } else if (!FrameLoop.complete(rec)) {
            pendingNext = true; // the run has not reached it yet: go there when it does
            window.setStatus("Waiting for the run to reach the next step…");
        } else {
            String p = script.problem();
            window.setStatus(p != null ? "This run does not follow the lesson's script: " + p
                    : "That was the last step. Try the question and the goal.");
        }
    }

    public void previousStep() {
        if (script == null) return;
        OptionalInt prev = script.previousStep(window.model.cursor.get());
        if (prev.isPresent()) goToStep(prev.getAsInt());
        else window.seekTo(-1);
    }

    /** Puts the cursor on step {@code i}'s event and selects the task it is about. */
    public void goToStep(int i) {
        long seq = script.seqOf(i);
        if (seq < 0) return;
        Trace rec = script.trace();
        int task = rec.taskOf(seq);
        if (task >= 0) window.model.select(task);
        window.seekTo(seq);
        refresh();
    }

    /** The narration for the cursor: the step's text when the cursor stands on a step's event. */
    public String narrationAt(long seq) {
        if (script == null || seq < 0) return null;
        OptionalInt at = script.stepAt(seq);
        if (at.isEmpty()) return null;
        int i = at.getAsInt();
        return "Step " + (i + 1) + "/" + lesson.steps().size() + " — " + lesson.steps().get(i).say();
    }

    /** The step at or before the cursor (-1 before the first): what a saved trace records. */
    public int currentStepIndex() {
        if (script == null) return -1;
        OptionalInt c = script.currentStep(window.model.cursor.get());
        return c.isPresent() ? c.getAsInt() : -1;
    }

    /** Every pulse: a pending Next step goes to its step as soon as the run reaches it. */
    void pulse() {
        if (lesson == null || script == null || !pendingNext) return;
        OptionalInt next = script.nextStep(window.model.cursor.get());
        if (next.isPresent()) {
            pendingNext = false;
            goToStep(next.getAsInt());
        }
    }

    /**
     * Playback (Space) stops on each scripted moment it reaches, so its narration is read
     * before the run moves on; Space again plays on to the next one.
     */
    long playbackStop(long from, long to) {
        if (lesson == null || script == null) return -1;
        OptionalInt passed = script.nextStep(from);
        if (passed.isEmpty() || script.seqOf(passed.getAsInt()) > to) return -1;
        int i = passed.getAsInt();
        if (script.trace().taskOf(script.seqOf(i)) >= 0) window.model.select(script.trace().taskOf(script.seqOf(i)));
        window.setStatus("Step " + (i + 1) + " reached — Space plays on to the next step, → goes one event.");
        return script.seqOf(i);
    }

    /** After each frame: pending Next, steps seen, answers revealed. */
    void afterFrame() {
        if (lesson == null || script == null) return;
        if (pendingNext) {
            OptionalInt next = script.nextStep(window.model.cursor.get());
            if (next.isPresent()) {
                pendingNext = false;
                goToStep(next.getAsInt());
            } else if (FrameLoop.complete(script.trace())) {
                pendingNext = false;
                String p = script.problem();
                if (p != null) window.setStatus("This run does not follow the lesson's script: " + p);
            }
        }
        refresh();
    }

    private void refresh() {
        if (lesson == null) return;
        long cursor = window.model.cursor.get();
        boolean changed = false;
        int cur = currentStepIndex();
        int n = lesson.steps().size();
        if (script == null) {
            stepLabel.setText("Step 0/" + n);
            stepSay.setText("Next step runs the lesson with its pinned settings.");
        } else {
            stepLabel.setText("Step " + (cur + 1) + "/" + n + (script.complete() ? "" : " (" + script.located() + " found)"));
            stepSay.setText(cur < 0 ? "Before the first step." : lesson.steps().get(cur).say());
            if (cur >= 0 && !progress.stepsSeen(lesson.id()).contains(cur)) {
                for (int i = 0; i <= cur; i++) progress.markStepSeen(lesson.id(), i);
                changed = true;
            }
        }
        for (QuestionState qs : questions) {
            QuestionAnswer a = script == null ? null : qs.answer(script.trace());
            boolean known = a != null && a.known();
            if (known && !qs.revealed && a.seq() >= 0 && cursor >= a.seq()) qs.revealed = true;
            if (known && qs.revealed && qs.guess != null && !qs.recorded) {
                progress.recordAnswer(lesson.id(), qs.index, qs.guess, a.isAnsweredBy(qs.guess));
                qs.recorded = true;
                changed = true;
            }
            for (Button b : qs.buttons) {
                b.getStyleClass().removeAll("chosen", "right", "wrong");
                if (b.getText().equals(qs.guess)) b.getStyleClass().add("chosen");
                if (known && qs.revealed) {
                    if (a.isAnsweredBy(b.getText())) b.getStyleClass().add("right");
                    else if (b.getText().equals(qs.guess)) b.getStyleClass().add("wrong");
                }
            }
            String text;
            if (known && qs.revealed) {
                text = "The run says: " + a.text() + (qs.guess == null ? "" : a.isAnsweredBy(qs.guess)
                        ? "  — you predicted it ✔" : "  — you predicted " + qs.guess + " ✖");
            } else if (qs.guess != null) {
                text = "You predict " + qs.guess + ". Step on (or Reveal) to see what the run does.";
            } else {
                text = "Choose your prediction before the run gets there.";
            }
            qs.result.setText(text);
        }
        if (changed) {
            saveProgress();
            navigator.refresh();
        }
    }

    public void guess(int question, String choice) {
        guess(questions.get(question), choice);
    }

    private void guess(QuestionState qs, String choice) {
        if (qs.revealed) {
            window.setStatus("The answer is already revealed; run the lesson again to predict afresh.");
            return;
        }
        qs.guess = choice;
        qs.recorded = false;
        refresh();
    }

    /** Reveal: shows the run's answer and moves the cursor to the event it comes from. */
    public void reveal(int question) {
        reveal(questions.get(question));
    }

    private void reveal(QuestionState qs) {
        if (script == null) {
            window.setStatus("Run the lesson first (Next step).");
            return;
        }
        QuestionAnswer a = qs.answer(script.trace());
        if (!a.known()) {
            qs.cached = null; // Reveal asks the run afresh
            a = qs.answer(script.trace());
        }
        if (!a.known()) {
            window.setStatus("The run has not determined the answer" + (a.missing() == null ? "" : ": " + a.missing()));
            return;
        }
        qs.revealed = true;
        if (a.seq() >= 0) {
            int task = script.trace().taskOf(a.seq());
            if (task >= 0) window.model.select(task);
            window.seekTo(a.seq());
        }
        refresh();
    }

    public String answerText(int question) {
        return questions.get(question).result.getText();
    }

    // ---------------------------------------------------------------- goal

    /** Runs the editor's program with the lesson's settings, headless, and shows the goal's verdict. */
    public CompletableFuture<GoalResult> checkGoal() {
        if (lesson == null || goalRunning) return CompletableFuture.completedFuture(null);
        Lesson l = lesson;
        String source = window.editor.text();
        goalRunning = true;
        checkGoal.setDisable(true);
        goalResult.getStyleClass().removeAll("goal-passed", "goal-failed");
        goalResult.setText("Checking…");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return LessonRun.run(l, l.programName(), source, 20_000).check(l.goal());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new GoalResult(false, "The check was interrupted.");
            } catch (RuntimeException | LinkageError e) {
                return new GoalResult(false, "The check could not run: " + e.getMessage());
            }
        }).whenComplete((r, err) -> Platform.runLater(() -> {
            goalRunning = false;
            checkGoal.setDisable(false);
            GoalResult res = r != null ? r : new GoalResult(false, "The check failed: " + err);
            goalResult.setText((res.passed() ? "✔ Goal met: " : "✖ Not yet: ") + res.why());
            goalResult.getStyleClass().add(res.passed() ? "goal-passed" : "goal-failed");
            tasksScroll.layout();
            tasksScroll.setVvalue(tasksScroll.getVmax()); // the verdict is at the bottom: show it
            if (res.passed() && lesson == l) {
                progress.markGoalMet(l.id());
                saveProgress();
                navigator.refresh();
            }
        }));
    }

    public String goalResultText() {
        return goalResult.getText();
    }

    private void saveProgress() {
        if (!saves) return;
        try {
            progress.save();
        } catch (IOException e) {
            window.setStatus("Cannot save lesson progress: " + e.getMessage());
        }
    }
}

package dev.januslab.app.ui;

import dev.januslab.app.session.NativeRunSession;
import dev.januslab.app.session.RunConfig;
import dev.januslab.interpreter.JanusCompiler;
import dev.januslab.interpreter.diag.Diagnostic;
import dev.januslab.scheduler.trace.SchedulerState;
import dev.januslab.scheduler.trace.TaskInfo;
import dev.januslab.scheduler.trace.Trace;
import dev.januslab.scheduler.trace.TraceFileException;
import dev.januslab.scheduler.trace.TraceFiles;
import dev.januslab.app.session.RunSession;
import dev.januslab.app.ui.views.ConsoleView;
import dev.januslab.app.ui.views.EventLogView;
import dev.januslab.app.ui.views.NarrationBar;
import dev.januslab.app.ui.views.NurseryTreeView;
import dev.januslab.app.ui.views.TimelineView;
import dev.januslab.app.ui.views.WorkerLanesView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.fxmisc.richtext.CodeArea;

/**
 * The Janus Lab window: menu, toolbar, the editor beside the worker lanes and nursery tree,
 * the timeline beside console and event log, a scrubber and the narration bar. It owns the
 * {@link LabModel} (one cursor, one selection) and the {@link FrameLoop} that renders every
 * view from it. Works with or without a Stage (the `render` command draws it offscreen).
 */
public final class MainWindow {
    public static final String TITLE = "Janus Lab";
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    public final LabModel model = new LabModel();
    public final FrameLoop loop = new FrameLoop(model);
    public final CodeEditor editor = new CodeEditor();
    public final WorkerLanesView lanes = new WorkerLanesView(model::select);
    public final NurseryTreeView tree = new NurseryTreeView(model::select);
    public final TimelineView timeline = new TimelineView(model::select);
    public final ConsoleView console = new ConsoleView(model::select);
    public final EventLogView eventLog = new EventLogView(seq -> {
        pausePlayback();
        model.seek(seq);
    });
    public final NarrationBar narration = new NarrationBar();

    private final UserFiles userFiles;
    private final BorderPane root = new BorderPane();
    private final Label banner = new Label();
    private final Label status = new Label();
    private final Label position = new Label();
    private final Label dropped = new Label();
    private final Label speedLabel = new Label();
    private final Slider scrubber = new Slider(-1, 0, -1);
    private final Spinner<Integer> workers = new Spinner<>(1, 8, RunConfig.DEFAULT.workers());
    private final ChoiceBox<String> mode = new ChoiceBox<>();
    /** How fast a live run may go: the workers are held to this many events per second. */
    private final ChoiceBox<String> pace = new ChoiceBox<>();
    /** The pace choices, events per second; the first is full speed. */
    static final double[] PACES = {Double.POSITIVE_INFINITY, 10000, 1000, 250, 60, 15, 4, 1};
    private final TextField seed = new TextField(String.valueOf(RunConfig.DEFAULT.seed()));
    private final Spinner<Integer> quantum = new Spinner<>(10, 1_000_000, RunConfig.DEFAULT.quantum(), 100);
    private final Button runButton = new Button("▶ Run");
    private final Button pauseButton = new Button("‖ Pause");
    private final Button stepButton = new Button("⇥ Step");
    private final Button stopButton = new Button("■ Stop");
    private final Menu recentMenu = new Menu("Open Recent");
    private final CheckMenuItem darkItem = new CheckMenuItem("Dark theme");
    private final PauseTransition autosaveDelay = new PauseTransition(Duration.millis(800));
    private Stage stage;
    private TabPane tabs;
    private Path currentFile;
    private String savedText = "";
    private boolean replayOnly;
    /** {@link #showRecording} is setting the recording (it tells lesson mode itself). */
    private boolean showingRecording;
    private boolean scrubbing;
    private String failureShown;
    private SplitPane upper;
    /** The lesson (in lesson mode) beside everything else, the window's full height. */
    private SplitPane beside;
    /** Lesson mode: navigator, lesson text, steps, questions and goal (issue 6). */
    public final LessonMode lessonMode;

    public MainWindow(UserFiles userFiles) {
        this.userFiles = userFiles;
        this.lessonMode = new LessonMode(this, userFiles.dir());
        narration.setStepText(seq -> lessonMode.narrationAt(seq));
        model.recording.addListener((o, a, b) -> {
            if (!showingRecording) lessonMode.recordingChanged(b);
        });
        for (LabView v : new LabView[] {lanes, tree, timeline, console, eventLog, narration}) loop.add(v);
        tree.setRequestRender(loop::invalidate);
        editor.setWhenIdle(loop::runWhenIdleFirst);
        loop.onRendered(this::afterFrame);
        loop.onRendered(lessonMode::afterFrame);
        loop.onPulse(lessonMode::pulse);
        loop.setPlaybackStop(lessonMode::playbackStop);
        model.selectedTask.addListener((o, a, b) -> loop.invalidate());
        model.speedIndex.addListener((o, a, b) -> applySpeed());
        model.fontSize.addListener((o, a, b) -> applyFontSize());
        build();
        model.fontSize.set(Double.parseDouble(userFiles.get("fontSize", "15")));
        applyFontSize();
        applySpeed();
        editor.area().textProperty().addListener((o, a, b) -> {
            updateTitle();
            autosaveDelay.playFromStart();
        });
        autosaveDelay.setOnFinished(e -> autosaveNow());
    }

    /** Shows the console (0) or the event log (1). */
    public void showTab(int index) {
        tabs.getSelectionModel().select(index);
    }

    public Parent root() {
        return root;
    }

    /** Puts the window in a scene with the saved theme; returns the scene. */
    public Scene createScene(double width, double height) {
        Scene scene = new Scene(root, width, height);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::onKeyPressed);
        scene.addEventFilter(KeyEvent.KEY_TYPED, this::onKeyTyped);
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(javafx.scene.input.TransferMode.COPY);
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            var files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : java.util.List.<java.io.File>of();
            if (!files.isEmpty()) open(files.get(0).toPath());
            e.setDropCompleted(!files.isEmpty());
            e.consume();
        });
        setDark(Boolean.parseBoolean(userFiles.get("dark", "false")));
        return scene;
    }

    private Tab logTab;

    private void attachEventLog() {
        if (logTab.getContent() != null) return;
        logTab.setContent(eventLog);
        // the table gets its skin now, not at the next pulse: scrolling it to the newest row
        // (what showing the log does) is lost on a table that has no skin yet
        eventLog.applyCss();
    }

    public void attach(Stage stage) {
        this.stage = stage;
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, e -> loop.runWhenIdle(this::attachEventLog));
        stage.setTitle(TITLE);
        updateTitle();
        stage.setOnCloseRequest(e -> {
            autosaveNow();
            WindowPlacement.remember(stage, userFiles);
            userFiles.flush();
            RunSession s = model.session.get();
            if (s != null) s.stop();
        });
    }

    // ---------------------------------------------------------------- layout

    private void build() {
        root.getStyleClass().add("janus-lab");
        root.setId("main-window");
        VBox top = new VBox(menuBar(), toolBar(), banner);
        banner.getStyleClass().add("demo-banner");
        banner.setId("demo-banner");
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setWrapText(true);
        showBanner(null);
        root.setTop(top);

        // the event log joins the scene on the first quiet frame after the window is shown
        // (or when its tab is chosen, if sooner): a table's skin, columns and CSS are a
        // noticeable part of the window's first frames, the window opens on the console, and
        // joining in a frame of its own it adds nothing to the frames that show a recording
        // being opened (it used to join in the first of them)
        Tab logTab = new Tab("Event log");
        this.logTab = logTab;
        logTab.selectedProperty().addListener((o, was, is) -> {
            if (is) {
                attachEventLog();
                eventLog.shown(); // it kept quiet while hidden: catch up now
            }
        });
        TabPane tabs = new TabPane(new Tab("Console", console), logTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("bottom-tabs");
        this.tabs = tabs;
        upper = new SplitPane(editor, lanes, tree);
        upper.setDividerPositions(0.34, 0.68);
        VBox timelineBox = new VBox(viewTitle("Timeline — scroll to zoom, drag to pan, double-click to fit"), timeline);
        VBox.setVgrow(timeline, Priority.ALWAYS);
        SplitPane lower = new SplitPane(timelineBox, tabs);
        lower.setDividerPositions(0.62);
        SplitPane main = new SplitPane(upper, lower);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.64);
        beside = new SplitPane(main);
        root.setCenter(beside);

        scrubber.setId("scrubber");
        scrubber.setMaxWidth(Double.MAX_VALUE);
        scrubber.valueProperty().addListener((o, a, b) -> {
            if (scrubbing) return;
            pausePlayback();
            model.seek(Math.round(b.doubleValue()));
        });
        HBox scrubRow = new HBox(10, position, scrubber);
        scrubRow.getStyleClass().add("scrub-row");
        HBox.setHgrow(scrubber, Priority.ALWAYS);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox statusRow = new HBox(16, status, grow, dropped);
        statusRow.getStyleClass().add("status-bar");
        status.setId("status");
        dropped.setId("dropped");
        position.setId("position");
        root.setBottom(new VBox(scrubRow, narration, statusRow));
    }

    private static Label viewTitle(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("view-title");
        return l;
    }

    private MenuBar menuBar() {
        MenuItem open = item("Open…", "Shortcut+O", this::openDialog);
        MenuItem save = item("Save", "Shortcut+S", this::save);
        MenuItem saveAs = item("Save As…", "Shortcut+Shift+S", this::saveAsDialog);
        MenuItem saveTrace = item("Save Trace…", null, this::saveTraceDialog);
        MenuItem export = item("Export Picture…", "Shortcut+E", this::exportPictureDialog);
        MenuItem exportChrome = item("Export Chrome JSON…", null, this::exportChromeDialog);
        MenuItem quit = item("Quit", "Shortcut+Q", () -> {
            autosaveNow();
            WindowPlacement.remember(stage, userFiles);
            userFiles.flush();
            Platform.exit();
        });
        rebuildRecent();
        Menu file = new Menu("File", null, open, recentMenu, new SeparatorMenuItem(), save, saveAs, saveTrace,
                export, exportChrome, new SeparatorMenuItem(), quit);
        Menu lessonsMenu = new Menu("Lessons");
        for (dev.januslab.lessons.Lesson l : lessonMode.lessons()) {
            lessonsMenu.getItems().add(item(String.format("%02d · %s", l.number(), l.title()), null, () -> lessonMode.open(l.id())));
        }
        lessonsMenu.getItems().addAll(new SeparatorMenuItem(),
                item("Next Step", null, lessonMode::nextStep),
                item("Previous Step", null, lessonMode::previousStep),
                item("Back to the Lesson", null, lessonMode::backToLesson));
        Menu demos = new Menu("Demos");
        for (Lessons.Program d : Lessons.programs()) {
            demos.getItems().add(item(d.title(), null, () -> loadProgram(d.source(), null, d.fileName())));
        }
        darkItem.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        darkItem.setOnAction(e -> setDark(darkItem.isSelected()));
        Menu view = new Menu("View", null, darkItem,
                item("Bigger Text", "Shortcut+Equals", () -> fontStep(+1)),
                item("Smaller Text", "Shortcut+Minus", () -> fontStep(-1)),
                item("Normal Text", "Shortcut+Digit0", () -> model.fontSize.set(15)));
        Menu help = new Menu("Help", null, item("Keyboard Shortcuts", "F1", this::showShortcuts));
        MenuBar bar = new MenuBar(file, lessonsMenu, demos, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private static MenuItem item(String text, String accel, Runnable action) {
        MenuItem mi = new MenuItem(text);
        if (accel != null) mi.setAccelerator(KeyCombination.keyCombination(accel));
        mi.setOnAction(e -> action.run());
        return mi;
    }

    private ToolBar toolBar() {
        runButton.setId("run");
        pauseButton.setId("pause");
        stepButton.setId("step");
        stopButton.setId("stop");
        runButton.getStyleClass().add("run-button");
        runButton.setOnAction(e -> run());
        pauseButton.setOnAction(e -> togglePlay());
        stepButton.setOnAction(e -> step(+1));
        stopButton.setOnAction(e -> stop());
        runButton.setTooltip(new Tooltip("Run the program (Ctrl+Enter)"));
        pauseButton.setTooltip(new Tooltip("Pause / resume (Space)"));
        stepButton.setTooltip(new Tooltip("Release / show exactly one event (→)"));
        stopButton.setTooltip(new Tooltip("Stop the run: every task is cancelled"));
        Button slower = new Button("−");
        Button faster = new Button("+");
        slower.setOnAction(e -> speed(-1));
        faster.setOnAction(e -> speed(+1));
        slower.setId("slower");
        faster.setId("faster");
        speedLabel.setId("speed");
        speedLabel.getStyleClass().add("speed-label");
        workers.setId("workers");
        workers.setPrefWidth(70);
        mode.getItems().addAll("deterministic", "live");
        mode.setValue("deterministic");
        mode.setId("mode");
        seed.setId("seed");
        seed.setPrefColumnCount(6);
        seed.setTextFormatter(new javafx.scene.control.TextFormatter<String>(c -> c.getControlNewText().matches("-?\\d{0,18}") ? c : null));
        quantum.setId("quantum");
        quantum.setEditable(true);
        quantum.setPrefWidth(100);
        workers.setEditable(true);
        for (double p : PACES) pace.getItems().add(Double.isInfinite(p) ? "full speed" : String.format("%,.0f ev/s", p));
        pace.getSelectionModel().select(0);
        pace.setId("pace");
        pace.setTooltip(new Tooltip("Pace of a live run: the workers make at most this many scheduler events per second"
                + " (+/− while a run is going). Replays use Speed."));
        pace.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> applyPace());
        ToolBar tb = new ToolBar(runButton, pauseButton, stepButton, stopButton, sep(),
                new Label("Speed"), slower, speedLabel, faster, sep(),
                new Label("Pace"), pace, new Label("Workers"), workers, new Label("Mode"), mode,
                new Label("Seed"), seed, new Label("Quantum"), quantum);
        tb.setId("toolbar");
        // a narrow window moves the last items into the toolbar's overflow menu; it never
        // shrinks a button to "R…"
        for (Node n : tb.getItems()) if (n instanceof javafx.scene.control.Labeled l) l.setMinWidth(Region.USE_PREF_SIZE);
        return tb;
    }

    private static Node sep() {
        Pane p = new Pane();
        p.getStyleClass().add("tool-sep");
        p.setMinWidth(10);
        return p;
    }

    // ---------------------------------------------------------------- runs and the cursor

    public RunConfig config() {
        long s;
        try {
            s = Long.parseLong(seed.getText().isBlank() ? "0" : seed.getText());
        } catch (NumberFormatException e) {
            s = 0;
        }
        return new RunConfig(workers.getValue(), "deterministic".equals(mode.getValue()), s, quantum.getValue());
    }

    /**
     * Run the editor's program on the native scheduler: compile it (problems → error marks,
     * and Run refuses, listing them), then start a run with the toolbar's settings.
     */
    public void run() {
        String name = editor.fileName() == null ? "program.jan" : editor.fileName();
        String source = editor.text();
        JanusCompiler.Result compiled;
        try {
            compiled = JanusCompiler.compile(name, source);
        } catch (RuntimeException e) {
            error("Cannot compile " + name, String.valueOf(e.getMessage()));
            return;
        }
        if (!compiled.ok()) {
            editor.showDiagnostics(compiled.diagnostics());
            StringBuilder sb = new StringBuilder();
            for (Diagnostic d : compiled.diagnostics()) {
                sb.append(d.file()).append(':').append(d.line()).append(':').append(d.col()).append(": ")
                        .append(d.code()).append(' ').append(d.message()).append('\n');
            }
            setStatus("✖ Fix the " + compiled.diagnostics().size() + " problem(s) in the program first.");
            error("The program has " + compiled.diagnostics().size() + " problem(s); nothing ran", sb.toString());
            return;
        }
        RunSession old = model.session.get();
        if (old != null) old.stop();
        NativeRunSession session = new NativeRunSession(name, source, compiled.module(), config());
        // a lesson run is recorded at full speed while the student steps through the recording
        session.setPace(lessonMode.active() ? Double.POSITIVE_INFINITY : paceValue());
        replayOnly = false;
        editor.setEditable(true);
        startSession(session);
        if (lessonMode.active()) {
            // a lesson run is recorded while the student steps through it from the start
            model.follow.set(false);
            model.playing.set(false);
            model.cursor.set(-1);
            setStatus("Running " + session.description() + " — step through it: Next step (Page Down), → one event.");
        }
    }

    /** Puts the toolbar's run settings to {@code c} (a lesson's pinned schedule). */
    public void applyConfig(RunConfig c) {
        workers.getValueFactory().setValue(c.workers());
        mode.setValue(c.deterministic() ? "deterministic" : "live");
        seed.setText(String.valueOf(c.seed()));
        quantum.getValueFactory().setValue(c.quantum());
    }

    /** The lesson's program in the editor and its pinned settings on the toolbar (lesson mode stays on). */
    void loadLessonProgram(dev.januslab.lessons.Lesson l) {
        loadProgramKeepMode(l.program(), null, l.id() + ".jan");
        var c = l.config();
        applyConfig(new RunConfig(Math.max(1, Math.min(8, c.workers())),
                c.mode() == dev.januslab.scheduler.trace.Wire.Mode.DETERMINISTIC, c.seed(), c.quantum()));
        model.session.set(null);
        model.recording.set(null);
        model.cursor.set(-1);
        model.selectedTask.set(-1);
        // the views drop the previous run and show this lesson's idle workers until it runs
        loop.setIdleTrace(dev.januslab.scheduler.run.Run.newTrace(l.id() + ".jan", l.program(),
                dev.januslab.app.session.NativeRunSession.toNative(config())));
        loop.invalidate();
    }

    void showLessonPane(boolean show) {
        Node p = lessonMode.pane();
        // The lesson takes a column of its own, the window's full height, beside the program
        // and the views: in the top row, a quarter of the width and two thirds of the height, its
        // text showed a few lines at a time and the nursery tree beside it cut off its cancel marks.
        if (show && !beside.getItems().contains(p)) {
            beside.getItems().add(0, p);
            SplitPane.setResizableWithParent(p, false); // a wider window widens the views, not the text
            beside.setDividerPositions(0.24);
            // the nursery tree's rows carry the cancel marks the lessons are about
            // ("⚑ observed at line 4"): in lesson mode it is the widest of the three
            upper.setDividerPositions(0.35, 0.62);
        } else if (!show && beside.getItems().remove(p)) {
            upper.setDividerPositions(0.34, 0.68);
        }
    }

    void userFilesPut(String key, String value) {
        userFiles.put(key, value);
    }

    boolean isReplay() {
        return replayOnly;
    }

    /** Moves the one cursor (pausing playback) and renders. */
    public void seekTo(long seq) {
        pausePlayback();
        model.seek(seq);
        loop.invalidate();
    }

    /** Alt+→/Alt+←: the next/previous event of the selected task (or, with no selection, of the cursor's worker). */
    public void jumpToEventOf(boolean forward, boolean byWorker) {
        Trace rec = model.recording.get();
        if (rec == null) return;
        long cur = model.cursor.get();
        long to;
        if (!byWorker && model.selectedTask.get() >= 0) {
            to = rec.nextEventOfTask(model.selectedTask.get(), cur, forward);
        } else {
            if (cur < 0 || cur >= rec.size()) return;
            to = rec.nextEventOfWorker(rec.worker(cur), cur, forward);
        }
        if (to >= 0) seekTo(to);
        else setStatus(forward ? "No later event of the selection." : "No earlier event of the selection.");
    }

    private void startSession(RunSession session) {
        model.session.set(session);
        model.recording.set(session.recording());
        model.cursor.set(-1);
        model.follow.set(true);
        model.selectedTask.set(-1);
        model.playing.set(true);
        failureShown = null;
        showBanner(null);
        session.start();
        setStatus("Running " + session.description());
        loop.invalidate();
    }

    /** Shows a finished recording (an opened .jtrace, or `render`): nothing executes. */
    public void showRecording(Trace rec, String what) {
        RunSession old = model.session.get();
        if (old != null) old.stop();
        model.session.set(null);
        model.playing.set(false);
        // lesson mode learns of this recording below, once: enter() looks for the lesson's
        // steps and answers in it, leave() drops them. Told now, a lesson being left would
        // first search every event of the new recording, on this thread, for nothing.
        showingRecording = true;
        try {
            model.recording.set(rec);
        } finally {
            showingRecording = false;
        }
        model.selectedTask.set(-1);
        model.follow.set(false);
        model.cursor.set(-1);
        replayOnly = true;
        String src = rec.header().program().source();
        editor.setText(src, rec.header().program().name());
        editor.setEditable(false);
        currentFile = null;
        savedText = src;
        showBanner("REPLAY of " + what + " — the program is shown read-only and nothing executes.");
        // the toolbar tells how this recording was made (and Run would make it again)
        var hc = rec.header().config();
        applyConfig(new RunConfig(Math.max(1, Math.min(8, hc.workers())),
                hc.mode() == dev.januslab.scheduler.trace.Wire.Mode.DETERMINISTIC, hc.seed(), hc.quantum()));
        updateTitle();
        var hl = rec.header().lesson();
        var lesson = hl == null ? java.util.Optional.<dev.januslab.lessons.Lesson>empty() : lessonMode.find(hl.id());
        if (lesson.isPresent()) {
            lessonMode.enter(lesson.get());
            if (hl.step() >= 0 && hl.step() < lesson.get().steps().size()) lessonMode.goToStep(hl.step());
        } else {
            lessonMode.leave();
        }
        loop.invalidate();
    }

    /** What Space (the Pause/Play button) does now, as {@link #togglePlay()} decides it: true = pause. */
    private boolean pausesNow() {
        RunSession s = model.session.get();
        boolean running = s != null && s.status() == RunSession.Status.RUNNING;
        if (running && lessonMode.active() && !model.follow.get()) return model.playing.get();
        if (running || s != null && s.status() == RunSession.Status.PAUSED) return running;
        return model.playing.get(); // a finished run or a trace: its recording plays
    }

    /** Space: run/pause a live run, or play/pause a replay. */
    public void togglePlay() {
        RunSession s = model.session.get();
        Trace rec = model.recording.get();
        if (lessonMode.active() && s != null && s.status() == RunSession.Status.RUNNING && !model.follow.get()) {
            // lesson mode: the run records in the background; Space plays the cursor through it
            model.playing.set(!model.playing.get());
        } else if (s != null && (s.status() == RunSession.Status.RUNNING || s.status() == RunSession.Status.PAUSED)) {
            if (s.status() == RunSession.Status.RUNNING) {
                s.pause();
                model.playing.set(false);
            } else {
                s.resume();
                model.follow.set(true);
                model.playing.set(true);
            }
        } else if (rec != null) {
            if (model.playing.get()) {
                model.playing.set(false);
            } else {
                if (model.cursor.get() >= rec.size() - 1) model.cursor.set(-1);
                model.playing.set(true);
            }
        } else {
            run();
        }
        loop.invalidate();
    }

    private void pausePlayback() {
        RunSession s = model.session.get();
        // lesson mode: the run goes on recording in the background while the student steps through it
        if (s != null && !lessonMode.active() && s.status() == RunSession.Status.RUNNING) s.pause();
        model.playing.set(false);
    }

    /** →/←: one event. A paused live run at its newest event releases exactly one more. */
    public void step(int delta) {
        Trace rec = model.recording.get();
        if (rec == null) return;
        RunSession s = model.session.get();
        pausePlayback();
        if (delta > 0 && model.cursor.get() >= rec.size() - 1 && s != null && s.status() == RunSession.Status.PAUSED) {
            model.follow.set(true);
            s.step();
        } else {
            model.stepBy(delta);
        }
    }

    public void stop() {
        RunSession s = model.session.get();
        if (s != null) s.stop();
        model.playing.set(false);
        loop.invalidate();
    }

    /** +/−: the pace of a live run that is going (outside lesson mode), else the replay speed. */
    public void speed(int delta) {
        if (pacingLiveRun()) {
            int i = pace.getSelectionModel().getSelectedIndex() - delta; // PACES go from fast to slow
            pace.getSelectionModel().select(Math.max(0, Math.min(PACES.length - 1, i)));
            return;
        }
        model.speedIndex.set(Math.max(0, Math.min(LabModel.SPEEDS.length - 1, model.speedIndex.get() + delta)));
    }

    private boolean pacingLiveRun() {
        RunSession s = model.session.get();
        return s != null && !lessonMode.active()
                && (s.status() == RunSession.Status.RUNNING || s.status() == RunSession.Status.PAUSED);
    }

    double paceValue() {
        int i = pace.getSelectionModel().getSelectedIndex();
        return PACES[Math.max(0, Math.min(PACES.length - 1, i))];
    }

    /** The pace choice applies at once to the run that is going. */
    private void applyPace() {
        if (!pacingLiveRun()) return;
        model.session.get().setPace(paceValue());
        String p = pace.getValue();
        setStatus("Pace: " + p + (Double.isInfinite(paceValue()) ? "" : " — the workers wait for the pace between events"));
    }

    /** Sets the live-run pace (tests; the Pace choice box). */
    public void setPace(double eventsPerSecond) {
        int best = 0;
        for (int i = 1; !Double.isInfinite(eventsPerSecond) && i < PACES.length; i++) if (Math.abs(PACES[i] - eventsPerSecond) < Math.abs(PACES[best] - eventsPerSecond)) best = i;
        pace.getSelectionModel().select(best);
    }

    private void applySpeed() {
        double eps = model.eventsPerSecond();
        speedLabel.setText((eps >= 1000 ? String.format("%,.0f", eps) : String.valueOf((int) eps)) + " ev/s");
    }

    public void fontStep(int delta) {
        model.fontSize.set(Math.max(10, Math.min(36, model.fontSize.get() + delta * 2)));
    }

    private void applyFontSize() {
        root.setStyle("-fx-font-size: " + model.fontSize.get() + "px;");
        userFiles.put("fontSize", String.valueOf(model.fontSize.get()));
        loop.invalidate();
    }

    public boolean isDark() {
        return darkItem.isSelected();
    }

    public void setDark(boolean dark) {
        darkItem.setSelected(dark);
        timeline.setDark(dark);
        Scene scene = root.getScene();
        if (scene != null) {
            scene.getStylesheets().setAll(css("base.css"), css(dark ? "dark.css" : "light.css"));
        }
        userFiles.put("dark", String.valueOf(dark));
    }

    private static String css(String name) {
        return MainWindow.class.getResource("/dev/januslab/app/" + name).toExternalForm();
    }

    // ---------------------------------------------------------------- keyboard

    private boolean typingInText(KeyEvent e) {
        Node focus = root.getScene() == null ? null : root.getScene().getFocusOwner();
        return focus instanceof TextInputControl || focus instanceof CodeArea;
    }

    private void onKeyPressed(KeyEvent e) {
        boolean shortcut = e.isShortcutDown();
        KeyCode k = e.getCode();
        if (shortcut && (k == KeyCode.EQUALS || k == KeyCode.PLUS || k == KeyCode.ADD)) { fontStep(+1); e.consume(); return; }
        if (shortcut && (k == KeyCode.MINUS || k == KeyCode.SUBTRACT)) { fontStep(-1); e.consume(); return; }
        if (shortcut && k == KeyCode.ENTER) { run(); e.consume(); return; }
        switch (k) {
            case F5 -> { togglePlay(); e.consume(); return; }
            case F10 -> { step(e.isShiftDown() ? -1 : +1); e.consume(); return; }
            case F1 -> { showShortcuts(); e.consume(); return; }
            case ESCAPE -> { lanes.requestFocus(); e.consume(); return; }
            default -> { }
        }
        if (!typingInText(e) && !shortcut && e.isAltDown() && (k == KeyCode.RIGHT || k == KeyCode.LEFT)) {
            jumpToEventOf(k == KeyCode.RIGHT, e.isShiftDown());
            e.consume();
            return;
        }
        if (!typingInText(e) && !shortcut && (k == KeyCode.PAGE_DOWN || k == KeyCode.PAGE_UP) && lessonMode.active()) {
            if (k == KeyCode.PAGE_DOWN) lessonMode.nextStep();
            else lessonMode.previousStep();
            e.consume();
            return;
        }
        if (typingInText(e) || shortcut || e.isAltDown()) return;
        switch (k) {
            case SPACE -> { togglePlay(); e.consume(); }
            case RIGHT -> { step(+1); e.consume(); }
            case LEFT -> { step(-1); e.consume(); }
            default -> { }
        }
    }

    private void onKeyTyped(KeyEvent e) {
        if (typingInText(e) || e.isShortcutDown()) return;
        switch (e.getCharacter()) {
            case "?" -> { showShortcuts(); e.consume(); }
            case "+", "=" -> { speed(+1); e.consume(); }
            case "-", "−" -> { speed(-1); e.consume(); }
            default -> { }
        }
    }

    public void showShortcuts() {
        Alert a = Shortcuts.dialog(stage);
        if (root.getScene() != null) a.getDialogPane().getStylesheets().addAll(root.getScene().getStylesheets());
        a.show();
    }

    // ---------------------------------------------------------------- per frame

    private void afterFrame() {
        Trace rec = loop.shownTrace();
        SchedulerState s = loop.state();
        RunSession session = model.session.get();
        scrubbing = true;
        scrubber.setMax(Math.max(0, rec.size() - 1));
        scrubber.setValue(model.cursor.get());
        scrubbing = false;
        position.setText(String.format("event %,d of %,d", model.cursor.get() + 1, rec.size()));
        String what;
        if (session != null) {
            what = switch (session.status()) {
                case RUNNING -> "● running";
                case PAUSED -> "‖ paused";
                case FINISHED -> "✔ finished";
                case STOPPED -> "■ stopped";
                case FAILED -> "✖ failed";
            };
        } else if (model.recording.get() == null) {
            what = "○ nothing has run yet";
        } else {
            what = model.playing.get() ? "▶ replaying" : "‖ replay (paused)";
        }
        status.setText(String.format("%s   ·   %,d tasks (%,d live)   ·   %s", what,
                s == null ? 0 : s.taskCount(), s == null ? 0 : s.liveTaskCount(),
                s == null || s.runStatus() == null ? "" : "run " + s.runStatus().wire()));
        long drop = Math.max(s == null ? 0 : s.dropped(), session == null ? 0 : session.droppedEvents());
        dropped.setText(String.format("%,d events dropped", drop));
        dropped.getStyleClass().removeAll("warning");
        if (drop > 0) dropped.getStyleClass().add("warning");
        int sel = model.selectedTask.get();
        TaskInfo ti = s == null ? null : s.task(sel);
        if (ti == null && s != null && loop.state() != null && rec.size() > 0 && model.cursor.get() >= 0) {
            ti = s.task(rec.taskOf(model.cursor.get()));
        }
        editor.showCurrentLine(ti == null ? -1 : ti.line());
        pauseButton.setText(pausesNow() ? "‖ Pause" : "▶ Play");
        if (session != null && session.failure() != null && !session.failure().equals(failureShown)) {
            failureShown = session.failure();
            Alert a = new Alert(Alert.AlertType.ERROR, session.failure());
            a.setHeaderText("The run could not start in the native runtime");
            a.show();
        }
    }

    private void showBanner(String text) {
        banner.setText(text == null ? "" : text);
        banner.setVisible(text != null);
        banner.setManaged(text != null);
    }

    void setStatus(String text) {
        status.setText(text);
    }

    // ---------------------------------------------------------------- files

    /** Opens on a file (program or trace), restores unsaved work, or opens lesson 1. */
    public void openInitial(Path file) {
        if (file != null) {
            open(file);
            return;
        }
        Optional<UserFiles.Autosave> a = userFiles.loadAutosave();
        if (a.isPresent() && a.get().unsaved()) {
            UserFiles.Autosave as = a.get();
            loadProgram(as.text(), as.file(), as.file() == null ? "program.jan" : as.file().getFileName().toString());
            if (as.file() != null) {
                try {
                    savedText = Files.readString(as.file(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    savedText = "";
                }
            } else {
                savedText = "";
            }
            updateTitle();
            showBanner("Restored your unsaved work from " + HHMM.format(Instant.ofEpochMilli(as.savedAtMillis()))
                    + " (autosave in " + userFiles.dir() + ").");
            return;
        }
        if (lessonMode.open(userFiles.get("lesson", "01-why-async"))) return;
        if (!lessonMode.lessons().isEmpty() && lessonMode.open(lessonMode.lessons().get(0).id())) return;
        Lessons.Program first = Lessons.programs().isEmpty() ? null : Lessons.programs().get(0);
        loadProgram(first == null ? "" : first.source(), null, first == null ? "program.jan" : first.fileName());
    }

    public void loadProgram(String text, Path file, String name) {
        lessonMode.leave();
        loadProgramKeepMode(text, file, name);
    }

    private void loadProgramKeepMode(String text, Path file, String name) {
        RunSession s = model.session.get();
        if (s != null) s.stop();
        replayOnly = false;
        editor.setEditable(true);
        editor.setText(text, name);
        currentFile = file;
        savedText = text;
        showBanner(null);
        updateTitle();
    }

    public void open(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".jtrace") || name.endsWith(".jtrace.gz")) {
            setStatus("Loading " + name + "…");
            CompletableFuture.supplyAsync(() -> {
                try {
                    return TraceFiles.read(file);
                } catch (TraceFileException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }).whenComplete((rec, err) -> Platform.runLater(() -> {
                if (err != null) {
                    Throwable cause = err.getCause() != null ? err.getCause() : err;
                    if (cause instanceof TraceFileException tfe) {
                        error("Cannot open " + name + ": it is not a valid Janus trace",
                                tfe.file() + ":" + tfe.line() + ": " + tfe.reason());
                    } else {
                        error("Cannot open " + name, String.valueOf(cause.getMessage()));
                    }
                } else {
                    userFiles.addRecent(file);
                    rebuildRecent();
                    showRecording(rec, name);
                }
            }));
            return;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            loadProgram(text, file, name);
            userFiles.addRecent(file);
            rebuildRecent();
        } catch (IOException e) {
            error("Cannot open " + name, e.getMessage());
        }
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        for (Path p : userFiles.recent()) recentMenu.getItems().add(item(p.getFileName() + "  —  " + p.getParent(), null, () -> open(p)));
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none yet)");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        }
    }

    private void openDialog() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a program or a trace");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Janus programs and traces", "*.jan", "*.jtrace", "*.jtrace.gz"),
                new FileChooser.ExtensionFilter("All files", "*"));
        var f = fc.showOpenDialog(stage);
        if (f != null) open(f.toPath());
    }

    public void save() {
        if (currentFile == null || replayOnly) {
            saveAsDialog();
            return;
        }
        saveTo(currentFile);
    }

    private void saveAsDialog() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save program");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Janus program", "*.jan"));
        fc.setInitialFileName(currentFile == null ? "program.jan" : currentFile.getFileName().toString());
        var f = fc.showSaveDialog(stage);
        if (f != null) saveTo(f.toPath());
    }

    public void saveTo(Path file) {
        try {
            String text = editor.text();
            Files.writeString(file, text, StandardCharsets.UTF_8);
            currentFile = file;
            savedText = text;
            replayOnly = false;
            editor.setEditable(true);
            userFiles.addRecent(file);
            rebuildRecent();
            autosaveNow();
            updateTitle();
            setStatus("Saved " + file.getFileName());
        } catch (IOException e) {
            error("Cannot save " + file.getFileName(), e.getMessage());
        }
    }

    /** Writes the shown recording; in lesson mode its header records the lesson and the current step. */
    public void saveTrace(Path file) throws IOException {
        Trace rec = model.recording.get();
        if (rec == null) throw new IOException("nothing has run yet");
        stampLesson(rec);
        TraceFiles.write(rec, file);
    }

    private void stampLesson(Trace rec) {
        if (lessonMode.active() && rec.header().program() != null) {
            rec.setHeader(rec.header().withLesson(new dev.januslab.scheduler.trace.TraceHeader.Lesson(
                    lessonMode.lesson().id(), Math.max(0, lessonMode.currentStepIndex()))));
        }
    }

    /** File > Export Chrome JSON: the shown recording in the Chrome Trace Event format (TRACE.md §4). */
    public void exportChrome(Path file) throws IOException {
        Trace rec = model.recording.get();
        if (rec == null) throw new IOException("nothing has run yet");
        dev.januslab.scheduler.trace.ChromeTraceExporter.export(rec, file);
    }

    private void exportChromeDialog() {
        Trace rec = model.recording.get();
        if (rec == null) {
            setStatus("Nothing to export: run a program or open a trace first.");
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Export Chrome / Perfetto JSON");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Chrome trace JSON", "*.json"));
        fc.setInitialFileName("run.chrome.json");
        var f = fc.showSaveDialog(stage);
        if (f == null) return;
        CompletableFuture.runAsync(() -> {
            try {
                dev.januslab.scheduler.trace.ChromeTraceExporter.export(rec, f.toPath());
                Platform.runLater(() -> setStatus("Exported " + f.getName() + " (open it in chrome://tracing or ui.perfetto.dev)"));
            } catch (IOException e) {
                Platform.runLater(() -> error("Cannot export the Chrome trace", e.getMessage()));
            }
        });
    }

    private void saveTraceDialog() {
        Trace rec = model.recording.get();
        if (rec == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Save trace");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Janus trace", "*.jtrace", "*.jtrace.gz"));
        fc.setInitialFileName("run.jtrace");
        var f = fc.showSaveDialog(stage);
        if (f == null) return;
        stampLesson(rec);
        CompletableFuture.runAsync(() -> {
            try {
                TraceFiles.write(rec, f.toPath());
                Platform.runLater(() -> setStatus("Saved trace " + f.getName()));
            } catch (IOException e) {
                Platform.runLater(() -> error("Cannot save the trace", e.getMessage()));
            }
        });
    }

    private void exportPictureDialog() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export picture");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        fc.setInitialFileName("janus-lab.png");
        var f = fc.showSaveDialog(stage);
        if (f == null) return;
        WritableImage img = root.snapshot(null, null);
        CompletableFuture.runAsync(() -> {
            try {
                Pictures.writePng(img, f.toPath());
                Platform.runLater(() -> setStatus("Exported " + f.getName()));
            } catch (IOException e) {
                Platform.runLater(() -> error("Cannot export the picture", e.getMessage()));
            }
        });
    }

    private void autosaveNow() {
        if (replayOnly) return;
        String text = editor.text();
        userFiles.autosave(text, currentFile, !text.equals(savedText));
    }

    public boolean unsaved() {
        return !replayOnly && !editor.text().equals(savedText);
    }

    private void updateTitle() {
        if (stage == null) return;
        String name = currentFile != null ? currentFile.getFileName().toString() : "untitled program";
        if (replayOnly) name = "replay";
        stage.setTitle(TITLE + " — " + name + (unsaved() ? " •" : ""));
    }

    private void error(String header, String message) {
        setStatus("✖ " + header);
        if (root.getScene() == null || root.getScene().getWindow() == null) {
            System.err.println("janus-lab: " + header + ": " + message);
            return;
        }
        Alert a = new Alert(Alert.AlertType.ERROR, message);
        a.setHeaderText(header);
        a.initOwner(root.getScene().getWindow());
        a.show();
    }
}

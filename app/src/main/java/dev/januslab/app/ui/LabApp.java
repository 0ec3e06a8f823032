package dev.januslab.app.ui;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/** The JavaFX application: one {@link MainWindow} on the primary stage. */
public final class LabApp extends Application {
    private static volatile Path initialFile;
    private static volatile java.util.function.Consumer<MainWindow> onShown;

    /** Launches the app (blocks until the window closes). */
    public static void launchWith(Path file) {
        initialFile = file;
        // Prism caches each region's background (rounded corners, insets) as an image and
        // draws it back nine-sliced, stretched over the region. Under the software renderer
        // (Xvfb, remote desktops, machines without a usable GPU) that stretch is the render
        // thread's largest cost: bench-gui measured 27 ms of render CPU per frame with the
        // cache, 7-8 ms without. A GPU fills the same backgrounds directly at no cost.
        // -Dprism.disableRegionCaching=false brings the cache back.
        if (System.getProperty("prism.disableRegionCaching") == null) System.setProperty("prism.disableRegionCaching", "true");
        LessonMode.preloadLessons();
        Application.launch(LabApp.class);
    }

    private static volatile double[] fixedSize;

    /** Benchmarks open the window at one size, wherever the user's own window was left. */
    public static void setWindowSize(double width, double height) {
        fixedSize = new double[] {width, height};
    }

    /** Benchmarks and smoke tests get the window once it is shown. */
    public static void setOnShown(java.util.function.Consumer<MainWindow> hook) {
        onShown = hook;
    }

    @Override
    public void start(Stage stage) {
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
            e.printStackTrace();
            Platform.runLater(() -> {
                var a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR,
                        String.valueOf(e), javafx.scene.control.ButtonType.OK);
                a.setHeaderText("Janus Lab hit an internal error (your program is autosaved)");
                a.show();
            });
        });
        UserFiles files = UserFiles.standard();
        MainWindow w = new MainWindow(files);
        w.editor.holdChecks();
        double[] size = fixedSize;
        WindowPlacement.Placement place = size != null
                ? new WindowPlacement.Placement(Double.NaN, Double.NaN, size[0], size[1], false)
                : WindowPlacement.initial(files);
        stage.setScene(w.createScene(place.width(), place.height()));
        WindowPlacement.apply(place, stage);
        w.attach(stage);
        w.openInitial(initialFile);
        w.loop.start();
        stage.setOnShown(e -> {
            Platform.runLater(w.editor::releaseChecks); // after the first frame is up
            if (Boolean.getBoolean("januslab.startupTime")) {
                long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                System.err.println("window shown " + ms + " ms after JVM start");
            }
            if (onShown != null) onShown.accept(w);
        });
        stage.show();
        w.lanes.requestFocus();
    }
}

package dev.januslab.app.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javafx.application.Platform;

/**
 * Starts JavaFX without a display (Monocle's headless glass, software rendering) for the
 * `render` command, and runs work on the FX thread from a plain thread, letting a few pulses
 * pass between steps so asynchronous updates (the editor's checker, layout) settle.
 */
public final class Headless {
    private Headless() {}

    private static boolean startedHere;

    /** Starts the toolkit headless; if it already runs (tests), uses it as it is. */
    public static void start() throws InterruptedException {
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("java.awt.headless", "true");
        System.setProperty("headless.geometry", "1920x1200-32");
        CompletableFuture<Void> up = new CompletableFuture<>();
        try {
            Platform.startup(() -> up.complete(null));
            startedHere = true;
        } catch (IllegalStateException alreadyRunning) {
            return;
        }
        try {
            up.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("JavaFX did not start headless: " + e, e);
        }
        Platform.setImplicitExit(false);
    }

    /** The result of a step on the FX thread, to which another step can be chained after a pause. */
    public static final class Step<T> {
        private final T value;

        Step(T value) {
            this.value = value;
        }

        public <R> R thenSettle(Function<T, R> next) throws Exception {
            Thread.sleep(400); // let the editor's checker and queued runLater work land
            return onFx(() -> next.apply(value));
        }
    }

    public static <T> Step<T> call(Callable<T> work) throws Exception {
        return new Step<>(onFx(work));
    }

    public static <T> T onFx(Callable<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Stops the toolkit if {@link #start()} started it. */
    public static void exit() {
        if (startedHere) Platform.exit();
    }
}

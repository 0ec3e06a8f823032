package dev.januslab.app.ui;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * Where and how large the window opens: where the user left it last time (if that place is
 * still on a screen), else a size that suits the screen. A teacher who sized the window for
 * the lecture hall's projector finds it so the next time.
 */
final class WindowPlacement {
    private static final String KEY = "window";

    /** x, y and the scene's width and height; x and y are NaN when the window system places it. */
    record Placement(double x, double y, double width, double height, boolean maximized) {}

    private WindowPlacement() {}

    /** The placement remembered in {@code files}, if it is still on a screen, else a default for this screen. */
    static Placement initial(UserFiles files) {
        Placement saved = parse(files.get(KEY, ""));
        if (saved != null && !Screen.getScreensForRectangle(saved.x(), saved.y(), saved.width(), saved.height()).isEmpty()) {
            return saved;
        }
        return forScreen(Screen.getPrimary().getVisualBounds());
    }

    /**
     * 1440×900 on a laptop's screen, within the screen when it is smaller (a window below the
     * screen's edge hides the scrubber and status bar); on a large screen or projector, most of it.
     */
    static Placement forScreen(Rectangle2D screen) {
        double w = Math.floor(Math.min(screen.getWidth() * 0.96, Math.max(1440, screen.getWidth() * 0.9)));
        double h = Math.floor(Math.min(screen.getHeight() * 0.94, Math.max(900, screen.getHeight() * 0.9)));
        return new Placement(Double.NaN, Double.NaN, w, h, false);
    }

    static void apply(Placement p, Stage stage) {
        if (!Double.isNaN(p.x())) {
            stage.setX(p.x());
            stage.setY(p.y());
        }
        stage.setMaximized(p.maximized());
    }

    /** Remembers the window's place and size (a maximized window: its maximized size, and that it was maximized). */
    static void remember(Stage stage, UserFiles files) {
        if (stage == null || stage.getScene() == null || !stage.isShowing()) return;
        files.put(KEY, format(new Placement(stage.getX(), stage.getY(), stage.getScene().getWidth(),
                stage.getScene().getHeight(), stage.isMaximized())));
    }

    static String format(Placement p) {
        return String.format(java.util.Locale.ROOT, "%.0f,%.0f,%.0f,%.0f,%b", p.x(), p.y(), p.width(), p.height(), p.maximized());
    }

    /** The placement a settings line holds, or null for an empty or damaged one. */
    static Placement parse(String s) {
        String[] f = s.split(",");
        if (f.length != 5) return null;
        try {
            double x = Double.parseDouble(f[0]), y = Double.parseDouble(f[1]);
            double w = Double.parseDouble(f[2]), h = Double.parseDouble(f[3]);
            if (!(w >= 400 && h >= 300 && w < 20_000 && h < 20_000) || Double.isNaN(x) || Double.isNaN(y)) return null;
            return new Placement(x, y, w, h, Boolean.parseBoolean(f[4]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package dev.januslab.app.ui;

import javafx.scene.paint.Color;

/** A stable, distinguishable colour per task id (golden-angle hues), used by every view. */
public final class TaskColors {
    private TaskColors() {}

    public static Color of(int task) {
        if (task < 0) return Color.GRAY;
        double hue = (task * 137.508 + 200) % 360;
        return Color.hsb(hue, 0.55, 0.80);
    }

    public static String css(int task) {
        Color c = of(task);
        return String.format("#%02x%02x%02x", (int) (c.getRed() * 255), (int) (c.getGreen() * 255),
                (int) (c.getBlue() * 255));
    }
}

package dev.januslab.app.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javax.imageio.ImageIO;

/** PNG output for `render`, File > Export picture and the tests' screenshots. */
public final class Pictures {
    private Pictures() {}

    public static void writePng(Image img, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    /** How many distinct colours a picture has (a blank window has one or two). */
    public static int distinctColours(Image img, int sampleStep) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        var r = img.getPixelReader();
        for (int y = 0; y < (int) img.getHeight(); y += sampleStep) {
            for (int x = 0; x < (int) img.getWidth(); x += sampleStep) seen.add(r.getArgb(x, y));
        }
        return seen.size();
    }
}

package dev.lenet5.app.report;

import dev.lenet5.nn.io.AtomicFiles;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The run's pictures as PNG files, written atomically like every other file of the run. */
final class Png {

    private Png() {
    }

    static void write(Path file, RenderedImage image) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("cannot write " + file + ": this Java runtime has no PNG writer");
            }
        });
    }
}

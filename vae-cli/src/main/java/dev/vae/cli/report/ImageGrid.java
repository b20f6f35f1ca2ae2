package dev.vae.cli.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes rows of square grey-scale images (e.g. 28 x 28 MNIST pixels) as one PNG grid. */
public final class ImageGrid {

    private ImageGrid() {
    }

    /** The side of a square image with {@code width} pixels, or -1 when {@code width} is not a square. */
    public static int side(int width) {
        int s = (int) Math.round(Math.sqrt(width));
        return s * s == width && s >= 4 ? s : -1;
    }

    /**
     * Writes {@code rows} images of {@code side x side} pixels, {@code columns} per grid row, scaled 2x with a 2
     * pixel gap. Pixel values are mapped from [min, max] of the given data to black..white.
     */
    public static void write(float[] pixels, int rows, int side, int columns, Path png) throws IOException {
        if (rows < 1 || (long) rows * side * side != pixels.length) {
            throw new IllegalArgumentException("Expected " + rows + " images of " + side + "x" + side + " pixels");
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float p : pixels) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        float range = max > min ? max - min : 1f;
        int scale = 2;
        int gap = 2;
        int cell = side * scale + gap;
        int gridRows = (rows + columns - 1) / columns;
        BufferedImage img = new BufferedImage(columns * cell + gap, gridRows * cell + gap, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0x404040);
            }
        }
        for (int r = 0; r < rows; r++) {
            int ox = gap + (r % columns) * cell;
            int oy = gap + (r / columns) * cell;
            for (int i = 0; i < side; i++) {
                for (int j = 0; j < side; j++) {
                    float v = (pixels[r * side * side + i * side + j] - min) / range;
                    int g = Math.max(0, Math.min(255, Math.round(v * 255f)));
                    int rgb = (g << 16) | (g << 8) | g;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + j * scale + dx, oy + i * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        ImageIO.write(img, "png", png.toFile());
    }
}

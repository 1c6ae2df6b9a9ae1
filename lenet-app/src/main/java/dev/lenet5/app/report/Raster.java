package dev.lenet5.app.report;

import java.util.Arrays;

/**
 * An RGB picture in memory with the few drawing operations the run's pictures need: rectangles, anti-aliased
 * thick lines, round markers and bitmap text. Drawing these ourselves, rather than through Java2D, keeps the
 * desktop module (about 400 classes and a font system to start) out of every training run; see
 * {@link PngEncoder} for the file. Everything outside the picture is clipped.
 */
final class Raster {

    final int width;
    final int height;
    /**
     * {@code 0xRRGGBB}, one array per row. Rows of a few kilobytes are allocated like any small object; one array
     * for the whole picture (2 MB for the curves) would be a humongous object that takes fresh regions of the heap,
     * milliseconds of page faults in a JVM that has not used them yet.
     */
    private final int[][] rows;

    Raster(int width, int height, int background) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a picture needs at least one pixel, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.rows = new int[height][width];
        // One row by hand, the others copied from it: in a JVM that has not compiled this loop yet, a loop over
        // every pixel would cost milliseconds; System.arraycopy is native from the first call.
        Arrays.fill(rows[0], background);
        for (int y = 1; y < height; y++) {
            System.arraycopy(rows[0], 0, rows[y], 0, width);
        }
    }

    int get(int x, int y) {
        return rows[y][x];
    }

    void set(int x, int y, int rgb) {
        rows[y][x] = rgb;
    }

    /** Row {@code y} itself, not a copy: for the encoder, which reads the picture a row at a time. */
    int[] row(int y) {
        return rows[y];
    }

    /** Fills the {@code w} by {@code h} rectangle whose top-left pixel is {@code (x, y)}. */
    void fill(int x, int y, int w, int h, int rgb) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(width, x + w);
        int y1 = Math.min(height, y + h);
        for (int r = y0; r < y1 && x0 < x1; r++) {
            Arrays.fill(rows[r], x0, x1, rgb);
        }
    }

    /** Copies {@code row} into the picture from {@code (x, y)} rightwards, clipped. */
    void copyRow(int[] row, int x, int y) {
        if (y < 0 || y >= height) {
            return;
        }
        int from = Math.max(0, -x);
        int to = Math.min(row.length, width - x);
        if (from < to) {
            System.arraycopy(row, from, rows[y], x + from, to - from);
        }
    }

    /** The one-pixel outline of the {@code w} by {@code h} rectangle whose top-left pixel is {@code (x, y)}. */
    void outline(int x, int y, int w, int h, int rgb) {
        fill(x, y, w, 1, rgb);
        fill(x, y + h - 1, w, 1, rgb);
        fill(x, y, 1, h, rgb);
        fill(x + w - 1, y, 1, h, rgb);
    }

    /** Mixes {@code rgb} into the pixel by {@code coverage} (0: unchanged, 1: replaced). */
    void blend(int x, int y, int rgb, double coverage) {
        if (x < 0 || y < 0 || x >= width || y >= height || coverage <= 0) {
            return;
        }
        if (coverage >= 1) {
            rows[y][x] = rgb;
            return;
        }
        int old = rows[y][x];
        int mixed = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double c = ((rgb >> shift) & 0xFF) * coverage + ((old >> shift) & 0xFF) * (1 - coverage);
            mixed |= (int) Math.round(c) << shift;
        }
        rows[y][x] = mixed;
    }

    /**
     * A line {@code thickness} pixels wide with round ends and joints through the points {@code (xs[i], ys[i])}
     * (pixel coordinates; a pixel's centre is at +0.5). The coverage of the whole line is found first, each pixel
     * taking its largest over the segments, and blended once: blending segment by segment would darken the
     * anti-aliased edge wherever two segments meet.
     */
    void polyline(double[] xs, double[] ys, int n, double thickness, int rgb) {
        if (n < 1) {
            return;
        }
        double r = thickness / 2;
        double minX = xs[0];
        double maxX = xs[0];
        double minY = ys[0];
        double maxY = ys[0];
        for (int i = 1; i < n; i++) {
            minX = Math.min(minX, xs[i]);
            maxX = Math.max(maxX, xs[i]);
            minY = Math.min(minY, ys[i]);
            maxY = Math.max(maxY, ys[i]);
        }
        int left = Math.max(0, (int) Math.floor(minX - r - 1));
        int top = Math.max(0, (int) Math.floor(minY - r - 1));
        int right = Math.min(width, (int) Math.ceil(maxX + r + 2));
        int bottom = Math.min(height, (int) Math.ceil(maxY + r + 2));
        if (left >= right || top >= bottom) {
            return;
        }
        Coverage cover = new Coverage(left, top, right - left, bottom - top);
        for (int i = 0; i < Math.max(1, n - 1); i++) {
            int j = Math.min(i + 1, n - 1);
            segment(cover, xs[i], ys[i], xs[j], ys[j], r);
        }
        for (int y = 0; y < cover.h; y++) {
            // Only the span each row's segments touched: most of the window is away from the line.
            for (int x = cover.from[y]; x < cover.to[y]; x++) {
                float c = cover.mask[y * cover.w + x];
                if (c > 0) {
                    blend(left + x, top + y, rgb, c);
                }
            }
        }
    }

    /** Per-pixel coverage over a window of the picture, with the columns touched in each row. */
    private static final class Coverage {
        final int x0;
        final int y0;
        final int w;
        final int h;
        final float[] mask;
        /** Per row, the touched columns {@code [from, to)} of the window; empty while {@code from >= to}. */
        final int[] from;
        final int[] to;

        Coverage(int x0, int y0, int w, int h) {
            this.x0 = x0;
            this.y0 = y0;
            this.w = w;
            this.h = h;
            this.mask = new float[w * h];
            this.from = new int[h];
            this.to = new int[h];
            Arrays.fill(from, w);
        }

        void add(int x, int y, double c) {
            int cx = x - x0;
            int cy = y - y0;
            if (cx >= 0 && cy >= 0 && cx < w && cy < h) {
                int i = cy * w + cx;
                mask[i] = (float) Math.max(mask[i], Math.min(1, c));
                from[cy] = Math.min(from[cy], cx);
                to[cy] = Math.max(to[cy], cx + 1);
            }
        }
    }

    /**
     * Covers the pixels within {@code r} of the segment, with a one-pixel ramp at the edge for anti-aliasing.
     * It walks the segment's longer axis and, at each step, only the few pixels across the line near it, so a
     * long diagonal costs its length, not its bounding box.
     */
    private static void segment(Coverage cover, double ax, double ay, double bx, double by, double r) {
        boolean steep = Math.abs(by - ay) > Math.abs(bx - ax);
        double u0 = steep ? ay : ax;
        double v0 = steep ? ax : ay;
        double du = (steep ? by : bx) - u0;
        double dv = (steep ? bx : by) - v0;
        // Across the line, the band of distance r is r * length / |du| wide on either side of its centre.
        double across = (du != 0 ? r * Math.sqrt(du * du + dv * dv) / Math.abs(du) : r) + 1;
        int uFrom = (int) Math.floor(Math.min(u0, u0 + du) - r - 1);
        int uTo = (int) Math.ceil(Math.max(u0, u0 + du) + r + 1);
        for (int u = uFrom; u <= uTo; u++) {
            double pu = u + 0.5;
            double t = du == 0 ? 0 : Math.max(0, Math.min(1, (pu - u0) / du));
            double centre = v0 + t * dv;
            for (int v = (int) Math.floor(centre - across); v <= (int) Math.floor(centre + across); v++) {
                double c = r + 0.5 - distanceToSegment(pu, v + 0.5, u0, v0, du, dv);
                if (c > 0) {
                    cover.add(steep ? v : u, steep ? u : v, c);
                }
            }
        }
    }

    private static double distanceToSegment(double px, double py, double ax, double ay, double dx, double dy) {
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
        double ex = px - (ax + t * dx);
        double ey = py - (ay + t * dy);
        return Math.sqrt(ex * ex + ey * ey);   // Math.hypot guards against overflow, slowly; pixel distances need no guard
    }

    /** A filled, anti-aliased circle of {@code radius} around {@code (cx, cy)} (pixel coordinates). */
    void disc(double cx, double cy, double radius, int rgb) {
        int x0 = (int) Math.floor(cx - radius - 1);
        int x1 = (int) Math.ceil(cx + radius + 1);
        int y0 = (int) Math.floor(cy - radius - 1);
        int y1 = (int) Math.ceil(cy + radius + 1);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                blend(x, y, rgb, Math.min(1, radius + 0.5 - Math.sqrt(dx * dx + dy * dy)));
            }
        }
    }

    /** A filled square of side {@code 2 * half} centred on {@code (cx, cy)}, edges anti-aliased. */
    void square(double cx, double cy, double half, int rgb) {
        int x0 = (int) Math.floor(cx - half - 1);
        int x1 = (int) Math.ceil(cx + half + 1);
        int y0 = (int) Math.floor(cy - half - 1);
        int y1 = (int) Math.ceil(cy + half + 1);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double inX = Math.min(1, half + 0.5 - Math.abs(x + 0.5 - cx));
                double inY = Math.min(1, half + 0.5 - Math.abs(y + 0.5 - cy));
                if (inX > 0 && inY > 0) {
                    blend(x, y, rgb, inX * inY);
                }
            }
        }
    }

    /**
     * {@code text} in the bitmap font, each font pixel a {@code scale} by {@code scale} block; {@code (x, y)} is
     * the top-left of the first capital, so the baseline is at {@code y + 7 * scale}.
     */
    void text(String text, int x, int y, int scale, int rgb) {
        for (int i = 0; i < text.length(); i++) {
            long glyph = BitmapFont.glyph(text.charAt(i));
            int gx = x + i * BitmapFont.ADVANCE * scale;
            for (int row = 0; row < BitmapFont.ROWS; row++) {
                // The row's five bits, leftmost highest; shifted out one by one, so blank rows and tails cost nothing.
                int bits = (int) (glyph >>> (BitmapFont.GLYPH_WIDTH * (BitmapFont.ROWS - 1 - row))) & 0x1F;
                for (int col = 0; bits != 0; col++, bits = (bits << 1) & 0x1F) {
                    if ((bits & 0x10) != 0) {
                        fill(gx + col * scale, y + row * scale, scale, scale, rgb);
                    }
                }
            }
        }
    }

    /** {@link #text} centred across {@code [left, left + span)}. */
    void textCentred(String text, int left, int span, int y, int scale, int rgb) {
        text(text, left + (span - BitmapFont.width(text, scale)) / 2, y, scale, rgb);
    }
}

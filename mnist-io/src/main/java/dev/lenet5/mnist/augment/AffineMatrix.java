package dev.lenet5.mnist.augment;

/**
 * The 2x3 matrices of the affine warp, in image coordinates: x is the column, y the row (pointing down),
 * pixel (row r, col c) sits at (x = c, y = r).
 *
 * <p>The forward map moves a source point p to {@code M (p - c) + c + t}, with c the image centre,
 * t = (tx, ty) the translation and {@code M = R(rotation) Sh(shear) S(scale)}:
 * <ul>
 *   <li>rotation by theta degrees, counter-clockwise as seen on screen (y points down, hence the signs):
 *       {@code R = [[cos, sin], [-sin, cos]]};</li>
 *   <li>shear along x by phi degrees, lower rows pushed right: {@code Sh = [[1, tan phi], [0, 1]]};</li>
 *   <li>isotropic scale s: {@code S = s I}.</li>
 * </ul>
 * Resampling needs the inverse (for each output pixel, where it comes from), written into a
 * {@code float[6]} as {@code {a00, a01, a02, a10, a11, a12}}: {@code sx = a00 x + a01 y + a02},
 * {@code sy = a10 x + a11 y + a12}. The parameters are exact so a zero transform gives exactly the
 * identity matrix.
 */
final class AffineMatrix {

    private AffineMatrix() {
    }

    /** The identity, as an inverse map. */
    static void identity(float[] inv) {
        inv[0] = 1f;
        inv[1] = 0f;
        inv[2] = 0f;
        inv[3] = 0f;
        inv[4] = 1f;
        inv[5] = 0f;
    }

    /**
     * Writes the inverse of the forward map described in the class comment into {@code inv}.
     *
     * @param rotationDeg counter-clockwise rotation in degrees
     * @param scale       scale factor, positive
     * @param shearDeg    x-shear angle in degrees, |shear| below 90
     * @param tx          translation to the right, in pixels
     * @param ty          translation downwards, in pixels
     * @param cx          x of the centre (e.g. (cols - 1) / 2)
     * @param cy          y of the centre (e.g. (rows - 1) / 2)
     */
    static void inverse(double rotationDeg, double scale, double shearDeg, double tx, double ty,
            double cx, double cy, float[] inv) {
        double theta = Math.toRadians(rotationDeg);
        double cos = rotationDeg == 0 ? 1 : Math.cos(theta);
        double sin = rotationDeg == 0 ? 0 : Math.sin(theta);
        double tan = shearDeg == 0 ? 0 : Math.tan(Math.toRadians(shearDeg));
        // M = R * Sh * S
        double m00 = scale * cos;
        double m01 = scale * (cos * tan + sin);
        double m10 = scale * -sin;
        double m11 = scale * (-sin * tan + cos);
        double det = m00 * m11 - m01 * m10;  // = scale^2: rotation and shear preserve area
        double i00 = m11 / det;
        double i01 = -m01 / det;
        double i10 = -m10 / det;
        double i11 = m00 / det;
        // p = M^-1 (p' - c - t) + c. Adding 0.0 turns -0.0 into 0.0, so the identity is exactly {1,0,0,0,1,0}.
        double ox = cx + tx;
        double oy = cy + ty;
        inv[0] = (float) (i00 + 0.0);
        inv[1] = (float) (i01 + 0.0);
        inv[2] = (float) (cx - i00 * ox - i01 * oy + 0.0);
        inv[3] = (float) (i10 + 0.0);
        inv[4] = (float) (i11 + 0.0);
        inv[5] = (float) (cy - i10 * ox - i11 * oy + 0.0);
    }
}

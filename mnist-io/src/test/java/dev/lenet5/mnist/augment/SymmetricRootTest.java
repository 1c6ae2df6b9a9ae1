package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The symmetric matrix square root: S S = G, S = S^T, on matrices whose roots are known or checkable. */
class SymmetricRootTest {

    private static double[][] times(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[i][j], actual[i][j], tolerance, "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void rootOfADiagonalMatrixIsTheRootOfItsEntries() {
        double[][] root = SymmetricRoot.sqrt(new double[][] {{4, 0, 0}, {0, 9, 0}, {0, 0, 0}});
        assertMatrixEquals(new double[][] {{2, 0, 0}, {0, 3, 0}, {0, 0, 0}}, root, 1e-12);
    }

    @Test
    void rootOfAKnownTwoByTwo() {
        // [[5, 4], [4, 5]] has eigenvalues 9 and 1 along (1, 1) and (1, -1): root [[2, 1], [1, 2]].
        assertMatrixEquals(new double[][] {{2, 1}, {1, 2}}, SymmetricRoot.sqrt(new double[][] {{5, 4}, {4, 5}}), 1e-12);
    }

    @Test
    void randomPositiveDefiniteMatricesSquareBack() {
        Random rng = new Random(3);
        for (int n = 1; n <= 15; n++) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] = rng.nextGaussian();
                }
            }
            double[][] at = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    at[i][j] = a[j][i];
                }
            }
            double[][] g = times(a, at);
            double[][] s = SymmetricRoot.sqrt(g);
            assertMatrixEquals(g, times(s, s), 1e-9 * n);
            for (int i = 0; i < n; i++) {
                assertTrue(s[i][i] >= 0, "root of a positive definite matrix has a positive diagonal");
                for (int j = 0; j < n; j++) {
                    assertEquals(s[i][j], s[j][i], 1e-12, "symmetric at (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void rankOneMatrixHasItsNormalisedSelfAsRoot() {
        // v v^T = |v|^2 (u u^T) with u = v / |v|, whose root is |v| u u^T = v v^T / |v|.
        double[] v = {1, -2, 2};
        double[][] g = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                g[i][j] = v[i] * v[j];
            }
        }
        double[][] s = SymmetricRoot.sqrt(g);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(v[i] * v[j] / 3, s[i][j], 1e-7);
            }
        }
    }

    @Test
    void rejectsMatricesItCannotRoot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SymmetricRoot.sqrt(new double[][] {{1, 2}, {3, 4}}));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SymmetricRoot.sqrt(new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
    }
}

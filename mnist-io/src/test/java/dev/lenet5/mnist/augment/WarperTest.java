package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.mnist.ImageSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one resampling pass, redone step by step from the documented draws: five uniform floats for the
 * affine part (rotation, scale, shear, x shift, y shift), then one long seeding the elastic field; the
 * source point of output pixel p is A^-1 (p + d(p)) (affine first, then elastic).
 */
class WarperTest {

    private static final int N = 28;

    @Test
    void affineThenElasticSamplesTheSourceAtTheInverseMapOfTheDisplacedPoint() {
        AffineParams affine = new AffineParams(15, 0.2, 10, 2);
        ElasticParams elastic = new ElasticParams(30, 4);
        ImageSet set = TestImages.mnistTrain();
        for (int image = 0; image < 20; image++) {
            byte[] raw = set.rawImage(image);
            long seed = 1000 + image;

            Warper warper = new Warper(affine, elastic, new GaussianKernel(elastic.sigma()));
            warper.resize(N, N);
            warper.warp(raw, new Random(seed));

            Random rng = new Random(seed);
            double rotation = affine.rotation() * (2.0 * rng.nextFloat() - 1);
            double scale = 1 + affine.scale() * (2.0 * rng.nextFloat() - 1);
            double shear = affine.shear() * (2.0 * rng.nextFloat() - 1);
            double tx = affine.shift() * (2.0 * rng.nextFloat() - 1);
            double ty = affine.shift() * (2.0 * rng.nextFloat() - 1);
            float[] inv = new float[6];
            AffineMatrix.inverse(rotation, scale, shear, tx, ty, 13.5, 13.5, inv);
            ElasticField field = new ElasticField(new GaussianKernel(elastic.sigma()), elastic.alpha(), N, N,
                    ElasticField.defaultStep(elastic.sigma()));
            float[] d = new float[2 * N * N];
            field.generate(rng.nextLong());
            field.displacements(d);
            SourceImage source = new SourceImage(N, N);
            source.load(raw, 0);

            int[] expected = new int[N * N];
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    float qx = x + d[y * 2 * N + x];
                    float qy = y + d[y * 2 * N + N + x];
                    float v = source.sample(inv[0] * qx + inv[1] * qy + inv[2], inv[3] * qx + inv[4] * qy + inv[5]);
                    expected[y * N + x] = Math.min(255, (int) (v + 0.5f));
                }
            }
            assertArrayEquals(expected, TestImages.unsigned(warper.out()), "image " + image);
        }
    }

    @Test
    void elasticAloneMovesEachPixelByItsDisplacement() {
        ElasticParams elastic = new ElasticParams(34, 4);
        ImageSet set = TestImages.mnistTrain();
        byte[] raw = set.rawImage(7);
        Warper warper = new Warper(null, elastic, new GaussianKernel(4));
        warper.resize(N, N);
        warper.warp(raw, new Random(5));

        ElasticField field = new ElasticField(new GaussianKernel(4), 34, N, N, ElasticField.defaultStep(4));
        float[] d = new float[2 * N * N];
        field.generate(new Random(5).nextLong());
        field.displacements(d);
        SourceImage source = new SourceImage(N, N);
        source.load(raw, 0);
        int moved = 0;
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                float dx = d[y * 2 * N + x];
                float dy = d[y * 2 * N + N + x];
                int expected = Math.min(255, (int) (source.sample(x + dx, y + dy) + 0.5f));
                assertEquals(expected, warper.out()[y * N + x] & 0xFF, "pixel (" + x + ", " + y + ")");
                moved += Math.abs(dx) > 0.5 || Math.abs(dy) > 0.5 ? 1 : 0;
            }
        }
        // The default field moves most pixels by more than half a pixel, or this test would show little.
        assertTrue(moved > N * N / 2, moved + " pixels moved by more than half a pixel");
    }
}

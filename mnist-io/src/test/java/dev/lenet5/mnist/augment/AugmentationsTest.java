package dev.lenet5.mnist.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The --augment option syntax: what it accepts, what it means, and how it says no. */
class AugmentationsTest {

    @Test
    void noneIsNoAugmentation() {
        assertSame(Augmentation.NONE, Augmentations.parse("none"));
        assertSame(Augmentation.NONE, Augmentations.parse(" NONE "));
        assertEquals("none", Augmentation.NONE.describe());
    }

    @Test
    void bareKindsTakeTheDocumentedDefaults() {
        assertEquals(new AffineParams(10, 0.1, 10, 2), AffineParams.DEFAULT);
        assertEquals(new ElasticParams(34, 4), ElasticParams.DEFAULT);
        Augmentation affine = Augmentations.parse("affine");
        assertEquals(Optional.of(AffineParams.DEFAULT), affine.affineParams());
        assertEquals(Optional.empty(), affine.elasticParams());
        Augmentation elastic = Augmentations.parse("elastic");
        assertEquals(Optional.empty(), elastic.affineParams());
        assertEquals(Optional.of(ElasticParams.DEFAULT), elastic.elasticParams());
        Augmentation both = Augmentations.parse("affine+elastic");
        assertEquals(Optional.of(AffineParams.DEFAULT), both.affineParams());
        assertEquals(Optional.of(ElasticParams.DEFAULT), both.elasticParams());
    }

    @Test
    void givenKeysOverrideDefaultsAndTheRestStay() {
        Augmentation a = Augmentations.parse("affine:rot=5,shift=1.5");
        assertEquals(new AffineParams(5, 0.1, 10, 1.5), a.affineParams().orElseThrow());
        Augmentation full = Augmentations.parse("affine:rot=10,scale=0.1,shear=10,shift=2");
        assertEquals(AffineParams.DEFAULT, full.affineParams().orElseThrow());
        Augmentation e = Augmentations.parse("elastic:sigma=6");
        assertEquals(new ElasticParams(34, 6), e.elasticParams().orElseThrow());
        Augmentation both = Augmentations.parse(" Affine : Rot = 7 , scale=.05 + ELASTIC:alpha=8e0 ");
        assertEquals(new AffineParams(7, 0.05, 10, 2), both.affineParams().orElseThrow());
        assertEquals(new ElasticParams(8, 4), both.elasticParams().orElseThrow());
    }

    @Test
    void describeGivesTheEffectiveParametersAndParsesBack() {
        assertEquals("affine:rot=10,scale=0.1,shear=10,shift=2", Augmentations.parse("affine").describe());
        assertEquals("elastic:alpha=34,sigma=4", Augmentations.parse("elastic").describe());
        assertEquals("affine:rot=10,scale=0.1,shear=10,shift=2+elastic:alpha=34,sigma=4",
                Augmentations.parse("affine+elastic").describe());
        assertEquals("affine:rot=2.5,scale=0,shear=10,shift=2", Augmentations.parse("affine:rot=2.5,scale=0").toString());
        for (String spec : new String[] {"none", "affine", "elastic", "affine+elastic", "affine:rot=0.3,scale=0.125",
            "elastic:alpha=1.5e1,sigma=0.7", "affine:shift=3+elastic:alpha=0"}) {
            Augmentation a = Augmentations.parse(spec);
            assertEquals(a, Augmentations.parse(a.describe()), spec);
            assertEquals(a.describe(), Augmentations.parse(a.describe()).describe(), spec);
        }
        assertEquals(Augmentations.parse("affine").scaled(1 / 3.0), Augmentations.parse(
                Augmentations.parse("affine").scaled(1 / 3.0).describe()));
    }

    @Test
    void syntaxSummaryNamesTheDefaults() {
        assertTrue(Augmentations.SYNTAX.contains("affine:rot=10,scale=0.1,shear=10,shift=2"), Augmentations.SYNTAX);
        assertTrue(Augmentations.SYNTAX.contains("elastic:alpha=34,sigma=4"), Augmentations.SYNTAX);
    }

    @Test
    void rejectsBadSpecsWithMessagesThatSayWhatIsWrong() {
        rejects(null, "augmentation spec is empty");
        rejects("  ", "augmentation spec is empty");
        rejects("rotate", "unknown kind 'rotate', expected none, affine or elastic");
        rejects("affine+blur:x=1", "unknown kind 'blur'");
        rejects("affine:rotation=5", "unknown affine parameter 'rotation', expected rot, scale, shear, shift");
        rejects("elastic:rot=5", "unknown elastic parameter 'rot', expected alpha, sigma");
        rejects("affine:rot=-1", "affine rot must be between 0 and 180 degrees, got -1.0");
        rejects("affine:shift=-2", "affine shift must be between 0 and 100 pixels, got -2.0");
        rejects("affine:shear=75", "affine shear must be between 0 and 60 degrees, got 75.0");
        rejects("affine:scale=1", "affine scale must be at least 0 and below 1");
        rejects("elastic:alpha=-3", "elastic alpha must be between 0 and 1000 pixels, got -3.0");
        rejects("elastic:sigma=0", "elastic sigma must be above 0 and at most 100 pixels, got 0.0");
        rejects("affine:rot=abc", "affine parameter 'rot' needs a number, got 'abc'");
        rejects("affine:rot=NaN", "affine parameter 'rot' needs a number, got 'NaN'");
        rejects("affine:rot=Infinity", "needs a number");
        rejects("affine:rot=10d", "needs a number");
        rejects("affine:rot=", "needs a number, got ''");
        rejects("affine:rot", "'rot' is not key=value");
        rejects("affine:", "'affine:' needs parameters after the colon");
        rejects("affine:rot=1,rot=2", "affine parameter 'rot' is given twice");
        rejects("affine:rot=1,", "'' is not key=value");
        rejects("affine+affine", "affine is given twice");
        rejects("elastic+elastic:sigma=2", "elastic is given twice");
        rejects("elastic+affine", "affine must come before elastic");
        rejects("none+affine", "none cannot be combined");
        rejects("affine+", "a part between '+' signs is empty");
        rejects("+elastic", "a part between '+' signs is empty");
    }

    @Test
    void everyRejectionQuotesTheSpecAndTheSyntax() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentations.parse("affine:rotation=5"));
        assertTrue(e.getMessage().startsWith("bad augmentation 'affine:rotation=5': "), e.getMessage());
        assertTrue(e.getMessage().contains("expected none, affine[:rot=DEG,scale=FRAC,shear=DEG,shift=PX]"),
                e.getMessage());
    }

    @Test
    void parameterRecordsValidateWhenBuiltDirectly() {
        assertThrows(IllegalArgumentException.class, () -> new AffineParams(Double.NaN, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AffineParams(0, -0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AffineParams(0, 0, 0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new ElasticParams(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ElasticParams(1, 101));
        assertTrue(AffineParams.IDENTITY.isIdentity());
        assertTrue(new ElasticParams(0, 3).isIdentity());
        assertEquals("affine:rot=0,scale=0,shear=0,shift=0", AffineParams.IDENTITY.describe());
    }

    private static void rejects(String spec, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augmentations.parse(spec),
                "accepted '" + spec + "'");
        assertTrue(e.getMessage().contains(fragment), "for '" + spec + "': " + e.getMessage());
    }
}

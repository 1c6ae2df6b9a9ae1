package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.lenet5.tensor.kernel.KernelChoice.Choice;

/**
 * Every rule of the kernel choice on made-up JVMs: with and without the module, without C2, with narrow
 * vectors, at every width, and with {@code -Dlenet5.kernels} naming a width or not.
 */
class KernelChoiceTest {

    private static final JvmFacts AVX2 = new JvmFacts(true, 256, null);
    private static final JvmFacts AVX512 = new JvmFacts(true, 512, null);
    private static final JvmFacts NEON = new JvmFacts(true, 128, null);
    private static final JvmFacts NO_MODULE = new JvmFacts(false, 0, null);
    private static final String NO_C2 = "C2 is off (-XX:TieredStopAtLevel=1)";
    private static final JvmFacts C1_ONLY = new JvmFacts(true, 256, NO_C2);

    private static void assertSimd(int bits, Choice choice) {
        assertEquals(Choice.simd(bits), choice);
    }

    private static String assertRefused(Choice choice, String... fragments) {
        assertTrue(choice.refusal() != null, "expected a refusal, got " + choice);
        for (String f : fragments) {
            assertTrue(choice.refusal().contains(f), choice.refusal() + " should contain " + f);
        }
        return choice.refusal();
    }

    private static void assertFallback(Choice choice, String... fragments) {
        assertEquals(0, choice.bits());
        assertNull(choice.refusal());
        String line = choice.warning();
        assertTrue(line != null && line.startsWith("WARNING: lenet5: "), "one warning line, got " + choice);
        assertFalse(line.contains("\n"), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), line + " should contain " + f);
        }
    }

    @Test
    void scalarIsAlwaysGrantedSilently() {
        for (JvmFacts vm : new JvmFacts[]{AVX2, NO_MODULE, C1_ONLY, new JvmFacts(true, 64, null)}) {
            assertEquals(Choice.scalar(), KernelChoice.decide("scalar", 256, vm));
        }
    }

    @Test
    void withoutTheModuleAutoFallsBackNamingTheFlagAndSimdIsRefused() {
        assertFallback(KernelChoice.decide("auto", 0, NO_MODULE), "--add-modules jdk.incubator.vector");
        assertEquals(KernelChoice.NO_MODULE_WARNING, KernelChoice.decide("auto", 0, NO_MODULE).warning());
        assertRefused(KernelChoice.decide("simd", 0, NO_MODULE), "--add-modules jdk.incubator.vector");
        assertRefused(KernelChoice.decide("simd-256", 0, NO_MODULE), "--add-modules jdk.incubator.vector");
    }

    @Test
    void withoutC2AutoFallsBackSayingWhyAndSimdIsRefusedWithTheSameReason() {
        assertFallback(KernelChoice.decide("auto", 256, C1_ONLY), NO_C2);
        assertRefused(KernelChoice.decide("simd", 256, C1_ONLY), "'simd'", NO_C2);
        assertRefused(KernelChoice.decide("simd-256", 256, C1_ONLY), "'simd-256'", NO_C2);
    }

    @Test
    void vectorsNarrowerThan128BitsAreNeverChosen() {
        JvmFacts narrow = new JvmFacts(true, 64, null);
        assertFallback(KernelChoice.decide("auto", 64, narrow), "64 bits", "slower than scalar");
        assertRefused(KernelChoice.decide("simd", 64, narrow), "64 bits");
        assertRefused(KernelChoice.decide("simd-128", 64, narrow), "64 bits");
    }

    @Test
    void autoAndSimdTakeThisJvmsWidth() {
        assertSimd(256, KernelChoice.decide("auto", 256, AVX2));
        assertSimd(256, KernelChoice.decide("simd", 256, AVX2));
        assertSimd(128, KernelChoice.decide("auto", 128, NEON));
        // -Dlenet5.kernels=simd-128 on an AVX-512 machine: this JVM's width is 128 for every request.
        assertSimd(128, KernelChoice.decide("auto", 128, AVX512));
        assertSimd(128, KernelChoice.decide("simd", 128, AVX512));
        assertSimd(128, KernelChoice.decide("simd-128", 128, AVX512));
    }

    @Test
    void aNamedWidthIsGrantedOnlyWhenItIsThisJvmsWidth() {
        assertSimd(256, KernelChoice.decide("simd-256", 256, AVX2));
        assertSimd(512, KernelChoice.decide("simd-512", 512, AVX512));
        String message = assertRefused(KernelChoice.decide("simd-128", 256, AVX2),
                "-Dlenet5.kernels=simd-128", "256 bits");
        assertTrue(message.contains("once per JVM"), message);
        assertRefused(KernelChoice.decide("simd-256", 512, AVX512), "-Dlenet5.kernels=simd-256", "512 bits");
        assertRefused(KernelChoice.decide("simd-512", 128, AVX512), "-Dlenet5.kernels=simd-512", "128 bits");
    }

    @Test
    void widthsTheCpuLacksAreRefusedAsEmulated() {
        assertRefused(KernelChoice.decide("simd-512", 256, AVX2), "no 512-bit vectors", "at most 256 bits", "emulated");
        assertRefused(KernelChoice.decide("simd-256", 128, NEON), "no 256-bit vectors", "at most 128 bits");
        // -Dlenet5.kernels=simd-512 on an AVX2 machine: auto falls back, simd is refused, both saying why.
        assertFallback(KernelChoice.decide("auto", 512, AVX2), "no 512-bit vectors", "-Dlenet5.kernels");
        assertRefused(KernelChoice.decide("simd", 512, AVX2), "no 512-bit vectors", "-Dlenet5.kernels");
    }

    @Test
    void unknownRequestsListTheAllowedOnes() {
        for (String request : new String[]{"gpu", "simd-64", "simd-1024", "simd-", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelChoice.decide(request, 256, AVX2));
            assertTrue(e.getMessage().contains("auto, scalar, simd, simd-128, simd-256 or simd-512"), e.getMessage());
        }
    }

    @Test
    void requestsAreReadWithoutCaseOrSpaces() {
        assertEquals("simd-256", KernelChoice.normalise(" SIMD-256 "));
        assertEquals("auto", KernelChoice.normalise(null));
        assertEquals(256, KernelChoice.namedBits("simd-256"));
        assertEquals(0, KernelChoice.namedBits("simd"));
    }

    @Test
    void thePropertyNamesTheJvmsWidthOrLeavesThePreferredOne() {
        assertEquals(256, SimdWidth.named(null, 256));
        assertEquals(256, SimdWidth.named("auto", 256));
        assertEquals(256, SimdWidth.named("simd", 256));
        assertEquals(256, SimdWidth.named("scalar", 256));
        assertEquals(128, SimdWidth.named("simd-128", 256));
        assertEquals(512, SimdWidth.named(" Simd-512", 256));
        assertEquals(256, SimdWidth.named("gpu", 256));   // Kernels.get() reports the bad value itself
    }
}

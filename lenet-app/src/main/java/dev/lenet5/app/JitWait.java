package dev.lenet5.app;

import dev.lenet5.tensor.kernel.JitWarmUp;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The program's side of the JIT warm-up: wait for it before the first batch, and say how long that took. */
final class JitWait {

    /**
     * Long enough for C2 on a busy two-core machine; past it the run goes on regardless, with the same results
     * (the warm-up changes only how soon the kernels are fast).
     */
    static final long LIMIT_SECONDS = 20;

    private JitWait() {
    }

    /** Waits for the kernels the warm-up's work needs and reports, e.g. "JIT: 18 vector kernels ... (waited 0.21 s)". */
    static void report(JitWarmUp warmUp, Consumer<String> message) throws InterruptedException {
        long start = System.nanoTime();
        warmUp.await(LIMIT_SECONDS, TimeUnit.SECONDS);
        double waited = (System.nanoTime() - start) / 1e9;
        message.accept(String.format(Locale.ROOT, "JIT: %s (waited %.2f s after loading)", warmUp.summary(), waited));
    }
}

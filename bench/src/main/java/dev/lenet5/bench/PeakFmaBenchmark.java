package dev.lenet5.bench;

import java.util.concurrent.TimeUnit;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's single-thread float FMA peak, the yardstick for the GEMM numbers: twelve independent
 * accumulators (more than FMA latency x FMA ports, 4 x 2 on current x86) updated in a register-only
 * loop, so nothing but the FMA units limits it.
 *
 * <p>Score unit: one operation is one floating-point operation (an FMA counts two), so ops/s is FLOP/s
 * directly. Each invocation does {@link #FLOPS_PER_CALL} FLOP whatever the vector width: the loop count
 * is {@code FLOATS_PER_ACCUMULATOR / lanes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeakFmaBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int ACCUMULATORS = 12;
    /** Lanes each accumulator processes per call, summed over its loop iterations. */
    static final int FLOATS_PER_ACCUMULATOR = 1 << 14;
    /** 2 FLOP per lane per FMA: 2 * 12 * 16384 = 393,216 FLOP per call. */
    public static final int FLOPS_PER_CALL = 2 * ACCUMULATORS * FLOATS_PER_ACCUMULATOR;

    // Not final: the JIT must not fold the arithmetic.
    public float x = 0.999f;
    public float y = 1e-3f;

    /**
     * {@code acc = acc * x + y} on twelve vector accumulators; with |x| < 1 the values settle near
     * {@code y / (1 - x)}, so no overflow or denormals slow the loop.
     */
    @Benchmark
    @OperationsPerInvocation(FLOPS_PER_CALL)
    public float vectorFma() {
        FloatVector vx = FloatVector.broadcast(S, x);
        FloatVector vy = FloatVector.broadcast(S, y);
        FloatVector a0 = vy, a1 = vy, a2 = vy, a3 = vy, a4 = vy, a5 = vy;
        FloatVector a6 = vy, a7 = vy, a8 = vy, a9 = vy, a10 = vy, a11 = vy;
        for (int i = FLOATS_PER_ACCUMULATOR / S.length(); i > 0; i--) {
            a0 = a0.fma(vx, vy); a1 = a1.fma(vx, vy); a2 = a2.fma(vx, vy); a3 = a3.fma(vx, vy);
            a4 = a4.fma(vx, vy); a5 = a5.fma(vx, vy); a6 = a6.fma(vx, vy); a7 = a7.fma(vx, vy);
            a8 = a8.fma(vx, vy); a9 = a9.fma(vx, vy); a10 = a10.fma(vx, vy); a11 = a11.fma(vx, vy);
        }
        FloatVector sum = a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).add(a8.add(a9).add(a10.add(a11)));
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /** The same with scalar {@link Math#fma}: the ceiling for code the JIT does not vectorise. */
    @Benchmark
    @OperationsPerInvocation(FLOPS_PER_CALL)
    public float scalarFma() {
        float a0 = y, a1 = y, a2 = y, a3 = y, a4 = y, a5 = y, a6 = y, a7 = y, a8 = y, a9 = y, a10 = y, a11 = y;
        for (int i = FLOATS_PER_ACCUMULATOR; i > 0; i--) {
            a0 = Math.fma(a0, x, y); a1 = Math.fma(a1, x, y); a2 = Math.fma(a2, x, y); a3 = Math.fma(a3, x, y);
            a4 = Math.fma(a4, x, y); a5 = Math.fma(a5, x, y); a6 = Math.fma(a6, x, y); a7 = Math.fma(a7, x, y);
            a8 = Math.fma(a8, x, y); a9 = Math.fma(a9, x, y); a10 = Math.fma(a10, x, y); a11 = Math.fma(a11, x, y);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }
}

package dev.lenet5.app.train;

import java.util.Locale;

/**
 * The learning rate for each optimiser step. {@code at(step)} takes the 0-based step of the whole run;
 * {@code stepsPerEpoch} turns epochs into steps.
 *
 * <ul>
 *   <li>{@code constant}: the base rate throughout (the seed's setting).</li>
 *   <li>{@code step}: the base rate times {@value #STEP_GAMMA} after every third of the epochs
 *       ({@code step:every=E,gamma=G} sets them).</li>
 *   <li>{@code cosine}: from the base rate down to 0 along half a cosine over the run.</li>
 *   <li>{@code onecycle}: PyTorch's OneCycleLR defaults: cosine up from base/25 to the base rate over
 *       the first 30% of the steps, then cosine down to base/(25*10^4).</li>
 * </ul>
 * A warm-up of W epochs (any schedule) multiplies the rate by {@code (step + 1) / (W * stepsPerEpoch)}
 * until that reaches 1; the schedule itself runs over the whole run, so warm-up only caps its start.
 */
public final class LearningRateSchedule {

    static final double STEP_GAMMA = 0.1;
    static final double ONECYCLE_PCT = 0.3;
    static final double ONECYCLE_DIV = 25;
    static final double ONECYCLE_FINAL_DIV = 1e4;

    private enum Kind { CONSTANT, STEP, COSINE, ONECYCLE }

    private final Kind kind;
    private final double base;
    private final long totalSteps;
    private final long warmupSteps;
    private final long stepEvery;
    private final double gamma;
    private final String spec;

    private LearningRateSchedule(Kind kind, double base, long totalSteps, long warmupSteps, long stepEvery,
                                 double gamma, String spec) {
        this.kind = kind;
        this.base = base;
        this.totalSteps = totalSteps;
        this.warmupSteps = warmupSteps;
        this.stepEvery = stepEvery;
        this.gamma = gamma;
        this.spec = spec;
    }

    /**
     * @param spec          {@code constant}, {@code step}, {@code step:every=E,gamma=G}, {@code cosine} or
     *                      {@code onecycle}
     * @param base          the learning rate the schedule scales
     * @param epochs        epochs in the run
     * @param stepsPerEpoch optimiser steps per epoch
     * @param warmupEpochs  linear warm-up length in epochs (0 for none)
     * @throws IllegalArgumentException for an unknown schedule or a malformed parameter
     */
    public static LearningRateSchedule parse(String spec, double base, int epochs, int stepsPerEpoch, double warmupEpochs) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String name = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
        String params = s.contains(":") ? s.substring(s.indexOf(':') + 1) : "";
        long total = (long) epochs * stepsPerEpoch;
        long warmup = Math.round(warmupEpochs * stepsPerEpoch);
        switch (name) {
            case "constant", "cosine", "onecycle" -> {
                if (!params.isEmpty()) {
                    throw new IllegalArgumentException("the " + name + " schedule takes no parameters, got '" + spec + "'");
                }
                Kind kind = name.equals("constant") ? Kind.CONSTANT : name.equals("cosine") ? Kind.COSINE : Kind.ONECYCLE;
                return new LearningRateSchedule(kind, base, total, warmup, 0, 0, s);
            }
            case "step" -> {
                double every = Math.max(1, Math.round(epochs / 3.0));
                double g = STEP_GAMMA;
                for (String kv : params.isEmpty() ? new String[0] : params.split(",")) {
                    String[] p = kv.split("=", 2);
                    if (p.length != 2) {
                        throw new IllegalArgumentException("schedule parameter '" + kv + "' is not key=value");
                    }
                    double v = parseNumber(p[1], kv);
                    switch (p[0].trim()) {
                        case "every" -> every = v;
                        case "gamma" -> g = v;
                        default -> throw new IllegalArgumentException("unknown step schedule parameter '" + p[0]
                                + "': expected every (epochs) or gamma (factor)");
                    }
                }
                if (every <= 0 || g <= 0 || g > 1) {
                    throw new IllegalArgumentException("the step schedule needs every > 0 and 0 < gamma <= 1, got '"
                            + spec + "'");
                }
                long everySteps = Math.max(1, Math.round(every * stepsPerEpoch));
                return new LearningRateSchedule(Kind.STEP, base, total, warmup, everySteps, g,
                        String.format(Locale.ROOT, "step:every=%s,gamma=%s", trim(every), trim(g)));
            }
            default -> throw new IllegalArgumentException("unknown schedule '" + spec
                    + "': expected constant, step, cosine or onecycle");
        }
    }

    private static double parseNumber(String v, String kv) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule parameter '" + kv + "' is not a number");
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The learning rate for the 0-based optimiser step {@code step} of the run. */
    public double at(long step) {
        double progress = totalSteps <= 1 ? 0 : (double) step / (totalSteps - 1);
        double lr = switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, step / stepEvery);
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * progress));
            case ONECYCLE -> oneCycle(progress);
        };
        if (step < warmupSteps) {
            lr *= (double) (step + 1) / warmupSteps;
        }
        return lr;
    }

    private double oneCycle(double progress) {
        double start = base / ONECYCLE_DIV;
        double end = start / ONECYCLE_FINAL_DIV;
        if (progress <= ONECYCLE_PCT) {
            return cosineBetween(start, base, progress / ONECYCLE_PCT);
        }
        return cosineBetween(base, end, (progress - ONECYCLE_PCT) / (1 - ONECYCLE_PCT));
    }

    /** From a to b along half a cosine as t goes from 0 to 1. */
    private static double cosineBetween(double a, double b, double t) {
        return b + (a - b) * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    /** The effective specification, with defaults filled in (for logs). */
    public String describe() {
        return spec;
    }
}

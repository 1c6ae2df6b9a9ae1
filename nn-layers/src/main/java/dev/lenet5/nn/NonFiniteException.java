package dev.lenet5.nn;

/**
 * Training produced a NaN or infinite loss, gradient or value. Thrown instead of carrying on with garbage;
 * the message names the step and the layer or parameter, e.g. {@code step 1234: gradient of conv2.weight is
 * NaN (element 17 of 2400)}.
 */
public final class NonFiniteException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final String source;

    public NonFiniteException(long step, String source, String message) {
        super("step " + step + ": " + message);
        this.step = step;
        this.source = source;
    }

    /** The optimiser step (1-based) during which the value appeared. */
    public long step() {
        return step;
    }

    /** The parameter or layer name ({@code conv2.weight}, {@code fc1}) or {@code loss}. */
    public String source() {
        return source;
    }
}

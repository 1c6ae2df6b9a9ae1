package dev.lenet5.tensor.kernel;

/**
 * A main for {@link JvmFactsTest}'s fresh JVMs: asks for kernels as a program would and prints what it got,
 * one {@code key=value} line per question.
 *
 * <p>Arguments: a request for {@link Kernels#create}, and {@code fix} to ask through
 * {@link Kernels#createFixingWidth} instead.
 */
public final class KernelProbe {

    private KernelProbe() {
    }

    public static void main(String[] args) {
        String request = args[0];
        boolean fix = args.length > 1 && args[1].equals("fix");
        System.out.println("request=" + ask(() -> fix ? Kernels.createFixingWidth(request) : Kernels.create(request)));
        System.out.println("get=" + ask(Kernels::get));
        System.out.println("simd=" + ask(() -> Kernels.create("simd")));
        System.out.println("property=" + System.getProperty(Kernels.PROPERTY));
    }

    private static String ask(java.util.function.Supplier<TensorKernels> question) {
        try {
            return question.get().name();
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }
}

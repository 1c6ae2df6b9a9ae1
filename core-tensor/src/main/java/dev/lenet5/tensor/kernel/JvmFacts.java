package dev.lenet5.tensor.kernel;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * What the running JVM offers the Vector API kernels, read once: whether the module is resolved, the widest
 * float vectors C2 compiles here, and why C2 would not compile them (null when it would).
 *
 * <p>Without C2 (an interpreter-only or client-style JVM, {@code -XX:TieredStopAtLevel} below 4) every vector
 * is a Java object and every operation a method call: the kernels then run many times slower than the scalar
 * loops. The JVM's options are read through HotSpot's diagnostic bean, as Lucene's vectorization provider does.
 */
record JvmFacts(boolean vectorModule, int preferredBits, String compilerObstacle) {

    /** The HotSpot options that decide whether C2 compiles anything. */
    static final List<String> COMPILER_OPTIONS =
            List.of("UseCompiler", "TieredCompilation", "TieredStopAtLevel", "UseJVMCICompiler");

    /** This JVM's facts, read on first use. */
    static JvmFacts current() {
        return Holder.CURRENT;
    }

    /**
     * Why C2 would not compile the Vector API in a JVM with this {@code java.vm.name}, {@code java.vm.info} and
     * these {@link #COMPILER_OPTIONS} (an option the JVM lacks is absent), or null when it would. With
     * {@code options == null} (no HotSpot bean) the answer is unknown, which counts as an obstacle.
     */
    static String compilerObstacle(String vmName, String vmInfo, Map<String, String> options) {
        String c2 = "C2, the compiler that turns the Vector API into SIMD instructions,";
        if (options == null) {
            return "this JVM's HotSpot options cannot be read (it may not be HotSpot), so whether " + c2
                    + " runs is unknown";
        }
        if ("false".equals(options.get("UseCompiler"))) {
            return "the JIT compilers are off (-Xint), so the Vector API would be interpreted";
        }
        if (vmName.contains("Client VM")) {
            return "this client VM has no " + c2.substring(0, c2.length() - 1);
        }
        String level = options.getOrDefault("TieredStopAtLevel", "4");
        if ("true".equals(options.get("TieredCompilation")) && !level.equals("4")) {
            return c2 + " is off (-XX:TieredStopAtLevel=" + level + ")";
        }
        if (vmInfo.contains("emulated-client")) {
            return c2 + " is off (the JVM emulates a client VM: " + vmInfo + ")";
        }
        if ("true".equals(options.get("UseJVMCICompiler"))) {
            return "the JIT is a JVMCI compiler (-XX:+UseJVMCICompiler), not C2, and it is not known to compile"
                    + " the Vector API to SIMD instructions";
        }
        return null;
    }

    private static JvmFacts read() {
        if (!Kernels.vectorModulePresent()) {
            return new JvmFacts(false, 0, null);
        }
        int preferred;
        try {
            // Reflectively, so this class links without the module; the facade's class initialiser is empty.
            preferred = (Integer) Class.forName(Kernels.VECTOR_CLASS).getDeclaredMethod("preferredBitSize")
                    .invoke(null);
        } catch (InvocationTargetException e) {
            return new JvmFacts(true, 0, "the Vector API failed to load: " + e.getCause());
        } catch (LinkageError | ReflectiveOperationException e) {
            return new JvmFacts(true, 0, "the Vector API failed to load: " + e);
        }
        Map<String, String> options;
        try {
            options = HotSpotOptions.read();
        } catch (LinkageError e) {
            options = null;
        }
        String name = System.getProperty("java.vm.name", "");
        String info = System.getProperty("java.vm.info", "");
        return new JvmFacts(true, preferred, compilerObstacle(name, info, options));
    }

    /** Kept apart so that a JVM without {@code jdk.management} fails to link this class only (caught in read). */
    private static final class HotSpotOptions {

        /** The {@link #COMPILER_OPTIONS} this JVM has, or null when it has no HotSpot diagnostic bean. */
        static Map<String, String> read() {
            HotSpotDiagnosticMXBean bean;
            try {
                bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            } catch (IllegalArgumentException e) {
                return null;   // not a platform bean of this JVM
            }
            if (bean == null) {
                return null;
            }
            Map<String, String> options = new HashMap<>();
            for (String name : COMPILER_OPTIONS) {
                try {
                    options.put(name, bean.getVMOption(name).getValue());
                } catch (IllegalArgumentException e) {
                    // This JVM has no such option (UseJVMCICompiler in builds without JVMCI): it is absent.
                }
            }
            return options;
        }
    }

    private static final class Holder {
        static final JvmFacts CURRENT = read();
    }
}

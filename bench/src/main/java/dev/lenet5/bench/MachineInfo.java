package dev.lenet5.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.lenet5.tensor.kernel.Kernels;

/**
 * The one header line that says where numbers came from: CPU model, cores, JDK, the SIMD kernels' vector
 * width and, since benchmarks on a shared machine are only as good as its quietness, the load average.
 */
public final class MachineInfo {

    private MachineInfo() {
    }

    /** The first {@code model name} in a {@code /proc/cpuinfo} text, or null if there is none. */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                String model = line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                return model.isEmpty() ? null : model;
            }
        }
        return null;
    }

    /** This machine's CPU model from {@code /proc/cpuinfo}, or the OS architecture where that cannot be read. */
    public static String cpuModel() {
        try {
            String model = cpuModel(Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1));
            if (model != null) {
                return model;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall back to what Java knows
        }
        return System.getProperty("os.arch", "unknown CPU");
    }

    /** The one-minute load average, or NaN where {@code /proc/loadavg} cannot be read. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The SIMD kernels this JVM would use, e.g. {@code simd-256 (256-bit vectors)}. Without the Vector API
     * module in this JVM it says so: the benchmark forks add the module themselves.
     */
    public static String vectors() {
        if (!Kernels.vectorModulePresent()) {
            return "vector width unknown here (this JVM lacks --add-modules jdk.incubator.vector; the forks add it)";
        }
        try {
            var simd = Kernels.create("simd");
            return simd.name() + " (" + simd.vectorBitSize() + "-bit vectors)";
        } catch (IllegalArgumentException e) {
            return "no SIMD kernels: " + e.getMessage();
        }
    }

    /** {@code CPU ... | 2 cores | JDK ... | simd-256 (256-bit vectors) | load 1.20}: this machine now. */
    public static String header(String jdk) {
        return header(cpuModel(), Runtime.getRuntime().availableProcessors(), jdk, vectors(), loadAverage());
    }

    /** The header for results read back from a file: this machine, but no load figure (it would be today's). */
    public static String headerForSavedRun(String jdk) {
        return String.format(Locale.ROOT, "CPU %s | %d cores | JDK %s | %s", cpuModel(),
                Runtime.getRuntime().availableProcessors(), jdk, vectors());
    }

    static String header(String cpu, int cores, String jdk, String vectors, double load) {
        return String.format(Locale.ROOT, "CPU %s | %d cores | JDK %s | %s | load %s", cpu, cores, jdk, vectors,
                Double.isNaN(load) ? "unknown" : String.format(Locale.ROOT, "%.2f", load));
    }

    /** This JVM's version and name, e.g. {@code 17.0.16 (OpenJDK 64-Bit Server VM)}. */
    public static String jdk() {
        return Runtime.version() + " (" + System.getProperty("java.vm.name", "unknown VM") + ")";
    }
}

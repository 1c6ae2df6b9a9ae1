package dev.lenet5.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether C2 compiles the Vector API, decided from the JVM's name, info string and HotSpot options, and the
 * whole choice in fresh JVMs: one limited to C1 ({@code -XX:TieredStopAtLevel=1}), and one where a program
 * names the vector width before the kernels load.
 */
class JvmFactsTest {

    private static final String SERVER = "OpenJDK 64-Bit Server VM";
    private static final String MIXED = "mixed mode, sharing";

    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = new HashMap<>();
        options.put("UseCompiler", "true");
        options.put("TieredCompilation", "true");
        options.put("TieredStopAtLevel", "4");
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return options;
    }

    private static void assertObstacle(String obstacle, String fragment) {
        assertTrue(obstacle != null && obstacle.contains(fragment), obstacle + " should contain " + fragment);
    }

    @Test
    void aServerVmWithC2HasNoObstacle() {
        assertNull(JvmFacts.compilerObstacle(SERVER, MIXED, options()));
        // C2 alone, without the tiers: TieredStopAtLevel does not apply.
        assertNull(JvmFacts.compilerObstacle(SERVER, MIXED,
                options("TieredCompilation", "false", "TieredStopAtLevel", "1")));
        assertNull(JvmFacts.compilerObstacle(SERVER, "compiled mode, sharing", options("UseJVMCICompiler", "false")));
    }

    @Test
    void stoppingTheTiersBelowC2IsAnObstacleNamingTheFlag() {
        for (String level : new String[]{"1", "2", "3"}) {
            String info = level.equals("1") ? "mixed mode, emulated-client, sharing" : MIXED;
            assertObstacle(JvmFacts.compilerObstacle(SERVER, info, options("TieredStopAtLevel", level)),
                    "-XX:TieredStopAtLevel=" + level);
        }
    }

    @Test
    void everyOtherWayOfLackingC2IsAnObstacle() {
        assertObstacle(JvmFacts.compilerObstacle(SERVER, "interpreted mode", options("UseCompiler", "false")), "-Xint");
        assertObstacle(JvmFacts.compilerObstacle("OpenJDK Client VM", MIXED, options()), "client VM");
        assertObstacle(JvmFacts.compilerObstacle(SERVER, "mixed mode, emulated-client", options()), "emulated-client");
        assertObstacle(JvmFacts.compilerObstacle(SERVER, MIXED, options("UseJVMCICompiler", "true")), "JVMCI");
        assertObstacle(JvmFacts.compilerObstacle("Eclipse OpenJ9 VM", MIXED, null), "cannot be read");
    }

    @Test
    void thisJvmHasC2AndAtLeast128BitVectors() {
        JvmFacts vm = JvmFacts.current();
        assertEquals(Kernels.vectorModulePresent(), vm.vectorModule());
        if (vm.vectorModule()) {
            assertNull(vm.compilerObstacle(), "the build's JVMs run C2");
            assertTrue(vm.preferredBits() >= 128, "preferred width " + vm.preferredBits());
        }
    }

    @Test
    void withoutC2AutoFallsBackToScalarSayingWhyAndSimdIsRefused(@TempDir Path tmp) throws Exception {
        Run run = probe(tmp, List.of("-XX:TieredStopAtLevel=1"), "auto");
        assertEquals("scalar", run.answers.get("request"), run.toString());
        assertEquals("scalar", run.answers.get("get"), run.toString());
        String simd = run.answers.get("simd");
        assertTrue(simd.startsWith("refused: ") && simd.contains("-XX:TieredStopAtLevel=1"), run.toString());
        // One line on stderr, beside the JVM's own notice about incubator modules.
        List<String> warnings = run.stderr.stream().filter(l -> l.startsWith("WARNING: lenet5:")).toList();
        assertEquals(1, warnings.size(), run.toString());
        assertTrue(warnings.get(0).contains("-XX:TieredStopAtLevel=1"), run.toString());
    }

    @Test
    void aProgramNamesTheWidthBeforeTheKernelsLoad(@TempDir Path tmp) throws Exception {
        Run run = probe(tmp, List.of(), "simd-128", "fix");
        assertEquals("simd-128", run.answers.get("request"), run.toString());
        assertEquals("simd-128", run.answers.get("get"), run.toString());
        assertEquals("simd-128", run.answers.get("simd"), run.toString());
        assertEquals("simd-128", run.answers.get("property"), run.toString());
        // The same request through create alone is refused where 128 is not the preferred width.
        Run plain = probe(tmp, List.of(), "simd-128");
        if (!plain.answers.get("simd").equals("simd-128")) {
            assertTrue(plain.answers.get("request").contains("-Dlenet5.kernels=simd-128"), plain.toString());
        }
    }

    /** What a fresh JVM with the Vector API module and these options answered. */
    private record Run(Map<String, String> answers, List<String> stderr) {
    }

    private static Run probe(Path tmp, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("--add-modules=jdk.incubator.vector");
        command.add("-cp");
        command.add(location(Kernels.class) + File.pathSeparator + location(KernelProbe.class));
        command.add(KernelProbe.class.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "probe", ".out");
        Path err = Files.createTempFile(tmp, "probe", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish: " + command);
        List<String> stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
        List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "probe " + command + " failed: " + stderr);
        Map<String, String> answers = new HashMap<>();
        for (String line : stdout) {
            int eq = line.indexOf('=');
            answers.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new Run(answers, stderr);
    }

    private static String location(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the build ships, checked on the built jars (the failsafe plugin runs this after {@code package}): the
 * launcher runs the shaded jar with the Vector API module from a checkout, through a link, from a distribution's
 * {@code lib/} folder and with a runtime image's own {@code java}; and every jar carries the licence, the notice,
 * its module name and the version.
 */
class PackagingIT {

    /** Failsafe runs in the module's folder. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = ROOT.resolve("bin/lenet5");
    private static final Path APP_JAR = ROOT.resolve("lenet-app/target/lenet-app.jar");
    private static final String VERSION = System.getProperty("lenet5.version");

    @TempDir
    Path dir;

    private record Result(int exit, String stdout, String stderr) {
    }

    /** Runs a command with this JVM as JAVA_HOME and without LENET5_JAR, plus {@code env}. */
    private Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("LENET5_JAR");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + List.of(command));
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void assertRanOurJarWithTheModule(Result r) {
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().startsWith("lenet5-java " + VERSION + "\n"), r.stdout());
        assertTrue(r.stdout().contains("Vector API module: present"), r.stdout());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void theLauncherRunsTheBuiltJarWithTheVectorModule() throws Exception {
        assertRanOurJarWithTheModule(run(Map.of(), LAUNCHER.toString(), "--version"));

        Result help = run(Map.of(), LAUNCHER.toString(), "--help");
        assertEquals(0, help.exit(), help.stderr());
        assertTrue(help.stdout().startsWith("Usage: lenet5 "), help.stdout());
        assertTrue(help.stdout().contains("Commands:"), help.stdout());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void argumentsReachTheProgramUnsplitAndJavaOptsReachTheJvm() throws Exception {
        String model = dir.resolve("a model with spaces.safetensors").toString();
        String image = dir.resolve("a digit with spaces.png").toString();
        Result r = run(Map.of("JAVA_OPTS", "-Xmx300m -XshowSettings:vm"), LAUNCHER.toString(), "predict", "--model",
                model, image);
        assertEquals(1, r.exit(), r.stderr());
        // Whichever the program checks first, the path arrived whole.
        assertTrue(r.stderr().contains("the image " + image + " does not exist")
                || r.stderr().contains("the model file " + model + " does not exist"), r.stderr());
        assertTrue(r.stderr().contains("Max. Heap Size: 300.00M"), "both JAVA_OPTS words reached the JVM: " + r.stderr());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aLinkToTheLauncherFindsTheJarBesideTheLinkedScript() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("lenet5"), LAUNCHER);
        assertRanOurJarWithTheModule(run(Map.of(), link.toString(), "--version"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void anImageLayoutUsesItsLibJarAndItsOwnJava() throws Exception {
        // image/bin/{lenet5,java} and image/lib/lenet-app.jar, as the README's jlink recipe lays them out; the
        // image's java is a wrapper that leaves a mark, so the test sees which JVM the launcher chose.
        Path bin = Files.createDirectories(dir.resolve("image/bin"));
        Files.createDirectories(dir.resolve("image/lib"));
        Files.createSymbolicLink(dir.resolve("image/lib/lenet-app.jar"), APP_JAR);
        Path launcher = Files.copy(LAUNCHER, bin.resolve("lenet5"));
        Path mark = dir.resolve("image-java-ran");
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\n: > '" + mark + "'\nexec '"
                + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertRanOurJarWithTheModule(run(Map.of("JAVA_HOME", dir.resolve("no-such-jdk").toString()),
                launcher.toString(), "--version"));
        assertTrue(Files.exists(mark), "the image's own java ran, not JAVA_HOME's");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aMissingJarOrJavaIsOneSentence() throws Exception {
        Path none = dir.resolve("none.jar");
        Result r = run(Map.of("LENET5_JAR", none.toString()), LAUNCHER.toString(), "--version");
        assertEquals(1, r.exit());
        assertEquals("lenet5: LENET5_JAR is " + none + ", which is not a file.\n", r.stderr());

        r = run(Map.of("JAVA_HOME", dir.toString()), LAUNCHER.toString(), "--version");
        assertEquals(1, r.exit());
        assertEquals("lenet5: JAVA_HOME is " + dir + ", which has no bin/java.\n", r.stderr());

        Path alone = Files.copy(LAUNCHER, dir.resolve("lenet5"));
        r = run(Map.of(), alone.toString(), "--version");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().startsWith("lenet5: found no lenet-app.jar in "), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }

    @Test
    void theShadedJarsCarryOurLicenceTheMergedNoticeAndEveryThirdPartyLicence() throws IOException {
        for (Path shaded : List.of(APP_JAR, ROOT.resolve("bench/target/benchmarks.jar"))) {
            try (JarFile jar = new JarFile(shaded.toFile())) {
                assertArrayEquals(Files.readAllBytes(ROOT.resolve("LICENSE")), bytes(jar, "META-INF/LICENSE"), shaded + " LICENSE");
                for (String duplicate : List.of("LICENSE", "META-INF/LICENSE.txt", "META-INF/NOTICE.txt")) {
                    assertNull(jar.getEntry(duplicate), shaded + " still has " + duplicate);
                }
                List<Path> licences;
                try (Stream<Path> files = Files.list(ROOT.resolve("licenses"))) {
                    licences = files.sorted().toList();
                }
                assertTrue(licences.size() >= 7, "licences/ lists " + licences);
                for (Path licence : licences) {
                    assertArrayEquals(Files.readAllBytes(licence),
                            bytes(jar, "META-INF/licenses/" + licence.getFileName()), shaded + " " + licence.getFileName());
                }

                String notice = new String(bytes(jar, "META-INF/NOTICE"), StandardCharsets.UTF_8);
                String ours = Files.readString(ROOT.resolve("NOTICE"));
                List<String> paragraphs = List.of(ours.split("\n\n"));
                assertTrue(notice.contains(paragraphs.get(0) + "\n\n"), shaded + ": our notice leads\n" + notice);
                int before = -1;
                for (String paragraph : paragraphs) {
                    int at = notice.indexOf(paragraph.strip());
                    assertTrue(at > before, shaded + ": our notice, in order: " + paragraph + "\n" + notice);
                    before = at;
                }
                // The bundled Apache libraries' own notices, merged; Commons Math's carries an extra attribution.
                for (String library : List.of("Apache Commons Compress", "Apache Commons IO", "Apache Commons Lang",
                        "Apache Commons Codec", "Apache Commons Math", "CS Systèmes d'Information")) {
                    assertTrue(notice.contains(library), shaded + ": " + library + " in\n" + notice);
                }
            }
        }
    }

    @Test
    void everyJarNamesItsModuleAndVersion() throws IOException {
        assertNotNull(VERSION, "the build passes lenet5.version");
        Map<String, String> modules = Map.of(
                "core-tensor/target/core-tensor-" + VERSION + ".jar", "dev.lenet5.tensor",
                "nn-layers/target/nn-layers-" + VERSION + ".jar", "dev.lenet5.nn",
                "mnist-io/target/mnist-io-" + VERSION + ".jar", "dev.lenet5.mnist",
                "lenet-app/target/lenet-app-" + VERSION + ".jar", "dev.lenet5.app",
                "lenet-app/target/lenet-app.jar", "dev.lenet5.app",
                "bench/target/benchmarks.jar", "dev.lenet5.bench");
        List<String> checked = new ArrayList<>();
        for (var m : modules.entrySet()) {
            Path path = ROOT.resolve(m.getKey());
            try (JarFile jar = new JarFile(path.toFile())) {
                Attributes main = jar.getManifest().getMainAttributes();
                assertEquals(m.getValue(), main.getValue("Automatic-Module-Name"), m.getKey());
                assertEquals(VERSION, main.getValue("Implementation-Version"), m.getKey());
                assertArrayEquals(Files.readAllBytes(ROOT.resolve("LICENSE")), bytes(jar, "META-INF/LICENSE"), m.getKey());
                assertNotNull(jar.getEntry("META-INF/NOTICE"), m.getKey());
            }
            // What the JVM itself makes of the jar on the module path.
            List<String> names = ModuleFinder.of(path).findAll().stream()
                    .map(ModuleReference::descriptor).map(d -> d.name()).toList();
            assertEquals(List.of(m.getValue()), names, m.getKey());
            checked.add(m.getKey());
        }
        assertEquals(6, checked.size());
        try (JarFile app = new JarFile(APP_JAR.toFile())) {
            assertEquals("dev.lenet5.app.Main", app.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(app.getEntry("mnist/README.md"), "the bundled MNIST travels with its licence note");
        }
    }

    private static byte[] bytes(JarFile jar, String name) throws IOException {
        var entry = jar.getEntry(name);
        assertNotNull(entry, jar.getName() + " has no " + name);
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theLauncherScriptsAreExecutableAndTheWindowsOneUsesCrlf() throws IOException {
        assertTrue(Files.isExecutable(LAUNCHER) || OS.WINDOWS.isCurrentOs(), "bin/lenet5 is executable");
        String cmd = Files.readString(ROOT.resolve("bin/lenet5.cmd"));
        assertFalse(cmd.replace("\r\n", "").contains("\n"), "cmd.exe needs CRLF line ends");
        assertTrue(cmd.contains("--add-modules jdk.incubator.vector -jar \"%JAR%\" %*"), cmd);
    }
}

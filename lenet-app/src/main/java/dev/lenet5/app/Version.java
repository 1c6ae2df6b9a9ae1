package dev.lenet5.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: the project version (filled in by the build), the JVM and the kernels this JVM would use. */
final class Version implements CommandLine.IVersionProvider {

    static String projectVersion() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "lenet5-java " + projectVersion(),
            "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
                    + " (" + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors)",
            "Vector API module: " + (dev.lenet5.tensor.kernel.Kernels.vectorModulePresent() ? "present" : "absent")};
    }
}

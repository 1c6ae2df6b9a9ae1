package dev.lenet5.app;

import dev.lenet5.mnist.ImageSet;
import dev.lenet5.mnist.MnistDataset;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the images come from: a directory given by {@code --data}, or the MNIST copy inside the jar. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "directory with the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                    + " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; gzipped or not): MNIST, Fashion-MNIST,"
                    + " EMNIST digits... (default: the MNIST copy bundled in the jar)")
    Path dir;

    MnistDataset load() throws IOException {
        if (dir == null) {
            return MnistDataset.loadResources(MnistDataset.DEFAULT_RESOURCE_PREFIX);
        }
        FileChecks.readableDirectory(dir, "data directory");
        return MnistDataset.load(dir);
    }

    /** Only the test set: what evaluating a model reads (a sixth of the data, and no training images held). */
    ImageSet loadTest() throws IOException {
        if (dir == null) {
            return MnistDataset.loadTestSetResources(MnistDataset.DEFAULT_RESOURCE_PREFIX);
        }
        FileChecks.readableDirectory(dir, "data directory");
        return MnistDataset.loadTestSet(dir);
    }

    /** A short name for plot titles: {@code MNIST} for the bundled copy, else the directory's name. */
    String name() {
        return dir == null ? "MNIST" : dir.toAbsolutePath().normalize().getFileName().toString();
    }

    String describe() {
        return dir == null ? "bundled MNIST" : dir.toString();
    }
}

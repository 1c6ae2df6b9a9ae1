package dev.lenet5.nn.io;

import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters as a PyTorch-style state_dict in a safetensors file: one F32 tensor per parameter,
 * named and shaped like the parameter ({@code conv1.weight [6,1,5,5]}, ...), so PyTorch can load it directly
 * with {@code safetensors.torch.load_file} and {@code load_state_dict(strict=True)}. Files saved from PyTorch
 * load here too, including a wrapped model's ({@code module.conv1.weight}, ...).
 */
public final class StateDict {

    /** The metadata key and value that {@code safetensors.torch.save_file} and this class write. */
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT = "pt";
    /**
     * The prefix {@code torch.nn.DataParallel} and {@code DistributedDataParallel} give every name of the model
     * they wrap; a file whose names all carry it loads as the unwrapped model.
     */
    public static final String WRAPPER_PREFIX = "module.";

    private StateDict() {
    }

    /** Copies of the parameters' values as named tensors, in parameter order. */
    public static Map<String, Tensor> tensors(List<Parameter> parameters) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            if (out.put(p.name(), new Tensor(p.shape(), p.data().clone())) != null) {
                throw new IllegalArgumentException("parameter " + p.name() + " is listed twice");
            }
        }
        return out;
    }

    /**
     * Writes the parameters and {@code metadata} to {@code file} atomically, with {@code "format": "pt"} in the
     * metadata as PyTorch's safetensors files have it (replacing any other {@code format} entry: tools of that
     * ecosystem read the key as the tensors' framework).
     */
    public static void save(Path file, List<Parameter> parameters, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(FORMAT_KEY, FORMAT);
        SafeTensors.write(file, tensors(parameters), meta);
    }

    /**
     * Reads {@code file} and copies its tensors into the parameters. The file must hold exactly the parameters'
     * names with their shapes; nothing is changed unless everything matches.
     *
     * @return the file's metadata
     * @throws SafeTensorsException naming the file and every missing, extra or misshapen tensor
     */
    public static Map<String, String> load(Path file, List<Parameter> parameters) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        try {
            assign(contents.tensors(), parameters, false);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": " + e.getMessage());
        }
        return contents.metadata();
    }

    /**
     * Copies named tensors into the parameters after checking that every parameter has a tensor of its shape
     * and, unless {@code allowExtra}, that there are no other tensors (a checkpoint that also holds optimiser
     * state passes {@code true}). When every name starts with {@link #WRAPPER_PREFIX} the prefix is ignored.
     * Nothing is changed unless everything matches.
     *
     * @throws IllegalArgumentException listing the missing, extra and misshapen tensors by name, as the tensors
     *                                  are named (with the prefix, if they have it)
     */
    public static void assign(Map<String, Tensor> tensors, List<Parameter> parameters, boolean allowExtra) {
        String prefix = wrapperPrefix(tensors.keySet());
        List<String> missing = new ArrayList<>();
        List<String> misshapen = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Parameter p : parameters) {
            String name = prefix + p.name();
            names.add(name);
            Tensor t = tensors.get(name);
            if (t == null) {
                missing.add(name);
            } else if (!Arrays.equals(t.shape(), p.shape())) {
                misshapen.add(name + " has shape " + Arrays.toString(t.shape()) + ", expected "
                        + Arrays.toString(p.shape()));
            }
        }
        List<String> extra = new ArrayList<>();
        if (!allowExtra) {
            for (String name : tensors.keySet()) {
                if (!names.contains(name)) {
                    extra.add(name);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing tensors " + missing);
        }
        if (!extra.isEmpty()) {
            problems.add("unexpected tensors " + extra);
        }
        problems.addAll(misshapen);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the tensors do not match the model: " + String.join("; ", problems));
        }
        for (Parameter p : parameters) {
            float[] src = tensors.get(prefix + p.name()).data();
            System.arraycopy(src, 0, p.data(), 0, src.length);
        }
    }

    /** {@link #WRAPPER_PREFIX} if every name carries it, else the empty prefix. */
    private static String wrapperPrefix(Collection<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        for (String name : names) {
            if (!name.startsWith(WRAPPER_PREFIX)) {
                return "";
            }
        }
        return WRAPPER_PREFIX;
    }
}

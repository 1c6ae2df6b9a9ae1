package dev.lenet5.nn.optim;

import dev.lenet5.nn.Parameter;
import dev.lenet5.nn.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named per-parameter buffers ({@code <optimizer>.<kind>.<parameter>}) and their checked export and import. */
final class OptimizerState {

    private final String optimizer;
    private final List<Parameter> parameters;
    private final String[] kinds;
    private final float[][][] buffers;   // [kind][parameter] → values, same length as the parameter

    OptimizerState(String optimizer, List<Parameter> parameters, String... kinds) {
        this.optimizer = optimizer;
        this.parameters = parameters;
        this.kinds = kinds.clone();
        this.buffers = new float[kinds.length][parameters.size()][];
        for (int k = 0; k < kinds.length; k++) {
            for (int i = 0; i < parameters.size(); i++) {
                buffers[k][i] = new float[parameters.get(i).size()];
            }
        }
    }

    float[] buffer(int kind, int parameter) {
        return buffers[kind][parameter];
    }

    String tensorName(int kind, int parameter) {
        return optimizer + "." + kinds[kind] + "." + parameters.get(parameter).name();
    }

    Map<String, Tensor> export() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            for (int k = 0; k < kinds.length; k++) {
                out.put(tensorName(k, i), new Tensor(parameters.get(i).shape(), buffers[k][i].clone()));
            }
        }
        return out;
    }

    /** Validates everything first, then copies, so a rejected state leaves the current one untouched. */
    void restore(Map<String, Tensor> state) {
        String prefix = optimizer + ".";
        List<String> problems = new ArrayList<>();
        Map<String, int[]> expected = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            for (int k = 0; k < kinds.length; k++) {
                expected.put(tensorName(k, i), parameters.get(i).shape());
            }
        }
        for (var e : expected.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", expected "
                        + Arrays.toString(e.getValue()));
            }
        }
        for (String name : state.keySet()) {
            if (name.startsWith(prefix) && !expected.containsKey(name)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(optimizer + " state does not match its parameters: "
                    + String.join("; ", problems));
        }
        for (int i = 0; i < parameters.size(); i++) {
            for (int k = 0; k < kinds.length; k++) {
                float[] src = state.get(tensorName(k, i)).data();
                System.arraycopy(src, 0, buffers[k][i], 0, src.length);
            }
        }
    }

    static List<Parameter> checkedParameters(String optimizer, List<Parameter> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException(optimizer + ": no parameters to optimise");
        }
        List<String> seen = new ArrayList<>();
        for (Parameter p : parameters) {
            if (seen.contains(p.name())) {
                throw new IllegalArgumentException(optimizer + ": parameter " + p.name() + " is listed twice");
            }
            seen.add(p.name());
        }
        return List.copyOf(parameters);
    }

    static void checkStepCount(String optimizer, long stepCount) {
        if (stepCount < 0) {
            throw new IllegalArgumentException(optimizer + ": step count must not be negative, got " + stepCount);
        }
    }

    static double checkLearningRate(String optimizer, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(optimizer + ": learning rate must be finite and >= 0, got " + lr);
        }
        return lr;
    }
}

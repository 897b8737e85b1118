package vecmlp.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vecmlp.io.ModelFormatException;
import vecmlp.io.SafeTensors;
import vecmlp.optim.Optimizer;

/**
 * The driver state of a {@link SparkTrainer} run as a safetensors file (core's {@link SafeTensors}, written
 * atomically): tensor {@code parameters}, tensors {@code optimizer.0}, {@code optimizer.1} (the optimizer's
 * state buffers, if any), and metadata {@code format}, {@code layers}, {@code seed}, {@code next_epoch},
 * {@code optimizer_kind}, {@code optimizer_step}. Everything a run needs to continue bit-identically: the
 * batch order of an epoch depends only on the seed and the epoch. Stateless.
 */
final class TrainingCheckpoint {

    static final String FORMAT = "vecmlp-spark-checkpoint-1";

    private TrainingCheckpoint() {
    }

    static void write(Path file, NetworkSpec spec, long seed, int nextEpoch, float[] params, Optimizer optimizer)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("layers", Arrays.toString(spec.layers()));
        meta.put("seed", Long.toString(seed));
        meta.put("next_epoch", Integer.toString(nextEpoch));
        meta.put("optimizer_kind", optimizer.kind().name());
        meta.put("optimizer_step", Long.toString(optimizer.stepCount()));
        List<SafeTensors.Tensor> tensors = new ArrayList<>();
        tensors.add(SafeTensors.Tensor.vector("parameters", params.clone()));
        float[][] state = optimizer.stateBuffers();
        for (int i = 0; i < state.length; i++) {
            tensors.add(SafeTensors.Tensor.vector("optimizer." + i, state[i].clone()));
        }
        SafeTensors.of(meta, tensors).write(file);
    }

    /**
     * Restores {@code params} and {@code optimizer} from {@code file}; returns the epoch to continue at.
     *
     * @throws ModelFormatException if the file is not a checkpoint of this architecture, seed and optimizer
     */
    static int restore(Path file, NetworkSpec spec, long seed, float[] params, Optimizer optimizer)
            throws IOException {
        SafeTensors st = SafeTensors.read(file);
        Map<String, String> meta = st.metadata();
        expect(meta, "format", FORMAT);
        expect(meta, "layers", Arrays.toString(spec.layers()));
        expect(meta, "seed", Long.toString(seed));
        expect(meta, "optimizer_kind", optimizer.kind().name());
        SafeTensors.Tensor p = st.tensor("parameters");
        if (p == null || !p.hasShape(params.length)) {
            throw new ModelFormatException("parameters", "a vector of " + params.length + " values",
                    p == null ? "none" : Arrays.toString(p.shape()));
        }
        List<float[]> state = new ArrayList<>();
        for (int i = 0; st.tensor("optimizer." + i) != null; i++) {
            SafeTensors.Tensor t = st.tensor("optimizer." + i);
            if (!t.hasShape(params.length)) {
                throw new ModelFormatException("optimizer." + i, "a vector of " + params.length + " values",
                        Arrays.toString(t.shape()));
            }
            state.add(t.data());
        }
        long step;
        int epoch;
        try {
            step = Long.parseLong(meta.get("optimizer_step"));
            epoch = Integer.parseInt(meta.get("next_epoch"));
        } catch (NumberFormatException e) {
            throw new ModelFormatException("optimizer_step/next_epoch", "whole numbers",
                    meta.get("optimizer_step") + "/" + meta.get("next_epoch"), e);
        }
        optimizer.restoreState(step, state.toArray(new float[0][]));
        System.arraycopy(p.data(), 0, params, 0, params.length);
        return epoch;
    }

    private static void expect(Map<String, String> meta, String key, String value) throws ModelFormatException {
        if (!value.equals(meta.get(key))) {
            throw new ModelFormatException(key, value, String.valueOf(meta.get(key)));
        }
    }
}

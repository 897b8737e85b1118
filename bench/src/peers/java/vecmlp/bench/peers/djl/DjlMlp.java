package vecmlp.bench.peers.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * The benchmark network in DJL on its PyTorch engine: Linear + ReLU hidden layers, a Linear output whose
 * logits go to softmax cross-entropy ({@code Loss.softmaxCrossEntropyLoss()}: log-softmax, sparse labels,
 * mean over the batch), plain SGD at learning rate 0.01, float32 on the CPU.
 */
final class DjlMlp {

    private DjlMlp() {
    }

    /** Layer sizes from a spec such as {@code 784-256-128-10}. */
    static int[] sizes(String spec) {
        String[] parts = spec.split("-");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = Integer.parseInt(parts[i]);
        }
        return sizes;
    }

    /** A model holding the network of {@code spec}. */
    static Model model(String spec) {
        int[] sizes = sizes(spec);
        SequentialBlock block = new SequentialBlock();
        for (int l = 1; l < sizes.length - 1; l++) {
            block.add(Linear.builder().setUnits(sizes[l]).build()).add(Activation::relu);
        }
        block.add(Linear.builder().setUnits(sizes[sizes.length - 1]).build());
        Model model = Model.newInstance("mlp-" + spec, Device.cpu(), "PyTorch");
        model.setBlock(block);
        return model;
    }

    /** A trainer of {@code model} for batches of {@code batch} rows of {@code inputs} values, initialised. */
    static Trainer trainer(Model model, int batch, int inputs) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                .optDevices(new Device[] {Device.cpu()});
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(batch, inputs));
        return trainer;
    }

    /** What ran, printed once per fork (stdout of a fork is JMH's log, not a result). */
    static void describe(NDManager manager) {
        Engine engine = manager.getEngine();
        System.out.println("# DJL " + Engine.getDjlVersion() + ", engine " + engine.getEngineName() + " "
                + engine.getVersion() + ", device " + manager.getDevice() + ", threads "
                + System.getProperty("ai.djl.pytorch.num_threads") + "/"
                + System.getProperty("ai.djl.pytorch.num_interop_threads") + ", OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS"));
    }
}

package vecmlp.bench.peers.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The benchmark network in DeepLearning4J on ND4J's CPU backend: ReLU dense layers, a softmax output layer
 * with multi-class cross-entropy (MCXENT), plain SGD at learning rate 0.01, float32, workspaces on.
 */
final class Dl4jMlp {

    private Dl4jMlp() {
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

    /**
     * One thread for ND4J's own loops and for its BLAS, and no periodic {@code System.gc()} from ND4J's memory
     * manager (its documented tuning for speed); then prints what runs (a fork's log, not a result).
     */
    static void configure() {
        Nd4j.getMemoryManager().togglePeriodicGc(false);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        System.out.println("# ND4J backend " + Nd4j.getBackend().getClass().getSimpleName() + ", BLAS vendor "
                + Nd4j.factory().blas().getBlasVendor() + ", BLAS threads " + Nd4j.factory().blas().getMaxThreads()
                + ", ND4J threads " + Nd4j.getEnvironment().maxThreads() + ", periodic GC "
                + Nd4j.getMemoryManager().isPeriodicGcActive() + ", OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS") + ", OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE"));
    }

    /** The network of {@code spec}, initialised from seed 42. */
    static MultiLayerNetwork network(String spec) {
        int[] sizes = sizes(spec);
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.01))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        for (int l = 1; l < sizes.length - 1; l++) {
            b.layer(new DenseLayer.Builder().nIn(sizes[l - 1]).nOut(sizes[l]).activation(Activation.RELU).build());
        }
        int last = sizes.length - 1;
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(sizes[last - 1]).nOut(sizes[last])
                .activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }
}

package vecmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vecmlp.io.ModelFileTestSupport.assertSameModel;
import static vecmlp.io.ModelFileTestSupport.bits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.kernel.Activation;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Loss;
import vecmlp.nn.Mlp;

/** Saving and loading models: round trips, the documented layout, and every inconsistency rejected. */
class ModelFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsArchitectureParametersAndPredictions() throws Exception {
        List<Mlp> models = List.of(
                ModelFileTestSupport.trained(7),
                Mlp.builder().input(3).dense(5, Activation.TANH).dense(2, Activation.IDENTITY).loss(Loss.MSE).seed(1).build(),
                Mlp.builder().input(1).dense(4, Activation.leakyRelu(0.3f)).dense(1, Activation.SIGMOID)
                        .loss(Loss.BINARY_CROSS_ENTROPY).seed(2).build(),
                Mlp.builder().input(2).dense(3, Activation.SOFTMAX).loss(Loss.CROSS_ENTROPY).seed(3).build());
        for (Mlp mlp : models) {
            Path file = dir.resolve("m.safetensors");
            ModelFile.save(mlp, file);
            Mlp back = ModelFile.load(file, mlp.kernels());
            assertSameModel(mlp, back);
            float[] x = new float[5 * mlp.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i * 1.7);
            }
            float[] a = new float[5 * mlp.outputSize()];
            float[] b = new float[5 * mlp.outputSize()];
            mlp.predict(x, 5, a);
            back.predict(x, 5, b);
            assertArrayEquals(bits(a), bits(b));
        }
    }

    @Test
    void theFileHasTheDocumentedMetadataAndTensorLayout() throws Exception {
        Mlp mlp = ModelFileTestSupport.trained(3);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(mlp, file);
        SafeTensors st = SafeTensors.read(file);
        assertTrue(st.checksumVerified());
        Map<String, String> m = st.metadata();
        assertEquals("mlp", m.get("vecmlp.format"));
        assertEquals("1", m.get("vecmlp.format_version"));
        assertEquals("6,16,8,3", m.get("vecmlp.layer_sizes"));
        assertEquals("relu,leaky_relu(0.125),softmax", m.get("vecmlp.activations"));
        assertEquals("cross_entropy", m.get("vecmlp.loss"));
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                "layers.2.weight", "layers.2.bias"), names(st));
        // W_l is [inputs, outputs] row-major: element (i, j) is parameters()[weightOffset + i·n_out + j]
        SafeTensors.Tensor w1 = st.tensor("layers.1.weight");
        assertTrue(w1.hasShape(16, 8));
        float[] p = mlp.parameters();
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(p[mlp.weightOffset(1) + i * 8 + j], w1.data()[i * 8 + j]);
            }
        }
        assertTrue(st.tensor("layers.2.bias").hasShape(3));
        assertEquals(p[mlp.biasOffset(2) + 2], st.tensor("layers.2.bias").data()[2]);
    }

    private static List<String> names(SafeTensors st) {
        List<String> n = new ArrayList<>();
        st.tensors().forEach(t -> n.add(t.name()));
        return n;
    }

    /** The file another tool would write: F16 weights, no checksum ("none"), extra metadata, any tensor order. */
    @Test
    void readsAForeignFileWithTheRequiredKeys() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("vecmlp.format", "mlp");
        meta.put("vecmlp.format_version", "1");
        meta.put("vecmlp.layer_sizes", "2,1");
        meta.put("vecmlp.activations", "identity");
        meta.put("vecmlp.loss", "mse");
        meta.put("vecmlp.checksum", "none");
        String json = "{\"__metadata__\":" + Json.write(new StringBuilder(), meta) + ","
                + "\"layers.0.bias\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[4,6]},"
                + "\"layers.0.weight\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[0,4]}}";
        byte[] h = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 6).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3800);
        Path file = dir.resolve("foreign.safetensors");
        Files.write(file, b.array());
        Mlp mlp = ModelFile.load(file);
        assertArrayEquals(new float[] {1f, -2f, 0.5f}, mlp.parameters());
        float[] out = new float[1];
        mlp.predict(new float[] {3f, 1f}, 1, out);
        assertEquals(3f - 2f + 0.5f, out[0]);
    }

    // ---------------------------------------------------------------- rejection

    private static SafeTensors edited(Mlp mlp, Consumer<Map<String, String>> editMeta,
                                      Consumer<List<SafeTensors.Tensor>> editTensors) {
        SafeTensors st = ModelFile.toTensors(mlp);
        Map<String, String> meta = new LinkedHashMap<>(st.metadata());
        List<SafeTensors.Tensor> ts = new ArrayList<>(st.tensors());
        editMeta.accept(meta);
        editTensors.accept(ts);
        return SafeTensors.of(meta, ts);
    }

    /**
     * Dropout is saved as {@code vecmlp.dropout} (absent without it, so a file without dropout is as before)
     * and loaded back; the loaded network predicts like the saved one.
     */
    @Test
    void dropoutIsSavedAndLoaded() throws Exception {
        Mlp plain = ModelFileTestSupport.trained(4);
        Mlp mlp = Mlp.of(plain.layerSizes(), plain.activations(), new float[] {0.5f, 0.125f, 0f}, plain.loss(),
                plain.parameters(), plain.kernels());
        Path file = dir.resolve("d.safetensors");
        ModelFile.save(mlp, file);
        assertEquals("0.5,0.125,0", SafeTensors.read(file).metadata().get("vecmlp.dropout"));
        Mlp back = ModelFile.load(file);
        assertArrayEquals(mlp.dropouts(), back.dropouts());
        assertArrayEquals(bits(mlp.parameters()), bits(back.parameters()));
        ModelFile.save(plain, file);
        assertFalse(SafeTensors.read(file).metadata().containsKey("vecmlp.dropout"));
        assertArrayEquals(new float[3], ModelFile.load(file).dropouts());
    }

    /**
     * Batch normalization is saved as {@code vecmlp.normalization} and PyTorch's {@code BatchNorm1d} tensors
     * ({@code norm.weight}, {@code norm.bias}, {@code norm.running_mean}, {@code norm.running_var}); the loaded
     * network has the same parameters and running statistics, bit for bit. A running variance below 0, a
     * non-finite running mean, a missing tensor or a normalized output layer is refused, naming the tensor or key.
     */
    @Test
    void batchNormIsSavedAndLoadedAndBadRunningStatisticsAreRefused() throws Exception {
        Mlp mlp = Mlp.builder().input(6).dense(16, Activation.RELU).batchNorm().dense(8, Activation.TANH).batchNorm()
                .dense(3, Activation.SOFTMAX).seed(5).build();
        vecmlp.train.Trainer.builder(mlp, vecmlp.optim.Optimizer.adam(0.01f)).epochs(2).batchSize(16).seed(5).build()
                .fit(ModelFileTestSupport.blobs(100, 5));
        Path file = dir.resolve("bn.safetensors");
        ModelFile.save(mlp, file);
        SafeTensors st = SafeTensors.read(file);
        assertEquals("batch,batch,none", st.metadata().get("vecmlp.normalization"));
        assertEquals("2", st.metadata().get("vecmlp.format_version"), "a reader before batch norm must refuse it");
        assertTrue(names(st).containsAll(List.of("layers.0.norm.weight", "layers.0.norm.bias",
                "layers.0.norm.running_mean", "layers.0.norm.running_var", "layers.1.norm.running_var")), names(st)
                .toString());
        Mlp back = ModelFile.load(file);
        assertArrayEquals(bits(mlp.parameters()), bits(back.parameters()));
        assertArrayEquals(bits(mlp.runningStatistics()), bits(back.runningStatistics()));
        assertArrayEquals(mlp.normalizations(), back.normalizations());

        Consumer<Map<String, String>> sameMeta = m -> { };
        rejects(edited(mlp, sameMeta, t -> replace(t, "layers.1.norm.running_var", -0.5f)),
                "layers.1.norm.running_var", "-0.5");
        rejects(edited(mlp, sameMeta, t -> replace(t, "layers.0.norm.running_mean", Float.NaN)),
                "layers.0.norm.running_mean", "NaN");
        rejects(edited(mlp, sameMeta, t -> t.removeIf(x -> x.name().equals("layers.0.norm.bias"))),
                "layers.0.norm.bias", "no such tensor");
        rejects(edited(mlp, m -> m.put("vecmlp.normalization", "batch,batch,batch"), t -> { }),
                "vecmlp.normalization", "batch,batch,batch");
        rejects(edited(mlp, m -> m.put("vecmlp.normalization", "batch,group,none"), t -> { }),
                "vecmlp.normalization", "group");
        rejects(edited(mlp, m -> m.put("vecmlp.normalization", "batch,layer,none"), t -> { }),
                "layers.1.norm.running_mean", "unexpected");
        rejects(edited(mlp, m -> m.remove("vecmlp.normalization"), t -> { }), "layers.0.norm", "unexpected");
    }

    /** Layer normalization: {@code "layer"} and the two tensors {@code norm.weight}, {@code norm.bias}. */
    @Test
    void layerNormIsSavedAndLoaded() throws Exception {
        Mlp mlp = Mlp.builder().input(6).dense(16, Activation.RELU).layerNorm().dense(8, Activation.TANH)
                .dense(3, Activation.SOFTMAX).seed(6).build();
        vecmlp.train.Trainer.builder(mlp, vecmlp.optim.Optimizer.adam(0.01f)).epochs(2).batchSize(16).seed(6).build()
                .fit(ModelFileTestSupport.blobs(100, 6));
        Path file = dir.resolve("ln.safetensors");
        ModelFile.save(mlp, file);
        SafeTensors st = SafeTensors.read(file);
        assertEquals("layer,none,none", st.metadata().get("vecmlp.normalization"));
        assertTrue(names(st).containsAll(List.of("layers.0.norm.weight", "layers.0.norm.bias")), names(st).toString());
        assertFalse(names(st).contains("layers.0.norm.running_mean"));
        Mlp back = ModelFile.load(file);
        assertArrayEquals(bits(mlp.parameters()), bits(back.parameters()));
        assertArrayEquals(mlp.normalizations(), back.normalizations());
        assertPredictAlike(mlp, back, 7);
    }

    /** ELU's α is saved in the activation's name and read back (an α outside (0, 100] is refused); so are SiLU and GELU. */
    @Test
    void eluIsSavedWithItsAlpha() throws Exception {
        Mlp mlp = Mlp.builder().input(6).dense(16, Activation.elu(0.5f)).dense(8, Activation.ELU)
                .dense(3, Activation.SOFTMAX).seed(9).build();
        Path file = dir.resolve("elu.safetensors");
        ModelFile.save(mlp, file);
        assertEquals("elu(0.5),elu(1.0),softmax", SafeTensors.read(file).metadata().get("vecmlp.activations"));
        Mlp back = ModelFile.load(file);
        assertEquals(Activation.elu(0.5f), back.activation(0));
        assertPredictAlike(mlp, back, 9);
        rejects(edited(mlp, m -> m.put("vecmlp.activations", "elu(0),elu(1.0),softmax"), t -> { }),
                "vecmlp.activations", "elu(0)");
        Mlp smooth = Mlp.builder().input(6).dense(16, Activation.SILU).dense(8, Activation.GELU_TANH)
                .dense(5, Activation.SOFTPLUS).dense(4, Activation.GELU).dense(3, Activation.SOFTMAX).seed(9).build();
        ModelFile.save(smooth, file);
        assertEquals("silu,gelu_tanh,softplus,gelu,softmax",
                SafeTensors.read(file).metadata().get("vecmlp.activations"));
        assertPredictAlike(smooth, ModelFile.load(file), 10);
    }

    /** Residual connections: {@code vecmlp.residual}, read back; bad sources refused naming the key. */
    @Test
    void residualConnectionsAreSavedAndLoaded() throws Exception {
        Mlp mlp = Mlp.builder().input(6).dense(6, Activation.RELU).residual(1).dense(9, Activation.TANH)
                .dense(6, Activation.IDENTITY).residual(2).dense(3, Activation.SOFTMAX).seed(8).build();
        Path file = dir.resolve("res.safetensors");
        ModelFile.save(mlp, file);
        assertEquals("input,none,0,none", SafeTensors.read(file).metadata().get("vecmlp.residual"));
        assertEquals("2", SafeTensors.read(file).metadata().get("vecmlp.format_version"));
        Mlp back = ModelFile.load(file);
        assertArrayEquals(mlp.residualSources(), back.residualSources());
        assertPredictAlike(mlp, back, 8);
        Consumer<List<SafeTensors.Tensor>> same = t -> { };
        rejects(edited(mlp, m -> m.put("vecmlp.residual", "input,none,2,none"), same), "vecmlp.residual", "2");
        rejects(edited(mlp, m -> m.put("vecmlp.residual", "input,none,1,none"), same), "metadata", "width");
        rejects(edited(mlp, m -> m.put("vecmlp.residual", "input,none"), same), "vecmlp.residual", "input,none");
        rejects(edited(mlp, m -> m.put("vecmlp.residual", "input,none,-1,none"), same), "vecmlp.residual", "-1");
        rejects(edited(mlp, m -> m.put("vecmlp.format_version", "1"), same), "vecmlp.format_version", "1");
    }

    /**
     * A version-1 file written by the code of 2026-12-02 (before normalization and residual blocks:
     * {@code src/test/resources/vecmlp/io/v1-model.safetensors}, a 6-16-8-3 network built with seed 20261202)
     * still loads, predicts with the scalar kernels the bits it predicted when written, and is written back byte
     * for byte as it is.
     */
    @Test
    void aVersion1FileFromBeforeTheNewLayersStillLoads() throws Exception {
        byte[] fixture;
        try (java.io.InputStream in = getClass().getResourceAsStream("v1-model.safetensors")) {
            fixture = in.readAllBytes();
        }
        Path file = Files.write(dir.resolve("v1.safetensors"), fixture);
        Mlp mlp = ModelFile.load(file, Kernels.scalar());
        assertArrayEquals(new int[] {6, 16, 8, 3}, mlp.layerSizes());
        assertEquals(Activation.leakyRelu(0.125f).slope(), mlp.activation(1).slope());
        float[] out = new float[3];
        mlp.predict(new float[] {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f}, 1, out);
        assertArrayEquals(new int[] {1062604517, 1042397344, 1002535286}, bits(out), "the outputs when written");
        Path again = dir.resolve("again.safetensors");
        ModelFile.save(mlp, again);
        assertArrayEquals(fixture, Files.readAllBytes(again));
    }

    /** Both networks (6 inputs, 3 outputs) predict the same bits for 10 rows of blobs. */
    private static void assertPredictAlike(Mlp mlp, Mlp back, long seed) {
        float[] x = java.util.Arrays.copyOf(ModelFileTestSupport.blobs(10, seed).features(), 60);
        float[] a = new float[30];
        float[] b = new float[30];
        mlp.predict(x, 10, a);
        back.predict(x, 10, b);
        assertArrayEquals(bits(a), bits(b));
    }

    private static void replace(List<SafeTensors.Tensor> tensors, String name, float first) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(name)) {
                float[] d = tensors.get(i).data().clone();
                d[0] = first;
                tensors.set(i, SafeTensors.Tensor.vector(name, d));
            }
        }
    }

    private static void rejects(SafeTensors st, String field, String found) throws Exception {
        SafeTensors read = SafeTensors.read(st.toBytes());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromTensors(read, Kernels.get()));
        assertTrue(e.field().contains(field), "field '" + field + "' in: " + e.getMessage());
        assertTrue(e.found().contains(found), "found '" + found + "' in: " + e.getMessage());
    }

    @Test
    void rejectsMetadataThatIsMissingMalformedOrInconsistent() throws Exception {
        Mlp mlp = ModelFileTestSupport.classifier(1);
        Consumer<List<SafeTensors.Tensor>> same = t -> { };
        rejects(edited(mlp, m -> m.remove("vecmlp.format"), same), "vecmlp.format", "no such key");
        rejects(edited(mlp, m -> m.put("vecmlp.format", "cnn"), same), "vecmlp.format", "cnn");
        rejects(edited(mlp, m -> m.put("vecmlp.format_version", "3"), same), "vecmlp.format_version", "3");
        rejects(edited(mlp, m -> m.remove("vecmlp.layer_sizes"), same), "vecmlp.layer_sizes", "no such key");
        rejects(edited(mlp, m -> m.put("vecmlp.layer_sizes", "6,16,8"), same), "vecmlp.activations",
                "relu,leaky_relu(0.125),softmax");
        rejects(edited(mlp, m -> m.put("vecmlp.layer_sizes", "6,16,0,3"), same), "vecmlp.layer_sizes", "6,16,0,3");
        rejects(edited(mlp, m -> m.put("vecmlp.layer_sizes", "6,16,+8,3"), same), "vecmlp.layer_sizes", "+8");
        rejects(edited(mlp, m -> m.put("vecmlp.layer_sizes", "6,16,99999999999,3"), same), "vecmlp.layer_sizes", "9999");
        rejects(edited(mlp, m -> m.put("vecmlp.layer_sizes", "6"), same), "vecmlp.layer_sizes", "\"6\"");
        rejects(edited(mlp, m -> m.put("vecmlp.layer_sizes", "60000,60000,60000,3"), same), "vecmlp.layer_sizes",
                "parameters");
        rejects(edited(mlp, m -> m.put("vecmlp.activations", "relu,swish,softmax"), same), "vecmlp.activations",
                "swish");
        rejects(edited(mlp, m -> m.put("vecmlp.activations", "relu,leaky_relu(1.5),softmax"), same),
                "vecmlp.activations", "1.5");
        rejects(edited(mlp, m -> m.put("vecmlp.activations", "RELU,relu,softmax"), same), "vecmlp.activations",
                "RELU");
        rejects(edited(mlp, m -> m.put("vecmlp.dropout", "0.2,0.2"), same), "vecmlp.dropout", "0.2,0.2");
        rejects(edited(mlp, m -> m.put("vecmlp.dropout", "0.2,1,0"), same), "vecmlp.dropout", "0.2,1,0");
        rejects(edited(mlp, m -> m.put("vecmlp.dropout", "0.2,-0.1,0"), same), "vecmlp.dropout", "-0.1");
        rejects(edited(mlp, m -> m.put("vecmlp.dropout", "0.2,NaN,0"), same), "vecmlp.dropout", "NaN");
        rejects(edited(mlp, m -> m.put("vecmlp.dropout", "0.2,0.2,0.5"), same), "vecmlp.dropout", "0.5");
        rejects(edited(mlp, m -> m.put("vecmlp.loss", "hinge"), same), "vecmlp.loss", "hinge");
        rejects(edited(mlp, m -> m.put("vecmlp.loss", "mse"), same), "vecmlp.loss", "mse");
        SafeTensors noChecksum = SafeTensors.read(ModelFile.toTensors(mlp).toBytes());
        Map<String, String> meta = new LinkedHashMap<>(noChecksum.metadata());
        meta.remove(SafeTensors.CHECKSUM_KEY);
        byte[] file = SafeTensors.of(meta, noChecksum.tensors()).toBytes();
        // our writer always adds a checksum; strip it from the bytes to get a file without one
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        String stripped = text.replaceFirst(",\"vecmlp.checksum\":\"crc32c:[0-9a-f]{8}\"", "");
        byte[] b = stripped.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        long newLen = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0)
                - (text.length() - stripped.length());
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, newLen);
        SafeTensors read = SafeTensors.read(b);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.fromTensors(read,
                Kernels.get()));
        assertTrue(e.getMessage().contains("vecmlp.checksum"), e.getMessage());
    }

    @Test
    void rejectsTensorsThatAreMissingMisshapenOrUnexpected() throws Exception {
        Mlp mlp = ModelFileTestSupport.classifier(1);
        Consumer<Map<String, String>> same = m -> { };
        rejects(edited(mlp, same, t -> t.remove(3)), "tensor 'layers.1.bias'", "no such tensor");
        rejects(edited(mlp, same, t -> t.set(2, SafeTensors.Tensor.matrix("layers.1.weight", 8, 16, new float[128]))),
                "tensor 'layers.1.weight' shape", "[8, 16]");                     // PyTorch's [out, in]
        rejects(edited(mlp, same, t -> t.set(1, SafeTensors.Tensor.matrix("layers.0.bias", 1, 16, new float[16]))),
                "tensor 'layers.0.bias' shape", "[1, 16]");
        rejects(edited(mlp, same, t -> t.add(SafeTensors.Tensor.vector("layers.3.weight", new float[1]))),
                "tensor 'layers.3.weight'", "unexpected");
        rejects(edited(mlp, same, t -> t.add(SafeTensors.Tensor.vector("optimizer.state.0", new float[1]))),
                "tensor 'optimizer.state.0'", "unexpected");                      // only in a checkpoint
    }

    @Test
    void theFileIsTheSameOnEveryRun() throws Exception {
        byte[] a = ModelFile.toTensors(ModelFileTestSupport.trained(5)).toBytes();
        byte[] b = ModelFile.toTensors(ModelFileTestSupport.trained(5)).toBytes();
        assertArrayEquals(a, b);
    }
}

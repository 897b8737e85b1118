package vecmlp.bench.peers.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import vecmlp.kernel.Activation;
import vecmlp.nn.Mlp;
import vecmlp.nn.Normalization;

/**
 * A vecmlp classifier as an ONNX model (IR version 8, opset 13), in the protobuf bytes ONNX Runtime loads:
 * one {@code Gemm} per layer ({@code X·W + b}, W stored {@code [in, out]} as in vecmlp, so no transpose),
 * {@code Relu} after each hidden layer and {@code Softmax} over the last axis at the end; input {@code x}
 * of shape {@code [N, in]}, output {@code probabilities} {@code [N, classes]}. Only what the benchmark needs:
 * dense ReLU layers and a softmax output, without normalization or residual blocks (refused). The protobuf
 * is written by hand (field numbers of onnx.proto), so the benchmark needs no ONNX or protobuf library.
 */
final class OnnxExport {

    private OnnxExport() {
    }

    /** The model's bytes. */
    static byte[] export(Mlp mlp) {
        int[] sizes = mlp.layerSizes();
        int layers = sizes.length - 1;
        for (int l = 0; l < layers; l++) {
            Activation want = l == layers - 1 ? Activation.SOFTMAX : Activation.RELU;
            if (mlp.activation(l).kind() != want.kind() || mlp.normalization(l) != Normalization.NONE
                    || mlp.residualSource(l) != Mlp.NO_RESIDUAL) {
                throw new IllegalArgumentException("only dense ReLU layers and a softmax output are exported: " + mlp);
            }
        }
        Proto graph = new Proto();
        String in = "x";
        float[] p = mlp.parameters();
        for (int l = 0; l < layers; l++) {
            String w = "W" + l;
            String b = "b" + l;
            String z = "z" + l;
            graph.message(5, tensor(w, new long[] {sizes[l], sizes[l + 1]}, p, mlp.weightOffset(l)));
            graph.message(5, tensor(b, new long[] {sizes[l + 1]}, p, mlp.biasOffset(l)));
            graph.message(1, node("Gemm", z, in, w, b));
            in = "a" + l;
            graph.message(1, l == layers - 1 ? node("Softmax", "probabilities", z) : node("Relu", in, z));
        }
        graph.string(2, "vecmlp");
        graph.message(11, valueInfo("x", sizes[0]));
        graph.message(12, valueInfo("probabilities", sizes[layers]));
        Proto model = new Proto();
        model.varint(1, 8); // ir_version
        model.string(2, "vecmlp");
        model.message(7, graph);
        Proto opset = new Proto();
        opset.string(1, "");
        opset.varint(2, 13);
        model.message(8, opset);
        return model.bytes();
    }

    /** NodeProto: inputs (1), output (2), op_type (4). */
    private static Proto node(String op, String output, String... inputs) {
        Proto n = new Proto();
        for (String i : inputs) {
            n.string(1, i);
        }
        n.string(2, output);
        n.string(4, op);
        return n;
    }

    /** TensorProto of floats: dims (1), data_type FLOAT (2 = 1), name (8), raw_data little-endian (9). */
    private static Proto tensor(String name, long[] dims, float[] values, int offset) {
        Proto t = new Proto();
        long count = 1;
        for (long d : dims) {
            t.varint(1, d);
            count *= d;
        }
        t.varint(2, 1);
        t.string(8, name);
        ByteBuffer raw = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            raw.putFloat(values[offset + i]);
        }
        t.bytes(9, raw.array());
        return t;
    }

    /** ValueInfoProto of a float tensor {@code [N, width]}: name (1), type (2) → tensor_type (1) → elem_type, shape. */
    private static Proto valueInfo(String name, int width) {
        Proto batch = new Proto();
        batch.string(2, "N"); // dim_param
        Proto cols = new Proto();
        cols.varint(1, width); // dim_value
        Proto shape = new Proto();
        shape.message(1, batch);
        shape.message(1, cols);
        Proto tensorType = new Proto();
        tensorType.varint(1, 1); // FLOAT
        tensorType.message(2, shape);
        Proto type = new Proto();
        type.message(1, tensorType);
        Proto v = new Proto();
        v.string(1, name);
        v.message(2, type);
        return v;
    }

    /** A protobuf message being written: varint and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
        }

        void bytes(int field, byte[] value) {
            raw((long) field << 3 | 2);
            raw(value.length);
            out.write(value, 0, value.length);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Proto value) {
            bytes(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}

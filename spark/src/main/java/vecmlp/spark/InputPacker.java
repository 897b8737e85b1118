package vecmlp.spark;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Validates a Spark {@code Dataset<Row>} and packs each partition once into a {@link PackedPartition}.
 *
 * <p>The features column holds a Spark ML {@link Vector} (dense or sparse), an {@code array<float>} or an
 * {@code array<double>}; the label column any numeric type holding an integer class index
 * ({@link #pack}), or real targets ({@link #packTargets}): a number, or a vector or array of them. Column presence and
 * types are checked on the driver from the schema; lengths, nulls, non-finite values and label ranges are
 * checked row by row while packing, and the first violation fails the job with an
 * {@link InvalidInputException} naming the column, the partition and index of the row, and the value.
 *
 * <p>Stateless; safe to use from several threads.
 */
public final class InputPacker {

    private InputPacker() {
    }

    /**
     * Checks that {@code featuresCol} exists and has a supported features type.
     *
     * @throws InvalidInputException naming the column and listing the schema's columns or the found type
     */
    public static void checkFeaturesColumn(StructType schema, String featuresCol) {
        Objects.requireNonNull(schema, "schema");
        DataType t = field(schema, featuresCol, "features").dataType();
        if (!isVectorType(t)) {
            throw new InvalidInputException("features column '" + featuresCol + "' must be a Spark ML Vector, "
                    + "array<float> or array<double>: " + t.simpleString());
        }
    }

    /**
     * Checks that {@code labelCol} exists and is numeric.
     *
     * @throws InvalidInputException naming the column and listing the schema's columns or the found type
     */
    public static void checkLabelColumn(StructType schema, String labelCol) {
        Objects.requireNonNull(schema, "schema");
        DataType t = field(schema, labelCol, "label").dataType();
        if (!(t instanceof NumericType)) {
            throw new InvalidInputException("label column '" + labelCol + "' must be numeric: " + t.simpleString());
        }
    }

    /**
     * Checks that {@code labelCol} exists and holds real targets: a number (when {@code numTargets == 1}), or a
     * Spark ML Vector, {@code array<float>} or {@code array<double>}.
     *
     * @throws InvalidInputException naming the column and listing the schema's columns or the found type
     */
    public static void checkTargetColumn(StructType schema, String labelCol, int numTargets) {
        Objects.requireNonNull(schema, "schema");
        DataType t = field(schema, labelCol, "label").dataType();
        if (!(isVectorType(t) || (numTargets == 1 && t instanceof NumericType))) {
            throw new InvalidInputException("label column '" + labelCol + "' must be " + (numTargets == 1
                    ? "numeric, or " : "") + "a Spark ML Vector, array<float> or array<double> of " + numTargets
                    + " targets: " + t.simpleString());
        }
    }

    private static boolean isVectorType(DataType t) {
        return t instanceof VectorUDT
                || (t instanceof ArrayType && (((ArrayType) t).elementType().equals(DataTypes.FloatType)
                || ((ArrayType) t).elementType().equals(DataTypes.DoubleType)));
    }

    private static StructField field(StructType schema, String col, String role) {
        Objects.requireNonNull(col, role + "Col");
        if (!Arrays.asList(schema.fieldNames()).contains(col)) {
            throw new InvalidInputException(role + " column '" + col + "' not found; the input has columns "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(col);
    }

    /**
     * The rows of {@code data}, one {@link PackedPartition} per Spark partition (lazy: nothing runs until an
     * action; the caller persists the result). Each row must have {@code numFeatures} finite features and a
     * label that is an integer in {@code [0, numClasses)}.
     *
     * @throws InvalidInputException (on the driver) for a missing or mistyped column; (from the job) for a bad row
     */
    public static JavaRDD<PackedPartition> pack(Dataset<Row> data, String featuresCol, String labelCol,
                                                int numFeatures, int numClasses) {
        return pack(data, featuresCol, labelCol, null, numFeatures, numClasses);
    }

    /**
     * As {@link #pack(Dataset, String, String, int, int)}, with a weight per row from {@code weightCol} (numeric,
     * finite, {@code >= 0}; none if null or empty).
     */
    public static JavaRDD<PackedPartition> pack(Dataset<Row> data, String featuresCol, String labelCol,
                                                String weightCol, int numFeatures, int numClasses) {
        checkArguments(data, featuresCol, numFeatures, "numClasses", numClasses, 2);
        checkLabelColumn(data.schema(), labelCol);
        checkWeightColumn(data.schema(), weightCol);
        return pack(data, featuresCol, labelCol, weightCol, numFeatures, numClasses, 0);
    }

    /** Checks that {@code weightCol}, unless null or empty, exists and is numeric. */
    public static void checkWeightColumn(StructType schema, String weightCol) {
        if (weightCol == null || weightCol.isEmpty()) {
            return;
        }
        DataType t = field(schema, weightCol, "weight").dataType();
        if (!(t instanceof NumericType)) {
            throw new InvalidInputException("weight column '" + weightCol + "' must be numeric: " + t.simpleString());
        }
    }

    /**
     * As {@link #pack}, for regression: each row's label is {@code numTargets} finite real targets (a number, or
     * a vector or array of that length).
     *
     * @throws InvalidInputException (on the driver) for a missing or mistyped column; (from the job) for a bad row
     */
    public static JavaRDD<PackedPartition> packTargets(Dataset<Row> data, String featuresCol, String labelCol,
                                                       int numFeatures, int numTargets) {
        return packTargets(data, featuresCol, labelCol, null, numFeatures, numTargets);
    }

    /** As {@link #packTargets(Dataset, String, String, int, int)}, with a weight per row from {@code weightCol}. */
    public static JavaRDD<PackedPartition> packTargets(Dataset<Row> data, String featuresCol, String labelCol,
                                                       String weightCol, int numFeatures, int numTargets) {
        checkArguments(data, featuresCol, numFeatures, "numTargets", numTargets, 1);
        checkTargetColumn(data.schema(), labelCol, numTargets);
        checkWeightColumn(data.schema(), weightCol);
        return pack(data, featuresCol, labelCol, weightCol, numFeatures, 0, numTargets);
    }

    private static void checkArguments(Dataset<Row> data, String featuresCol, int numFeatures, String outputsName,
                                       int outputs, int minOutputs) {
        Objects.requireNonNull(data, "data");
        if (numFeatures < 1) {
            throw new IllegalArgumentException("numFeatures must be >= 1: " + numFeatures);
        }
        if (outputs < minOutputs) {
            throw new IllegalArgumentException(outputsName + " must be >= " + minOutputs + ": " + outputs);
        }
        checkFeaturesColumn(data.schema(), featuresCol);
    }

    private static JavaRDD<PackedPartition> pack(Dataset<Row> data, String featuresCol, String labelCol,
                                                 String weightCol, int numFeatures, int numClasses, int numTargets) {
        boolean weighted = weightCol != null && !weightCol.isEmpty();
        JavaRDD<Row> rows = (weighted ? data.select(featuresCol, labelCol, weightCol)
                : data.select(featuresCol, labelCol)).toJavaRDD();
        String wc = weighted ? weightCol : null;
        return rows.mapPartitionsWithIndex((p, it) -> Collections.singletonList(
                packPartition(p, it, featuresCol, labelCol, wc, numFeatures, numClasses, numTargets)).iterator(),
                true);
    }

    /** Features only (for inference): each row must have {@code numFeatures} finite features. */
    static float[] packFeatures(int partition, List<Row> rows, int featuresIndex, String featuresCol, int numFeatures) {
        float[] x = new float[Math.multiplyExact(rows.size(), numFeatures)];
        for (int i = 0; i < rows.size(); i++) {
            readFeatures(rows.get(i), featuresIndex, featuresCol, partition, i, numFeatures, x, i * numFeatures);
        }
        return x;
    }

    /** Packs one partition: class labels when {@code numTargets == 0}, else {@code numTargets} real targets. */
    static PackedPartition packPartition(int partition, Iterator<Row> it, String featuresCol, String labelCol,
                                         int numFeatures, int numClasses, int numTargets) {
        return packPartition(partition, it, featuresCol, labelCol, null, numFeatures, numClasses, numTargets);
    }

    /** As above, with each row's weight from its third field when {@code weightCol} is not null. */
    static PackedPartition packPartition(int partition, Iterator<Row> it, String featuresCol, String labelCol,
                                         String weightCol, int numFeatures, int numClasses, int numTargets) {
        int cap = 64;
        float[] x = new float[numFeatures * cap];
        int[] y = numTargets == 0 ? new int[cap] : null;
        float[] t = numTargets == 0 ? null : new float[numTargets * cap];
        float[] w = weightCol == null ? null : new float[cap];
        int n = 0;
        while (it.hasNext()) {
            Row row = it.next();
            if (n == cap) {
                cap = Math.addExact(cap, cap >> 1);
                x = Arrays.copyOf(x, Math.multiplyExact(cap, numFeatures));
                if (y != null) {
                    y = Arrays.copyOf(y, cap);
                } else {
                    t = Arrays.copyOf(t, Math.multiplyExact(cap, numTargets));
                }
                if (w != null) {
                    w = Arrays.copyOf(w, cap);
                }
            }
            readFeatures(row, 0, featuresCol, partition, n, numFeatures, x, n * numFeatures);
            if (y != null) {
                y[n] = readLabel(row, 1, labelCol, partition, n, numClasses);
            } else {
                readTargets(row, 1, labelCol, partition, n, numTargets, t, n * numTargets);
            }
            if (w != null) {
                w[n] = readWeight(row, 2, weightCol, partition, n);
            }
            n++;
        }
        return new PackedPartition(partition, n, numFeatures, Arrays.copyOf(x, n * numFeatures),
                y == null ? null : Arrays.copyOf(y, n), t == null ? null : Arrays.copyOf(t, n * numTargets),
                numTargets, w == null ? null : Arrays.copyOf(w, n));
    }

    private static String where(String role, String col, int partition, int index) {
        return role + " column '" + col + "', partition " + partition + ", index " + index;
    }

    static void readFeatures(Row row, int i, String col, int partition, int index, int numFeatures,
                             float[] dst, int off) {
        readValues("features", row, i, col, partition, index, numFeatures, dst, off);
    }

    /** {@code numTargets} finite real targets of a label column: a number (one target), a vector or an array. */
    static void readTargets(Row row, int i, String col, int partition, int index, int numTargets,
                            float[] dst, int off) {
        Object v = row.get(i);
        if (v instanceof Number) {
            if (numTargets != 1) {
                throw new InvalidInputException(where("label", col, partition, index) + ": expected " + numTargets
                        + " values, found 1");
            }
            dst[off] = finite("label", ((Number) v).doubleValue(), col, partition, index, 0);
        } else {
            readValues("label", row, i, col, partition, index, numTargets, dst, off);
        }
    }

    private static void readValues(String role, Row row, int i, String col, int partition, int index, int count,
                                   float[] dst, int off) {
        Object v = row.get(i);
        if (v == null) {
            throw new InvalidInputException(where(role, col, partition, index) + ": null");
        }
        if (v instanceof Vector) {
            Vector vec = (Vector) v;
            checkLength(role, vec.size(), col, partition, index, count);
            if (vec instanceof SparseVector) {
                SparseVector s = (SparseVector) vec;
                Arrays.fill(dst, off, off + count, 0f);
                int[] idx = s.indices();
                double[] val = s.values();
                for (int k = 0; k < idx.length; k++) {
                    dst[off + idx[k]] = finite(role, val[k], col, partition, index, idx[k]);
                }
            } else {
                double[] val = ((DenseVector) vec).values();
                for (int k = 0; k < count; k++) {
                    dst[off + k] = finite(role, val[k], col, partition, index, k);
                }
            }
        } else {
            List<Object> list = row.getList(i);
            checkLength(role, list.size(), col, partition, index, count);
            for (int k = 0; k < count; k++) {
                Object e = list.get(k);
                if (e == null) {
                    throw new InvalidInputException(where(role, col, partition, index) + ", element " + k
                            + ": null");
                }
                dst[off + k] = finite(role, ((Number) e).doubleValue(), col, partition, index, k);
            }
        }
    }

    private static void checkLength(String role, int size, String col, int partition, int index, int count) {
        if (size != count) {
            throw new InvalidInputException(where(role, col, partition, index) + ": expected "
                    + count + " values, found " + size);
        }
    }

    private static float finite(String role, double v, String col, int partition, int index, int k) {
        float f = (float) v;
        if (!Float.isFinite(f)) {
            throw new InvalidInputException(where(role, col, partition, index) + ", element " + k
                    + ": must be finite" + (Double.isFinite(v) ? " as a float" : "") + ": " + v);
        }
        return f;
    }

    /** A row's weight: a finite number {@code >= 0}. */
    static float readWeight(Row row, int i, String col, int partition, int index) {
        Object v = row.get(i);
        if (v == null) {
            throw new InvalidInputException(where("weight", col, partition, index) + ": null");
        }
        double d = ((Number) v).doubleValue();
        float f = (float) d;
        if (!(f >= 0f) || f == Float.POSITIVE_INFINITY) {
            throw new InvalidInputException(where("weight", col, partition, index) + ": must be finite and >= 0: " + v);
        }
        return f;
    }

    static int readLabel(Row row, int i, String col, int partition, int index, int numClasses) {
        Object v = row.get(i);
        if (v == null) {
            throw new InvalidInputException(where("label", col, partition, index) + ": null");
        }
        double d = ((Number) v).doubleValue();
        if (!(d >= 0 && d < numClasses) || d != Math.rint(d)) {
            throw new InvalidInputException(where("label", col, partition, index) + ": must be an integer class in [0, "
                    + numClasses + "): " + v);
        }
        return (int) d;
    }
}

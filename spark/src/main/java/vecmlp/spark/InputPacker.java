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
 * {@code array<double>}; the label column any numeric type holding an integer class index. Column presence and
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
        boolean ok = t instanceof VectorUDT
                || (t instanceof ArrayType && (((ArrayType) t).elementType().equals(DataTypes.FloatType)
                || ((ArrayType) t).elementType().equals(DataTypes.DoubleType)));
        if (!ok) {
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
        Objects.requireNonNull(data, "data");
        if (numFeatures < 1) {
            throw new IllegalArgumentException("numFeatures must be >= 1: " + numFeatures);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2: " + numClasses);
        }
        checkFeaturesColumn(data.schema(), featuresCol);
        checkLabelColumn(data.schema(), labelCol);
        JavaRDD<Row> rows = data.select(featuresCol, labelCol).toJavaRDD();
        return rows.mapPartitionsWithIndex((p, it) -> Collections.singletonList(
                packPartition(p, it, featuresCol, labelCol, numFeatures, numClasses)).iterator(), true);
    }

    /** Features only (for inference): each row must have {@code numFeatures} finite features. */
    static float[] packFeatures(int partition, List<Row> rows, int featuresIndex, String featuresCol, int numFeatures) {
        float[] x = new float[Math.multiplyExact(rows.size(), numFeatures)];
        for (int i = 0; i < rows.size(); i++) {
            readFeatures(rows.get(i), featuresIndex, featuresCol, partition, i, numFeatures, x, i * numFeatures);
        }
        return x;
    }

    static PackedPartition packPartition(int partition, Iterator<Row> it, String featuresCol, String labelCol,
                                         int numFeatures, int numClasses) {
        float[] x = new float[numFeatures * 64];
        int[] y = new int[64];
        int n = 0;
        while (it.hasNext()) {
            Row row = it.next();
            if (n == y.length) {
                int cap = Math.addExact(y.length, y.length >> 1);
                y = Arrays.copyOf(y, cap);
                x = Arrays.copyOf(x, Math.multiplyExact(cap, numFeatures));
            }
            readFeatures(row, 0, featuresCol, partition, n, numFeatures, x, n * numFeatures);
            y[n] = readLabel(row, 1, labelCol, partition, n, numClasses);
            n++;
        }
        return new PackedPartition(partition, n, numFeatures, Arrays.copyOf(x, n * numFeatures), Arrays.copyOf(y, n));
    }

    private static String where(String role, String col, int partition, int index) {
        return role + " column '" + col + "', partition " + partition + ", index " + index;
    }

    static void readFeatures(Row row, int i, String col, int partition, int index, int numFeatures,
                             float[] dst, int off) {
        Object v = row.get(i);
        if (v == null) {
            throw new InvalidInputException(where("features", col, partition, index) + ": null");
        }
        if (v instanceof Vector) {
            Vector vec = (Vector) v;
            checkLength(vec.size(), col, partition, index, numFeatures);
            if (vec instanceof SparseVector) {
                SparseVector s = (SparseVector) vec;
                Arrays.fill(dst, off, off + numFeatures, 0f);
                int[] idx = s.indices();
                double[] val = s.values();
                for (int k = 0; k < idx.length; k++) {
                    dst[off + idx[k]] = finite(val[k], col, partition, index, idx[k]);
                }
            } else {
                double[] val = ((DenseVector) vec).values();
                for (int k = 0; k < numFeatures; k++) {
                    dst[off + k] = finite(val[k], col, partition, index, k);
                }
            }
        } else {
            List<Object> list = row.getList(i);
            checkLength(list.size(), col, partition, index, numFeatures);
            for (int k = 0; k < numFeatures; k++) {
                Object e = list.get(k);
                if (e == null) {
                    throw new InvalidInputException(where("features", col, partition, index) + ", element " + k
                            + ": null");
                }
                dst[off + k] = finite(((Number) e).doubleValue(), col, partition, index, k);
            }
        }
    }

    private static void checkLength(int size, String col, int partition, int index, int numFeatures) {
        if (size != numFeatures) {
            throw new InvalidInputException(where("features", col, partition, index) + ": expected "
                    + numFeatures + " values, found " + size);
        }
    }

    private static float finite(double v, String col, int partition, int index, int k) {
        float f = (float) v;
        if (!Float.isFinite(f)) {
            throw new InvalidInputException(where("features", col, partition, index) + ", element " + k
                    + ": must be finite" + (Double.isFinite(v) ? " as a float" : "") + ": " + v);
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

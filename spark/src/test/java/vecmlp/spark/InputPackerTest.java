package vecmlp.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class InputPackerTest {

    private static StructType schema(DataType features, DataType label) {
        return new StructType(new StructField[] {
                new StructField("features", features, true, Metadata.empty()),
                new StructField("label", label, true, Metadata.empty())});
    }

    /** Rows 0..5 in two partitions of three: partition 1, index 1 is global row 4. */
    private static Dataset<Row> frame(List<Row> rows, StructType schema) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        return TestSpark.session().createDataFrame(jsc.parallelize(rows, 2), schema);
    }

    /** A Scala sequence, as Spark's row encoder expects for array columns. */
    private static Object seq(Object... values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(values)).toList();
    }

    private static List<Row> vectorRows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(RowFactory.create(Vectors.dense(i, i + 0.5, -i), (double) (i % 3)));
        }
        return rows;
    }

    private static List<PackedPartition> pack(Dataset<Row> df, int cols, int classes) {
        try {
            return InputPacker.pack(df, "features", "label", cols, classes).collect();
        } catch (Exception e) {
            throw InvalidInputException.unwrap(e);
        }
    }

    @Test
    void packsEachPartitionOnceInRowOrderFromVectorsAndArrays() {
        float[] expected0 = {0f, 0.5f, 0f, 1f, 1.5f, -1f, 2f, 2.5f, -2f};
        List<PackedPartition> v = pack(frame(vectorRows(), schema(SQLDataTypes.VectorType(), DataTypes.DoubleType)), 3, 3);
        assertEquals(2, v.size());
        assertEquals(0, v.get(0).partition());
        assertEquals(1, v.get(1).partition());
        assertEquals(3, v.get(1).rows());
        assertArrayEquals(expected0, v.get(0).features);
        assertArrayEquals(new int[] {0, 1, 2}, v.get(1).labels);

        List<Row> arrays = new ArrayList<>();
        List<Row> floats = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            arrays.add(RowFactory.create(seq((double) i, i + 0.5, (double) -i), i % 3));
            floats.add(RowFactory.create(seq((float) i, i + 0.5f, (float) -i), (long) (i % 3)));
        }
        List<PackedPartition> a = pack(frame(arrays, schema(DataTypes.createArrayType(DataTypes.DoubleType),
                DataTypes.IntegerType)), 3, 3);
        List<PackedPartition> f = pack(frame(floats, schema(DataTypes.createArrayType(DataTypes.FloatType),
                DataTypes.LongType)), 3, 3);
        for (int p = 0; p < 2; p++) {
            assertArrayEquals(v.get(p).features, a.get(p).features);
            assertArrayEquals(v.get(p).features, f.get(p).features);
            assertArrayEquals(v.get(p).labels, f.get(p).labels);
        }
    }

    @Test
    void sparseVectorsAreExpanded() {
        List<Row> rows = List.of(RowFactory.create(Vectors.sparse(4, new int[] {1, 3}, new double[] {2, -3}), 1.0));
        List<PackedPartition> p = pack(frame(rows, schema(SQLDataTypes.VectorType(), DataTypes.DoubleType)), 4, 2);
        float[] all = p.get(0).rows() == 1 ? p.get(0).features : p.get(1).features;
        assertArrayEquals(new float[] {0f, 2f, 0f, -3f}, all);
    }

    private static String failure(List<Row> rows, StructType schema, int cols, int classes) {
        return assertThrows(InvalidInputException.class, () -> pack(frame(rows, schema), cols, classes)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + message + "' does not mention '" + p + "'");
        }
    }

    @Test
    void missingOrMistypedColumnsAreNamedOnTheDriver() {
        Dataset<Row> df = frame(vectorRows(), schema(SQLDataTypes.VectorType(), DataTypes.DoubleType));
        assertMentions(assertThrows(InvalidInputException.class,
                () -> InputPacker.pack(df, "pixels", "label", 3, 3)).getMessage(), "'pixels'", "not found", "features");
        assertMentions(assertThrows(InvalidInputException.class,
                () -> InputPacker.pack(df, "features", "digit", 3, 3)).getMessage(), "'digit'", "not found");
        assertMentions(assertThrows(InvalidInputException.class,
                () -> InputPacker.pack(df, "label", "label", 3, 3)).getMessage(), "'label'", "double");
        Dataset<Row> strings = df.selectExpr("features", "cast(label as string) as label");
        assertMentions(assertThrows(InvalidInputException.class,
                () -> InputPacker.pack(strings, "features", "label", 3, 3)).getMessage(), "'label'", "string");
    }

    @Test
    void weightColumnIsPackedAndCheckedByColumnPartitionIndexAndValue() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(RowFactory.create(Vectors.dense(i, i + 0.5, -i), (double) (i % 3), 0.5 * i));
        }
        StructType schema = new StructType(new StructField[] {
                new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
                new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
                new StructField("w", DataTypes.DoubleType, true, Metadata.empty())});
        Dataset<Row> df = frame(rows, schema);
        List<PackedPartition> packed = InputPacker.pack(df, "features", "label", "w", 3, 3).collect();
        int seen = 0;
        for (PackedPartition p : packed) {
            for (int r = 0; r < p.rows; r++) {
                assertEquals(0.5f * (seen + r), p.weights[r]);
            }
            seen += p.rows;
        }
        assertEquals(6, seen);
        assertEquals(null, InputPacker.pack(df, "features", "label", "", 3, 3).collect().get(0).weights);
        assertMentions(assertThrows(InvalidInputException.class,
                () -> InputPacker.pack(df, "features", "label", "weights", 3, 3)).getMessage(), "'weights'", "not found");
        Dataset<Row> strings = df.selectExpr("features", "label", "cast(w as string) as w");
        assertMentions(assertThrows(InvalidInputException.class,
                () -> InputPacker.pack(strings, "features", "label", "w", 3, 3)).getMessage(), "weight column 'w'",
                "numeric");
        rows.set(4, RowFactory.create(Vectors.dense(1, 2, 3), 1.0, -1.0));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
            try {
                InputPacker.pack(frame(rows, schema), "features", "label", "w", 3, 3).collect();
            } catch (Exception x) {
                throw InvalidInputException.unwrap(x);
            }
        });
        assertMentions(e.getMessage(), "weight column 'w'", "index", "must be finite and >= 0: -1.0");
    }

    @Test
    void badRowsAreNamedByColumnPartitionIndexAndValue() {
        StructType vs = schema(SQLDataTypes.VectorType(), DataTypes.DoubleType);
        List<Row> rows = vectorRows();
        rows.set(4, RowFactory.create(Vectors.dense(1, 2), 1.0));
        assertMentions(failure(rows, vs, 3, 3), "features column 'features'", "partition 1, index 1", "expected 3",
                "found 2");

        rows = vectorRows();
        rows.set(2, RowFactory.create(Vectors.dense(1, Double.NaN, 3), 1.0));
        assertMentions(failure(rows, vs, 3, 3), "partition 0, index 2", "element 1", "finite", "NaN");

        rows = vectorRows();
        rows.set(5, RowFactory.create(Vectors.dense(1, 1e300, 3), 1.0));
        assertMentions(failure(rows, vs, 3, 3), "partition 1, index 2", "element 1", "as a float", "1.0E300");

        rows = vectorRows();
        rows.set(3, RowFactory.create(null, 1.0));
        assertMentions(failure(rows, vs, 3, 3), "features column 'features', partition 1, index 0", "null");

        rows = vectorRows();
        rows.set(1, RowFactory.create(Vectors.dense(1, 2, 3), 3.0));
        assertMentions(failure(rows, vs, 3, 3), "label column 'label', partition 0, index 1", "[0, 3)", "3.0");

        rows = vectorRows();
        rows.set(4, RowFactory.create(Vectors.dense(1, 2, 3), 1.5));
        assertMentions(failure(rows, vs, 3, 3), "label column 'label', partition 1, index 1", "1.5");

        rows = vectorRows();
        rows.set(0, RowFactory.create(Vectors.dense(1, 2, 3), -1.0));
        assertMentions(failure(rows, vs, 3, 3), "partition 0, index 0", "-1.0");

        rows = vectorRows();
        rows.set(0, RowFactory.create(Vectors.dense(1, 2, 3), null));
        assertMentions(failure(rows, vs, 3, 3), "label column 'label', partition 0, index 0", "null");

        List<Row> arrays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            arrays.add(RowFactory.create(seq(1.0, i == 4 ? null : 2.0, 3.0), 0.0));
        }
        assertMentions(failure(arrays, schema(DataTypes.createArrayType(DataTypes.DoubleType), DataTypes.DoubleType), 3, 3),
                "partition 1, index 1", "element 1", "null");
    }
}

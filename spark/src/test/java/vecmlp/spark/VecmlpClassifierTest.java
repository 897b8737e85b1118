package vecmlp.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.io.Split;
import vecmlp.kernel.Kernels;
import vecmlp.nn.Mlp;
import vecmlp.optim.Optimizer;
import vecmlp.train.Dataset;
import vecmlp.train.Trainer;

class VecmlpClassifierTest {

    private static double accuracy(List<Row> rows) {
        int right = 0;
        for (Row r : rows) {
            if (r.getDouble(r.fieldIndex("label")) == r.getDouble(r.fieldIndex("prediction"))) {
                right++;
            }
        }
        return (double) right / rows.size();
    }

    @Test
    void pipelineFitsTransformsAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Split split = SparkTrainerTest.digitsSplit();
        VecmlpClassifier clf = new VecmlpClassifier().setLayers(64, 32, 10).setActivations("tanh")
                .setOptimizer("adam").setLearningRate(3e-3).setBatchSize(64).setEpochs(6).setSeed(4L);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {clf});
        PipelineModel fitted = pipeline.fit(TestData.frame(split.train(), 2));
        org.apache.spark.sql.Dataset<Row> test = TestData.frame(split.test(), 2);
        List<Row> out = fitted.transform(test).collectAsList();
        assertEquals(split.test().rows(), out.size());
        double acc = accuracy(out);
        assertTrue(acc > 0.9, "digits test accuracy " + acc);

        // transform is core's batched inference: the same probabilities as the network on one row at a time.
        VecmlpClassificationModel model = (VecmlpClassificationModel) fitted.stages()[0];
        Mlp net = model.network();
        float[] p = new float[10];
        Dataset t = split.test();
        for (int i = 0; i < t.rows(); i += 37) {
            net.predict(java.util.Arrays.copyOfRange(t.features(), i * 64, i * 64 + 64), 1, p);
            Vector v = out.get(i).getAs("probability");
            for (int j = 0; j < 10; j++) {
                assertEquals(p[j], v.apply(j), 1e-6, "row " + i + " class " + j);
            }
        }

        String path = dir.resolve("pipeline").toUri().toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> again = loaded.transform(test).collectAsList();
        for (int i = 0; i < out.size(); i++) {
            assertEquals(out.get(i).getDouble(2), again.get(i).getDouble(2), "prediction of row " + i);
            assertArrayEquals(((Vector) out.get(i).getAs("probability")).toArray(),
                    ((Vector) again.get(i).getAs("probability")).toArray(), "probabilities of row " + i);
        }
        VecmlpClassificationModel reloaded = (VecmlpClassificationModel) loaded.stages()[0];
        assertEquals(model.uid(), reloaded.uid());
        assertArrayEquals(net.parameters(), reloaded.network().parameters());

        // The unfitted pipeline (the estimator's params) round-trips too.
        String estPath = dir.resolve("estimator").toUri().toString();
        pipeline.write().save(estPath);
        VecmlpClassifier back = (VecmlpClassifier) Pipeline.load(estPath).getStages()[0];
        assertArrayEquals(new int[] {64, 32, 10}, back.getLayers());
        assertEquals(6, back.getEpochs());
        assertEquals(64, back.getBatchSize());
        assertEquals(clf.uid(), back.uid());
    }

    @Test
    void badParamsAndColumnsAreNamed() {
        org.apache.spark.sql.Dataset<Row> frame = TestData.frame(SparkTrainerTest.digitsSplit().test(), 2);
        String m = assertThrows(IllegalArgumentException.class, () -> new VecmlpClassifier().fit(frame)).getMessage();
        assertTrue(m.contains("layers"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new VecmlpClassifier().setLayers(64, 10).setOptimizer("lbfgs").fit(frame)).getMessage();
        assertTrue(m.contains("optimizer") && m.contains("lbfgs"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new VecmlpClassifier().setLayers(64, 32, 10).setDropout(1.0).fit(frame)).getMessage();
        assertTrue(m.contains("param dropout") && m.contains("1.0"), m);
        assertArrayEquals(new float[] {0.25f, 0f},
                new VecmlpClassifier().setLayers(64, 32, 10).setDropout(0.25).networkSpec().dropout());
        m = assertThrows(IllegalArgumentException.class,
                () -> new VecmlpClassifier().setLayers(64, 32, 10).setNormalization("group").fit(frame)).getMessage();
        assertTrue(m.contains("param normalization") && m.contains("group"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new VecmlpClassifier().setLayers(64, 32, 10).setLabelSmoothing(1.0).fit(frame)).getMessage();
        assertTrue(m.contains("labelSmoothing") && m.contains("1.0"), m);
        assertArrayEquals(new vecmlp.nn.Normalization[] {vecmlp.nn.Normalization.LAYER, vecmlp.nn.Normalization.NONE},
                new VecmlpClassifier().setLayers(64, 32, 10).setNormalization("Layer").networkSpec().normalizations());
        m = assertThrows(InvalidInputException.class,
                () -> new VecmlpClassifier().setLayers(64, 10).setFeaturesCol("pixels").fit(frame)).getMessage();
        assertTrue(m.contains("'pixels'"), m);
        m = assertThrows(InvalidInputException.class,
                () -> new VecmlpClassifier().setLayers(65, 10).setEpochs(1).fit(frame)).getMessage();
        assertTrue(m.contains("expected 65 values, found 64") && m.matches(".*partition [01], index 0.*"), m);
        m = assertThrows(InvalidInputException.class,
                () -> new VecmlpClassifier().setLayers(64, 5).setEpochs(1).fit(frame)).getMessage();
        assertTrue(m.contains("label column 'label'") && m.contains("[0, 5)"), m);
        m = assertThrows(InvalidInputException.class,
                () -> new VecmlpClassifier().setLayers(64, 10).setWeightCol("w").fit(frame)).getMessage();
        assertTrue(m.contains("'w'") && m.contains("not found"), m);
    }

    /** {@code weightCol}: the estimator trains on the weights (the same as SparkTrainer with that column). */
    @Test
    void weightColumnReachesTheTrainer() {
        vecmlp.train.Dataset test = SparkTrainerTest.digitsSplit().test();
        float[] w = new float[test.rows()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1 + i % 3;
        }
        org.apache.spark.sql.Dataset<Row> frame = TestData.weightedFrame(test.withWeights(w), 2);
        VecmlpClassifier est = new VecmlpClassifier().setLayers(64, 16, 10).setEpochs(2).setBatchSize(40).setSeed(3L);
        float[] unweighted = est.fit(frame).network().parameters();
        float[] weighted = est.setWeightCol("weight").fit(frame).network().parameters();
        assertEquals("weight", est.getOrDefault(est.weightCol()));
        float[] direct = est.trainer().fit(frame, "features", "label", "weight").model().parameters();
        assertArrayEquals(direct, weighted);
        assertFalse(java.util.Arrays.equals(unweighted, weighted), "the weights changed the run");
    }

    @Test
    void reachesSingleMachineTestAccuracyOnAnMnistSubset() {
        Dataset train = TestData.mnistTrain().rows(0, 6000);
        Dataset test = TestData.mnistTest();
        int[] layers = {784, 64, 10};
        int epochs = 4;
        int batch = 100;
        Mlp single = new VecmlpClassifier().setLayers(layers).networkSpec().initial(2L, Kernels.get());
        Trainer.builder(single, Optimizer.adam(1e-3f)).batchSize(batch).epochs(epochs).seed(2L).build().fit(train);
        double singleAcc = Trainer.evaluate(single, test, 1000)[1];

        VecmlpClassificationModel model = new VecmlpClassifier().setLayers(layers).setBatchSize(batch)
                .setEpochs(epochs).setSeed(2L).fit(TestData.frame(train, 2));
        double sparkAcc = accuracy(model.transform(TestData.frame(test, 2)).collectAsList());
        assertTrue(singleAcc > 0.9, "single-machine accuracy " + singleAcc);
        // Not more than 0.5 points below single-machine training on the 10 000 test images.
        assertTrue(sparkAcc >= singleAcc - 0.005, "Spark " + sparkAcc + " vs single machine " + singleAcc);
    }
}

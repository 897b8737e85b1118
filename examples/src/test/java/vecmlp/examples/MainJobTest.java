package vecmlp.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vecmlp.io.ModelFile;
import vecmlp.io.SafeTensors;
import vecmlp.nn.Mlp;
import vecmlp.train.Dataset;

/** The main job end to end, through the same entry point as {@code java -jar}. */
class MainJobTest {

    @TempDir
    Path dir;

    private static final class Run {
        int status;
        String out;
        String err;
    }

    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run r = new Run();
        r.status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    private static double testAccuracy(String out) {
        return testAccuracy(out, 360);
    }

    private static double testAccuracy(String out, int testRows) {
        Matcher m = Pattern.compile("test accuracy: ([0-9.]+)% \\((\\d+) of " + testRows + "\\)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void defaultJobWithFewEpochsTrainsReportsAndWritesAValidChart() throws Exception {
        Run r = main("--epochs", "8", "--out", dir.toString(), "--no-save");
        assertEquals(0, r.status, r.err);
        assertTrue(testAccuracy(r.out) >= 95.0, r.out);
        assertFalse(r.out.contains("\r"), "plain lines when not a terminal");
        for (int e = 1; e <= 8; e++) {
            assertTrue(r.out.contains("epoch " + e + "/8  loss "), r.out);
        }
        assertTrue(r.out.contains("split:     train 1257 / validation 180 / test 360"), r.out);
        assertTrue(r.out.contains("confusion matrix"), r.out);
        assertTrue(r.out.matches("(?s).*kernels used: (simd|scalar) .*"), r.out);

        Document svg = PartsTest.parseXml(Files.readString(dir.resolve("learning-curve.svg")));
        assertEquals("svg", svg.getDocumentElement().getLocalName());
        List<String> series = new ArrayList<>();
        NodeList groups = svg.getElementsByTagNameNS("*", "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if ("series".equals(g.getAttribute("class"))) {
                series.add(g.getAttribute("data-name"));
                String points = ((Element) g.getElementsByTagNameNS("*", "polyline").item(0)).getAttribute("points");
                assertEquals(8, points.trim().split("\\s+").length, "one point per epoch");
            }
        }
        assertEquals(List.of("training", "validation", "training", "validation"), series);
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("Loss") && text.contains("Accuracy") && text.contains("epoch"), text);
        assertFalse(Files.exists(dir.resolve("model.safetensors")), "--no-save");
    }

    @Test
    void defaultJobReachesTheReadmeAccuracyAndSavesAModelThatPredictsTheSame() throws IOException {
        Options o = Options.parse("--out", dir.toString(), "--quiet");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainCommand.Result r = TrainCommand.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        assertEquals(360, r.confusion.total());
        assertTrue(r.testAccuracy >= 0.975, bytes.toString(StandardCharsets.UTF_8));
        assertEquals(o.epochs, r.history.epochs().size());

        // The saved model and normalizer, applied to the raw test rows, give the same predictions.
        Mlp loaded = ModelFile.load(r.model);
        SafeTensors norm = SafeTensors.read(r.normalizer);
        float[] shift = norm.tensor("shift").data();
        float[] factor = norm.tensor("factor").data();
        Dataset raw = r.split.test();
        float[] x = raw.features().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - shift[i % 64]) * factor[i % 64];
        }
        ConfusionMatrix again = TrainCommand.confusion(loaded, Dataset.ofClasses(x, raw.rows(), 64, raw.labels(), 10));
        for (int a = 0; a < 10; a++) {
            for (int p = 0; p < 10; p++) {
                assertEquals(r.confusion.count(a, p), again.count(a, p), "confusion (" + a + ", " + p + ")");
            }
        }
    }

    /** The digits as a CSV with a header, the label in a column named "label" in the middle. */
    static Path digitsCsv(Path dir) throws IOException {
        Dataset d = TrainCommand.loadDigits();
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < d.cols(); j++) {
            s.append("p").append(j).append(j == 31 ? ",label," : ",");
        }
        s.setLength(s.length() - 1);
        s.append('\n');
        for (int i = 0; i < d.rows(); i++) {
            for (int j = 0; j < d.cols(); j++) {
                s.append((int) d.features()[i * d.cols() + j]).append(j == 31 ? "," + d.labels()[i] + "," : ",");
            }
            s.setLength(s.length() - 1);
            s.append('\n');
        }
        Path p = dir.resolve("digits-with-header.csv");
        Files.writeString(p, s);
        return p;
    }

    @Test
    void trainsOnAUsersCsvAndOnIdxFiles() throws IOException {
        Path csv = digitsCsv(dir);
        Run r = main("--csv", csv.toString(), "--label-column", "label", "--epochs", "5", "--out",
                dir.resolve("csv").toString());
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("64 features, 10 classes"), r.out);
        assertTrue(testAccuracy(r.out) >= 90.0, r.out);

        Dataset d = TrainCommand.loadDigits();
        ByteBuffer images = ByteBuffer.allocate(16 + d.rows() * 64).putInt(0x00000803).putInt(d.rows()).putInt(8)
                .putInt(8);
        ByteBuffer labels = ByteBuffer.allocate(8 + d.rows()).putInt(0x00000801).putInt(d.rows());
        for (int i = 0; i < d.rows(); i++) {
            for (int j = 0; j < 64; j++) {
                images.put((byte) d.features()[i * 64 + j]);
            }
            labels.put((byte) d.labels()[i]);
        }
        Path x = Files.write(dir.resolve("images-idx3-ubyte"), images.array());
        Path y = Files.write(dir.resolve("labels-idx1-ubyte"), labels.array());
        r = main("--idx-images", x.toString(), "--idx-labels", y.toString(), "--epochs", "5", "--out",
                dir.resolve("idx").toString());
        assertEquals(0, r.status, r.err);
        assertTrue(testAccuracy(r.out) >= 90.0, r.out);

        // A separate test set (as MNIST's t10k files): here the last 297 digits, written as IDX files too.
        int from = d.rows() - 297;
        ByteBuffer testImages = ByteBuffer.allocate(16 + 297 * 64).putInt(0x00000803).putInt(297).putInt(8).putInt(8);
        ByteBuffer testLabels = ByteBuffer.allocate(8 + 297).putInt(0x00000801).putInt(297);
        for (int i = from; i < d.rows(); i++) {
            for (int j = 0; j < 64; j++) {
                testImages.put((byte) d.features()[i * 64 + j]);
            }
            testLabels.put((byte) d.labels()[i]);
        }
        Path tx = Files.write(dir.resolve("t-images-idx3-ubyte"), testImages.array());
        Path ty = Files.write(dir.resolve("t-labels-idx1-ubyte"), testLabels.array());
        r = main("--idx-images", x.toString(), "--idx-labels", y.toString(), "--idx-test-images", tx.toString(),
                "--idx-test-labels", ty.toString(), "--dropout", "0.1", "--norm", "batch", "--residual", "--hidden",
                "64,96,64", "--epochs", "5", "--out",
                dir.resolve("idx-test").toString());
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("/ test 297 (test: t-images-idx3-ubyte"), r.out);
        assertTrue(r.out.contains("64-64-96-64-10 MLP, batch norm, residual blocks, dropout 0.1 after each hidden layer"),
                r.out);
        assertTrue(testAccuracy(r.out, 297) >= 90.0, r.out);
    }

    /** Class weights (given or balanced) and a CSV column of row weights reach the trainer and are reported. */
    @Test
    void classWeightsAndAWeightColumn() throws IOException {
        Run r = main("--class-weights", "balanced", "--epochs", "5", "--no-save", "--quiet");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains(", class weights 1.01,0.990,"), r.out);
        assertTrue(testAccuracy(r.out) >= 90.0, r.out);
        // The digits with a column "w" of row weights after the label: 2 for even labels, 1 for odd.
        String[] lines = Files.readString(digitsCsv(dir)).split("\n");
        StringBuilder csv = new StringBuilder(lines[0].replace(",label,", ",label,w,")).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            int label = Integer.parseInt(f[32]);
            csv.append(lines[i].replaceFirst("^((?:[^,]*,){33})", "$1" + (label % 2 == 0 ? 2 : 1) + ","))
                    .append('\n');
        }
        Path weighted = Files.writeString(dir.resolve("weighted.csv"), csv);
        r = main("--csv", weighted.toString(), "--label-column", "label", "--weight-column", "w", "--class-weights",
                "1,1,1,1,1,1,1,1,1,3", "--epochs", "5", "--no-save", "--quiet");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("64 features, 10 classes"), r.out);
        assertTrue(r.out.contains(", class weights 1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,1.00,3.00, row weights from "
                + "column w"), r.out);
        assertTrue(testAccuracy(r.out) >= 90.0, r.out);
        r = main("--activation", "gelu", "--epochs", "5", "--no-save", "--quiet");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("64-128-10 MLP, gelu, "), r.out);
        assertTrue(testAccuracy(r.out) >= 90.0, r.out);
        r = main("--class-weights", "1,2", "--quiet");
        assertEquals(1, r.status);
        assertEquals("error: --class-weights has 2 weights, the data 10 classes: '1,2'", r.err.strip());
        assertEquals("", r.out, "refused before anything was printed or trained");
    }

    @Test
    void balancedClassWeightsAreNOverKTimesTheClassCount() {
        Dataset d = Dataset.ofClasses(new float[5], 5, 1, new int[] {0, 0, 0, 1, 2}, 4);
        assertArrayEquals(new float[] {5f / 12, 5f / 4, 5f / 4, 0f}, TrainCommand.classWeights("balanced", d, 4));
        assertArrayEquals(new float[] {1f, 0.5f}, TrainCommand.classWeights(" 1, 0.5", d, 2));
    }

    @Test
    void badInputIsReportedWithoutAStackTrace() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "1,2,0\n3,x,1\n");
        Run r = main("--csv", bad.toString());
        assertEquals(1, r.status);
        assertEquals("error: " + bad + ": line 2, column 2: expected a number, found \"x\"", r.err.strip());
        r = main("--help");
        assertEquals(0, r.status);
        assertTrue(r.out.contains("--idx-labels=PATH"), r.out);
    }

    /** The bad command lines: one line that names the option and the value, status 2, no stack trace. */
    @Test
    void badCommandLinesGiveOneLineAndStatus2() {
        String missing = dir.resolve("missing.csv").toString();
        String[][] lines = {{"--epoch", "3"}, {"--epochs", "-1"}, {"--lr", "abc"}, {"--csv", missing},
            {"--class-weights", "1,x"}, {"--class-weights", "1,-2"}, {"--weight-column", "w"},
            {"--activation", "swish2"}};
        String[] expect = {"error: Unknown option: '--epoch'; did you mean --epochs?",
            "error: --epochs expects a positive integer: '-1'", "error: Invalid value for option '--lr': 'abc' is not a float",
            "error: --csv: no such file: '" + missing + "'",
            "error: --class-weights expects balanced or numbers >= 0 separated by commas: '1,x'",
            "error: --class-weights expects balanced or numbers >= 0 separated by commas: '1,-2'",
            "error: --weight-column needs --csv: 'w'",
            "error: --activation expects one of relu, leaky_relu, elu, silu, gelu, gelu_tanh, softplus, tanh, sigmoid: "
                + "'swish2'"};
        for (int i = 0; i < lines.length; i++) {
            Run r = main(lines[i]);
            assertEquals(2, r.status, r.err);
            assertEquals("", r.out, "nothing else was done");
            assertEquals(1, r.err.strip().split("\n").length, "one line: " + r.err);
            assertTrue(r.err.startsWith(expect[i] + "; --help lists the commands and options"), r.err);
            assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), r.err);
        }
    }
}

package vecmlp.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The building blocks of the main job, each on its own: chart, progress bar, options, confusion matrix. */
class PartsTest {

    static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void chartIsValidSvgWithOnePolylinePerSeriesAndEscapedText() throws Exception {
        SvgChart c = new SvgChart("Loss & <accuracy>");
        double[] x = {1, 2, 3, 4};
        c.panel("Loss", "epoch", "loss").series("train", x, new double[] {2.3, 1.0, 0.5, Double.NaN})
                .series("validation", x, new double[] {2.2, 1.1, 0.7, 0.6});
        c.panel("Accuracy", "epoch", "accuracy").yRange(0, 1).series("train", x, new double[] {0.1, 0.5, 0.9, 0.95});
        Document d = parseXml(c.toSvg());
        Element svg = d.getDocumentElement();
        assertEquals("svg", svg.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", svg.getNamespaceURI());
        NodeList series = d.getElementsByTagNameNS("*", "g");
        int found = 0;
        for (int i = 0; i < series.getLength(); i++) {
            Element g = (Element) series.item(i);
            if ("series".equals(g.getAttribute("class"))) {
                found++;
                Element poly = (Element) g.getElementsByTagNameNS("*", "polyline").item(0);
                String[] pts = poly.getAttribute("points").trim().split("\\s+");
                boolean nan = found == 1;
                assertEquals(nan ? 3 : 4, pts.length, "non-finite points are skipped");
                for (String p : pts) {
                    String[] xy = p.split(",");
                    double px = Double.parseDouble(xy[0]);
                    double py = Double.parseDouble(xy[1]);
                    assertTrue(px >= 0 && px <= 960 && py >= 0 && py <= 376, p);
                }
            }
        }
        assertEquals(3, found);
        assertTrue(c.toSvg().contains("Loss &amp; &lt;accuracy&gt;"));
    }

    @Test
    void chartPointsAreMappedMonotonicallyAndAccuracyAxisIsFixed() throws Exception {
        SvgChart c = new SvgChart("t");
        c.panel("Accuracy", "epoch", "accuracy").yRange(0, 1).series("s", new double[] {1, 2}, new double[] {0, 1});
        Document d = parseXml(c.toSvg());
        String[] pts = ((Element) d.getElementsByTagNameNS("*", "polyline").item(0)).getAttribute("points").split(" ");
        double y0 = Double.parseDouble(pts[0].split(",")[1]);
        double y1 = Double.parseDouble(pts[1].split(",")[1]);
        assertEquals(36 + 340 - 55, y0, 1e-6, "0 on the x axis");
        assertEquals(36 + 40, y1, 1e-6, "1 at the top");
    }

    @Test
    void legendAvoidsTheCurves() throws Exception {
        double[] x = new double[60];
        double[] up = new double[60];
        double[] down = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = i + 1;
            up[i] = 100 - 40 * Math.exp(-i / 2.0);   // accuracy: runs along the top after a few epochs
            down[i] = 1.5 * Math.exp(-i / 3.0);       // loss: runs along the bottom
        }
        for (boolean rising : new boolean[] {true, false}) {
            SvgChart c = new SvgChart("t");
            c.panel("p", "epoch", "y").series("training", x, rising ? up : down);
            Document d = parseXml(c.toSvg());
            NodeList rects = d.getElementsByTagNameNS("*", "rect");
            Element legend = null;
            for (int i = 0; i < rects.getLength(); i++) {
                Element r = (Element) rects.item(i);
                if (r.hasAttribute("fill-opacity")) {
                    legend = r;
                }
            }
            double y = Double.parseDouble(legend.getAttribute("y"));
            double middle = 36 + (40 + 340 - 55) / 2.0;
            assertTrue(rising ? y > middle : y < middle, "legend at y " + y + " for a " + (rising ? "rising" : "falling")
                    + " curve");
        }
    }

    @Test
    void ticksAreNiceAndCoverTheData() {
        SvgChart.Ticks t = SvgChart.Ticks.of(0.037, 2.31, 6, false);
        assertEquals(0.5, t.step, 1e-12);
        assertEquals(0, t.min, 1e-12);
        assertEquals(2.5, t.max, 1e-12);
        assertEquals("2.5", t.label(2.5));
        t = SvgChart.Ticks.of(1, 40, 8, true);
        assertEquals(10, t.step, 1e-12);
        assertEquals(0, t.min, 1e-12);
        assertEquals(40, t.max, 1e-12);
        assertEquals("40", t.label(40));
        t = SvgChart.Ticks.of(1, 3, 8, true);
        assertEquals(1, t.step, 1e-12);
        t = SvgChart.Ticks.of(0.5, 0.5, 6, false);
        assertTrue(t.min < 0.5 && t.max > 0.5);
        t = SvgChart.Ticks.of(0.9, 1.0, 6, false);
        assertEquals("0.92", t.label(0.92));
    }

    @Test
    void fixedWritesWhatTheFormatterWrites() {
        java.util.Random rnd = new java.util.Random(5);
        int differing = 0;
        for (int i = 0; i < 20_000; i++) {
            double v = (rnd.nextDouble() - 0.3) * Math.pow(10, rnd.nextInt(10) - 3);
            int decimals = rnd.nextInt(8);
            String expected = String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
            String actual = SvgChart.fixed(v, decimals);
            if (!expected.equals(actual)) {
                // allowed only within a rounding error of half-way, or as "0" for a tiny negative value
                double units = Math.abs(v) * Math.pow(10, decimals);
                boolean halfWay = Math.abs(units - Math.floor(units) - 0.5) < 1e-6 * Math.max(1, units);
                boolean negativeZero = expected.equals("-" + actual) && Double.parseDouble(actual) == 0;
                assertTrue(halfWay || negativeZero, v + " with " + decimals + " places: '" + actual
                        + "', the Formatter '" + expected + "'");
                if (!negativeZero) {
                    differing++;
                }
            }
        }
        assertTrue(differing < 20, differing + " of 20,000 differ near half-way");
        assertEquals("0.0", SvgChart.fixed(0, 1));
        assertEquals("-1.25", SvgChart.fixed(-1.25, 2));
        assertEquals("3", SvgChart.fixed(2.5, 0));
        assertEquals("10.050", SvgChart.fixed(10.05, 3));
        assertEquals("NaN", SvgChart.fixed(Double.NaN, 2));
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", 1e20), SvgChart.fixed(1e20, 2));
    }

    @Test
    void progressLineHasEveryField() {
        String s = ProgressBar.line(2, 30, 12, 45, 0.23456, 0.9312, 48213, 75);
        assertEquals("epoch  3/30 [##>.......] 12/45 loss 0.2346 acc  93.1% 48.2k samples/s ETA 1:15", s);
        assertTrue(s.length() <= ProgressBar.MAX_WIDTH);
        String worst = ProgressBar.line(99, 100, 1000, 1000, 12.3456, 1, 999_949, 3599);
        assertEquals("epoch 100/100 1000/1000 loss 12.3456 acc 100.0% 999.9k samples/s ETA 59:59", worst);
        assertEquals("1.50M", ProgressBar.human(1.5e6));
        assertEquals("1:02:03", ProgressBar.clockTime(3723));
        assertEquals("-:--", ProgressBar.clockTime(Double.NaN));
    }

    @Test
    void progressRedrawsInPlaceOnATerminalAndPrintsPlainLinesOtherwise() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar p = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 2, 3, now::get);
        for (int e = 0; e < 2; e++) {
            for (int b = 0; b < 3; b++) {
                now.addAndGet(200_000_000L);
                p.batch(e, b, 10, 1.0 / (1 + b), 0.5);
            }
            p.epoch(e, 0.6, 0.5, 0.7, 0.4);
        }
        String term = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, term.split("\n", -1).length - 1, "one newline per epoch: " + term);
        assertTrue(term.contains("\repoch 1/2 [###>......] 1/3 loss 1.0000"), term);
        assertTrue(term.contains("val_acc  40.0%"), term);
        assertTrue(term.contains("50 samples/s"), term); // 60 samples in 1.2 s
        assertTrue(term.contains("total 0:01"), term);

        bytes.reset();
        p = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 2, 3, now::get);
        for (int b = 0; b < 3; b++) {
            p.batch(0, b, 10, 1, 1);
        }
        p.epoch(0, 0.6, 0.5, Double.NaN, Double.NaN);
        String plain = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(plain.contains("\r"), plain);
        assertTrue(plain.startsWith("epoch 1/2  loss 0.6000  acc  50.0%  "), plain);
        assertFalse(plain.contains("val_"), plain);
    }

    @Test
    void optionsParseEveryFlag(@TempDir Path dir) throws java.io.IOException {
        Path csv = Files.writeString(dir.resolve("a.csv"), "1,0\n");
        Options o = Options.parse("--epochs", "5", "--batch=64", "--lr", "0.01", "--optimizer", "SGD", "--hidden",
                "128,64", "--dropout", "0.2", "--norm", "batch", "--normalize", "pixels", "--schedule", "cosine", "--label-smoothing", "0.1", "--seed", "-3", "--threads", "2", "--kernels", "scalar", "--out", "x/y", "--csv",
                csv.toString(), "--label-column", "label", "--quiet", "--no-save");
        assertEquals(Options.Command.TRAIN, o.command);
        assertEquals(5, o.epochs);
        assertEquals(64, o.batch);
        assertEquals(0.01f, o.lr);
        assertEquals("sgd", o.optimizer);
        assertArrayEquals(new int[] {128, 64}, o.hidden);
        assertEquals(0.2f, o.dropout);
        assertEquals("batch", o.norm);
        assertEquals("pixels", o.normalize);
        assertEquals("cosine", o.schedule);
        assertEquals(0.1, o.labelSmoothing);
        assertEquals(-3, o.seed);
        assertEquals(2, o.threads);
        assertEquals("scalar", o.kernels);
        assertEquals(Path.of("x/y"), o.out);
        assertEquals(csv, o.csv);
        assertEquals("label", o.labelColumn);
        assertTrue(o.quiet);
        assertFalse(o.save);
        assertEquals(Options.Command.CALCULUS, Options.parse("calculus").command);
        assertEquals(Options.Command.XOR, Options.parse("xor").command);
        assertEquals(Options.Command.HELP, Options.parse("--epochs", "3", "--help").command);
        assertTrue(Options.usage().contains("--idx-images"), Options.usage());
    }

    @Test
    void badOptionsNameTheFlagAndValue() {
        String[][] bad = {
            {"--epochs", "0"}, {"--epochs", "x"}, {"--lr", "-1"}, {"--optimizer", "rmsprop"}, {"--hidden", "128,"},
            {"--kernels", "gpu"}, {"--bogus", "1"}, {"--epochs"}, {"fly"}, {"--idx-images", "a"},
            {"--validation", "0.5", "--test", "0.5"}, {"--csv", "a", "--idx-images", "b", "--idx-labels", "c"},
            {"--epoch", "3"}, {"--csv", "no-such-file.csv"}, {"--dropout", "1"}, {"--dropout", "-0.5"},
            {"--idx-images", "a", "--idx-labels", "b", "--idx-test-images", "c"}, {"--norm", "group"},
            {"--normalize", "log"}, {"--schedule", "step"}, {"--label-smoothing", "1"}, {"--residual", "--hidden", "64,32"},
            {"--residual", "--hidden", "64,32,48"},
        };
        String[] expect = {"--epochs expects a positive integer: '0'", "'--epochs': 'x' is not an int",
            "--lr expects a positive number: '-1.0'", "--optimizer expects one of sgd, momentum, adam, adamw: 'rmsprop'",
            "--hidden expects positive widths separated by commas, e.g. 128,64: '128,'",
            "--kernels expects one of scalar, simd, auto: 'gpu'", "Unknown option: '--bogus'",
            "Missing required parameter for option '--epochs'", "unknown command 'fly'", "--idx-labels is missing",
            "--validation + --test", "exclude each other", "Unknown option: '--epoch'; did you mean --epochs?",
            "--csv: no such file: 'no-such-file.csv'", "--dropout expects a probability in [0, 1): '1.0'",
            "--dropout expects a probability in [0, 1): '-0.5'", "--idx-test-labels is missing",
            "--norm expects one of none, batch, layer: 'group'", "--normalize expects one of standard, minmax, pixels: 'log'",
            "--schedule expects one of constant, cosine: 'step'",
            "--label-smoothing expects a value in [0, 1): '1.0'",
            "--residual needs an odd number of hidden layers, at least 3, e.g. --hidden 256,512,256: '64,32'",
            "--residual needs every other hidden layer as wide as the first: '64,32,48'"};
        for (int i = 0; i < bad.length; i++) {
            String[] args = bad[i];
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                    () -> Options.parse(args));
            assertTrue(Options.describe(e).contains(expect[i]), Options.describe(e));
        }
    }

    @Test
    void confusionMatrixCountsAndFormats() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 2, 0});
        assertEquals(1, m.count(0, 1));
        assertEquals(2, m.count(2, 2));
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        String t = m.format();
        assertTrue(t.contains(" true\\pred  0  1  2   recall"), t);
        assertTrue(t.contains("         2  1  .  2    66.7%"), t);
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {3}, new int[] {0}));
    }

    @Test
    void bundledDigitsAreTheSameSamplesInBothFormats() throws Exception {
        vecmlp.train.Dataset idx = TrainCommand.loadDigits();
        vecmlp.train.Dataset csv = TrainCommand.loadDigitsCsv();
        assertEquals(1797, idx.rows());
        assertEquals(64, idx.cols());
        assertEquals(10, idx.numClasses());
        assertEquals(csv.numClasses(), idx.numClasses());
        assertArrayEquals(csv.features(), idx.features());
        assertArrayEquals(csv.labels(), idx.labels());
    }

    @Test
    void preloadGivesTheBundledDigitsOnlyWhenTheArgumentsNeedThem() throws Exception {
        vecmlp.train.Dataset direct = TrainCommand.loadDigits();
        vecmlp.train.Dataset preloaded = Preload.start(new String[] {"--epochs", "1"}).digits();
        assertArrayEquals(direct.features(), preloaded.features());
        assertArrayEquals(direct.labels(), preloaded.labels());
        assertSame(Preload.NONE, Preload.start(new String[] {"xor"}));
        assertSame(Preload.NONE, Preload.start(new String[] {"--csv", "a.csv"}));
        assertSame(Preload.NONE, Preload.start(new String[] {"train", "--idx-images=a", "--idx-labels=b"}));
        assertArrayEquals(direct.features(), Preload.NONE.digits().features());
    }

    @Test
    void noArgumentsGiveTheDefaultsThatPicocliWouldGive() {
        Options none = Options.parse();
        Options parsed = Options.parse("train"); // through picocli and its checks
        assertEquals(parsed.command, none.command);
        assertEquals(parsed.epochs, none.epochs);
        assertEquals(parsed.batch, none.batch);
        assertEquals(parsed.lr, none.lr);
        assertEquals(parsed.optimizer, none.optimizer);
        assertArrayEquals(parsed.hidden, none.hidden);
        assertEquals(parsed.seed, none.seed);
        assertEquals(parsed.threads, none.threads);
        assertEquals(parsed.kernels, none.kernels);
        assertEquals(parsed.out, none.out);
        assertEquals(parsed.validation, none.validation);
        assertEquals(parsed.test, none.test);
        assertEquals(parsed.save, none.save);
        assertEquals(parsed.quiet, none.quiet);
        assertEquals(parsed.csv, none.csv);
        assertEquals(parsed.labelColumn, none.labelColumn);
        assertEquals(parsed.csvHeader, none.csvHeader);
        assertEquals(parsed.idxImages, none.idxImages);
        assertEquals(parsed.idxLabels, none.idxLabels);
    }
}

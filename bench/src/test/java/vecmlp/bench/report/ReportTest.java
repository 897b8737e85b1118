package vecmlp.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportTest {

    /** One JMH result entry as JMH 1.37 writes it (trimmed to the fields the report reads, plus a few). */
    private static String entry(String benchmark, String mode, String params, double score, Object error,
                                String unit, String secondary) {
        String err = error instanceof String ? "\"" + error + "\"" : String.valueOf(error);
        return String.format(Locale.ROOT, "{\"jmhVersion\": \"1.37\", \"benchmark\": \"%s\", \"mode\": \"%s\","
                + " \"threads\": 1, \"forks\": 1, \"jvmArgs\": [\"--add-modules\", \"jdk.incubator.vector\"],"
                + " \"jdkVersion\": \"17.0.15\", \"vmName\": \"OpenJDK 64-Bit Server VM\", \"vmVersion\": \"17.0.15+6\","
                + " \"params\": {%s}, \"primaryMetric\": {\"score\": %s, \"scoreError\": %s,"
                + " \"scoreConfidence\": [\"NaN\", \"NaN\"], \"scoreUnit\": \"%s\", \"rawData\": [[1.0, 2.0]]},"
                + " \"secondaryMetrics\": {%s}}", benchmark, mode, params, score, err, unit, secondary);
    }

    private static String metric(String name, double score, String unit) {
        return String.format(Locale.ROOT, "\"%s\": {\"score\": %s, \"scoreError\": \"NaN\", \"scoreUnit\": \"%s\"}",
                name, score, unit);
    }

    private static final String FILE = "[\n"
            + entry("vecmlp.bench.KernelBenchmark.dot", "avgt", "\"impl\": \"scalar\", \"n\": \"1031\"",
                    400.0, 8.0, "ns/op", metric("gc.alloc.rate.norm", 0.01, "B/op")) + ",\n"
            + entry("vecmlp.bench.KernelBenchmark.dot", "avgt", "\"impl\": \"simd\", \"n\": \"1031\"",
                    50.0, "NaN", "ns/op", metric("\u00b7gc.alloc.rate.norm", 0.004, "B/op")) + ",\n"
            + entry("vecmlp.bench.TrainBenchmark.step", "thrpt", "\"impl\": \"scalar\", \"batch\": \"32\"",
                    100.0, 1.0, "ops/s", metric("samples", 3200.0, "ops/s")) + ",\n"
            + entry("vecmlp.bench.TrainBenchmark.step", "thrpt", "\"impl\": \"simd\", \"batch\": \"32\"",
                    400.0, 4.0, "ops/s", metric("samples", 12800.0, "ops/s")) + ",\n"
            + entry("vecmlp.bench.GemmBenchmark.square", "avgt", "\"impl\": \"simd\", \"size\": \"256\"",
                    500.0, 5.0, "us/op", "") + ",\n"
            + entry("vecmlp.bench.GemmBenchmark.square", "avgt", "\"impl\": \"netlib\", \"size\": \"256\"",
                    250.0, 5.0, "us/op", "") + ",\n"
            + entry("vecmlp.bench.GemmBenchmark.square", "avgt", "\"impl\": \"simd\", \"size\": \"512\"",
                    3000.0, 30.0, "us/op", "") + ",\n"
            + entry("vecmlp.bench.GemmBenchmark.square", "avgt", "\"impl\": \"netlib\", \"size\": \"512\"",
                    1500.0, 15.0, "us/op", "") + ",\n"
            + entry("vecmlp.bench.PeakBenchmark.fma", "thrpt", "\"species\": \"preferred\"",
                    100.0, 1.0, "ops/ms", metric("gflop", 0.2, "ops/ms")) + ",\n"
            + entry("vecmlp.bench.GemmOfPeakBenchmark.call", "thrpt", "\"impl\": \"simd\", \"gemm\": \"NN:128x256x784\"",
                    1000.0, 100.0, "ops/s", metric("gemmGflops", 70.0, "ops/s") + ", " + metric("ofPeak", 0.6, "ops/s")
                    + ", " + metric("peakGflops", 116.7, "ops/s")) + "\n"
            + "]";

    private static List<BenchResult> results() {
        return BenchResult.parse(FILE);
    }

    private static BenchResult find(String method, String key, String value) {
        for (BenchResult r : results()) {
            if (r.method().equals(method) && value.equals(r.param(key))) {
                return r;
            }
        }
        throw new AssertionError(method + " " + key + "=" + value);
    }

    @Test
    void parsesTheFieldsTheReportNeeds() {
        List<BenchResult> rs = results();
        assertEquals(10, rs.size());
        BenchResult r = rs.get(1);
        assertEquals("KernelBenchmark", r.className());
        assertEquals("dot", r.method());
        assertEquals("avgt", r.mode());
        assertEquals("simd", r.param("impl"));
        assertEquals("1031", r.param("n"));
        assertNull(r.param("cols"));
        assertEquals(50.0, r.primary().score());
        assertTrue(Double.isNaN(r.primary().error()), "JMH's \"NaN\" error string");
        assertEquals("ns/op", r.primary().unit());
        assertEquals(0.004, r.secondary().get("gc.alloc.rate.norm").score(), "the '·' prefix is dropped");
        assertEquals("17.0.15", r.jdk());
        assertEquals(List.of("--add-modules", "jdk.incubator.vector"), r.jvmArgs());
        assertThrows(IllegalArgumentException.class, () -> BenchResult.parse("{}"));
        assertThrows(IllegalArgumentException.class, () -> BenchResult.parse("[{\"benchmark\": 1}]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchResult.parse("[{\"benchmark\": \"a.B.c\",\n \"primaryMetric\": {\"score\": 1,}}]"));
        assertTrue(e.getMessage().startsWith("not JSON: ") && e.getMessage().contains("line 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BenchResult.parse("[{\"benchmark\": \"a.B.c\", \"primaryMetric\": {\"score\": \"fast\"}}]"));
        assertTrue(e.getMessage().contains("'score': expected a number, got string"), e.getMessage());
        List<BenchResult> odd = BenchResult.parse("[{\"benchmark\": \"a.B.c\", \"primaryMetric\": {\"score\": \"-Infinity\","
                + " \"scoreError\": \"Infinity\", \"scoreUnit\": \"ops/s\"}}]");
        assertEquals(Double.NEGATIVE_INFINITY, odd.get(0).primary().score());
        assertEquals(Double.POSITIVE_INFINITY, odd.get(0).primary().error());
        assertEquals(1, odd.get(0).threads());
    }

    @Test
    void showsNaturalUnits() {
        // gflop counter in ops/ms: 0.2 GFLOP per ms = 200 GFLOP/s
        Report.Shown peak = Report.shown(find("fma", "species", "preferred"));
        assertEquals("GFLOP/s", peak.unit());
        assertEquals(200.0, peak.value(), 1e-9);
        // samples counter
        Report.Shown train = Report.shown(find("step", "impl", "simd"));
        assertEquals("samples/s", train.unit());
        assertEquals(12800.0, train.value(), 1e-9);
        // GEMM from its size: 2·256³ FLOP in 500 µs = 67.108864 GFLOP/s
        Report.Shown gemm = Report.shown(find("square", "impl", "simd"));
        assertEquals("GFLOP/s", gemm.unit());
        assertEquals(2.0 * 256 * 256 * 256 / 500e-6 / 1e9, gemm.value(), 1e-9);
        assertEquals(0.01, gemm.relError(), 1e-12);
        // the GEMM against the FMA peak measured alongside: the ratio, not the calls' FLOPs over their time
        Report.Shown ofPeak = Report.shown(find("call", "impl", "simd"));
        assertEquals(Report.OF_PEAK, ofPeak.unit());
        assertEquals(0.6, ofPeak.value(), 1e-12);
        // anything else keeps JMH's unit
        Report.Shown dot = Report.shown(find("dot", "impl", "scalar"));
        assertEquals("ns/op", dot.unit());
        assertEquals(400.0, dot.value());
        assertEquals(0.02, dot.relError(), 1e-12);
    }

    @Test
    void speedUpIsTimeRatioForTimeAndThroughputRatioForRates() {
        assertEquals("8.0×", Report.speedUp(find("dot", "impl", "scalar"), find("dot", "impl", "simd")));
        assertEquals("4.0×", Report.speedUp(find("step", "impl", "scalar"), find("step", "impl", "simd")));
        assertEquals("", Report.speedUp(null, find("step", "impl", "simd")));
    }

    @Test
    void tableHasOneRowPerPointAndOneColumnPerImplementation() {
        Report.Peak peak = new Report.Peak(100, "given");
        String md = Report.markdown(results(), peak, "Test CPU", Report.CHART);
        assertTrue(md.contains("### KernelBenchmark"), md);
        assertTrue(md.contains("| benchmark | n | unit | scalar | simd | simd/scalar | simd B/op |"), md);
        assertTrue(md.contains("| dot | 1031 | ns/op | 400 ±2% | 50 | 8.0× | 0.00 |"), md);
        assertTrue(md.contains("| step | 32 | samples/s | 3200 | 12800 | 4.0× |"), md);
        // peers side by side; % of a 100 GFLOP/s peak
        assertTrue(md.contains("| benchmark | size | unit | simd | netlib |"), md);
        assertTrue(md.contains("| square | 256 | GFLOP/s | 67.1 ±1% (67%) | 134 ±2% (134%) |"), md);
        assertTrue(md.contains("| square | 512 | GFLOP/s | 89.5 ±1% (89%) | 179 ±1% (179%) |"), md);
        assertTrue(md.contains("netlib peer: `BLAS.getInstance()` is `dev.ludovic.netlib.blas."), md);
        assertTrue(md.contains("| fma | preferred | GFLOP/s | 200 |"), md);
        assertTrue(md.contains("Test CPU"));
        assertTrue(md.contains("100 GFLOP/s, given"));
        assertTrue(md.contains("JDK 17.0.15"));
        assertTrue(md.contains("](gflops.svg)"));
    }

    @Test
    void peakIsFlagThenMeasuredThenComputed(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Test EPYC\ncpu MHz\t\t: 2500.000\n"
                + "processor\t: 1\nmodel name\t: Test EPYC\ncpu MHz\t\t: 3000.000\n");
        assertEquals(123.0, Report.peak(results(), 123.0, null, 32, cpuinfo).gflopsPerCore());
        Report.Peak measured = Report.peak(results(), null, null, 32, cpuinfo);
        assertEquals(200.0, measured.gflopsPerCore(), 1e-9);
        assertTrue(measured.how().contains("measured"));
        // a measured peak under half the computed one (200 < 32 × 15 / 2) is an unwarmed run: ignored
        Report.Peak unwarmed = Report.peak(results(), null, 15.0, 32, cpuinfo);
        assertEquals(480.0, unwarmed.gflopsPerCore(), 1e-9);
        assertTrue(unwarmed.how().contains("ignored"), unwarmed.how());
        List<BenchResult> noPeak = new ArrayList<>(results());
        noPeak.removeIf(r -> r.className().equals("PeakBenchmark"));
        Report.Peak computed = Report.peak(noPeak, null, null, 32, cpuinfo);
        assertEquals(96.0, computed.gflopsPerCore(), 1e-9, "32 FLOP/cycle × the highest clock, 3 GHz");
        assertTrue(computed.how().contains("/proc/cpuinfo"));
        assertEquals(64.0, Report.peak(noPeak, null, 2.0, 32, cpuinfo).gflopsPerCore(), 1e-9);
        assertTrue(Double.isNaN(Report.peak(noPeak, null, null, 32, dir.resolve("absent")).gflopsPerCore()));
        assertEquals("Test EPYC, 2 logical CPUs", Report.cpu(cpuinfo));
    }

    @Test
    void chartHasALinePerImplementationAndIsWellFormedSvg() throws Exception {
        String svg = Report.chart(results(), new Report.Peak(100, "given"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals(2, doc.getElementsByTagName("polyline").getLength(), "simd and netlib");
        assertEquals(4, doc.getElementsByTagName("circle").getLength(), "one marker per point");
        assertTrue(svg.contains(">simd<") && svg.contains(">netlib<"), svg);
        assertTrue(svg.contains("peak"), "the dashed peak line is labelled");
        List<BenchResult> none = new ArrayList<>(results());
        none.removeIf(r -> r.className().equals("GemmBenchmark"));
        assertNull(Report.chart(none, new Report.Peak(100, "given")));
    }

    @Test
    void readsGemmBenchmarksShapeParameterAndGflopsCounter() throws Exception {
        String gemm = "[" + entry("vecmlp.bench.GemmBenchmark.sgemm", "thrpt", "\"impl\": \"simd\", \"gemm\": \"NN:64x64x64\"",
                1, 0, "ops/s", metric("gflops", 50, "ops/s")) + ", "
                + entry("vecmlp.bench.GemmBenchmark.sgemm", "thrpt", "\"impl\": \"simd\", \"gemm\": \"NN:128x128x128\"",
                1, 0, "ops/s", metric("gflops", 70, "ops/s")) + ", "
                + entry("vecmlp.bench.GemmBenchmark.sgemm", "thrpt", "\"impl\": \"simd\", \"gemm\": \"TN:128x128x128\"",
                1, 0, "ops/s", metric("gflops", 60, "ops/s")) + ", "
                + entry("vecmlp.bench.GemmBenchmark.sgemm", "thrpt", "\"impl\": \"simd\", \"gemm\": \"NT:784x256x128\"",
                1, 0, "ops/s", metric("gflops", 65, "ops/s")) + "]";
        List<BenchResult> rs = BenchResult.parse(gemm);
        assertEquals(50.0, Report.shown(rs.get(0)).value(), 1e-12);
        assertEquals("GFLOP/s", Report.shown(rs.get(0)).unit());
        assertEquals(128.0, Report.squareSize(rs.get(1)));
        assertTrue(Double.isNaN(Report.squareSize(rs.get(3))));
        assertEquals(2.0 * 784 * 256 * 128, Report.gemmFlop(rs.get(3)));
        assertEquals("NT", Report.transposes(rs.get(3)));
        String svg = Report.chart(rs, new Report.Peak(100, "given"));
        // NN has two square sizes: one line; TN's lone square point and the non-square NT are not drawn
        assertEquals(1, svg.split("<polyline", -1).length - 1, svg);
        assertTrue(svg.contains(">simd NN<"), svg);
    }

    @Test
    void writesTheReportAndChartFiles(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("result.json");
        Files.writeString(json, FILE);
        Path out = dir.resolve("out");
        Report.main(new String[] {json.toString(), out.toString(), "--peak-gflops", "100"});
        assertTrue(Files.readString(out.resolve(Report.MARKDOWN)).contains("| dot | 1031 |"));
        assertTrue(Files.readString(out.resolve(Report.CHART)).startsWith("<svg"));
    }

    @Test
    void coresComeFromTheThreadsParameterOrTheImplSuffix() {
        String twoThreads = "[" + entry("vecmlp.bench.LayerBenchmark.forward", "thrpt", "\"impl\": \"simd-2t\"",
                1, 0, "ops/s", metric("gflop", 100, "ops/s")) + ", "
                + entry("vecmlp.bench.GemmBenchmark.square", "thrpt", "\"threads\": \"4\", \"size\": \"64\"",
                1, 0, "ops/s", "") + "]";
        List<BenchResult> rs = BenchResult.parse(twoThreads);
        assertEquals(2.0, Report.cores(rs.get(0)));
        assertEquals(4.0, Report.cores(rs.get(1)));
        assertEquals(1.0, Report.cores(find("dot", "impl", "simd")));
        assertEquals("100 (50%)", Report.cell(rs.get(0), new Report.Peak(100, "given")));
    }

    @Test
    void formatsWithThreeSignificantDigits() {
        assertEquals("0.0123", Report.format(0.012345));
        assertEquals("1.23", Report.format(1.2345));
        assertEquals("12.3", Report.format(12.345));
        assertEquals("123", Report.format(123.45));
        assertEquals("12346", Report.format(12345.6));
        assertEquals("2", Report.format(2.0));
        assertEquals("0", Report.format(0));
        assertEquals(5.0, SvgChart.niceStep(4.2));
        assertEquals(20.0, SvgChart.niceStep(12));
        assertEquals(0.1, SvgChart.niceStep(0.1), 1e-15);
    }
}

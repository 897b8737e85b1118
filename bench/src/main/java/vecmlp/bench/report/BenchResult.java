package vecmlp.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of a JMH JSON result file: a benchmark method at one point of its parameter space.
 *
 * @param benchmark the fully qualified name, {@code vecmlp.bench.KernelBenchmark.dot}
 * @param mode      JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param threads   JMH worker threads
 * @param params    the {@code @Param} values, in JMH's order
 * @param primary   the primary score
 * @param secondary secondary metrics by name ({@code gflop}, {@code samples}, {@code gc.alloc.rate.norm}, …)
 * @param jdk       {@code jdkVersion}
 * @param vm        {@code vmName} and {@code vmVersion}
 * @param jmh       {@code jmhVersion}
 * @param jvmArgs   the forked JVM's arguments
 */
public record BenchResult(String benchmark, String mode, int threads, Map<String, String> params, Metric primary,
                          Map<String, Metric> secondary, String jdk, String vm, String jmh, List<String> jvmArgs) {

    /** A score with its error (NaN when JMH had too few samples) and unit, e.g. {@code ns/op}, {@code ops/s}. */
    public record Metric(double score, double error, String unit) {
    }

    /** The simple class name: {@code KernelBenchmark}. */
    public String className() {
        int dot = benchmark.lastIndexOf('.');
        String owner = dot < 0 ? "" : benchmark.substring(0, dot);
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    /** The method name: {@code dot}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** A parameter's value, or {@code null} if the benchmark has no such parameter. */
    public String param(String name) {
        return params.get(name);
    }

    /** Jackson's reader; thread-safe once configured. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a JMH result file ({@code -rf json}) with Jackson's tree model.
     *
     * @throws IllegalArgumentException if the text is not JSON (with Jackson's line and column) or not a JMH
     *                                  result array
     */
    public static List<BenchResult> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("a JMH result file is a JSON array, got " + kind(root));
        }
        List<BenchResult> results = new ArrayList<>();
        for (JsonNode item : root) {
            results.add(of(object(item, "result")));
        }
        return results;
    }

    private static BenchResult of(JsonNode r) {
        String benchmark = string(r, "benchmark");
        Map<String, String> params = new LinkedHashMap<>();
        if (r.hasNonNull("params")) {
            object(r.get("params"), "params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        Metric primary = metric(object(r.get("primaryMetric"), benchmark + ".primaryMetric"));
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (r.hasNonNull("secondaryMetrics")) {
            object(r.get("secondaryMetrics"), "secondaryMetrics").fields().forEachRemaining(e -> {
                // JMH 1.2x prefixed profiler metrics with '·' (·gc.alloc.rate.norm); 1.37 does not.
                String name = e.getKey().startsWith("\u00b7") ? e.getKey().substring(1) : e.getKey();
                secondary.put(name, metric(object(e.getValue(), benchmark + "." + name)));
            });
        }
        List<String> jvmArgs = new ArrayList<>();
        if (r.path("jvmArgs").isArray()) {
            r.get("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
        }
        String vm = (optional(r, "vmName") + " " + optional(r, "vmVersion")).trim();
        return new BenchResult(benchmark, optional(r, "mode"),
                r.hasNonNull("threads") ? (int) number(r.get("threads"), "threads") : 1,
                Collections.unmodifiableMap(params), primary, Collections.unmodifiableMap(secondary),
                optional(r, "jdkVersion"), vm, optional(r, "jmhVersion"), Collections.unmodifiableList(jvmArgs));
    }

    private static Metric metric(JsonNode m) {
        JsonNode error = m.get("scoreError");
        return new Metric(number(m.get("score"), "score"), error == null || error.isNull() ? Double.NaN
                : number(error, "scoreError"), m.path("scoreUnit").asText());
    }

    /** A JSON number, or one of the strings JMH writes for the others: {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. */
    static double number(JsonNode v, String what) {
        if (v != null && v.isNumber()) {
            return v.doubleValue();
        }
        if (v != null && v.isTextual()) {
            switch (v.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("'" + what + "': expected a number, got " + kind(v));
    }

    private static JsonNode object(JsonNode value, String what) {
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException(what + ": expected a JSON object, got " + kind(value));
        }
        return value;
    }

    private static String string(JsonNode m, String key) {
        JsonNode v = m.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + key + "': expected a string, got " + kind(v));
        }
        return v.textValue();
    }

    private static String optional(JsonNode m, String key) {
        JsonNode v = m.get(key);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String kind(JsonNode v) {
        return v == null || v.isMissingNode() ? "nothing" : v.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}

package vecmlp.bench.report;

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

    /**
     * Reads a JMH result file ({@code -rf json}).
     *
     * @throws IllegalArgumentException if the text is not JSON or not a JMH result array
     */
    public static List<BenchResult> parse(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof List)) {
            throw new IllegalArgumentException("a JMH result file is a JSON array, got " + kind(root));
        }
        List<BenchResult> results = new ArrayList<>();
        for (Object item : (List<?>) root) {
            results.add(of(asMap(item, "result")));
        }
        return results;
    }

    private static BenchResult of(Map<String, Object> r) {
        String benchmark = string(r, "benchmark");
        Map<String, String> params = new LinkedHashMap<>();
        Object p = r.get("params");
        if (p != null) {
            for (Map.Entry<String, Object> e : asMap(p, "params").entrySet()) {
                params.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        Metric primary = metric(asMap(r.get("primaryMetric"), benchmark + ".primaryMetric"));
        Map<String, Metric> secondary = new LinkedHashMap<>();
        Object s = r.get("secondaryMetrics");
        if (s != null) {
            for (Map.Entry<String, Object> e : asMap(s, "secondaryMetrics").entrySet()) {
                // JMH 1.2x prefixed profiler metrics with '·' (·gc.alloc.rate.norm); 1.37 does not.
                String name = e.getKey().startsWith("\u00b7") ? e.getKey().substring(1) : e.getKey();
                secondary.put(name, metric(asMap(e.getValue(), benchmark + "." + name)));
            }
        }
        Object threads = r.get("threads");
        List<String> jvmArgs = new ArrayList<>();
        if (r.get("jvmArgs") instanceof List) {
            for (Object a : (List<?>) r.get("jvmArgs")) {
                jvmArgs.add(String.valueOf(a));
            }
        }
        String vm = (optional(r, "vmName") + " " + optional(r, "vmVersion")).trim();
        return new BenchResult(benchmark, optional(r, "mode"),
                threads == null ? 1 : (int) Json.number(threads),
                Collections.unmodifiableMap(params), primary, Collections.unmodifiableMap(secondary),
                optional(r, "jdkVersion"), vm, optional(r, "jmhVersion"), Collections.unmodifiableList(jvmArgs));
    }

    private static Metric metric(Map<String, Object> m) {
        Object error = m.get("scoreError");
        return new Metric(Json.number(m.get("score")), error == null ? Double.NaN : Json.number(error),
                String.valueOf(m.get("scoreUnit")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + ": expected a JSON object, got " + kind(value));
        }
        return (Map<String, Object>) value;
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("'" + key + "': expected a string, got " + kind(v));
        }
        return (String) v;
    }

    private static String optional(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static String kind(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}

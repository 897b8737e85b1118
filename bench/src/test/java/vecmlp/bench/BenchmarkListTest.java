package vecmlp.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * What {@code java -jar benchmarks.jar} needs from every benchmark, checked on the list the annotation
 * processor generated: a fork (the host JVM has no Vector API module), {@code --add-modules
 * jdk.incubator.vector} in that fork, and no incubator type in a field or signature the generated code
 * touches.
 */
class BenchmarkListTest {

    private static List<BenchmarkListEntry> entries() throws Exception {
        try (InputStream in = BenchmarkListTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            assertNotNull(in, "the JMH annotation processor did not run: no " + BenchmarkList.BENCHMARK_LIST);
            return BenchmarkList.readBenchmarkList(in);
        }
    }

    @Test
    void everyBenchmarkForksWithTheVectorModule() throws Exception {
        List<BenchmarkListEntry> entries = entries();
        assertTrue(entries.size() > 10, "benchmarks found: " + entries.size());
        for (BenchmarkListEntry e : entries) {
            String name = e.getUsername();
            assertTrue(e.getForks().hasValue() && e.getForks().get() >= 1, name + " must fork: " + e.getForks());
            List<String> args = new ArrayList<>();
            for (org.openjdk.jmh.util.Optional<Collection<String>> o
                    : List.of(e.getJvmArgs(), e.getJvmArgsPrepend(), e.getJvmArgsAppend())) {
                if (o.hasValue()) {
                    args.addAll(o.get());
                }
            }
            int i = args.indexOf("--add-modules");
            assertTrue(i >= 0 && i + 1 < args.size() && args.get(i + 1).contains("jdk.incubator.vector"),
                    name + " must fork with --add-modules jdk.incubator.vector: " + args);
        }
    }

    @Test
    void noIncubatorTypeInBenchmarkFieldsOrSignatures() throws Exception {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (BenchmarkListEntry e : entries()) {
            Class<?> c = Class.forName(e.getUserClassQName());
            classes.add(c);
            for (Method m : c.getMethods()) {
                for (Class<?> p : m.getParameterTypes()) {
                    classes.add(p); // @State and Blackhole parameters
                }
            }
        }
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                assertFalse(f.getType().getName().startsWith("jdk.incubator."), c.getName() + "." + f.getName()
                        + " is a " + f.getType().getName() + ": the host JVM could not load it");
            }
            for (Method m : c.getDeclaredMethods()) {
                List<Class<?>> types = new ArrayList<>(List.of(m.getParameterTypes()));
                types.add(m.getReturnType());
                for (Class<?> t : types) {
                    assertFalse(t.getName().startsWith("jdk.incubator."), c.getName() + "." + m.getName()
                            + " names " + t.getName());
                }
            }
        }
    }
}

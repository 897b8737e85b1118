package vecmlp.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecmlp.check.GradientDescent;

/** The calculus and xor commands, and the README snippet. */
class CommandsTest {

    private static final double TOL = 1e-6; // central differences on quadratics: error ~ 1e-10

    @Test
    void calculusReproducesMathMdWorkedExamples() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Calculus.Values v = Calculus.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        // A
        assertArrayEquals(new double[] {2, 8}, v.gradientA, TOL);
        assertEquals(Math.sqrt(68), v.normA, TOL);
        assertEquals(0.06, v.linearA, TOL);
        assertEquals(0.0602, v.actualA, 1e-12);
        assertTrue(out.contains("linear prediction grad f . delta = 0.06, actual change f(1.01, 1.005) - f(1, 1) = 0.0602"),
                out);
        // B
        List<GradientDescent.Step> b = v.descentB;
        assertEquals(3, b.size());
        double[][] points = {{0, 0}, {0.6, -0.4}, {1.08, -0.64}};
        double[] values = {11, 6.48, 3.9456};
        for (int s = 0; s < 3; s++) {
            assertArrayEquals(points[s], b.get(s).point(), TOL);
            assertEquals(values[s], b.get(s).value(), TOL);
        }
        assertArrayEquals(new double[] {-6, 4}, b.get(0).gradient(), TOL);
        assertArrayEquals(new double[] {-4.8, 2.4}, b.get(1).gradient(), TOL);
        assertTrue(out.contains("   1 | (0.6, -0.4)    | 6.48    | (-4.8, 2.4)"), out);
        assertTrue(out.contains("   2 | (1.08, -0.64)  | 3.9456  |"), out);
        // C
        assertArrayEquals(new double[] {2, 1}, v.jacobianC[0], TOL);
        assertArrayEquals(new double[] {2, 3}, v.jacobianC[1], TOL);
        assertTrue(out.contains("J = [[2, 1],\n        [2, 3]]"), out);
    }

    @Test
    void xorLearnsTheTruthTable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        float[] y = Xor.run(42, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (int i = 0; i < 4; i++) {
            assertEquals(Xor.TARGETS[i], y[i] > 0.5f ? 1 : 0, out);
            assertTrue(Math.abs(y[i] - Xor.TARGETS[i]) < 0.1, out);
        }
        assertTrue(!out.contains("wrong"), out);
    }

    /** The snippet's lines, between the markers, without the common indentation. */
    static String snippet() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/main/java/vecmlp/examples/UseItInYourCode.java"));
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("// README snippet begin")) {
                from = i + 1;
            } else if (lines.get(i).strip().equals("// README snippet end")) {
                to = i;
            }
        }
        assertTrue(from > 0 && to > from, "markers in UseItInYourCode.java");
        int indent = lines.get(from).length() - lines.get(from).stripLeading().length();
        return lines.subList(from, to).stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void readmeShowsTheCompiledSnippetVerbatim() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String code = snippet();
        assertTrue(readme.contains("```java\n" + code + "\n```"),
                "README.md's \"use it in your code\" block must be exactly the code between the markers of "
                        + "UseItInYourCode.java:\n" + code);
    }

    @Test
    void theSnippetRuns(@TempDir Path dir) throws IOException {
        double[] r = UseItInYourCode.trainAndTest(MainJobTest.digitsCsv(dir));
        assertTrue(r[1] >= 0.95, "test accuracy " + r[1]);
        assertTrue(r[2] > 0.5, "probability of the true class " + r[2]);
    }
}

package vecmlp.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, 0.125E+1, true, false, null], \"b\": {\"c\": \"x\\\"y\\\\z\\u00b5\\n\"},"
                + " \"e\": {}, \"f\": []} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "e", "f"), List.copyOf(m.keySet()), "key order is kept");
        List<?> a = (List<?>) m.get("a");
        assertEquals(1.0, a.get(0));
        assertEquals(-2500.0, a.get(1));
        assertEquals(1.25, a.get(2));
        assertEquals(Boolean.TRUE, a.get(3));
        assertEquals(Boolean.FALSE, a.get(4));
        assertNull(a.get(5));
        assertEquals("x\"y\\z\u00b5\n", ((Map<?, ?>) m.get("b")).get("c"));
        assertTrue(((Map<?, ?>) m.get("e")).isEmpty());
        assertTrue(((List<?>) m.get("f")).isEmpty());
    }

    @Test
    void readsJmhNonFiniteNumbers() {
        assertTrue(Double.isNaN(Json.number("NaN")));
        assertEquals(Double.POSITIVE_INFINITY, Json.number("Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, Json.number("-Infinity"));
        assertEquals(3.5, Json.number(3.5));
        assertThrows(IllegalArgumentException.class, () -> Json.number("3.5"));
    }

    @Test
    void rejectsMalformedInputWithTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2,]"));
        assertTrue(e.getMessage().contains("offset 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("-"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1."));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("tru"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\q\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
    }
}

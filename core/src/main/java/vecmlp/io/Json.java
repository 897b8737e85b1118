package vecmlp.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and writer for safetensors headers. Kept instead of a JSON library
 * (the bench report reads JMH's files with Jackson) for two reasons: the core has no dependencies, and this
 * reader bounds what a hostile model file can make us do: the header's length is checked before it is read,
 * nesting is capped, numbers stay text until asked for, so no input can make it allocate or recurse beyond
 * what the header's own size allows.
 *
 * <p>Reading maps an object to a {@link LinkedHashMap} (keys in file order, a duplicate key is an error, as
 * the safetensors specification says), an array to an {@link ArrayList}, a string to {@link String}, a
 * number to {@link Num} (its text, so a forged {@code 1e999999999} is never expanded), {@code true} /
 * {@code false} to {@link Boolean} and {@code null} to {@link #NULL}. Nesting is limited to
 * {@value #MAX_DEPTH} levels, so no input can overflow the stack. Every syntax error is a
 * {@link ModelFormatException} naming the character position. Stateless; safe from any thread.
 */
final class Json {

    /** Deepest nesting of arrays and objects accepted. A safetensors header needs 3. */
    static final int MAX_DEPTH = 64;

    /** The JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A JSON number, kept as its text. */
    static final class Num {
        final String text;

        Num(String text) {
            this.text = text;
        }

        /**
         * The value if it is written as a non-negative integer without fraction or exponent that fits a
         * {@code long} ({@code 0}, {@code 24}), else -1.
         */
        long nonNegativeLong() {
            int n = text.length();
            if (n == 0 || n > 19 || (n > 1 && text.charAt(0) == '0')) {
                return -1;
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                try {
                    v = Math.addExact(Math.multiplyExact(v, 10L), c - '0');
                } catch (ArithmeticException tooLarge) {
                    return -1;
                }
            }
            return v;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final String s;
    private final String what;
    private int pos;

    private Json(String s, String what) {
        this.s = s;
        this.what = what;
    }

    /**
     * Parses one JSON value that fills {@code text} (whitespace around it allowed).
     *
     * @param what names the text in error messages, e.g. {@code "header"}
     * @throws ModelFormatException at the first character that breaks the grammar
     */
    static Object parse(String text, String what) throws ModelFormatException {
        Json p = new Json(text, what);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("end of JSON", describe(text.charAt(p.pos)));
        }
        return v;
    }

    private ModelFormatException error(String expected, String found) {
        return new ModelFormatException(what + " JSON at character " + pos, expected, found);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private String foundHere() {
        return pos < s.length() ? describe(s.charAt(pos)) : "end of text";
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private Object value(int depth) throws ModelFormatException {
        if (pos >= s.length()) {
            throw error("a JSON value", "end of text");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("a JSON value", describe(c));
        }
    }

    private Object literal(String word, Object v) throws ModelFormatException {
        if (!s.startsWith(word, pos)) {
            throw error("'" + word + "'", foundHere());
        }
        pos += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) throws ModelFormatException {
        if (depth > MAX_DEPTH) {
            throw error("nesting of at most " + MAX_DEPTH + " levels", "deeper nesting");
        }
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw error("a '\"' opening an object key", foundHere());
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            if (pos >= s.length() || s.charAt(pos) != ':') {
                throw error("':' after an object key", foundHere());
            }
            pos++;
            skipWhitespace();
            Object v = value(depth);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("no duplicate keys", "a second key \"" + key + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
                continue;
            }
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return map;
            }
            throw error("',' or '}' in an object", foundHere());
        }
    }

    private List<Object> array(int depth) throws ModelFormatException {
        if (depth > MAX_DEPTH) {
            throw error("nesting of at most " + MAX_DEPTH + " levels", "deeper nesting");
        }
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
                continue;
            }
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            throw error("',' or ']' in an array", foundHere());
        }
    }

    private String string() throws ModelFormatException {
        pos++; // opening quote
        StringBuilder b = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) {
                throw error("a closing '\"'", "end of text");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                String out = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) {
                throw error("no unescaped control character in a string", describe(c));
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(s, start, pos);
            pos++;
            if (pos >= s.length()) {
                throw error("an escape character", "end of text");
            }
            char e = s.charAt(pos);
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u': {
                    char u = hex4(pos + 1);
                    pos += 4;
                    if (Character.isHighSurrogate(u)) {
                        if (!s.startsWith("\\u", pos + 1)) {
                            pos++;
                            throw error("a \\u escape of a low surrogate after a high one", foundHere());
                        }
                        char low = hex4(pos + 3);
                        if (!Character.isLowSurrogate(low)) {
                            pos++;
                            throw error("a low surrogate after a high one", String.format("\\u%04X", (int) low));
                        }
                        b.append(u).append(low);
                        pos += 6;
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("no lone low surrogate", String.format("\\u%04X", (int) u));
                    } else {
                        b.append(u);
                    }
                    break;
                }
                default:
                    throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", "\\" + describe(e));
            }
            pos++;
            start = pos;
        }
    }

    private char hex4(int at) throws ModelFormatException {
        if (at + 4 > s.length()) {
            pos = Math.min(at, s.length());
            throw error("4 hex digits", "end of text");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char c = s.charAt(at + i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                pos = at + i;
                throw error("a hex digit", describe(s.charAt(at + i)));
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Num number() throws ModelFormatException {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (pos < s.length() && s.charAt(pos) == '0') {
            pos++;
        } else if (!digits()) {
            throw error("a digit", foundHere());
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            if (!digits()) {
                throw error("a digit after '.'", foundHere());
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (!digits()) {
                throw error("a digit in the exponent", foundHere());
            }
        }
        return new Num(s.substring(start, pos));
    }

    private boolean digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Appends {@code value} as compact JSON: a {@link Map} with string keys (in its iteration order), a
     * {@link List}, a {@link String}, or an integral {@link Long} / {@link Integer}.
     *
     * @throws IllegalArgumentException for another type, or a string holding an unpaired surrogate (it has
     *                                  no UTF-8 form)
     */
    static StringBuilder write(StringBuilder out, Object value) {
        if (value instanceof String) {
            writeString(out, (String) value);
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, (String) e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object o : (List<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, o);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write as JSON: " + value);
        }
        return out;
    }

    private static void writeString(StringBuilder out, String v) {
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                    out.append(c).append(v.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException("string has an unpaired surrogate at index " + i + ": \"" + v + "\"");
            }
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}

package io.jsplice.model.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON codec (RFC 8259) for update descriptors, the agent's control protocol and
 * the CLI's {@code --json} output.
 *
 * <p>It lives here rather than behind a library because the agent carries it into other people's
 * JVMs, where every dependency is weight and a possible clash. Values map to Java as: object to
 * {@code Map<String, Object>} (insertion ordered), array to {@code List<Object>}, string to {@code
 * String}, integral number to {@code Long}, other number to {@code BigDecimal}, {@code true/false}
 * to {@code Boolean}, {@code null} to {@code null}. Parsing rejects trailing data, duplicate keys
 * and nesting deeper than {@value #MAX_DEPTH} with a {@link JsonException} that names the offset.
 */
public final class Json {
  static final int MAX_DEPTH = 64;

  private Json() {}

  /** Parses one JSON value from {@code text}. */
  public static Object parse(String text) {
    Parser parser = new Parser(text);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected data after the JSON value");
    }
    return value;
  }

  /** Parses a JSON object; fails if the text holds any other kind of value. */
  @SuppressWarnings("unchecked")
  public static JsonObject parseObject(String text) {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new JsonException("expected a JSON object");
    }
    return new JsonObject((Map<String, Object>) value, "$");
  }

  /** Writes {@code value} compactly. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    new Writer(out, null).value(value, 0);
    return out.toString();
  }

  /** Writes {@code value} indented by two spaces, for files people read. */
  public static String writePretty(Object value) {
    StringBuilder out = new StringBuilder();
    new Writer(out, "  ").value(value, 0);
    return out.append('\n').toString();
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("JSON nested deeper than " + MAX_DEPTH);
      }
      if (pos >= text.length()) {
        throw error("unexpected end of JSON");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    private Map<String, Object> object(int depth) {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("expected a string key");
        }
        int keyAt = pos;
        String key = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        Object value = value(depth + 1);
        if (map.containsKey(key)) {
          pos = keyAt;
          throw error("duplicate key \"" + key + "\"");
        }
        map.put(key, value);
        skipWhitespace();
        char c = next();
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array(int depth) {
      List<Object> list = new ArrayList<>();
      pos++;
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWhitespace();
        list.add(value(depth + 1));
        skipWhitespace();
        char c = next();
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("control character in string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw error("truncated \\u escape");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            pos += 4;
          }
          default -> {
            pos--;
            throw error("bad escape '\\" + e + "'");
          }
        }
      }
    }

    private Object number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
      } else {
        digits();
      }
      boolean integral = true;
      if (peek() == '.') {
        integral = false;
        pos++;
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        integral = false;
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        digits();
      }
      String token = text.substring(start, pos);
      if (integral) {
        try {
          return Long.parseLong(token);
        } catch (NumberFormatException tooLarge) {
          return new BigDecimal(token);
        }
      }
      return new BigDecimal(token);
    }

    private void digits() {
      int start = pos;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      if (pos == start) {
        throw error("expected a digit");
      }
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("unexpected token");
      }
      pos += word.length();
      return value;
    }

    void skipWhitespace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
      if (pos >= text.length()) {
        throw error("unexpected end of JSON");
      }
      return text.charAt(pos++);
    }

    private void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }

    JsonException error(String what) {
      return new JsonException(what + " at offset " + pos);
    }
  }

  private static final class Writer {
    private final StringBuilder out;
    private final String indent; // null: compact

    Writer(StringBuilder out, String indent) {
      this.out = out;
      this.indent = indent;
    }

    void value(Object value, int depth) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof String s) {
        string(s);
      } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
        out.append(value);
      } else if (value instanceof Number n) {
        number(n);
      } else if (value instanceof Map<?, ?> map) {
        object(map, depth);
      } else if (value instanceof Iterable<?> list) {
        array(list, depth);
      } else if (value instanceof Enum<?> e) {
        string(e.name());
      } else if (value instanceof JsonWritable w) {
        value(w.toJson(), depth);
      } else {
        throw new JsonException("cannot write a " + value.getClass().getName() + " as JSON");
      }
    }

    private void number(Number n) {
      if (n instanceof Double d && (d.isNaN() || d.isInfinite())
          || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
        throw new JsonException("JSON has no representation for " + n);
      }
      out.append(n instanceof BigDecimal b ? b.toString() : n.toString());
    }

    private void object(Map<?, ?> map, int depth) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new JsonException("JSON object keys must be strings: " + entry.getKey());
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(depth + 1);
        string(key);
        out.append(indent == null ? ":" : ": ");
        value(entry.getValue(), depth + 1);
      }
      newline(depth);
      out.append('}');
    }

    private void array(Iterable<?> list, int depth) {
      if (!list.iterator().hasNext()) {
        out.append("[]");
        return;
      }
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(depth + 1);
        value(item, depth + 1);
      }
      newline(depth);
      out.append(']');
    }

    private void newline(int depth) {
      if (indent != null) {
        out.append('\n').append(String.join("", Collections.nCopies(depth, indent)));
      }
    }

    private void string(String s) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          default -> {
            if (c < 0x20 || c == '\u2028' || c == '\u2029') {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }
}

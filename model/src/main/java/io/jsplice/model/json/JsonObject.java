package io.jsplice.model.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object: what {@link Json} parses an object to and what the codecs build, so that no
 * untyped map travels between the JSON library and its users.
 *
 * <p>Typed, checked access: a missing or mistyped field fails with a {@link JsonException} naming
 * the field's path, so that a malformed descriptor or request is reported precisely instead of as a
 * {@code ClassCastException}. Immutable: {@link #with} and {@link #withMissing} return a new
 * object. Fields keep their order.
 */
public final class JsonObject implements JsonWritable {
  private static final JsonObject EMPTY = new JsonObject(Map.of(), "$");

  /** Values as {@link Json} parses them; nested objects may also be {@code JsonObject}s. */
  private final Map<String, Object> map;

  private final String path;

  JsonObject(Map<String, Object> map, String path) {
    this.map = Collections.unmodifiableMap(map);
    this.path = path;
  }

  public static JsonObject parse(String text) {
    return Json.parseObject(text);
  }

  /** An object with no field. */
  public static JsonObject empty() {
    return EMPTY;
  }

  /**
   * An object of {@code fields}, in their order; for codecs. Values must be what {@link Json#write}
   * writes.
   */
  public static JsonObject of(Map<String, ?> fields) {
    return new JsonObject(new LinkedHashMap<>(fields), "$");
  }

  /** This object with {@code key} set to {@code value}: in its place if present, else last. */
  public JsonObject with(String key, Object value) {
    Map<String, Object> next = new LinkedHashMap<>(map);
    next.put(key, value);
    return new JsonObject(next, path);
  }

  /** This object followed by the fields of {@code other} that it does not have. */
  public JsonObject withMissing(JsonObject other) {
    Map<String, Object> next = new LinkedHashMap<>(map);
    // A loop, not a method reference: the agent writes every reply through here, and a lambda's
    // class is spun at its first use in the JVM the agent was attached to.
    for (Map.Entry<String, Object> field : other.map.entrySet()) {
      next.putIfAbsent(field.getKey(), field.getValue());
    }
    return new JsonObject(next, path);
  }

  /** The field names, in order. */
  public List<String> keys() {
    return List.copyOf(map.keySet());
  }

  /** The value of {@code key} as parsed (null when absent), for a reader that checks its type. */
  public Object value(String key) {
    Object value = map.get(key);
    return value instanceof JsonObject o ? o.map : value;
  }

  @Override
  public Object toJson() {
    return map;
  }

  public boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  public String string(String key) {
    return require(key, String.class);
  }

  /** May return null. */
  public String optString(String key) {
    return optional(key, String.class);
  }

  public long number(String key) {
    return require(key, Long.class);
  }

  public long optNumber(String key, long fallback) {
    Long value = optional(key, Long.class);
    return value == null ? fallback : value;
  }

  public boolean bool(String key, boolean fallback) {
    Boolean value = optional(key, Boolean.class);
    return value == null ? fallback : value;
  }

  public JsonObject object(String key) {
    JsonObject value = optObject(key);
    if (value == null) {
      throw new JsonException(path + "." + key + " is missing");
    }
    return value;
  }

  /** May return null. */
  public JsonObject optObject(String key) {
    Object value = map.get(key);
    if (value instanceof JsonObject built) {
      return new JsonObject(built.map, path + "." + key);
    }
    return value == null ? null : nested(optional(key, Map.class), path + "." + key);
  }

  /** An absent list reads as empty. */
  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    List<?> list = optional(key, List.class);
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String s)) {
          throw new JsonException(path + "." + key + "[" + i + "] must be a string");
        }
        out.add(s);
      }
    }
    return out;
  }

  /** An absent list reads as empty. */
  public List<JsonObject> objects(String key) {
    List<JsonObject> out = new ArrayList<>();
    List<?> list = optional(key, List.class);
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        String at = path + "." + key + "[" + i + "]";
        if (list.get(i) instanceof JsonObject built) {
          out.add(new JsonObject(built.map, at));
        } else if (list.get(i) instanceof Map<?, ?> m) {
          out.add(nested(m, at));
        } else {
          throw new JsonException(at + " must be an object");
        }
      }
    }
    return out;
  }

  /** The fields as an unmodifiable map, for tests and messages; nested objects may be maps. */
  public Map<String, Object> asMap() {
    return map;
  }

  @SuppressWarnings("unchecked")
  private static JsonObject nested(Map<?, ?> parsed, String path) {
    return new JsonObject((Map<String, Object>) parsed, path);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonObject o && map.equals(o.map);
  }

  @Override
  public int hashCode() {
    return map.hashCode();
  }

  @Override
  public String toString() {
    return Json.write(this);
  }

  private <T> T require(String key, Class<T> type) {
    T value = optional(key, type);
    if (value == null) {
      throw new JsonException(path + "." + key + " is missing");
    }
    return value;
  }

  private <T> T optional(String key, Class<T> type) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new JsonException(
          path + "." + key + " must be a " + type.getSimpleName().toLowerCase() + ", not " + value);
    }
    return type.cast(value);
  }
}

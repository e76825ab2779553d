package io.jsplice.model.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed, checked access to a parsed JSON object. A missing or mistyped field fails with a {@link
 * JsonException} naming the field's path, so that a malformed descriptor or request is reported
 * precisely instead of as a {@code ClassCastException}.
 */
public final class JsonObject {
  private final Map<String, Object> map;
  private final String path;

  public JsonObject(Map<String, Object> map, String path) {
    this.map = map;
    this.path = path;
  }

  public static JsonObject parse(String text) {
    return new JsonObject(Json.parseObject(text), "$");
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

  @SuppressWarnings("unchecked")
  public JsonObject object(String key) {
    return new JsonObject(require(key, Map.class), path + "." + key);
  }

  /** May return null. */
  @SuppressWarnings("unchecked")
  public JsonObject optObject(String key) {
    Map<String, Object> value = optional(key, Map.class);
    return value == null ? null : new JsonObject(value, path + "." + key);
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
  @SuppressWarnings("unchecked")
  public List<JsonObject> objects(String key) {
    List<JsonObject> out = new ArrayList<>();
    List<?> list = optional(key, List.class);
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map<?, ?> m)) {
          throw new JsonException(path + "." + key + "[" + i + "] must be an object");
        }
        out.add(new JsonObject((Map<String, Object>) m, path + "." + key + "[" + i + "]"));
      }
    }
    return out;
  }

  public Map<String, Object> asMap() {
    return map;
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

package io.jsplice.model.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps records to the values of {@link Json} and back, so that what crosses a process boundary or
 * is kept in a file (a protocol message, an update's descriptor, a service record) is declared
 * once, as a record, and read back typed.
 *
 * <p>A record becomes a JSON object with one field per component, in declaration order, named as
 * the component (or by {@link JsonName}). Supported component types: {@code String}, {@code
 * boolean}, {@code int}, {@code long}, {@code double} and their boxes, enums (by {@link
 * Enum#name()}), {@link Instant} (ISO-8601, as {@link Instant#toString()}), nested records, {@code
 * List<T>}, {@code Set<T>} (an array in the set's order) and {@code Map<String, T>} of any of
 * these, and {@link JsonObject} for a part whose form another codec owns (an update's descriptor).
 *
 * <p>Reading is strict about types and lenient about presence, so that a newer peer can add fields:
 * unknown fields are ignored; an absent or null field reads as null for a reference type, as an
 * empty list, set or map for a list, set or map, and fails for a primitive (a {@code boolean}
 * marked {@link JsonOmitEmpty} reads as false). A value of the wrong type, an enum constant this
 * side does not know, an out-of-range number or a null list element fails with a {@link
 * JsonException} that names the field's path ({@code $.updates[2].verdict}).
 *
 * <p>Writing writes every component, null ones as {@code null}, except empty ones marked {@link
 * JsonOmitEmpty}. Lists, sets and maps read back are unmodifiable.
 *
 * <p>Thread-safe; the reflective view of each record type is computed once.
 */
public final class RecordCodec {
  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return Shape.of(type);
        }
      };

  private RecordCodec() {}

  /** {@code record} as a JSON object. */
  public static JsonObject toJson(Record record) {
    return JsonObject.of(fields(record));
  }

  /** {@code record}'s fields, in order, as JSON values. */
  private static Map<String, Object> fields(Record record) {
    Shape shape = SHAPES.get(record.getClass());
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < shape.components.length; i++) {
      Object value;
      try {
        value = shape.components[i].getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + shape.components[i], e);
      }
      if (!(shape.omitEmpty[i] && isEmpty(value))) {
        out.put(shape.names[i], write(value));
      }
    }
    return out;
  }

  private static boolean isEmpty(Object value) {
    return value == null
        || Boolean.FALSE.equals(value)
        || value instanceof Collection<?> c && c.isEmpty()
        || value instanceof Map<?, ?> m && m.isEmpty();
  }

  /** Any supported value (a record, list, set, map, enum, instant or scalar) as a JSON value. */
  public static Object write(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof Record record) {
      return fields(record);
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    if (value instanceof Enum<?> constant) {
      return constant.name();
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof List<?> || value instanceof Set<?>) {
      Collection<?> items = (Collection<?>) value;
      List<Object> out = new ArrayList<>(items.size());
      items.forEach(item -> out.add(write(item)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((key, item) -> out.put((String) key, write(item)));
      return out;
    }
    throw new IllegalArgumentException(
        "a " + value.getClass().getName() + " has no JSON form in the record codec");
  }

  /**
   * Reads a {@code type}, which must be a record type, from a parsed JSON object.
   *
   * @param path where {@code json} is, for messages: {@code $} for a whole message
   * @throws JsonException if a field is missing or of the wrong type; the message names it
   */
  public static <T> T fromJson(JsonObject json, Class<T> type, String path) {
    return type.cast(readRecord(json, type, path));
  }

  private static Object readRecord(Object json, Class<?> type, String path) {
    if (json instanceof JsonObject object) {
      json = object.asMap();
    }
    if (!(json instanceof Map<?, ?> map)) {
      throw new JsonException(path + " must be an object, not " + describe(json));
    }
    Shape shape = SHAPES.get(type);
    Object[] args = new Object[shape.components.length];
    for (int i = 0; i < args.length; i++) {
      String name = shape.names[i];
      Object value = map.get(name);
      if (value == null && shape.omitEmpty[i] && shape.components[i].getType() == boolean.class) {
        args[i] = false;
      } else {
        args[i] = read(value, shape.components[i].getGenericType(), path + "." + name);
      }
    }
    try {
      return shape.constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      // The record's own validation refused the values; Objects.requireNonNull(x, "x") names one.
      if (e.getCause() instanceof NullPointerException npe
          && Arrays.asList(shape.names).contains(npe.getMessage())) {
        throw new JsonException(path + "." + npe.getMessage() + " is missing");
      }
      throw new JsonException(
          path + " is not a valid " + type.getSimpleName() + ": " + e.getCause());
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot construct " + type.getName(), e);
    }
  }

  private static Object read(Object json, Type type, String path) {
    Class<?> raw = raw(type);
    if (raw == JsonObject.class && json != null) {
      return json instanceof JsonObject object ? object : object(expect(json, Map.class, path));
    }
    if (json instanceof JsonObject object) {
      json = object.asMap();
    }
    if (json == null) {
      if (raw == List.class) {
        return List.of();
      }
      if (raw == Set.class) {
        return Set.of();
      }
      if (raw == Map.class) {
        return Map.of();
      }
      if (raw.isPrimitive()) {
        throw new JsonException(path + " is missing");
      }
      return null;
    }
    if (raw == String.class) {
      return expect(json, String.class, path);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return expect(json, Boolean.class, path);
    }
    if (raw == long.class || raw == Long.class) {
      return integral(json, path);
    }
    if (raw == int.class || raw == Integer.class) {
      long value = integral(json, path);
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new JsonException(path + " is out of range: " + value);
      }
      return (int) value;
    }
    if (raw == double.class || raw == Double.class) {
      if (json instanceof Long || json instanceof Integer || json instanceof Double) {
        return ((Number) json).doubleValue();
      }
      return expect(json, BigDecimal.class, path).doubleValue();
    }
    if (raw.isEnum()) {
      return constant(raw, expect(json, String.class, path), path);
    }
    if (raw == Instant.class) {
      String text = expect(json, String.class, path);
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new JsonException(path + " is not an ISO-8601 instant: " + describe(text));
      }
    }
    if (raw.isRecord()) {
      return readRecord(json, raw, path);
    }
    if (raw == List.class) {
      return Collections.unmodifiableList(items(json, type, path));
    }
    if (raw == Set.class) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(items(json, type, path)));
    }
    if (raw == Map.class) {
      if (argument(type, 0) != String.class) {
        throw new IllegalArgumentException(path + ": only maps with String keys have a JSON form");
      }
      Type item = argument(type, 1);
      Map<?, ?> map = expect(json, Map.class, path);
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String at = path + "." + entry.getKey();
        if (entry.getValue() == null) {
          throw new JsonException(at + " is null");
        }
        out.put((String) entry.getKey(), read(entry.getValue(), item, at));
      }
      return Collections.unmodifiableMap(out);
    }
    throw new IllegalArgumentException(
        path + ": a " + type + " has no JSON form in the record codec");
  }

  /** The items of the array {@code json} as those of the list or set {@code type}. */
  private static List<Object> items(Object json, Type type, String path) {
    Type item = argument(type, 0);
    List<?> list = expect(json, List.class, path);
    List<Object> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      if (list.get(i) == null) {
        throw new JsonException(at + " is null");
      }
      out.add(read(list.get(i), item, at));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static JsonObject object(Map<?, ?> parsed) {
    return JsonObject.of((Map<String, ?>) parsed);
  }

  /**
   * A parsed integer is a Long; an object built in memory ({@link #toJson}) may hold an Integer.
   */
  private static long integral(Object json, String path) {
    if (json instanceof Integer i) {
      return i;
    }
    return expect(json, Long.class, path);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object constant(Class<?> type, String name, String path) {
    try {
      return Enum.valueOf((Class) type, name);
    } catch (IllegalArgumentException e) {
      throw new JsonException(
          path
              + " is '"
              + name
              + "', not one of "
              + Arrays.toString(type.getEnumConstants())
              + " (is the peer newer?)");
    }
  }

  private static <T> T expect(Object json, Class<T> type, String path) {
    if (!type.isInstance(json)) {
      String expected =
          type == Long.class
              ? "an integer"
              : type == BigDecimal.class ? "a number" : "a " + type.getSimpleName().toLowerCase();
      throw new JsonException(path + " must be " + expected + ", not " + describe(json));
    }
    return type.cast(json);
  }

  private static String describe(Object json) {
    if (json instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    if (json instanceof Map) {
      return "an object";
    }
    if (json instanceof List) {
      return "an array";
    }
    return String.valueOf(json);
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalArgumentException(type + " has no JSON form in the record codec");
  }

  private static Type argument(Type type, int index) {
    if (!(type instanceof ParameterizedType p)) {
      throw new IllegalArgumentException("raw " + type + " has no JSON form in the record codec");
    }
    return p.getActualTypeArguments()[index];
  }

  /**
   * A record type's components, their JSON names, which are left out when empty, and its canonical
   * constructor.
   */
  private static final class Shape {
    final RecordComponent[] components;
    final String[] names;
    final boolean[] omitEmpty;
    final Constructor<?> constructor;

    private Shape(
        RecordComponent[] components,
        String[] names,
        boolean[] omitEmpty,
        Constructor<?> constructor) {
      this.components = components;
      this.names = names;
      this.omitEmpty = omitEmpty;
      this.constructor = constructor;
    }

    static Shape of(Class<?> type) {
      if (!type.isRecord()) {
        throw new IllegalArgumentException(type.getName() + " is not a record");
      }
      RecordComponent[] components = type.getRecordComponents();
      String[] names = new String[components.length];
      boolean[] omitEmpty = new boolean[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        JsonName name = components[i].getAnnotation(JsonName.class);
        names[i] = name == null ? components[i].getName() : name.value();
        omitEmpty[i] = components[i].isAnnotationPresent(JsonOmitEmpty.class);
        types[i] = components[i].getType();
        components[i].getAccessor().setAccessible(true);
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return new Shape(components, names, omitEmpty, constructor);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
      }
    }
  }
}

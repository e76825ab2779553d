package io.jsplice.model.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps records to the values of {@link Json} and back, so that what crosses a process boundary or
 * is kept in a file (a protocol message, an update's descriptor, a service record) is declared
 * once, as a record, and read back typed.
 *
 * <p>A record becomes a JSON object with one field per component, in declaration order, named as
 * the component (or as {@link #declareName} says). Supported component types: {@code String},
 * {@code boolean}, {@code int}, {@code long}, {@code double} and their boxes, enums (by {@link
 * Enum#name()}), {@link Instant} (ISO-8601, as {@link Instant#toString()}), nested records, {@code
 * List<T>}, {@code Set<T>} (an array in the set's order) and {@code Map<String, T>} of any of
 * these, and {@link JsonObject} for a part whose form another codec owns (an update's descriptor).
 *
 * <p>Reading is strict about types and lenient about presence, so that a newer peer can add fields:
 * unknown fields are ignored; an absent or null field reads as null for a reference type, as an
 * empty list, set or map for a list, set or map, and fails for a primitive (a {@code boolean}
 * declared {@link #declareOmitEmpty omit-empty} reads as false). A value of the wrong type, an enum
 * constant this side does not know, an out-of-range number or a null list element fails with a
 * {@link JsonException} that names the field's path ({@code $.updates[2].verdict}).
 *
 * <p>Writing writes every component, null ones as {@code null}, except empty ones declared {@link
 * #declareOmitEmpty omit-empty}. Lists, sets and maps read back are unmodifiable.
 *
 * <p>A record declares its JSON names and omit-empty components in its static initializer, which
 * the codec runs before it first maps the type. Not as annotations: reading a component's
 * annotations makes the JVM parse them and generate a proxy class per annotation type (and for
 * their {@code @Retention} and {@code @Target}), and the generic types of components are read from
 * their signatures here, not through reflection's generic types: those are about a hundred of the
 * JDK's classes that an agent attached to answer one apply would otherwise load into the target.
 *
 * <p>A record is built and read through its {@link RecordForm}, code written for it at build time,
 * and reflectively only when it has none: on JDK 18+ each reflective call shape spins method-handle
 * classes on first use, which an agent would pay in someone else's JVM.
 *
 * <p>Thread-safe; the view of each record type (components, their generic types, accessors and
 * canonical constructor) is computed once.
 */
public final class RecordCodec {
  private static final ClassValue<Shape> SHAPES =
      new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
          return Shape.of(type);
        }
      };

  /** What records declared in their static initializers, by record type. */
  private static final Map<Class<?>, Declared> DECLARED = new ConcurrentHashMap<>();

  private RecordCodec() {}

  /**
   * Declares that the JSON field of {@code type}'s component {@code component} is named {@code
   * jsonName}, for a component whose Java name cannot be the wire name, e.g. {@code class}. Called
   * from the record's static initializer.
   */
  public static void declareName(Class<? extends Record> type, String component, String jsonName) {
    declared(type).names.put(component, jsonName);
  }

  /**
   * Declares that {@code type}'s {@code components} are left out of the JSON object when they are
   * empty: null, {@code false}, or an empty list, set or map; reading an absent one gives that
   * empty value. For a field a format gained later, so that what is written without it stays what
   * readers of the older format read, byte for byte. Called from the record's static initializer.
   */
  public static void declareOmitEmpty(Class<? extends Record> type, String... components) {
    declared(type).omitEmpty.addAll(Arrays.asList(components));
  }

  private static Declared declared(Class<?> type) {
    Declared fresh = new Declared();
    Declared earlier = DECLARED.putIfAbsent(type, fresh);
    return earlier == null ? fresh : earlier;
  }

  /** {@code record} as a JSON object. */
  public static JsonObject toJson(Record record) {
    return JsonObject.of(fields(record));
  }

  /** {@code record}'s fields, in order, as JSON values. */
  private static Map<String, Object> fields(Record record) {
    Shape shape = SHAPES.get(record.getClass());
    Object[] values = shape.components(record);
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
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
      return IsoInstant.format(instant);
    }
    if (value instanceof List<?> || value instanceof Set<?>) {
      Collection<?> items = (Collection<?>) value;
      List<Object> out = new ArrayList<>(items.size());
      for (Object item : items) {
        out.add(write(item));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.put((String) entry.getKey(), write(entry.getValue()));
      }
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
      if (value == null && shape.omitEmpty[i] && shape.types[i].raw == boolean.class) {
        args[i] = false;
      } else {
        args[i] = read(value, shape.types[i], path + "." + name);
      }
    }
    Throwable refusal;
    if (shape.form != null) {
      try {
        return shape.form.construct(args);
      } catch (RuntimeException e) {
        refusal = e;
      }
    } else {
      try {
        return shape.constructor.newInstance(args);
      } catch (InvocationTargetException e) {
        refusal = e.getCause();
      } catch (InstantiationException | IllegalAccessException e) {
        throw new IllegalStateException("cannot construct " + type.getName(), e);
      }
    }
    // The record's own validation refused the values; Objects.requireNonNull(x, "x") names one.
    if (refusal instanceof NullPointerException npe
        && Arrays.asList(shape.names).contains(npe.getMessage())) {
      throw new JsonException(path + "." + npe.getMessage() + " is missing");
    }
    throw new JsonException(path + " is not a valid " + type.getSimpleName() + ": " + refusal);
  }

  private static Object read(Object json, FieldType type, String path) {
    type.checkReadable(path);
    Class<?> raw = type.raw;
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
      Instant instant = IsoInstant.parse(text);
      if (instant == null) {
        throw new JsonException(path + " is not an ISO-8601 instant: " + describe(text));
      }
      return instant;
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
      if (type.argument(0).raw != String.class) {
        throw new IllegalArgumentException(path + ": only maps with String keys have a JSON form");
      }
      FieldType item = type.argument(1);
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
  private static List<Object> items(Object json, FieldType type, String path) {
    FieldType item = type.argument(0);
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

  /** A record's JSON names and omit-empty components, as its static initializer declared them. */
  private static final class Declared {
    final Map<String, String> names = new ConcurrentHashMap<>();
    final Set<String> omitEmpty = ConcurrentHashMap.newKeySet();
  }

  /**
   * A record type's components, their generic types, their JSON names, which are left out when
   * empty, and either its generated {@link RecordForm} or, for a record without one, its reflective
   * accessors and canonical constructor.
   */
  private static final class Shape {
    final RecordComponent[] components;
    final FieldType[] types;
    final String[] names;
    final boolean[] omitEmpty;

    /** Null for a record without a generated form; then accessors and constructor are set. */
    final RecordForm form;

    final java.lang.reflect.Method[] accessors;
    final Constructor<?> constructor;

    private Shape(
        RecordComponent[] components,
        FieldType[] types,
        String[] names,
        boolean[] omitEmpty,
        RecordForm form,
        java.lang.reflect.Method[] accessors,
        Constructor<?> constructor) {
      this.components = components;
      this.types = types;
      this.names = names;
      this.omitEmpty = omitEmpty;
      this.form = form;
      this.accessors = accessors;
      this.constructor = constructor;
    }

    /** {@code record}'s components, in order. */
    Object[] components(Record record) {
      if (form != null) {
        return form.components(record);
      }
      Object[] values = new Object[accessors.length];
      for (int i = 0; i < values.length; i++) {
        try {
          values[i] = accessors[i].invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + components[i], e);
        }
      }
      return values;
    }

    static Shape of(Class<?> type) {
      if (!type.isRecord()) {
        throw new IllegalArgumentException(type.getName() + " is not a record");
      }
      Declared declared = initialized(type);
      RecordComponent[] components = type.getRecordComponents();
      FieldType[] types = new FieldType[components.length];
      String[] names = new String[components.length];
      boolean[] omitEmpty = new boolean[components.length];
      java.lang.reflect.Method[] accessors = new java.lang.reflect.Method[components.length];
      Class<?>[] rawTypes = new Class<?>[components.length];
      String[] componentNames = new String[components.length];
      Set<String> undeclared = new LinkedHashSet<>(declared.names.keySet());
      undeclared.addAll(declared.omitEmpty);
      for (int i = 0; i < components.length; i++) {
        String name = components[i].getName();
        componentNames[i] = name;
        undeclared.remove(name);
        names[i] = declared.names.getOrDefault(name, name);
        omitEmpty[i] = declared.omitEmpty.contains(name);
        rawTypes[i] = components[i].getType();
        String signature = components[i].getGenericSignature();
        types[i] =
            signature == null
                ? new FieldType(rawTypes[i], List.of())
                : FieldType.of(signature, rawTypes[i], type.getClassLoader());
      }
      if (!undeclared.isEmpty()) {
        throw new IllegalStateException(
            type.getName() + " declares JSON forms of components it does not have: " + undeclared);
      }
      RecordForm form = RecordForm.of(type, componentNames);
      if (form != null) {
        return new Shape(components, types, names, omitEmpty, form, null, null);
      }
      for (int i = 0; i < components.length; i++) {
        accessors[i] = components[i].getAccessor();
        accessors[i].setAccessible(true);
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(rawTypes);
        constructor.setAccessible(true);
        return new Shape(components, types, names, omitEmpty, null, accessors, constructor);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
      }
    }

    /**
     * What {@code type} declared: its static initializer runs first (a type named by a class
     * literal to {@link #fromJson} may not be initialized yet).
     */
    private static Declared initialized(Class<?> type) {
      try {
        Class.forName(type.getName(), true, type.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("cannot initialize " + type.getName(), e);
      }
      Declared declared = DECLARED.get(type);
      return declared == null ? new Declared() : declared;
    }
  }

  /**
   * A component's type as its generic signature gives it: a class and, for a list, set or map, the
   * types of its items. Read from the signature's text ({@link
   * RecordComponent#getGenericSignature}) rather than through {@link
   * RecordComponent#getGenericType} and the JDK's reflective generic types.
   */
  static final class FieldType {
    final Class<?> raw;
    final List<FieldType> arguments;

    /** Why the codec cannot read this type (a type variable, a wildcard); null when it can. */
    private final String unreadable;

    FieldType(Class<?> raw, List<FieldType> arguments) {
      this(raw, arguments, null);
    }

    private FieldType(Class<?> raw, List<FieldType> arguments, String unreadable) {
      this.raw = raw;
      this.arguments = arguments;
      this.unreadable = unreadable;
    }

    /**
     * The type of a component whose generic signature is {@code signature} and whose erasure is
     * {@code raw}. A type the codec cannot read still writes (by the runtime class of its value);
     * reading it fails.
     */
    static FieldType of(String signature, Class<?> raw, ClassLoader loader) {
      try {
        return parse(signature, loader);
      } catch (IllegalArgumentException e) {
        return new FieldType(raw, List.of(), e.getMessage());
      }
    }

    void checkReadable(String path) {
      if (unreadable != null) {
        throw new IllegalArgumentException(path + ": " + unreadable);
      }
    }

    FieldType argument(int index) {
      if (arguments.size() <= index) {
        throw new IllegalArgumentException(
            "raw " + raw.getName() + " has no JSON form in the record codec");
      }
      return arguments.get(index);
    }

    /**
     * The type of a field signature ({@code Ljava/util/List<Lp/Leaf;>;}), its classes loaded
     * through {@code loader}.
     *
     * @throws IllegalArgumentException for what the codec has no JSON form of: type variables,
     *     wildcards, arrays
     */
    static FieldType parse(String signature, ClassLoader loader) {
      int[] at = {0};
      FieldType type = parse(signature, at, loader);
      if (at[0] != signature.length()) {
        throw unsupported(signature);
      }
      return type;
    }

    private static FieldType parse(String signature, int[] at, ClassLoader loader) {
      if (at[0] >= signature.length()) {
        throw unsupported(signature);
      }
      char c = signature.charAt(at[0]++);
      switch (c) {
        case 'Z':
          return new FieldType(boolean.class, List.of());
        case 'I':
          return new FieldType(int.class, List.of());
        case 'J':
          return new FieldType(long.class, List.of());
        case 'D':
          return new FieldType(double.class, List.of());
        case 'L':
          break;
        default:
          throw unsupported(signature);
      }
      int start = at[0];
      while (at[0] < signature.length()
          && signature.charAt(at[0]) != '<'
          && signature.charAt(at[0]) != ';') {
        at[0]++;
      }
      if (at[0] >= signature.length()) {
        throw unsupported(signature);
      }
      String name = signature.substring(start, at[0]).replace('/', '.');
      List<FieldType> arguments = new ArrayList<>();
      if (signature.charAt(at[0]) == '<') {
        at[0]++;
        while (at[0] < signature.length() && signature.charAt(at[0]) != '>') {
          arguments.add(parse(signature, at, loader));
        }
        at[0]++;
      }
      if (at[0] >= signature.length() || signature.charAt(at[0]) != ';') {
        throw unsupported(signature);
      }
      at[0]++;
      try {
        return new FieldType(Class.forName(name, false, loader), List.copyOf(arguments));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("cannot load " + name + " of " + signature, e);
      }
    }

    private static IllegalArgumentException unsupported(String signature) {
      return new IllegalArgumentException(
          "a component of type " + signature + " has no JSON form in the record codec");
    }

    @Override
    public String toString() {
      return arguments.isEmpty() ? raw.getName() : raw.getName() + arguments;
    }
  }
}

package io.jsplice.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Each kind of change a stock JVM refuses to redefine, as a small library in two versions and a
 * program that loaded the first, holds objects it built with it, and answers one line per line it
 * reads: what the library does now. The first kind, a method body change, is what a stock JVM does
 * redefine: the reference the others are measured against. Used by the live test of the kinds and
 * by the benchmark of what each costs.
 */
public final class StructuralKinds {
  private StructuralKinds() {}

  /**
   * One kind of change.
   *
   * @param name what changes, as the docs name it
   * @param v1 the library's sources, vulnerable
   * @param v2 the library's sources, fixed
   * @param app the program's class {@code App} up to the body of {@code main}, which must define
   *     {@code static String probe()}; {@link #appSource()} closes it with the loop
   * @param before what {@code probe()} answers with the first version
   * @param after what it answers with the fixed behaviour in force
   */
  public record Kind(
      String name,
      Map<String, String> v1,
      Map<String, String> v2,
      String app,
      String before,
      String after) {
    /** The whole program: {@code app}, then a loop printing {@code RESULT <probe()>} per line. */
    public String appSource() {
      return app + LOOP;
    }

    /**
     * Compiles both versions of the library into jars and the program against the first, under
     * {@code dir} (for {@code --release 17}, so that JDK 17 and JDK 25 targets both run them).
     */
    public Built build(Path dir) throws IOException {
      Compiler javac = Compiler.with(Jdk.current()).options("--release", "17");
      Path v1Jar = Jars.write(dir.resolve("lib-1.jar"), javac.compile(v1));
      Path v2Jar = Jars.write(dir.resolve("lib-2.jar"), javac.compile(v2));
      Path appClasses =
          Jars.writeDirectory(
              dir.resolve("app"),
              Compiler.with(Jdk.current())
                  .options("--release", "17")
                  .classpath(v1Jar)
                  .compile("App.java", appSource()));
      return new Built(v1Jar, v2Jar, appClasses);
    }

    /** The name as a file or update id: {@code added-constructor}. */
    public String id() {
      return name.replace(' ', '-');
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * One kind, compiled.
   *
   * @param v1 the vulnerable library's jar
   * @param v2 the fixed library's jar
   * @param app the program's class directory, built against {@code v1}
   */
  public record Built(Path v1, Path v2, Path app) {}

  private static final String LOOP =
      """
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String r;
            try { r = probe(); } catch (Throwable t) { r = "threw " + t; }
            System.out.println("RESULT " + r);
          }
        }
      }
      """;

  /** The reference (a method body change) first, then each kind jsplice lowers. */
  public static final List<Kind> ALL =
      List.of(
          new Kind(
              "method body changed",
              Map.of(
                  "lib/Path.java",
                  "package lib; public class Path {"
                      + " public static boolean safe(String p) { return true; } }"),
              Map.of(
                  "lib/Path.java",
                  "package lib; public class Path {"
                      + " public static boolean safe(String p) { return !p.contains(\"..\"); } }"),
              """
              public class App {
                static String probe() { return lib.Path.safe("../etc") + "," + lib.Path.safe("a"); }
                public static void main(String[] args) throws Exception {
              """,
              "true,true",
              "false,true"),
          new Kind(
              "added constructor",
              Map.of(
                  "lib/Token.java",
                  """
                  package lib;
                  public class Token {
                    private final String value;
                    public Token(String value) { this.value = value; }
                    public static Token parse(String text) { return new Token(text); }
                    public String show() { return value; }
                  }
                  """),
              Map.of(
                  "lib/Token.java",
                  """
                  package lib;
                  public class Token {
                    private final String value;
                    private final boolean secret;
                    public Token(String value) { this(value, false); }
                    private Token(String value, boolean secret) { this.value = value; this.secret = secret; }
                    public static Token parse(String text) {
                      return text.startsWith("secret:") ? new Token(text, true) : new Token(text);
                    }
                    public String show() { return secret ? "***" : value; }
                  }
                  """),
              """
              public class App {
                static String probe() { return lib.Token.parse("secret:x").show() + "," + lib.Token.parse("y").show(); }
                public static void main(String[] args) throws Exception {
              """,
              "secret:x,y",
              "***,y"),
          new Kind(
              "added override",
              Map.of(
                  "lib/Base.java",
                  "package lib; public class Base { public String name() { return \"base\"; } }",
                  "lib/Sub.java",
                  "package lib; public class Sub extends Base { }"),
              Map.of(
                  "lib/Base.java",
                  "package lib; public class Base { public String name() { return \"base\"; } }",
                  "lib/Sub.java",
                  "package lib; public class Sub extends Base {"
                      + " @Override public String name() { return \"sub>\" + super.name(); } }"),
              """
              public class App {
                static lib.Base held = new lib.Sub();
                static String probe() { return "held=" + held.name() + " fresh=" + new lib.Sub().name(); }
                public static void main(String[] args) throws Exception {
                  held.name();
              """,
              "held=base fresh=base",
              "held=sub>base fresh=sub>base"),
          new Kind(
              "subclasses of a final class",
              Map.of(
                  "lib/Greeter.java",
                  """
                  package lib;
                  public final class Greeter {
                    private final String greeting;
                    public Greeter(String greeting) { this.greeting = greeting; }
                    public String greet(String who) { return greeting + " " + who; }
                    public static Greeter of(String greeting) { return new Greeter(greeting); }
                  }
                  """),
              Map.of(
                  "lib/Greeter.java",
                  """
                  package lib;
                  public class Greeter {
                    private final String greeting;
                    public Greeter(String greeting) { this.greeting = greeting; }
                    public String greet(String who) { return greeting + " " + who; }
                    public static Greeter of(String greeting) {
                      return greeting.isEmpty() ? new Quiet() : new Greeter(greeting);
                    }
                    static final class Quiet extends Greeter {
                      Quiet() { super(""); }
                      @Override public String greet(String who) { return "(quiet)"; }
                    }
                  }
                  """),
              """
              public class App {
                static lib.Greeter held = lib.Greeter.of("hi");
                static String probe() { return lib.Greeter.of("").greet("a") + "|" + held.greet("b"); }
                public static void main(String[] args) throws Exception {
              """,
              " a|hi b",
              "(quiet)|hi b"),
          new Kind(
              "narrowed field type",
              Map.of(
                  "lib/Holder.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Holder {
                    private Collection<String> items;
                    public Holder(String first) { items = new ArrayList<>(List.of(first, "z")); }
                    public String describe() { return String.valueOf(items.size()); }
                  }
                  """),
              Map.of(
                  "lib/Holder.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Holder {
                    private List<String> items;
                    public Holder(String first) { items = new ArrayList<>(List.of(first, "z")); }
                    public String describe() { return items.size() + ":" + items.get(0); }
                  }
                  """),
              """
              public class App {
                static lib.Holder held = new lib.Holder("a");
                static String probe() { return held.describe() + "|" + new lib.Holder("b").describe(); }
                public static void main(String[] args) throws Exception {
              """,
              "2|2",
              "2:a|2:b"),
          new Kind(
              "added readObject that refuses",
              Map.of(
                  "lib/Payload.java",
                  "package lib; public class Payload implements java.io.Serializable {"
                      + " public String data = \"d\"; }"),
              Map.of(
                  "lib/Payload.java",
                  "package lib; public class Payload implements java.io.Serializable {"
                      + " public String data = \"d\";"
                      + " private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {"
                      + " throw new java.io.InvalidObjectException(\"Deserialization is unsupported\"); } }"),
              """
              import java.io.*;
              public class App {
                static byte[] stream;
                static String probe() throws Exception {
                  try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
                    return "read " + ((lib.Payload) in.readObject()).data;
                  } catch (InvalidClassException | InvalidObjectException e) {
                    return "refused";
                  }
                }
                public static void main(String[] args) throws Exception {
                  ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                  try (ObjectOutputStream out = new ObjectOutputStream(bytes)) { out.writeObject(new lib.Payload()); }
                  stream = bytes.toByteArray();
                  probe();
              """,
              "read d",
              "refused"),
          new Kind(
              "widened field type",
              Map.of(
                  "lib/Tags.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Tags {
                    private ArrayList<String> tags = new ArrayList<>();
                    public Tags add(String t) { tags.add(t); return this; }
                    public String show() { return String.join(",", tags); }
                  }
                  """),
              Map.of(
                  "lib/Tags.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Tags {
                    private List<String> tags = new ArrayList<>();
                    public Tags add(String t) { if (!t.contains("<")) { tags.add(t); } return this; }
                    public String show() { return String.join(",", tags); }
                    public void clear() { tags = new ArrayList<>(); }
                  }
                  """),
              """
              public class App {
                static lib.Tags held = new lib.Tags().add("a");
                static String probe() {
                  String r = held.add("<b>").show() + "|" + new lib.Tags().add("<i>").add("c").show();
                  held = new lib.Tags().add("a");
                  return r;
                }
                public static void main(String[] args) throws Exception {
              """,
              "a,<b>|<i>,c",
              "a|c"),
          new Kind(
              "added abstract method",
              Map.of(
                  "lib/Shape.java",
                  """
                  package lib;
                  public abstract class Shape {
                    public abstract String name();
                    public String label() { return "[" + name() + "]"; }
                  }
                  """,
                  "lib/Circle.java",
                  "package lib; public class Circle extends Shape {"
                      + " public String name() { return \"circle\"; } }"),
              Map.of(
                  "lib/Shape.java",
                  """
                  package lib;
                  public abstract class Shape {
                    public abstract String name();
                    protected abstract String escaped();
                    public String label() { return "[" + escaped() + "]"; }
                  }
                  """,
                  "lib/Circle.java",
                  "package lib; public class Circle extends Shape {"
                      + " public String name() { return \"circle\"; }"
                      + " protected String escaped() { return name().toUpperCase(); } }"),
              """
              public class App {
                static lib.Shape held = new lib.Circle();
                static String probe() { return held.label() + new lib.Circle().label(); }
                public static void main(String[] args) throws Exception {
                  held.label();
              """,
              "[circle][circle]",
              "[CIRCLE][CIRCLE]"),
          new Kind(
              "method moved up into an abstract declaration",
              Map.of(
                  "lib/Shape.java",
                  "package lib; public abstract class Shape { public abstract String name(); }",
                  "lib/Circle.java",
                  "package lib; public class Circle extends Shape {"
                      + " public String name() { return \"circle\"; } }"),
              Map.of(
                  "lib/Shape.java",
                  "package lib; public abstract class Shape {"
                      + " public String name() { return \"shape:\" + getClass().getSimpleName(); } }",
                  "lib/Circle.java",
                  "package lib; public class Circle extends Shape { }"),
              """
              public class App {
                static lib.Shape held = new lib.Circle();
                static String probe() { return held.name() + "|" + new lib.Circle().name(); }
                public static void main(String[] args) throws Exception {
                  held.name();
              """,
              "circle|circle",
              "shape:Circle|shape:Circle"),
          new Kind(
              "removed members old callers still reach",
              Map.of(
                  "lib/Registry.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Registry {
                    public static final Set<String> LEGACY = new TreeSet<>(List.of("a", "b"));
                    public static String names() { return String.join(",", LEGACY); }
                    public static String legacyName(int i) { return new ArrayList<>(LEGACY).get(i); }
                  }
                  """),
              Map.of(
                  "lib/Registry.java",
                  """
                  package lib;
                  public class Registry {
                    public static String names() { return "none"; }
                  }
                  """),
              """
              public class App {
                static String probe() {
                  return lib.Registry.names() + "|" + lib.Registry.LEGACY.size() + "|" + lib.Registry.legacyName(1);
                }
                public static void main(String[] args) throws Exception {
              """,
              "a,b|2|b",
              "none|2|b"),
          new Kind(
              "private methods made static",
              Map.of(
                  "lib/Validator.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Validator {
                    private final Set<String> excluded = new HashSet<>(List.of("a@x"));
                    public boolean check(String... mails) { return anyExcluded(excluded, mails); }
                    private boolean anyExcluded(Set<String> set, String[] mails) {
                      for (String m : mails) { if (set.contains(norm(m))) { return true; } }
                      return false;
                    }
                    private String norm(String mail) { return mail; }
                  }
                  """),
              Map.of(
                  "lib/Validator.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Validator {
                    private final Set<String> excluded = new HashSet<>(List.of("a@x"));
                    public boolean check(String... mails) { return anyExcluded(excluded, mails); }
                    private static boolean anyExcluded(Set<String> set, String... mails) {
                      for (String m : mails) { if (set.contains(norm(m))) { return true; } }
                      return false;
                    }
                    private static String norm(String mail) { return mail.trim().toLowerCase(); }
                  }
                  """),
              """
              public class App {
                static lib.Validator held = new lib.Validator();
                static String probe() { return held.check("b", " A@x") + "|" + new lib.Validator().check("A@X"); }
                public static void main(String[] args) throws Exception {
                  held.check("a@x");
              """,
              "false|false",
              "true|true"),
          new Kind(
              "anonymous class replaced by another of the same name",
              Map.of(
                  "lib/Adapter.java",
                  """
                  package lib;
                  public class Adapter {
                    public interface Factory { String make(String x); }
                    static final Factory FACTORY = new Factory() {
                      public String make(String x) { return "plain:" + x; }
                    };
                    public static String make(String x) { return FACTORY.make(x); }
                  }
                  """),
              Map.of(
                  "lib/Adapter.java",
                  """
                  package lib;
                  public class Adapter {
                    public interface Factory { String make(String x); }
                    static Factory newFactory(String prefix) {
                      return new Factory() { public String make(String x) { return prefix + x; } };
                    }
                    static final Factory STRICT = newFactory("strict:");
                    public static String make(String x) { return STRICT.make(x.trim()); }
                  }
                  """),
              """
              public class App {
                static String probe() { return lib.Adapter.make(" x"); }
                public static void main(String[] args) throws Exception {
                  probe();
              """,
              "plain: x",
              "strict:x"),
          new Kind(
              "added field from creation sites",
              Map.of(
                  "lib/Num.java",
                  """
                  package lib;
                  public final class Num {
                    private static final Num[] CACHE = new Num[16];
                    private final long value;
                    private Num(long value) { this.value = value; }
                    public static Num get(long v) {
                      if (v >= 0 && v < 16) {
                        if (CACHE[(int) v] == null) { CACHE[(int) v] = new Num(v); }
                        return CACHE[(int) v];
                      }
                      return new Num(v);
                    }
                    public static Num parse(String s) { return get(Long.parseLong(s)); }
                    public String show() { return Long.toString(value); }
                  }
                  """),
              Map.of(
                  "lib/Num.java",
                  """
                  package lib;
                  public final class Num {
                    private static final Num[] CACHE = new Num[16];
                    private final long value;
                    private final boolean isValid;
                    private Num(long value, boolean isValid) { this.value = value; this.isValid = isValid; }
                    public static Num get(long v) {
                      if (v >= 0 && v < 16) {
                        if (CACHE[(int) v] == null) { CACHE[(int) v] = new Num(v, true); }
                        return CACHE[(int) v];
                      }
                      return new Num(v, true);
                    }
                    private static Num invalid() { return new Num(-1, false); }
                    public static Num parse(String s) {
                      long v = Long.parseLong(s);
                      return v > 1000 ? invalid() : get(v);
                    }
                    public String show() { return isValid ? Long.toString(value) : "invalid"; }
                  }
                  """),
              // held: cached by the old get(long) at start; it must read isValid as true.
              """
              public class App {
                static final lib.Num held = lib.Num.get(7);
                static String probe() {
                  return "held=" + held.show() + " cached=" + lib.Num.get(7).show()
                      + " big=" + lib.Num.parse("5000").show();
                }
                public static void main(String[] args) throws Exception {
                  probe();
              """,
              "held=7 cached=7 big=5000",
              "held=7 cached=7 big=invalid"),
          new Kind(
              "enumerated enum gains constants",
              Map.of("lib/Feature.java", feature(""), "lib/Parser.java", parser("")),
              Map.of(
                  "lib/Feature.java",
                  feature(", UNLIMITED_LENGTH(false)"),
                  "lib/Parser.java",
                  parser(
                      "if (!enabled(Feature.UNLIMITED_LENGTH) && text.length() > 8)"
                          + " { return \"refused\"; }")),
              // As jackson-core 2.15.0: a feature enum whose defaults are collected through
              // values() into an int mask of 1 << ordinal() gains a constant the fix reads. held:
              // a parser built at start, its mask without the added constant's bit.
              """
              public class App {
                static final lib.Parser held = new lib.Parser();
                static String probe() {
                  String added;
                  try {
                    added = held.with(lib.Feature.valueOf("UNLIMITED_LENGTH")).parse("0123456789");
                  } catch (IllegalArgumentException none) {
                    added = "none";
                  }
                  return lib.Feature.values().length + " "
                      + java.util.EnumSet.allOf(lib.Feature.class).size() + " held="
                      + held.parse("0123456789") + " new=" + new lib.Parser().parse("0123456789")
                      + " unlimited=" + added;
                }
                public static void main(String[] args) throws Exception {
                  probe();
              """,
              "2 2 held=0123456789 new=0123456789 unlimited=none",
              "3 3 held=refused new=refused unlimited=0123456789"),
          new Kind(
              "enum the program switches on gains constants",
              Map.of("lib/Level.java", level(""), "lib/Gate.java", gate("")),
              Map.of(
                  "lib/Level.java",
                  level(", EXTREME"),
                  "lib/Gate.java",
                  gate("if (n > 100) { return Level.EXTREME; }")),
              // The fix hands out the added constant to a program compiled against the old enum,
              // whose switch on it (javac's switch map, an int[] sized by values().length when it
              // was first used, at start) has no slot for it: what that program would do with the
              // fixed release from the start is its default branch.
              """
              public class App {
                static String level(int n) {
                  switch (lib.Gate.classify(n)) {
                    case LOW: return "low";
                    case HIGH: return "high";
                    default: return "other";
                  }
                }
                static String probe() { return level(5) + "," + level(500); }
                public static void main(String[] args) throws Exception {
                  probe();
              """,
              "low,high",
              "low,other"));

  private static String level(String added) {
    return "package lib; public enum Level { LOW, HIGH%s }".formatted(added);
  }

  private static String gate(String check) {
    return """
        package lib;
        public class Gate {
          public static Level classify(int n) { %s return n > 10 ? Level.HIGH : Level.LOW; }
        }
        """
        .formatted(check);
  }

  private static String feature(String added) {
    return """
        package lib;
        public enum Feature {
          STRICT(true), COMMENTS(false)%s;
          private final boolean byDefault;
          private final int mask;
          Feature(boolean byDefault) { this.byDefault = byDefault; this.mask = 1 << ordinal(); }
          public static int collectDefaults() {
            int flags = 0;
            for (Feature f : values()) { if (f.byDefault) { flags |= f.mask; } }
            return flags;
          }
          public int mask() { return mask; }
        }
        """
        .formatted(added);
  }

  private static String parser(String check) {
    return """
        package lib;
        public class Parser {
          private final int features;
          public Parser() { this(Feature.collectDefaults()); }
          private Parser(int features) { this.features = features; }
          public Parser with(Feature f) { return new Parser(features | f.mask()); }
          boolean enabled(Feature f) { return (features & f.mask()) != 0; }
          public String parse(String text) { %s return text; }
        }
        """
        .formatted(check);
  }
}

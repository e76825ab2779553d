package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.StaleState;
import io.jsplice.model.Verdict;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the planner says about state a program built before an update, rule by rule, on classes
 * compiled for JDK 17 and by JDK 25: what cannot matter is not flagged, what matters is named as
 * {@link StaleState}.
 */
class ExistingStateAnalysisTest {
  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static LivePlanner.Plan plan(Jdk jdk, Map<String, String> pre, Map<String, String> post) {
    Compiler javac = Compiler.with(jdk); // that JDK's own class files: version 61 or 69
    ClassSet before = new ClassSet("pre", javac.compile(pre), List.of());
    ClassSet after = new ClassSet("post", javac.compile(post), List.of());
    return LivePlanner.plan(BytecodeDiff.compare(before, after), "u1");
  }

  private static List<StaleState> stale(LivePlanner.Plan plan) {
    List<StaleState> out = new java.util.ArrayList<>(plan.stale());
    plan.classes().forEach(c -> out.addAll(c.applicability().stale()));
    return out;
  }

  private static final String SERIALIZER =
      """
      package p;
      import java.util.*;
      public class Serializer {
        protected final List<String> denied = new ArrayList<>();
        public Serializer() { setupSecurity(); }
        protected void setupSecurity() { denied.add("Runtime"); }
        public boolean accepts(String type) { return !denied.contains(type); }
      }
      """;

  /** As XStream's setupSecurity: protected, called by the constructor, changed by the fix. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aChangedSetupMethodOfAnyAccess_namesTheObjectsItSetUp(Jdk jdk) {
    String fixed =
        SERIALIZER.replace(
            "denied.add(\"Runtime\"); }",
            "denied.add(\"Runtime\"); denied.add(\"ProcessBuilder\"); }");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Serializer.java", SERIALIZER), Map.of("p/Serializer.java", fixed));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(StaleState.Kind.OBJECTS);
              assertThat(s.owner()).isEqualTo("p.Serializer");
              assertThat(s.reason())
                  .contains("setupSecurity()V")
                  .contains(
                      "setupSecurity() set up what denied holds; it cannot be run again on"
                          + " them: setupSecurity()V calls add on what the field denied"
                          + " holds (only adding to a set, or an absent key to a map, is"
                          + " idempotent)");
            });
    assertThat(plan.classes())
        .filteredOn(c -> c.name().equals("p.Serializer"))
        .singleElement()
        .satisfies(c -> assertThat(c.applicability().verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK));
  }

  /** A changed method the constructor calls that only computes sets up nothing. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aChangedMethodTheConstructorCallsThatWritesNoState_flagsNothing(Jdk jdk) {
    String pre =
        """
        package p;
        public class Checker {
          private final int limit;
          public Checker(int limit) { check(limit); this.limit = limit; }
          public void check(int value) { if (value < 0) throw new IllegalArgumentException("negative"); }
          public int limit() { return limit; }
        }
        """;
    String post = pre.replace("value < 0", "value < 0 || value > 1000");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Checker.java", pre), Map.of("p/Checker.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .allSatisfy(c -> assertThat(c.applicability().verdict()).isEqualTo(Verdict.LIVE));
  }

  /**
   * As commons-text's StringEscapeUtils: a static field computed through a library call that asks
   * {@code java.lang.reflect.Array.getLength}, which only computes: it is recomputed, not left to a
   * hook.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aStaticFieldComputedThroughReflectiveArrayAccess_isRecomputed(Jdk jdk) {
    String pre =
        """
        package p;
        public class Table {
          static final String[] NAMES = {"a", "b"};
          static final int SIZE = count(NAMES);
          static int count(Object array) { return java.lang.reflect.Array.getLength(array); }
          public static int size() { return SIZE; }
        }
        """;
    String post = pre.replace("{\"a\", \"b\"}", "{\"a\", \"b\", \"c\"}");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Table.java", pre), Map.of("p/Table.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.notes()).noneMatch(n -> n.contains("Array.getLength"));
    assertThat(plan.stateActions()).extracting(a -> a.field()).contains("NAMES");
  }

  /** A constructor whose new value depends on its argument cannot be recomputed: named. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorChange_namesTheObjectsOfItsClass(Jdk jdk) {
    String pre =
        """
        package p;
        public class Quota {
          private final int limit;
          public Quota(int limit) { this.limit = limit; }
          public boolean allows(int size) { return size <= limit; }
        }
        """;
    String post = pre.replace("this.limit = limit;", "this.limit = Math.min(limit, 100);");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Quota.java", pre), Map.of("p/Quota.java", post));

    assertThat(stale(plan))
        .extracting(StaleState::kind, StaleState::owner)
        .containsExactly(org.assertj.core.api.Assertions.tuple(StaleState.Kind.OBJECTS, "p.Quota"));
  }

  private static final String GUARD =
      """
      package p;
      import java.util.*;
      public class Guard {
        private final Set<String> denied = new HashSet<>(Arrays.asList("rm"));
        private int maxDepth = 100;
        private final int id;
        public Guard(int id) { this.id = id; }
        public void deny(String s) { denied.add(s); }
        public void setMaxDepth(int d) { maxDepth = d; }
        public boolean allows(String cmd, int depth) { return !denied.contains(cmd) && depth <= maxDepth; }
      }
      """;

  /**
   * Field initializers that depend on nothing the object was built with: recomputed in existing
   * objects, nothing stays old.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void changedFieldInitializersOfConstants_areRecomputedInExistingObjects(Jdk jdk) {
    String post =
        GUARD
            .replace("Arrays.asList(\"rm\")", "Arrays.asList(\"rm\", \"curl\")")
            .replace("maxDepth = 100;", "maxDepth = 10;");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Guard.java", GUARD), Map.of("p/Guard.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.instanceActions())
        .extracting(InstanceAction::kind, InstanceAction::owner, InstanceAction::member)
        .containsExactlyInAnyOrder(
            org.assertj.core.api.Assertions.tuple(
                InstanceAction.Kind.RECOMPUTE_FIELD, "p.Guard", "denied"),
            org.assertj.core.api.Assertions.tuple(
                InstanceAction.Kind.RECOMPUTE_FIELD, "p.Guard", "maxDepth"));
    assertThat(plan.instanceActions()).allMatch(a -> a.source().equals("p.Guard$$jsplice$u1"));
  }

  /**
   * An initializer that reads a constructor argument cannot be recomputed: the objects stay old.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aChangedInitializerNextToOneReadingAnArgument_isStillNamed(Jdk jdk) {
    String post =
        GUARD
            .replace("maxDepth = 100;", "maxDepth = 10;")
            .replace("this.id = id;", "this.id = Math.abs(id);");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Guard.java", GUARD), Map.of("p/Guard.java", post));

    assertThat(stale(plan))
        .extracting(StaleState::kind, StaleState::owner)
        .containsExactly(org.assertj.core.api.Assertions.tuple(StaleState.Kind.OBJECTS, "p.Guard"));
  }

  private static final String REGISTRY =
      """
      package p;
      import java.util.*;
      public class Registry {
        private final Set<String> blocked = new HashSet<>();
        private boolean strict;
        public Registry() { setup(); }
        protected void setup() { blocked.add("a"); strict = false; }
        public void block(String s) { blocked.add(s); }
        public boolean allows(String s) { return !blocked.contains(s); }
      }
      """;

  /** A setup method that only adds constants to a set and assigns constants: run again. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anIdempotentSetupMethod_isRunAgainOnExistingObjects(Jdk jdk) {
    String post =
        REGISTRY.replace(
            "blocked.add(\"a\"); strict = false;",
            "blocked.add(\"a\"); blocked.add(\"b\"); strict = true;");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Registry.java", REGISTRY), Map.of("p/Registry.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.instanceActions())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(InstanceAction.Kind.RERUN_SETUP);
              assertThat(a.member()).isEqualTo("setup()V");
              assertThat(a.fields()).containsExactly("blocked", "strict");
            });
  }

  private static final String PROVIDER =
      """
      package p;
      import java.util.*;
      public class Provider {
        private transient Map<String, String> data;
        public Provider() { init(); }
        protected void init() { data = new HashMap<>(); }
        public String lookup(String k) {
          String v = data.get(k);
          if (v == null) { v = k.trim(); data.put(k, v); }
          return v;
        }
      }
      """;

  /**
   * As xstream 1.4.18's PureJavaReflectionProvider, whose setup method {@code init()} now also
   * builds a cache in a field the update adds: the agent reaches the fields of the loaded class,
   * and the added one lives in shadow storage (which undo drops), so the re-run saves only the
   * loaded class's fields, and nothing clears the added cache (old code never filled it).
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aSetupMethodThatBuildsAnAddedCache_touchesOnlyTheLoadedFields(Jdk jdk) {
    String post =
        PROVIDER
            .replace(
                "private transient Map<String, String> data;",
                "private transient Map<String, String> data;\n"
                    + "  private transient Map<String, String> shapes;")
            .replace(
                "data = new HashMap<>(); }", "shapes = new HashMap<>(); data = new HashMap<>(); }")
            .replace(
                "String v = data.get(k);",
                "String s = shapes.get(k);\n"
                    + "    if (s == null) { s = k.strip(); shapes.put(k, s); }\n"
                    + "    String v = data.get(s);")
            .replace("v = k.trim(); data.put(k, v);", "v = s.trim(); data.put(s, v);");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Provider.java", PROVIDER), Map.of("p/Provider.java", post));

    assertThat(plan.instanceActions())
        .filteredOn(a -> a.kind() == InstanceAction.Kind.RERUN_SETUP)
        .singleElement()
        .satisfies(a -> assertThat(a.fields()).containsExactly("data"));
    assertThat(plan.instanceActions()).noneMatch(a -> a.member().equals("shapes"));
  }

  /**
   * Setup methods that are not idempotent, or that the old version did more in: the objects are
   * named, nothing is re-run.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aSetupMethodThatIsNotIdempotent_orDroppedWhatTheOldOneDid_isNotRunAgain(Jdk jdk) {
    Map<String, String> fixes =
        Map.of(
            "resets what the program added",
            "blocked.clear(); blocked.add(\"b\"); strict = false;",
            "depends on the object's state",
            "blocked.add(\"a\"); strict = !strict;",
            "no longer adds what the old one added",
            "blocked.add(\"b\"); strict = false;",
            "hands the object to other code",
            "blocked.add(\"a\"); strict = false; Objects.requireNonNull(this);");
    fixes.forEach(
        (why, body) -> {
          String post = REGISTRY.replace("blocked.add(\"a\"); strict = false;", body);
          LivePlanner.Plan plan =
              plan(jdk, Map.of("p/Registry.java", REGISTRY), Map.of("p/Registry.java", post));
          assertThat(plan.instanceActions()).as(why).isEmpty();
          assertThat(stale(plan))
              .as(why)
              .extracting(StaleState::kind, StaleState::owner)
              .containsExactly(
                  org.assertj.core.api.Assertions.tuple(StaleState.Kind.OBJECTS, "p.Registry"));
        });
  }

  /**
   * A static field holding an object built by a changed constructor, whose initializer cannot be
   * re-run (it reads the environment), is not a static field needing a hook: it is one of that
   * class's objects, which the apply brings to the fixed state with the others it finds.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aStaticFieldHoldingAnObjectOfAChangedConstructor_isLeftToTheWorkOnItsObjects(Jdk jdk) {
    String quota =
        """
        package p;
        public class Quota {
          private final int limit;
          private int max = 1000;
          public Quota(int limit) { this.limit = limit; }
          public boolean allows(int size) { return size <= Math.min(limit, max); }
        }
        """;
    String limits =
        """
        package p;
        public class Limits {
          static final Quota DEFAULT = new Quota(System.getenv("QUOTA") == null ? 1000 : 5);
          public static boolean allows(int size) { return DEFAULT.allows(size); }
        }
        """;
    String fixed = quota.replace("max = 1000;", "max = 100;");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Quota.java", quota, "p/Limits.java", limits),
            Map.of("p/Quota.java", fixed, "p/Limits.java", limits));

    assertThat(stale(plan)).as("no static field left to a hook").isEmpty();
    assertThat(plan.instanceActions())
        .extracting(InstanceAction::kind, InstanceAction::member)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(InstanceAction.Kind.RECOMPUTE_FIELD, "max"));
    assertThat(plan.notes())
        .anyMatch(
            n ->
                n.contains("p.Limits.DEFAULT holds an object built by a constructor the update")
                    && n.contains("looked for at apply"));
  }

  private static final String PARSER =
      """
      package p;
      import java.util.*;
      public class Parser {
        private final Map<String, String> entries = new HashMap<>();
        private final String source;
        private int depth;
        private int revision = 2;
        public Parser(String source, int depth) {
          this.source = source;
          this.depth = depth;
          entries.put("source", source);
        }
        public Parser(String source) { this(source, 10); }
        public String source() { return source; }
        public int depth() { return depth; }
      }
      """;

  /**
   * A constructor that only gains checks that throw (on its arguments, with a message built in the
   * check) gives every object it completes the fields the old one gave them, so objects built
   * before the update need nothing.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatOnlyGainsChecks_flagsNothing(Jdk jdk) {
    String post =
        PARSER.replace(
            "this.source = source;",
            "if (source == null || source.length() > 1000) {"
                + " throw new IllegalArgumentException(\"too long: \" + source.length()); }"
                + " if (depth < 0) throw new IllegalArgumentException(\"negative\");"
                + " this.source = source;");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Parser.java", PARSER), Map.of("p/Parser.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .allSatisfy(c -> assertThat(c.applicability().verdict()).isEqualTo(Verdict.LIVE));
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(n -> n.contains("Parser(java.lang.String, int) only adds checks"));
  }

  private static final String SPOOL =
      """
      package p;
      public class Spool {
        private final int threshold;
        private final boolean reset;
        private final java.io.File parent;
        private final StringBuilder memory;
        private final Runnable source;
        public Spool(int threshold, boolean reset) { this(threshold, reset, null); }
        private Spool(int threshold, boolean reset, java.io.File parent) {
          this.threshold = threshold;
          this.reset = reset;
          this.parent = parent;
          this.memory = new StringBuilder();
          if (reset) { source = () -> memory.setLength(0); } else { source = () -> {}; }
        }
        public String where() { return parent == null ? "tmp" : parent.getPath(); }
      }
      """;

  /**
   * As guava 32.0.0's FileBackedOutputStream: the public constructor no longer delegates to a
   * private one that set a field the fix removes (the parent directory, always null from it), it
   * does that constructor's work itself, with a check added. Objects it completes get the values
   * the old pair of constructors gave them, so objects built before the update need nothing.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatInlinesTheOneItDelegatedTo_dropsAStoreToARemovedField_flagsNothing(Jdk jdk) {
    String post =
        SPOOL
            .replace("  private final java.io.File parent;\n", "")
            .replace(
                "public Spool(int threshold, boolean reset) { this(threshold, reset, null); }\n"
                    + "  private Spool(int threshold, boolean reset, java.io.File parent) {",
                "public Spool(int threshold, boolean reset) {\n"
                    + "    if (threshold < 0) throw new IllegalArgumentException(\"negative\");")
            .replace("    this.parent = parent;\n", "")
            .replace("parent == null ? \"tmp\" : parent.getPath()", "\"private\"");
    assertThat(post).doesNotContain("parent").contains("negative");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Spool.java", SPOOL), Map.of("p/Spool.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(n -> n.contains("Spool(int, boolean) only adds checks"));
  }

  /** As guava's Preconditions: the failure's message formats its arguments and logs a failure. */
  private static final String CHECKS =
      """
      package p;
      public final class Checks {
        public static void checkArgument(boolean ok, String template, int value) {
          if (!ok) throw new IllegalArgumentException(format(template, value));
        }
        static String format(String template, Object... args) {
          StringBuilder out = new StringBuilder(template);
          for (Object arg : args) out.append(' ').append(describe(arg));
          return out.toString();
        }
        private static String describe(Object o) {
          try {
            return o.toString();
          } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger("p").warning("toString failed: " + e);
            return o.getClass().getName();
          }
        }
      }
      """;

  private static final String BUFFER =
      """
      package p;
      public class Buffer {
        private final int threshold;
        private final Object owner;
        public Buffer(int threshold, Object owner) {
          this.threshold = threshold;
          this.owner = owner;
        }
        public int threshold() { return threshold; }
      }
      """;

  /**
   * As guava 32.0.0's FileBackedOutputStream, whose added check is {@code checkArgument(threshold
   * >= 0, "...%s", threshold)}: a check whose failure builds its message with the arguments' {@code
   * toString} (and logs what that throws), in a library helper or in the constructor itself, does
   * that only when the construction fails. It still only adds checks.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aCheckWhoseFailureFormatsItsMessageWithToString_onlyAddsChecks(Jdk jdk) {
    String post =
        BUFFER.replace(
            "this.threshold = threshold;",
            "Checks.checkArgument(threshold >= 0, \"threshold must not be negative:\","
                + " threshold);\n"
                + "    if (threshold > 1 << 20) throw new IllegalArgumentException("
                + "owner.toString() + \" asks too much\");\n"
                + "    this.threshold = threshold;");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Buffer.java", BUFFER, "p/Checks.java", CHECKS),
            Map.of("p/Buffer.java", post, "p/Checks.java", CHECKS));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(n -> n.contains("Buffer(int, java.lang.Object) only adds checks"));
  }

  /** The same check, when the helper changes what it is given on the way to returning: no check. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aCheckWhoseHelperLogsWhenItPasses_isNoCheck(Jdk jdk) {
    String logging =
        CHECKS.replace(
            "if (!ok) throw",
            "java.util.logging.Logger.getLogger(\"p\").fine(template);\n    if (!ok) throw");
    String post =
        BUFFER.replace(
            "this.threshold = threshold;",
            "Checks.checkArgument(threshold >= 0, \"negative\", threshold);"
                + " this.threshold = threshold;");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Buffer.java", BUFFER, "p/Checks.java", logging),
            Map.of("p/Buffer.java", post, "p/Checks.java", logging));

    assertThat(stale(plan))
        .anySatisfy(s -> assertThat(s.reason()).contains("java.util.logging.Logger"));
  }

  private static final String CONNECTION =
      """
      package p;
      import java.util.logging.*;
      public class Connection {
        private static final Logger LOGGER = Logger.getLogger("p");
        private final String url;
        private final int timeout;
        public Connection(String url, int timeout) {
          LOGGER.log(Level.FINE, "Driver 1.0.0");
          this.url = url;
          this.timeout = timeout;
        }
        public String quote(String column) { return column; }
      }
      """;

  /**
   * As postgresql 42.4.1's PgConnection: the constructor logs the driver's version, a constant that
   * changes with every release and reaches nothing but the logging call. The objects the old
   * constructor built hold what the new one would: nothing is named.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aChangedConstantThatOnlyReachesALoggingCall_flagsNothing(Jdk jdk) {
    String post =
        CONNECTION
            .replace("Driver 1.0.0", "Driver 1.0.1")
            .replace(
                "return column;", "return '\"' + column.replace(\"\\\"\", \"\\\"\\\"\") + '\"';");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Connection.java", CONNECTION), Map.of("p/Connection.java", post));

    assertThat(stale(plan)).isEmpty();
  }

  /**
   * As postgresql 42.4.1's PgPreparedStatement: the message of the exception a check of the
   * constructor throws is reworded. No object was built on that path: nothing is named.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aRewordedMessageOfACheckTheConstructorHad_flagsNothing(Jdk jdk) {
    String pre =
        CONNECTION.replace(
            "this.timeout = timeout;",
            "if (timeout > 1000) throw new IllegalArgumentException(java.text.MessageFormat.format("
                + "\"at most {0}, given {0}\", 1000, timeout));\n    this.timeout = timeout;");
    String post = pre.replace("given {0}", "given {1}");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Connection.java", pre), Map.of("p/Connection.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(
            n ->
                n.contains(
                    "Connection(java.lang.String, int) differs only in what it logs or throws"));
  }

  /** The same constant handed to a call of the class's own: that call may keep it, so named. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aChangedConstantPassedToAnythingButLogging_namesTheObjects(Jdk jdk) {
    String pre =
        CONNECTION
            .replace("LOGGER.log(Level.FINE, \"Driver 1.0.0\");", "note(\"Driver 1.0.0\");")
            .replace(
                "public String quote",
                "private String version; private void note(String v) { version = v; }\n"
                    + "  public String quote");
    String post = pre.replace("Driver 1.0.0", "Driver 1.0.1");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Connection.java", pre), Map.of("p/Connection.java", post));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(s -> assertThat(s.owner()).isEqualTo("p.Connection"));
  }

  /**
   * As guava 31.1 -> 32.0.0's FileBackedOutputStream: the constructor that took over the private
   * one's work also writes the anonymous classes the private one wrote (its descriptor gone with
   * it), so they are the same classes, their enclosing method changed, and the constructor still
   * only adds checks.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatInlinesTheOneItDelegatedTo_withTheAnonymousClassesItWrites_flagsNothing(
      Jdk jdk) {
    String pre =
        SPOOL.replace(
            "if (reset) { source = () -> memory.setLength(0); } else { source = () -> {}; }",
            "if (reset) {\n"
                + "      source = new Runnable() { public void run() { memory.setLength(0); } };\n"
                + "    } else {\n"
                + "      source = new Runnable() { public void run() { memory.trimToSize(); } };\n"
                + "    }");
    String post =
        pre.replace("  private final java.io.File parent;\n", "")
            .replace(
                "public Spool(int threshold, boolean reset) { this(threshold, reset, null); }\n"
                    + "  private Spool(int threshold, boolean reset, java.io.File parent) {",
                "public Spool(int threshold, boolean reset) {\n"
                    + "    Checks.checkArgument(threshold >= 0, \"negative\", threshold);")
            .replace("    this.parent = parent;\n", "")
            .replace("parent == null ? \"tmp\" : parent.getPath()", "\"private\"");
    assertThat(pre).contains("new Runnable()");
    assertThat(post).doesNotContain("parent").contains("checkArgument");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Spool.java", pre, "p/Checks.java", CHECKS),
            Map.of("p/Spool.java", post, "p/Checks.java", CHECKS));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(n -> n.contains("Spool(int, boolean) only adds checks"));
  }

  private static final String NAME =
      """
      package p;
      public class Name {
        private final String text;
        public Name(String text) {
          this.text = text;
        }
        public String text() { return text; }
      }
      """;

  private static final String CHECKED_NAME =
      NAME.replace(
          "this.text = text;",
          "if (text.indexOf('<') >= 0) throw new IllegalArgumentException(\"bad name: \" + text);"
              + " this.text = text;");

  /** As dom4j's QNameCache: names built on demand, kept by the text they were built from. */
  private static final String NAME_CACHE =
      """
      package p;
      import java.util.*;
      public class NameCache {
        private static final Map<String, Name> CACHE = new HashMap<>();
        public static synchronized Name get(String text) {
          Name n = CACHE.get(text);
          if (n == null) {
            n = new Name(text);
            CACHE.put(text, n);
          }
          return n;
        }
      }
      """;

  /**
   * As dom4j's QNameCache, held by the document factory: names built on demand in a map of the
   * object, kept by their text, whose contents the library also lists (getQNames).
   */
  private static final String LISTED_NAME_CACHE =
      """
      package p;
      import java.util.*;
      public class NameCache {
        public static final NameCache INSTANCE = new NameCache();
        private final Map<String, Name> cache = new HashMap<>();
        public synchronized List<Name> all() { return new ArrayList<>(cache.values()); }
        public synchronized Name get(String text) {
          Name n = cache.get(text);
          if (n == null) {
            n = new Name(text);
            cache.put(text, n);
          }
          return n;
        }
      }
      """;

  /**
   * A constructor that only gains checks leaves old objects as the fixed one would have refused to
   * build them: a cache keyed by the input serves the one an attacker had built before the update
   * again for the same input, without the check. When the cache cannot be cleared (the library also
   * lists what it holds) and is no static map typed with the class (those the caches of objects
   * built by changed code clear), the update names it: it is not in force while it holds them.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aCacheKeepingObjectsOfAConstructorThatOnlyGainsChecks_isNamedWhenItCannotBeCleared(Jdk jdk) {
    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Name.java", NAME, "p/NameCache.java", LISTED_NAME_CACHE),
            Map.of("p/Name.java", CHECKED_NAME, "p/NameCache.java", LISTED_NAME_CACHE));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(StaleState.Kind.CACHE);
              assertThat(s.owner()).isEqualTo("p.NameCache");
              assertThat(s.member()).isEqualTo("cache");
              assertThat(s.reason())
                  .contains("p.Name")
                  .contains("only adds checks")
                  .contains("p.NameCache.get(java.lang.String)")
                  .contains("its map is used by values");
            });
    assertThat(plan.verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK);
  }

  /** A static cache the library only looks names up in: cleared at apply. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aCacheKeepingObjectsOfAConstructorThatOnlyGainsChecks_isClearedWhenItIsAMemo(Jdk jdk) {
    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Name.java", NAME, "p/NameCache.java", NAME_CACHE),
            Map.of("p/Name.java", CHECKED_NAME, "p/NameCache.java", NAME_CACHE));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.stateActions())
        .anySatisfy(
            a -> {
              assertThat(a.kind()).isEqualTo(io.jsplice.model.StateAction.Kind.CLEAR);
              assertThat(a.owner()).isEqualTo("p.NameCache");
              assertThat(a.field()).isEqualTo("CACHE");
            });
  }

  /** Objects the library builds on each call, and keeps in no cache, still need nothing. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void objectsOfAConstructorThatOnlyGainsChecksThatNoCacheHolds_needNothing(Jdk jdk) {
    String factory =
        """
        package p;
        import java.util.*;
        public class Names {
          private final Map<String, Integer> counts = new HashMap<>();
          public Name make(String text) {
            Name n = new Name(text);
            counts.put(text, counts.getOrDefault(text, 0) + 1);
            return n;
          }
          public List<Name> split(String texts) {
            Map<String, Name> byText = new HashMap<>();
            for (String t : texts.split(",")) byText.put(t, new Name(t));
            return new ArrayList<>(byText.values());
          }
        }
        """;

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Name.java", NAME, "p/Names.java", factory),
            Map.of("p/Name.java", CHECKED_NAME, "p/Names.java", factory));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.verdict()).isEqualTo(Verdict.LIVE);
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(n -> n.contains("Name(java.lang.String) only adds checks"));
  }

  /** As dom4j's Namespace: equal when the hash codes it computes once and keeps are equal. */
  private static final String SPACE =
      """
      package p;
      public class Space {
        public static final Space NONE = new Space("");
        private final String uri;
        private int hash;
        public Space(String uri) { this.uri = uri; }
        public int hashCode() {
          if (hash == 0) { hash = uri.hashCode() + 1; }
          return hash;
        }
        public boolean equals(Object o) {
          return o instanceof Space s && s.hashCode() == hashCode() && s.uri.equals(uri);
        }
      }
      """;

  private static final String SPACED_NAME =
      """
      package p;
      public class SpacedName {
        private final String text;
        private final Space space;
        public SpacedName(String text, Space space) {
          this.text = text;
          this.space = space;
        }
        public String text() { return text; }
      }
      """;

  /**
   * As dom4j 2.1.1's QName, whose added check asks whether the held namespace equals the empty one:
   * equals only fills the hash codes the namespaces keep (a memo they would compute on first use
   * anyway), so the constructor still only adds checks.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aCheckWhoseCallWritesOnlyAMemo_onlyAddsChecks(Jdk jdk) {
    String fixed =
        SPACED_NAME.replace(
            "this.space = space;",
            "this.space = space;"
                + " if (!space.equals(Space.NONE) && text.indexOf(':') >= 0)"
                + " throw new IllegalArgumentException(\"bad name: \" + text);");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/SpacedName.java", SPACED_NAME, "p/Space.java", SPACE),
            Map.of("p/SpacedName.java", fixed, "p/Space.java", SPACE));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(n -> n.contains("SpacedName(java.lang.String, p.Space) only adds checks"));
  }

  /** A check whose call writes more than a memo of what it is given is no check. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aCheckWhoseCallWritesMoreThanAMemo_isNoCheck(Jdk jdk) {
    String counting =
        SPACE.replace(
            "public boolean equals(Object o) {",
            "private int compared;\n  public boolean equals(Object o) {\n    compared++;");
    String fixed =
        SPACED_NAME.replace(
            "this.space = space;",
            "this.space = space;"
                + " if (!space.equals(Space.NONE) && text.indexOf(':') >= 0)"
                + " throw new IllegalArgumentException(\"bad name: \" + text);");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/SpacedName.java", SPACED_NAME, "p/Space.java", counting),
            Map.of("p/SpacedName.java", fixed, "p/Space.java", counting));

    assertThat(stale(plan))
        .anySatisfy(
            s ->
                assertThat(s.reason())
                    .contains("hands an object the program holds to p.Space.equals"));
  }

  private static final String LIMITS =
      """
      package p;
      public class Limits {
        private int maxDepth = 100;
        private final boolean strict;
        public Limits(Limits base, boolean strict) {
          this.strict = strict;
          if (base != null) {
            this.maxDepth = base.maxDepth;
          }
        }
        public Limits derive(boolean strict) { return new Limits(this, strict); }
        public boolean allows(int depth, int nesting) { return depth <= maxDepth; }
      }
      """;

  /**
   * As woodstox 6.4.0's ReaderConfig, which adds a nesting limit that its copy constructor carries
   * over from the configuration it starts from: objects built before the update get the added
   * field's initializer, and a copy of it from one of them gives the same, so nothing is stale.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatCopiesAnAddedFieldFromAnotherObject_flagsNothing(Jdk jdk) {
    String post =
        LIMITS
            .replace(
                "private int maxDepth = 100;",
                "private int maxDepth = 100;\n  private int maxNesting = 500;")
            .replace(
                "this.maxDepth = base.maxDepth;",
                "this.maxDepth = base.maxDepth;\n      this.maxNesting = base.maxNesting;")
            .replace(
                "return depth <= maxDepth; }",
                "return depth <= maxDepth && nesting <= maxNesting; }\n"
                    + "  public void setMaxNesting(int n) { maxNesting = n; }");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Limits.java", LIMITS), Map.of("p/Limits.java", post));

    assertThat(stale(plan)).isEmpty();
  }

  /** A copy of another field, or of the added field from a value of another class, is named. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatCopiesAnotherFieldIntoAnAddedOne_namesTheObjects(Jdk jdk) {
    String post =
        LIMITS
            .replace(
                "private int maxDepth = 100;",
                "private int maxDepth = 100;\n  private int maxNesting = 500;")
            .replace(
                "this.maxDepth = base.maxDepth;",
                "this.maxDepth = base.maxDepth;\n      this.maxNesting = base.maxDepth;")
            .replace(
                "return depth <= maxDepth; }",
                "return depth <= maxDepth && nesting <= maxNesting; }");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Limits.java", LIMITS), Map.of("p/Limits.java", post));

    assertThat(stale(plan))
        .extracting(StaleState::kind, StaleState::owner)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(StaleState.Kind.OBJECTS, "p.Limits"));
  }

  /**
   * As dom4j 2.1.1's Namespace, whose constructor now checks the prefix with a method and a pattern
   * the update adds: a static field built through a cache that calls that constructor holds what
   * the fixed release would build (its own initializer, given the same arguments, passes the
   * check), so it needs no new value, and no hook though the cache's side effects keep jsplice from
   * building it again.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aStaticFieldBuiltThroughAConstructorThatOnlyGainsChecks_needsNoNewValue(Jdk jdk) {
    String ns =
        """
        package p;
        public class Ns {
          public static final Ns XML = Cache.get("xml", "uri:xml");
          public static final Ns NONE = Cache.get("", "");
          private final String prefix;
          private final String uri;
          public Ns(String prefix, String uri) {
            this.prefix = prefix != null ? prefix : "";
            this.uri = uri != null ? uri : "";
          }
          public String prefix() { return prefix; }
        }
        """;
    String cache =
        """
        package p;
        import java.util.*;
        public class Cache {
          static final Map<String, Ns> MAP = new HashMap<>();
          static int built;
          static Ns get(String p, String u) {
            Ns n = MAP.get(p + "|" + u);
            if (n == null) { n = new Ns(p, u); MAP.put(p + "|" + u, n); built++; }
            return n;
          }
        }
        """;
    String fixed =
        ns.replace(
                "this.uri = uri != null ? uri : \"\";",
                "this.uri = uri != null ? uri : \"\"; if (!this.prefix.isEmpty()) validate(this.prefix);")
            .replace(
                "public String prefix()",
                "private static final java.util.regex.Pattern NAME ="
                    + " java.util.regex.Pattern.compile(\"[a-z]+\");"
                    + " static void validate(String s) { if (!NAME.matcher(s).matches())"
                    + " throw new IllegalArgumentException(\"bad name: \" + s); }"
                    + " public String prefix()");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Ns.java", ns, "p/Cache.java", cache),
            Map.of("p/Ns.java", fixed, "p/Cache.java", cache));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .allSatisfy(c -> assertThat(c.applicability().verdict()).isEqualTo(Verdict.LIVE));
  }

  /**
   * As org.json's JSONTokener(InputStream), which now decodes UTF-8: a delegating constructor that
   * passes a different value on stores it in the object; it came from the constructor's argument,
   * which the object no longer has. Named with the fields the value may reach in the constructor it
   * delegates to, not those that constructor sets from constants.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatStoresADifferentValue_namesTheFieldsItSets(Jdk jdk) {
    String post = PARSER.replace("this(source, 10);", "this(source.trim(), 10);");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Parser.java", PARSER), Map.of("p/Parser.java", post));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(StaleState.Kind.OBJECTS);
              assertThat(s.owner()).isEqualTo("p.Parser");
              assertThat(s.reason())
                  .contains("Parser(java.lang.String) changed")
                  .contains("in what it passes to Parser(java.lang.String, int)")
                  .contains("it may give depth, entries, source other values")
                  .doesNotContain("revision");
            });
  }

  /**
   * As log4j's Interpolator, whose constructor now adds its JNDI lookup only when JNDI is enabled:
   * a check that skips a store is no mere check; the objects are named with the field.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConditionThatSkipsAStore_namesTheField(Jdk jdk) {
    String post =
        PARSER.replace(
            "entries.put(\"source\", source);",
            "if (Boolean.getBoolean(\"p.keep\")) entries.put(\"source\", source);");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Parser.java", PARSER), Map.of("p/Parser.java", post));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(
            s -> assertThat(s.reason()).contains("it may give entries").doesNotContain("revision"));
  }

  /**
   * As log4j's ConfigurationFactory.configFactory: a static field holding an object whose
   * construction reaches a changed constructor, which itself calls a method the update adds, holds
   * objects like any other built by that constructor: left to the look for them at apply, not to a
   * hook.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aStaticFieldBuiltThroughAChangedConstructorCallingAnAddedMethod_isLeftToTheObjects(Jdk jdk) {
    String lookups =
        """
        package p;
        import java.util.*;
        public class Lookups {
          final Map<String, String> map = new HashMap<>();
          public Lookups() { map.put("jndi", "on"); }
          public String get(String k) { return map.get(k); }
        }
        """;
    String fixed =
        lookups.replace(
            "public Lookups() { map.put(\"jndi\", \"on\"); }",
            "public Lookups() { if (enabled()) map.put(\"jndi\", \"on\"); }"
                + " static boolean enabled() { return Boolean.getBoolean(\"p.jndi\"); }");
    String holder =
        """
        package p;
        public class Holder {
          final Lookups lookups = new Lookups();
          static final Holder DEFAULT = new Holder(Thread.currentThread().getName());
          Holder(String name) {}
          public static String get(String k) { return DEFAULT.lookups.get(k); }
        }
        """;

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Lookups.java", lookups, "p/Holder.java", holder),
            Map.of("p/Lookups.java", fixed, "p/Holder.java", holder));

    assertThat(stale(plan))
        .extracting(StaleState::kind, StaleState::owner)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(StaleState.Kind.OBJECTS, "p.Lookups"));
    assertThat(plan.notes())
        .anyMatch(n -> n.contains("p.Holder.DEFAULT holds an object built by a constructor"));
  }

  /**
   * A call the side effect check lets through (the JDK's collections count as computing) is no
   * check when it changes an object the program holds: here the map the object keeps.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anInsertedCallThatChangesAHeldCollection_isNoCheck(Jdk jdk) {
    String post =
        PARSER.replace(
            "entries.put(\"source\", source);",
            "entries.clear(); entries.put(\"source\", source);");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Parser.java", PARSER), Map.of("p/Parser.java", post));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.reason())
                    .contains("hands an object the program holds to java.util.Map.clear")
                    .contains("it may give entries other values"));
  }

  private static final String DEFAULT_LOOKUPS =
      """
      package p;
      import java.util.*;
      public class Lookups {
        private static final Map<String, String> DEFAULTS = new HashMap<>();
        static {
          DEFAULTS.put("env", "EnvLookup");
          DEFAULTS.put("dns", "DnsLookup");
        }
        public static Map<String, String> defaults() { return Collections.unmodifiableMap(DEFAULTS); }
      }
      """;

  private static final String INTERPOLATOR =
      """
      package p;
      import java.util.*;
      public class Interpolator {
        private final Map<String, String> lookups = new HashMap<>();
        public Interpolator() { install(); }
        private void install() { lookups.putAll(Lookups.defaults()); }
        public boolean resolves(String prefix) { return lookups.containsKey(prefix); }
      }
      """;

  /**
   * As commons-configuration2 2.8.0: the fix moves the default lookups to a holder the accessor now
   * reads; an interpolator built before the update, by a constructor the update does not change,
   * holds a copy of the old map (dns included), which neither the fixed code nor a new map reaches.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anObjectBuiltWithACopyOfStaticStateTheUpdateReplaces_isNamed(Jdk jdk) {
    String fixed =
        """
        package p;
        import java.util.*;
        public class Lookups {
          static final class Holder {
            static final Map<String, String> DEFAULTS = Map.of("env", "EnvLookup");
          }
          public static Map<String, String> defaults() { return Holder.DEFAULTS; }
        }
        """;
    String changedToo =
        INTERPOLATOR.replace("public boolean", "public int size() { return 0; }\n  public boolean");

    // The interpolator unchanged, then changed too: either way its old objects hold the copy.
    for (String interpolator : List.of(INTERPOLATOR, changedToo)) {
      List<StaleState> named = staleAfter(jdk, fixed, interpolator);

      assertThat(named)
          .filteredOn(s -> s.kind() == StaleState.Kind.OBJECTS)
          .filteredOn(s -> s.owner().equals("p.Interpolator"))
          .extracting(StaleState::reason)
          .anyMatch(
              r ->
                  r.contains("p.Lookups.defaults() (old value: p.Lookups.DEFAULTS)")
                      && r.contains("a copy of it"));
    }
  }

  /** An accessor whose fixed version returns the same field: the static planner's to merge. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anAccessorThatStillReturnsTheSameStaticField_namesNoObjects(Jdk jdk) {
    String fixed =
        DEFAULT_LOOKUPS.replace(
            "{ return Collections.unmodifiableMap(DEFAULTS); }", "{ return DEFAULTS; }");

    List<StaleState> named = staleAfter(jdk, fixed, INTERPOLATOR);

    assertThat(named).noneMatch(s -> s.owner().equals("p.Interpolator"));
  }

  private static final String TREE =
      """
      package p;
      import java.util.*;
      public class Tree {
        private final List<Object> items;
        public Tree(Collection<?> source) {
          items = new ArrayList<>(source);
          for (ListIterator<Object> it = items.listIterator(); it.hasNext(); ) {
            Object o = it.next();
            if (o instanceof Collection) {
              it.set(new Tree((Collection<?>) o));
            }
          }
        }
        public int size() { return items.size(); }
      }
      """;

  /** Tree's constructor as a delegation to an added one that carries the depth as {@code depth}. */
  private static String treeWithDepth(String check, String nested) {
    return TREE.replace(
            "public Tree(Collection<?> source) {\n",
            "public Tree(Collection<?> source) { this(source, 0); }\n"
                + "  private Tree(Collection<?> source, int depth) {\n"
                + check)
        .replace("it.set(new Tree((Collection<?>) o));", nested);
  }

  /**
   * As jettison 1.5.4's JSONArray(Collection): the old constructor now passes its arguments and a
   * constant to a constructor the release adds, which takes one more parameter (the depth) that
   * only a check reads and only its own recursive construction passes on, changed. Whatever that
   * depth, it builds what the old constructor built or throws: objects built before the update are
   * in force.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatDelegatesToAnAddedOneCarryingADepthOnlyChecksRead_flagsNothing(Jdk jdk) {
    String post =
        treeWithDepth(
            "    if (depth > 500) throw new IllegalStateException(\"too deep: \" + depth);\n",
            "it.set(new Tree((Collection<?>) o, depth + 1));");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Tree.java", TREE), Map.of("p/Tree.java", post));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .flatMap(c -> c.applicability().notes())
        .anyMatch(n -> n.contains("Tree(java.util.Collection) only adds checks"));
  }

  /**
   * The same shape where the depth decides what is built (nested collections past the second level
   * are kept as they are): the objects built before the update hold what the new code would not
   * have built, and are named.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatDelegatesToAnAddedOneWhoseDepthDecidesWhatIsBuilt_namesTheObjects(Jdk jdk) {
    String post =
        treeWithDepth("", "if (depth < 2) { it.set(new Tree((Collection<?>) o, depth + 1)); }");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Tree.java", TREE), Map.of("p/Tree.java", post));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(StaleState.Kind.OBJECTS);
              assertThat(s.owner()).isEqualTo("p.Tree");
              assertThat(s.reason()).contains("Tree(java.util.Collection) changed");
            });
  }

  /**
   * The added constructor passes on a depth that the check does not only read: the nested trees get
   * the constant 0 instead, so the check never limits them; still the same objects or a throw (a
   * constant is passed where the depth was), and a depth stored in a field is named.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aConstructorThatDelegatesToAnAddedOneStoringTheDepth_namesTheObjects(Jdk jdk) {
    String post =
        treeWithDepth(
                "    this.depth = depth;\n", "it.set(new Tree((Collection<?>) o, depth + 1));")
            .replace(
                "private final List<Object> items;",
                "private final List<Object> items;\n  int depth;");

    LivePlanner.Plan plan = plan(jdk, Map.of("p/Tree.java", TREE), Map.of("p/Tree.java", post));

    assertThat(stale(plan)).anyMatch(s -> s.owner().equals("p.Tree"));
  }

  /**
   * As jettison's JSONObject: a container whose map holds what the program puts (trees built from
   * the collections it gives), and turns a second value under a name into a tree of both.
   */
  private static final String BAG =
      """
      package p;
      import java.util.*;
      public class Bag {
        private final Map<String, Object> items = new LinkedHashMap<>();
        public Bag() {}
        public Bag(Map<String, ?> source) {
          for (Map.Entry<String, ?> e : source.entrySet()) doPut(e.getKey(), e.getValue(), true);
        }
        public Bag put(String name, Object value) { return doPut(name, value, false); }
        public Bag put(String name, Collection<?> value) { return put(name, new Tree(value)); }
        public Bag add(Map.Entry<String, ?> pair) { return put(pair.getKey(), pair.getValue()); }
        public Object opt(String name) { return name == null ? null : items.get(name); }
        public Bag accumulate(String name, Object value) {
          Object o = opt(name);
          if (o == null) put(name, value);
          else put(name, new Tree(Arrays.asList(o, value)));
          return this;
        }
        public Bag copy() {
          Bag b = new Bag();
          for (String k : items.keySet()) b.put(k, items.get(k));
          return b;
        }
        protected Bag doPut(String name, Object value, boolean append) {
          if (append && items.containsKey(name)) {
            items.put(name, new Tree(Collections.singletonList(items.get(name))));
          } else {
            items.put(name, value);
          }
          return this;
        }
      }
      """;

  /**
   * A container's put is no cache's fill: with Tree's constructor only gaining checks (the jettison
   * 1.5.4 shape), the Bag's map holds what the program put, keyed by names it chose, and nothing is
   * named. Before, the map was named as a cache that may serve old trees again.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aContainerHoldingObjectsOfAConstructorThatOnlyGainsChecks_isNoCache(Jdk jdk) {
    String post =
        treeWithDepth(
            "    if (depth > 500) throw new IllegalStateException(\"too deep: \" + depth);\n",
            "it.set(new Tree((Collection<?>) o, depth + 1));");

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Tree.java", TREE, "p/Bag.java", BAG),
            Map.of("p/Tree.java", post, "p/Bag.java", BAG));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.verdict()).isEqualTo(Verdict.LIVE);
  }

  /**
   * A cache filled through a method that takes the key and the value, called with a value built
   * from the key, and one keyed by a text computed from what the value is built from: both still
   * named, as the cache filled in place is.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aCacheFilledThroughAHelperOrUnderADerivedKey_isStillNamed(Jdk jdk) {
    String caches =
        """
        package p;
        import java.util.*;
        public class NameCache {
          private final Map<String, Name> cache = new HashMap<>();
          private final Map<String, Name> pairs = new HashMap<>();
          public synchronized List<Name> all() {
            List<Name> out = new ArrayList<>(cache.values());
            out.addAll(pairs.values());
            return out;
          }
          public synchronized Name get(String text) {
            Name n = cache.get(text);
            if (n == null) {
              n = remember(text, new Name(text));
            }
            return n;
          }
          private Name remember(String text, Name n) {
            cache.put(text, n == null ? new Name(text) : n);
            return n;
          }
          public synchronized Name get(String prefix, String local) {
            String key = prefix + ":" + local;
            Name n = pairs.get(key);
            if (n == null) {
              n = new Name(local.isEmpty() ? prefix : local);
              pairs.put(key, n);
            }
            return n;
          }
        }
        """;

    LivePlanner.Plan plan =
        plan(
            jdk,
            Map.of("p/Name.java", NAME, "p/NameCache.java", caches),
            Map.of("p/Name.java", CHECKED_NAME, "p/NameCache.java", caches));

    assertThat(stale(plan))
        .extracting(StaleState::member)
        .containsExactlyInAnyOrder("cache", "pairs");
  }

  /** What is named stale when {@code DEFAULT_LOOKUPS} and {@code INTERPOLATOR} become these. */
  private static List<StaleState> staleAfter(Jdk jdk, String lookups, String interpolator) {
    return stale(
        plan(
            jdk,
            Map.of("p/Lookups.java", DEFAULT_LOOKUPS, "p/Interpolator.java", INTERPOLATOR),
            Map.of("p/Lookups.java", lookups, "p/Interpolator.java", interpolator)));
  }

  private static final String BINDER =
      """
      package p;
      public class Binder {
        private String[] denied;
        private int limit = 10;
        public void setDenied(String... names) { this.denied = names; }
        public void setLimit(int limit) { this.limit = limit; }
        public boolean allows(String field) {
          if (denied != null) {
            for (String d : denied) { if (d.equals(field)) return false; }
          }
          return field.length() <= limit;
        }
      }
      """;

  /**
   * As spring-context 5.3.19's {@code DataBinder.setDisallowedFields}: a setter the program called
   * at start now stores its argument in another form (lower-cased), which the fixed check reads; a
   * binder configured before the update keeps the old form, so it is named.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aSetterThatNowStoresAnotherFormOfItsArgument_namesTheObjects(Jdk jdk) {
    String fixed =
        BINDER
            .replace(
                "this.denied = names; }",
                "String[] lower = new String[names.length];"
                    + " for (int i = 0; i < names.length; i++) lower[i] = names[i].toLowerCase();"
                    + " this.denied = lower; }")
            .replace("d.equals(field)", "d.equals(field.toLowerCase())");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Binder.java", BINDER), Map.of("p/Binder.java", fixed));

    assertThat(stale(plan))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(StaleState.Kind.OBJECTS);
              assertThat(s.owner()).isEqualTo("p.Binder");
              assertThat(s.reason())
                  .contains("denied (by setDenied([Ljava/lang/String;)V)")
                  .doesNotContain("limit");
            });
    assertThat(plan.classes())
        .filteredOn(c -> c.name().equals("p.Binder"))
        .singleElement()
        .satisfies(c -> assertThat(c.applicability().verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK));
  }

  /** A setter that only gains a check stores what it stored: nothing to name. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aSetterThatOnlyGainsACheck_flagsNothing(Jdk jdk) {
    String fixed =
        BINDER.replace(
            "{ this.limit = limit; }",
            "{ if (limit < 0 || limit > 100) throw new IllegalArgumentException(\"limit\");"
                + " this.limit = limit; }");

    LivePlanner.Plan plan =
        plan(jdk, Map.of("p/Binder.java", BINDER), Map.of("p/Binder.java", fixed));

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.classes())
        .allSatisfy(c -> assertThat(c.applicability().verdict()).isEqualTo(Verdict.LIVE));
  }
}

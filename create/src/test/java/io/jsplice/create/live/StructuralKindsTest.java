package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The structural changes a stock JVM refuses to redefine, each lowered by the planner and run as
 * the running JVM would run it: the installed classes are verified and linked by this JVM and must
 * behave like the fixed release. Class files of JDK 17's and JDK 25's javac.
 */
class StructuralKindsTest {
  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static final String APP_HEADER =
      "package lib; public class App implements java.util.function.Supplier<String> { public String get() { return ";

  private static String app(String expression) {
    return APP_HEADER + expression + "; } }";
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedConstructor_runsInsideAnExistingOne_withItsFinalFieldsAndThisCall(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        public class Token {
          private final String value;
          public Token(String value) { this.value = value; }
          public String show() { return value; }
        }
        """;
    String post =
        """
        package lib;
        public class Token {
          private final String value;
          private final boolean masked;
          public Token(String value) { this(value, false); }
          private Token(String value, boolean masked) { this.value = value; this.masked = masked; }
          public static Token masked(String value) { return new Token(value, true); }
          public String show() { return masked ? "***" : value; }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Token.java", pre, "lib/App.java", app("new Token(\"x\").show()")),
            Map.of(
                "lib/Token.java",
                post,
                "lib/App.java",
                app("Token.masked(\"abc\").show() + \"|\" + new Token(\"x\").show()")));
    ClassUpdate token = built.entry("lib.Token");
    assertThat(token.applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    assertThat(token.applicability().mechanisms()).contains(Mechanism.ADDED_CONSTRUCTORS);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("***|x");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedSubclass_whoseSuperConstructorIsPrivate_isBuiltByFactories(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public class Shape {
          private final String name;
          private Shape(String name) { this.name = name; }
          public static Shape named(String name) { return new Shape(name); }
          public String describe() { return name; }
        }
        """;
    String post =
        """
        package lib;
        public class Shape {
          private final String name;
          private Shape(String name) { this.name = name; }
          private Shape() { this("round"); }
          public static Shape named(String name) {
            return name.equals("circle") ? new Circle(2) : new Shape(name);
          }
          public String describe() { return name; }
          static final class Circle extends Shape {
            private final int radius;
            Circle(int radius) { super(); this.radius = radius; }
            @Override public String describe() { return super.describe() + " r=" + radius; }
          }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of(
                "lib/Shape.java",
                pre,
                "lib/App.java",
                app(
                    "Shape.named(\"circle\").describe() + \"|\" + Shape.named(\"square\").describe()")),
            Map.of(
                "lib/Shape.java",
                post,
                "lib/App.java",
                app(
                    "Shape.named(\"circle\").describe() + \"|\" + Shape.named(\"square\").describe()")));
    assertThat(built.entry("lib.Shape$Circle").applicability().verdict()).isEqualTo(Verdict.LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("round r=2|square");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedOverride_isReachedFromTheMethodItOverrides_includingThroughSuperCalls(Jdk jdk)
      throws Exception {
    Map<String, String> pre =
        Map.of(
            "lib/Base.java",
            "package lib; public class Base { public String name() { return \"base\"; } }",
            "lib/Sub.java",
            "package lib; public class Sub extends Base { }",
            "lib/SubSub.java",
            "package lib; public class SubSub extends Sub {"
                + " @Override public String name() { return \"subsub>\" + super.name(); } }",
            "lib/App.java",
            app("new Sub().name() + \"|\" + new SubSub().name() + \"|\" + new Base().name()"));
    Map<String, String> post = new java.util.HashMap<>(pre);
    post.put(
        "lib/Sub.java",
        "package lib; public class Sub extends Base {"
            + " @Override public String name() { return \"sub>\" + super.name(); } }");
    InstalledRelease built = InstalledRelease.build(jdk, pre, post);
    ClassUpdate base = built.entry("lib.Base");
    assertThat(base.applicability().mechanisms()).contains(Mechanism.OVERRIDE_DISPATCH);
    assertThat(built.entry("lib.Sub").applicability().verdict()).isEqualTo(Verdict.LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.vulnerable(), "lib.App"))
        .isEqualTo("base|subsub>base|base");
    assertThat(InstalledRelease.call(built.installed(), "lib.App"))
        .isEqualTo("sub>base|subsub>sub>base|base");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void overrideOfAJdkMethod_isRefused_namingTheClass(Jdk jdk) throws Exception {
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of(
                "lib/Box.java",
                "package lib; public class Box { public int size() { return 1; } }"),
            Map.of(
                "lib/Box.java",
                "package lib; public class Box { public int size() { return 1; }"
                    + " @Override public String toString() { return \"Box\"; } }"));
    ClassUpdate box = built.entry("lib.Box");
    assertThat(box.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(box.applicability().notes())
        .anyMatch(
            n -> n.contains("java.lang.Object.toString") && n.contains("outside the release"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedCloneOfAFinalClass_isReachedOnlyByTheUpdatesCode_andApplies(Jdk jdk) throws Exception {
    String counter =
        "package lib; public %s class Counter { int n; public Counter(int n) { this.n = n; }"
            + " public String get() { return \"n=\" + n; } %s }";
    String clone = "@Override public Counter clone() { return new Counter(n + 1); }";
    for (String modifier : List.of("final", "")) {
      InstalledRelease built =
          InstalledRelease.build(
              jdk,
              Map.of(
                  "lib/Counter.java",
                  counter.formatted(modifier, ""),
                  "lib/App.java",
                  app("new Counter(5).get()")),
              Map.of(
                  "lib/Counter.java",
                  counter.formatted(modifier, clone),
                  "lib/App.java",
                  app("new Counter(5).clone().get()")));
      ClassUpdate entry = built.entry("lib.Counter");
      if (modifier.isEmpty()) {
        // a subclass outside the release could call the protected Object.clone on itself
        assertThat(entry.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
        assertThat(entry.applicability().notes())
            .anyMatch(
                n -> n.contains("java.lang.Object.clone") && n.contains("outside the release"));
        continue;
      }
      // protobuf-java 3.16.1's UnknownFieldSet.Field.Builder: refused before, with the whole fix
      assertThat(entry.applicability().verdict()).as(entry.toString()).isEqualTo(Verdict.LIVE);
      built.verifyAll();
      assertThat(InstalledRelease.call(built.vulnerable(), "lib.App")).isEqualTo("n=5");
      assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("n=6");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void subclassOfAClassFinalInTheRunningJvm_isMergedIntoIt(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public final class Greeter {
          private final String greeting;
          public Greeter(String greeting) { this.greeting = greeting; }
          public String greet(String who) { return greeting + " " + who; }
          public static Greeter of(String greeting) { return new Greeter(greeting); }
        }
        """;
    String post =
        """
        package lib;
        public class Greeter {
          private final String greeting;
          public Greeter(String greeting) { this.greeting = greeting; }
          public String greet(String who) { return greeting + " " + who; }
          public boolean isQuiet() { return this instanceof Quiet; }
          public static Greeter of(String greeting) {
            return greeting.isEmpty() ? new Quiet() : new Greeter(greeting);
          }
          static final class Quiet extends Greeter {
            private int calls;
            Quiet() { super(""); }
            @Override public String greet(String who) { calls++; return "(quiet " + calls + ")"; }
          }
        }
        """;
    String use = "Greeter.of(\"\").greet(\"a\") + \"|\" + Greeter.of(\"hi\").greet(\"b\")";
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Greeter.java", pre, "lib/App.java", app(use)),
            Map.of(
                "lib/Greeter.java",
                post,
                "lib/App.java",
                app(
                    "quiet(Greeter.of(\"\")) + \"|\" + "
                        + use
                        + " + \"|\" + Greeter.of(\"hi\").isQuiet() + \"|\" + Greeter.of(\"\").isQuiet(); }"
                        + " static String quiet(Greeter g) { g.greet(\"x\"); return g.greet(\"y\")")));
    ClassUpdate quiet = built.entry("lib.Greeter$Quiet");
    assertThat(quiet.applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(quiet.applicability().mechanisms()).contains(Mechanism.MERGED_SUBCLASSES);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App"))
        .isEqualTo("(quiet 2)|(quiet 1)|hi b|false|true");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void mergedSubclassesSynchronizedMethod_locksTheObject(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public final class Greeter {
          public String greet(String who) { return "hi " + who; }
          public static Greeter of(String greeting) { return new Greeter(); }
        }
        """;
    String post =
        """
        package lib;
        public class Greeter {
          public String greet(String who) { return "hi " + who; }
          public static Greeter of(String greeting) {
            return greeting.isEmpty() ? new Quiet() : new Greeter();
          }
          static final class Quiet extends Greeter {
            private int calls;
            @Override public synchronized String greet(String who) {
              calls++;
              return "(quiet " + calls + ":" + Thread.holdsLock(this) + ")";
            }
          }
        }
        """;
    String use = "Greeter.of(\"\").greet(\"a\") + \"|\" + Greeter.of(\"x\").greet(\"b\")";
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Greeter.java", pre, "lib/App.java", app(use)),
            Map.of("lib/Greeter.java", post, "lib/App.java", app(use)));
    assertThat(built.entry("lib.Greeter$Quiet").applicability().verdict()).isEqualTo(Verdict.LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App"))
        .isEqualTo("(quiet 1:true)|hi b");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void classWhoseOwnObjectsTheFixedReleaseNoLongerBuilds_needsAHook(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public final class Format {
          private final boolean lookups;
          private Format(boolean lookups) { this.lookups = lookups; }
          public static Format of(String options) { return new Format(!options.contains("nolookups")); }
          public String format(String s) { return lookups ? s.replace("${x}", "X") : s; }
        }
        """;
    String post =
        """
        package lib;
        public class Format {
          private Format() {}
          public static Format of(String options) { return new Plain(); }
          public String format(String s) { throw new UnsupportedOperationException(); }
          private static final class Plain extends Format {
            @Override public String format(String s) { return s; }
          }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Format.java", pre, "lib/App.java", app("Format.of(\"\").format(\"${x}\")")),
            Map.of(
                "lib/Format.java", post, "lib/App.java", app("Format.of(\"\").format(\"${x}\")")));
    ClassUpdate format = built.entry("lib.Format");
    assertThat(format.applicability().verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK);
    assertThat(format.applicability().notes())
        .anyMatch(n -> n.contains("no longer builds") && n.contains("hook"));
    built.verifyAll();
    assertThat(InstalledRelease.call(built.vulnerable(), "lib.App")).isEqualTo("X");
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("${x}");
  }

  /**
   * An enum constant the fixed release adds, in an enum no code of the release enumerates (as
   * spring-expression 5.3.17's SpelMessage): the fixed code that names it gets an object of the
   * loaded enum, with the fixed release's name, and the constants the JVM loaded stay the same
   * objects.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void addedEnumConstant_isAnObjectOfTheLoadedEnum_forTheFixedCode(Jdk jdk) throws Exception {
    String renderer =
        "package lib; public class Renderer { public String render() { Mode m = Mode.%s;"
            + " return m.name() + (Mode.PLAIN == Holder.HELD); } }";
    String holder =
        "package lib; public class Holder { public static final Mode HELD = Mode.PLAIN; }";
    String app = app("Holder.HELD.name() + \"|\" + new Renderer().render()");
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of(
                "lib/Mode.java",
                "package lib; public enum Mode { PLAIN }",
                "lib/Holder.java",
                holder,
                "lib/Renderer.java",
                renderer.formatted("PLAIN"),
                "lib/App.java",
                app),
            Map.of(
                "lib/Mode.java",
                "package lib; public enum Mode { PLAIN, FANCY }",
                "lib/Holder.java",
                holder,
                "lib/Renderer.java",
                renderer.formatted("FANCY"),
                "lib/App.java",
                app));

    assertThat(built.entry("lib.Mode").applicability().verdict()).isEqualTo(Verdict.LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.vulnerable(), "lib.App")).isEqualTo("PLAIN|PLAINtrue");
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("PLAIN|FANCYtrue");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void liveSubset_leavesOutWhatCannotApply_andWhatUsesIt(Jdk jdk) throws Exception {
    Map<String, String> pre =
        Map.of(
            "lib/Mode.java",
            "package lib; public enum Mode { PLAIN; public static Mode of(String s) { return valueOf(s); } }",
            "lib/Renderer.java",
            "package lib; public class Renderer { public String render() { return Mode.PLAIN.name(); } }",
            "lib/App.java",
            app("new Check().run(\"../x\") + \"|\" + new Renderer().render()"),
            "lib/Check.java",
            "package lib; public class Check { public String run(String path) { return \"ok\"; } }");
    Map<String, String> post =
        Map.of(
            "lib/Mode.java",
            "package lib; public enum Mode { FANCY, PLAIN; public static Mode of(String s) { return valueOf(s); } }",
            "lib/Renderer.java",
            "package lib; public class Renderer { public String render() { return Mode.FANCY.name(); } }",
            "lib/App.java",
            app("new Check().run(\"../x\") + \"|\" + new Renderer().render()"),
            "lib/Check.java",
            "package lib; public class Check { public String run(String path) {"
                + " return path.contains(\"..\") ? \"rejected\" : \"ok\"; } }");
    InstalledRelease whole = InstalledRelease.build(jdk, pre, post);
    assertThat(whole.update().update().applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);

    InstalledRelease subset = InstalledRelease.build(jdk, pre, post, true);
    assertThat(subset.update().update().applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(subset.created().leftOut()).containsOnlyKeys("lib.Mode", "lib.Renderer");
    assertThat(subset.created().leftOut().get("lib.Renderer")).contains("lib.Mode.FANCY");
    assertThat(subset.update().update().applicability().notes())
        .anyMatch(n -> n.startsWith("left out") && n.contains("lib.Mode"));
    subset.verifyAll();
    assertThat(InstalledRelease.call(subset.installed(), "lib.App")).isEqualTo("rejected|PLAIN");
  }

  /**
   * The in-force subset also leaves out what would be only partly in force (gson 2.8.9's number
   * strategies, set only by constructors from their arguments, beside the fix): a field added to
   * Client that only its constructor sets from an argument, which Client objects built before the
   * update would read as null; and Pool, which calls a method Client adds. The fix in Check is all
   * the update holds, and it is in force with no state left old.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void inForceSubset_leavesOutWhatWouldBeOnlyPartlyInForce_andWhatUsesIt(Jdk jdk) throws Exception {
    String app = app("new Check().run(\"../x\") + \"|\" + new Pool().await(new Client(7))");
    Map<String, String> pre =
        Map.of(
            "lib/Client.java",
            "package lib; public class Client { private int timeoutMillis;"
                + " public Client(int millis) { timeoutMillis = millis; }"
                + " public long timeout() { return timeoutMillis; } }",
            "lib/Pool.java",
            "package lib; public class Pool { public long await(Client c) { return c.timeout(); } }",
            "lib/App.java",
            app,
            "lib/Check.java",
            "package lib; public class Check { public String run(String path) { return \"ok\"; } }");
    Map<String, String> post =
        Map.of(
            "lib/Client.java",
            "package lib; public class Client { private java.time.Duration timeout;"
                + " public Client(int millis) { timeout = java.time.Duration.ofMillis(millis); }"
                + " public java.time.Duration timeoutDuration() { return timeout; }"
                + " public long timeout() { return timeout.toMillis(); } }",
            "lib/Pool.java",
            "package lib; public class Pool {"
                + " public long await(Client c) { return c.timeoutDuration().toMillis(); } }",
            "lib/App.java",
            app,
            "lib/Check.java",
            "package lib; public class Check { public String run(String path) {"
                + " return path.contains(\"..\") ? \"rejected\" : \"ok\"; } }");
    InstalledRelease live = InstalledRelease.build(jdk, pre, post, true);
    assertThat(live.update().update().partlyInForce()).isTrue();
    assertThat(live.created().leftOut()).isEmpty();

    InstalledRelease inForce =
        InstalledRelease.build(jdk, pre, post, r -> r.withInForceSubset(true));
    assertThat(inForce.update().update().partlyInForce()).isFalse();
    assertThat(inForce.update().update().applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(inForce.created().leftOut()).containsOnlyKeys("lib.Client", "lib.Pool");
    assertThat(inForce.created().leftOut().get("lib.Client"))
        .startsWith("only partly in force: objects of lib.Client built before the update")
        .contains("timeout as null");
    assertThat(inForce.created().leftOut().get("lib.Pool")).contains("lib.Client.timeoutDuration");
    assertThat(inForce.update().update().applicability().notes())
        .anyMatch(n -> n.startsWith("left out") && n.contains("lib.Client"));
    inForce.verifyAll();
    assertThat(InstalledRelease.call(inForce.installed(), "lib.App")).isEqualTo("rejected|7");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void narrowedFieldType_keepsTheLoadedField_whenEveryStoredValueFits(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        import java.util.*;
        public class Holder {
          private Collection<String> items;
          public Holder(String first) { items = new ArrayList<>(List.of(first)); }
          public int size() { return items.size(); }
        }
        """;
    String post =
        """
        package lib;
        import java.util.*;
        public class Holder {
          private List<String> items;
          public Holder(String first) { items = new ArrayList<>(List.of(first)); }
          public int size() { return items.size(); }
          public String first() { return items.get(0); }
          public void reset(String first) { items = new LinkedList<>(List.of(first)); }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Holder.java", pre, "lib/App.java", app("new Holder(\"a\").size() + \"\"")),
            Map.of(
                "lib/Holder.java",
                post,
                "lib/App.java",
                app(
                    "first(new Holder(\"a\")); } static String first(Holder h) {"
                        + " String f = h.first(); h.reset(\"b\"); return f + h.first() + h.size()")));
    ClassUpdate holder = built.entry("lib.Holder");
    // The constructor differs only in the type its store names, which the running JVM keeps old:
    // objects built before the update hold what the fixed constructor would give them.
    assertThat(holder.applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(holder.applicability().stale()).isEmpty();
    assertThat(holder.applicability().notes())
        .anyMatch(n -> n.contains("keeps its old type"))
        .noneMatch(n -> n.contains("ClassCastException"));
    built.verifyAll();
    Class<?> c = Class.forName("lib.Holder", false, built.installed());
    assertThat(c.getDeclaredField("items").getType()).isEqualTo(java.util.Collection.class);
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("ab1");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void widenedFieldType_whoseInitializerOnlyNamesTheNewType_leavesNoObjectStale(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        import java.util.*;
        public class Tags {
          private ArrayList<String> tags = new ArrayList<>();
          public Tags add(String t) { tags.add(t); return this; }
          public String show() { return String.join(",", tags); }
        }
        """;
    String post =
        pre.replace("private ArrayList<String> tags", "private List<String> tags")
            .replace(
                "{ tags.add(t); return this; }",
                "{ if (!t.contains(\"<\")) tags.add(t); return this; }");
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Tags.java", pre, "lib/App.java", app("new Tags().add(\"<b>\").show()")),
            Map.of("lib/Tags.java", post, "lib/App.java", app("new Tags().add(\"<b>\").show()")));
    ClassUpdate tags = built.entry("lib.Tags");
    assertThat(tags.applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(tags.applicability().stale()).isEmpty();
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void retypedField_whoseConstructorAlsoStoresAnotherValue_leavesOldObjectsStale(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        import java.util.*;
        public class Holder {
          private Collection<String> items;
          public Holder(String first) { items = new ArrayList<>(List.of(first)); }
          public int size() { return items.size(); }
        }
        """;
    String post =
        pre.replace("private Collection<String> items", "private List<String> items")
            .replace("List.of(first)", "List.of(first, \"z\")");
    InstalledRelease built =
        InstalledRelease.build(
            jdk, Map.of("lib/Holder.java", pre), Map.of("lib/Holder.java", post));
    ClassUpdate holder = built.entry("lib.Holder");
    // Only the retyping is looked through: a constructor that builds another value still leaves
    // the objects built before the update with what the old one gave them.
    assertThat(holder.applicability().verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK);
    assertThat(holder.applicability().stale())
        .anyMatch(
            s ->
                s.reason().contains("Holder(java.lang.String) changed")
                    && s.reason().contains("it may give items other values"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void narrowedFieldType_whenAnOldValueMayNotFit_needsAHook_namingTheStore(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        import java.util.*;
        public class Holder {
          private Collection<String> items;
          public Holder(String first) { items = new HashSet<>(Set.of(first)); }
          public int size() { return items.size(); }
        }
        """;
    String post =
        pre.replace("private Collection<String> items", "private List<String> items")
            .replace("new HashSet<>(Set.of(first))", "new ArrayList<>(List.of(first))");
    InstalledRelease built =
        InstalledRelease.build(
            jdk, Map.of("lib/Holder.java", pre), Map.of("lib/Holder.java", post));
    ClassUpdate holder = built.entry("lib.Holder");
    assertThat(holder.applicability().verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK);
    assertThat(holder.applicability().notes())
        .anyMatch(
            n ->
                n.contains("may hold in items a value that is not a java.util.List")
                    && n.contains("lib.Holder.<init> stores a java.util.HashSet")
                    && n.contains("ClassCastException"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void widenedFieldType_isRefused_whenTheFixedCodeStoresWhatTheOldTypeCannotHold(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        import java.util.*;
        public class Holder {
          private List<String> items = new ArrayList<>();
          public int size() { return items.size(); }
        }
        """;
    String post =
        pre.replace(
            "private List<String> items = new ArrayList<>()",
            "private Collection<String> items = new HashSet<>()");
    InstalledRelease built =
        InstalledRelease.build(
            jdk, Map.of("lib/Holder.java", pre), Map.of("lib/Holder.java", post));
    ClassUpdate holder = built.entry("lib.Holder");
    assertThat(holder.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(holder.applicability().notes())
        .anyMatch(n -> n.contains("the fixed code stores values that are not a java.util.List"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void methodMovedUpIntoAnAbstractDeclaration_keepsTheDeclaration_andRunsTheNewCode(Jdk jdk)
      throws Exception {
    Map<String, String> pre =
        Map.of(
            "lib/Shape.java",
            "package lib; public abstract class Shape { public abstract String name(); }",
            "lib/Circle.java",
            "package lib; public class Circle extends Shape { public String name() { return \"circle\"; } }",
            "lib/App.java",
            app("((Shape) new Circle()).name()"));
    Map<String, String> post = new java.util.HashMap<>(pre);
    post.put(
        "lib/Shape.java",
        "package lib; public abstract class Shape { public String name() { return \"moved up\"; } }");
    post.put("lib/Circle.java", "package lib; public class Circle extends Shape { }");
    InstalledRelease built = InstalledRelease.build(jdk, pre, post);
    assertThat(built.entry("lib.Shape").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    Class<?> shape = Class.forName("lib.Shape", false, built.installed());
    assertThat(
            java.lang.reflect.Modifier.isAbstract(shape.getDeclaredMethod("name").getModifiers()))
        .as("the running class keeps its abstract declaration")
        .isTrue();
    assertThat(InstalledRelease.call(built.vulnerable(), "lib.App")).isEqualTo("circle");
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("moved up");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void removedStaticField_staysForOldCallers_andIsInitializedWhereTheClassLoadsLater(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        import java.util.*;
        public class Registry {
          public static final Set<String> LEGACY = new TreeSet<>(List.of("a", "b"));
          public static String names() { return String.join(",", LEGACY); }
        }
        """;
    String post =
        """
        package lib;
        public class Registry {
          public static String names() { return "none"; }
        }
        """;
    // App is old code that still reads the removed field (the fixed release no longer has App).
    String app = app("Registry.names() + \"|\" + Registry.LEGACY.size()");
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Registry.java", pre, "lib/App.java", app),
            Map.of("lib/Registry.java", post));
    assertThat(built.entry("lib.Registry").applicability().notes())
        .anyMatch(n -> n.contains("removed static fields") && n.contains("initializes them"));
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("none|2");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void removedStaticField_whoseOldInitializerAssertsOnIt_keepsTheAssertWithItsJumpTarget(Jdk jdk)
      throws Exception {
    // h2 2.3.230 retypes SetTypes.TYPES (ArrayList -> List); the old initializer's statements for
    // the removed field end with an assert that jumps to the label after it. Copied without that
    // label, the frame computation failed (NullPointerException: create's internal error).
    String pre =
        """
        package lib;
        import java.util.*;
        public class Types {
          private static final ArrayList<String> TYPES;
          static {
            ArrayList<String> list = new ArrayList<>();
            list.add("a");
            list.add("b");
            TYPES = list;
            assert TYPES.size() == 2;
          }
          public static String names() { return String.join(",", TYPES); }
        }
        """;
    String post =
        """
        package lib;
        import java.util.*;
        public class Types {
          private static final List<String> TYPES = List.of("a", "b", "c");
          public static String names() { return String.join(",", TYPES); }
        }
        """;
    String app = app("Types.names()");
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Types.java", pre, "lib/App.java", app),
            Map.of("lib/Types.java", post, "lib/App.java", app));
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("a,b,c");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void callToAVarHandle_isNotAMemberTheJvmLacks(Jdk jdk) throws Exception {
    // A call to VarHandle.get names the call site's descriptor ([BI)J, which VarHandle never
    // declares (signature polymorphism); h2 2.3.230's BitFunction was refused for it.
    String pre =
        "package lib; public class Bits { public static long first(byte[] b) { return 0; } }";
    String post =
        """
        package lib;
        import java.lang.invoke.*;
        public class Bits {
          public static long first(byte[] b) {
            VarHandle longs = MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
            return (long) longs.get(b, 0);
          }
        }
        """;
    String app = app("\"\" + Bits.first(new byte[] {0, 0, 0, 0, 0, 0, 0, 7})");
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Bits.java", pre, "lib/App.java", app),
            Map.of("lib/Bits.java", post, "lib/App.java", app));
    assertThat(built.entry("lib.Bits").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("7");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void privateMethodMadeStatic_isCalledAsTheStaticMethodItBecame(Jdk jdk) throws Exception {
    // bcprov 1.80.2 made PKIXNameConstraintValidator's private helpers static, same descriptors;
    // the loaded class keeps the old instance ones, whose old code calls the others in a loop
    // (a receiver left on the stack there is a VerifyError).
    String pre =
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
        """;
    String post =
        """
        package lib;
        import java.util.*;
        public class Validator {
          private final Set<String> excluded = new HashSet<>(List.of("a@x"));
          public boolean check(String... mails) { return anyExcluded(excluded, mails); }
          public boolean checkOne(String mail) { return anyExcluded(excluded, mail.trim()); }
          private static boolean anyExcluded(Set<String> set, String... mails) {
            for (String m : mails) { if (set.contains(norm(m))) { return true; } }
            return false;
          }
          private static String norm(String mail) { return mail.toLowerCase(); }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of(
                "lib/Validator.java",
                pre,
                "lib/App.java",
                app("\"\" + new Validator().check(\"a@x\")")),
            Map.of(
                "lib/Validator.java",
                post,
                "lib/App.java",
                app(
                    "new Validator().check(\"b\", \"A@x\") + \"|\" + new Validator().checkOne(\" A@X \")")));
    assertThat(built.entry("lib.Validator").applicability().verdict())
        .isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("true|true");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedStaticAndInstanceMethodsOfOneName_takingTheHostFirst_bothRunFromTheCompanion(Jdk jdk)
      throws Exception {
    // bcprov 1.81's Extensions adds getExtensionValue(Extensions, OID) and getExtensionValue(OID).
    String pre =
        """
        package lib;
        public class Ext {
          final String v;
          public Ext(String v) { this.v = v; }
        }
        """;
    String post =
        """
        package lib;
        public class Ext {
          final String v;
          public Ext(String v) { this.v = v; }
          public static String value(Ext e, String key) { return e == null ? "none" : e.value(key); }
          public String value(String key) { return key + "=" + v; }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Ext.java", pre, "lib/App.java", app("new Ext(\"1\").v")),
            Map.of(
                "lib/Ext.java",
                post,
                "lib/App.java",
                app("Ext.value(new Ext(\"1\"), \"a\") + \"|\" + Ext.value(null, \"b\")")));
    assertThat(built.entry("lib.Ext").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("a=1|none");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedSynchronizedMethods_lockTheReceiverOrTheHostsClass_fromTheCompanion(Jdk jdk)
      throws Exception {
    // kafka-clients 3.9.1's MockConsumer adds a synchronized instance method; as a static method
    // of the companion, the flag would lock the companion's class instead.
    String pre =
        """
        package lib;
        public class Counter {
          private int n;
          public synchronized int next() { return ++n; }
        }
        """;
    String post =
        """
        package lib;
        public class Counter {
          private int n;
          public synchronized int next() { return ++n; }
          public synchronized String add(int k) {
            if (k < 0) throw new IllegalArgumentException("negative");
            n += k;
            return n + ":" + Thread.holdsLock(this) + ":" + Thread.holdsLock(Counter.class);
          }
          public static synchronized String kind() {
            return "counter:" + Thread.holdsLock(Counter.class);
          }
        }
        """;
    String use =
        """
        Counter c = new Counter();
        String failed;
        try { c.add(-1); failed = "accepted"; }
        catch (IllegalArgumentException e) { failed = "refused:" + Thread.holdsLock(c); }
        return c.add(2) + "|" + Counter.kind() + "|" + failed + "|" + Thread.holdsLock(c);
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Counter.java", pre, "lib/App.java", app("\"old\"")),
            Map.of(
                "lib/Counter.java",
                post,
                "lib/App.java",
                APP_HEADER.replace("return ", "") + use + "} }"));
    assertThat(built.entry("lib.Counter").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App"))
        .isEqualTo("2:true:false|counter:true|refused:false|false");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedNativeMethod_isRefused_sayingWhy(Jdk jdk) throws Exception {
    // tomcat-embed-core 11.0.18 adds native methods to org.apache.tomcat.jni.SSLContext.
    String pre = "package lib; public class Ssl { public static int version() { return 1; } }";
    String post =
        "package lib; public class Ssl { public static int version() { return level(); }"
            + " private static native int level(); }";
    InstalledRelease built =
        InstalledRelease.build(jdk, Map.of("lib/Ssl.java", pre), Map.of("lib/Ssl.java", post));
    ClassUpdate ssl = built.entry("lib.Ssl");
    assertThat(ssl.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(ssl.applicability().notes())
        .anyMatch(n -> n.contains("adds the native method level()I") && n.contains("restart"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedWriteReplace_isNotInForceLive_andTheVerdictSaysSo(Jdk jdk) throws Exception {
    String pre =
        "package lib; public class Secret implements java.io.Serializable {"
            + " public String key = \"k\"; }";
    String post =
        "package lib; public class Secret implements java.io.Serializable {"
            + " public String key = \"k\";"
            + " private Object writeReplace() { return \"(redacted)\"; } }";
    InstalledRelease built =
        InstalledRelease.build(
            jdk, Map.of("lib/Secret.java", pre), Map.of("lib/Secret.java", post));
    ClassUpdate secret = built.entry("lib.Secret");
    assertThat(secret.applicability().verdict()).isEqualTo(Verdict.LIVE_NEEDS_HOOK);
    assertThat(secret.applicability().notes())
        .anyMatch(n -> n.contains("writeReplace()") && n.contains("not in force live"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anonymousClassReplacedByAnotherOfTheSameName_isInstalledUnderAFreshName(Jdk jdk)
      throws Exception {
    // gson 2.8.9: ObjectTypeAdapter$1 now captures a strategy; 2.8.8's $1, loaded, does not.
    String pre =
        """
        package lib;
        public class Adapter {
          public interface Factory { String make(String x); }
          static final Factory FACTORY = new Factory() {
            public String make(String x) { return "plain:" + x; }
          };
          public static String make(String x) { return FACTORY.make(x); }
        }
        """;
    String post =
        """
        package lib;
        public class Adapter {
          public interface Factory { String make(String x); }
          static Factory newFactory(String prefix) {
            return new Factory() { public String make(String x) { return prefix + x; } };
          }
          public static String make(String x) { return newFactory("strict:").make(x.trim()); }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Adapter.java", pre, "lib/App.java", app("Adapter.make(\" x\")")),
            Map.of("lib/Adapter.java", post));
    assertThat(built.update().update().classUpdate("lib.Adapter$1$jsplice"))
        .as("the new anonymous class, renamed away from the loaded one")
        .isPresent();
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("strict:x");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void staticMethodMadeInstance_keepsOldCodeOnTheStaticOne_andNewCodeOnTheInstanceOne(Jdk jdk)
      throws Exception {
    // The reverse of privateMethodMadeStatic: bcprov 1.81 turned PKIXNameConstraintValidator's
    // static helpers back into instance methods (same descriptors) and removed the public method
    // whose old code calls one of them statically. The loaded class keeps the static ones and that
    // method; an invokestatic there sent to the moved instance method lacks its receiver.
    String pre =
        """
        package lib;
        import java.util.*;
        public class Validator {
          private final Set<String> excluded = new HashSet<>(List.of("a@x"));
          public boolean check(String... mails) { return anyExcluded(excluded, mails); }
          public boolean checkOne(String mail) { return anyExcluded(excluded, mail.trim()); }
          private static boolean anyExcluded(Set<String> set, String... mails) {
            for (String m : mails) { if (set.contains(norm(m))) { return true; } }
            return false;
          }
          private static String norm(String mail) { return mail; }
        }
        """;
    String post =
        """
        package lib;
        import java.util.*;
        public class Validator {
          private final Set<String> excluded = new HashSet<>(List.of("a@x"));
          public boolean check(String... mails) { return anyExcluded(excluded, mails); }
          private boolean anyExcluded(Set<String> set, String... mails) {
            for (String m : mails) { if (set.contains(norm(m))) { return true; } }
            return false;
          }
          private String norm(String mail) { return mail.toLowerCase(); }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of(
                "lib/Validator.java",
                pre,
                "lib/App.java",
                app("\"\" + new Validator().checkOne(\" a@x \")")),
            Map.of(
                "lib/Validator.java",
                post,
                "lib/App.java",
                app("\"\" + new Validator().check(\"b\", \"A@x\")")));
    assertThat(built.entry("lib.Validator").applicability().verdict())
        .isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("true");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void memberMadeVisibleToAnotherPackage_isReachedThroughABridge(Jdk jdk) throws Exception {
    // bcprov 1.80 made SLHDSAParameters.getN() public and called it from another package; the
    // loaded class keeps it package-private (flags cannot change), so a direct call from the
    // other package is an IllegalAccessError the first time it runs.
    String pre =
        """
        package lib.a;
        public class Params {
          int n() { return 1; }
          protected int m() { return 2; }
        }
        """;
    String post =
        """
        package lib.a;
        public class Params {
          public int n() { return 1; }
          public int m() { return 2; }
        }
        """;
    String usePre =
        "package lib.b; public class Use { public static int size(lib.a.Params p) { return 0; } }";
    String usePost =
        "package lib.b; public class Use { public static int size(lib.a.Params p) { return p.n() * 10 + p.m(); } }";
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of(
                "lib/a/Params.java",
                pre,
                "lib/b/Use.java",
                usePre,
                "lib/App.java",
                app("\"\" + lib.b.Use.size(new lib.a.Params())")),
            Map.of(
                "lib/a/Params.java",
                post,
                "lib/b/Use.java",
                usePost,
                "lib/App.java",
                app("\"\" + lib.b.Use.size(new lib.a.Params())")));
    assertThat(built.entry("lib.b.Use").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("12");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedInterfaceWithALambdaConstant_keepsItsMethodsPublicOrPrivate(Jdk jdk) throws Exception {
    // commons-lang3 3.18.0 adds functional interfaces whose NOP constant is a lambda: javac puts
    // its body in a private static method of the interface, and an interface method that is
    // neither public nor private is a ClassFormatError.
    String post =
        """
        package lib;
        public interface Check {
          Check NOP = s -> s.isEmpty();
          boolean test(String s);
          default boolean both(String a, String b) { return twice(a) && test(b); }
          private boolean twice(String s) { return test(s) && test(s); }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/App.java", app("\"old\"")),
            Map.of(
                "lib/Check.java",
                post,
                "lib/App.java",
                app("Check.NOP.test(\"\") + \"|\" + Check.NOP.both(\"\", \"x\")")));
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("true|false");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anonymousClassCapturingAValueOfAnotherType_isInstalledUnderAFreshName(Jdk jdk)
      throws Exception {
    // commons-lang3 3.18.0: ClassUtils$1, the iterator of hierarchy(), captures an AtomicReference
    // where 3.17.0's captured a MutableObject; the loaded $1 keeps its field's type.
    String pre =
        """
        package lib;
        public class Walk {
          public static class Box { public Object v; }
          public static java.util.Iterator<String> of(String first) {
            Box next = new Box();
            next.v = first;
            return new java.util.Iterator<String>() {
              public boolean hasNext() { return next.v != null; }
              public String next() { String r = (String) next.v; next.v = null; return "old:" + r; }
            };
          }
        }
        """;
    String post =
        """
        package lib;
        import java.util.concurrent.atomic.AtomicReference;
        public class Walk {
          public static class Box { public Object v; }
          public static java.util.Iterator<String> of(String first) {
            AtomicReference<String> next = new AtomicReference<>(first);
            return new java.util.Iterator<String>() {
              public boolean hasNext() { return next.get() != null; }
              public String next() { return "new:" + next.getAndSet(null); }
            };
          }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Walk.java", pre, "lib/App.java", app("Walk.of(\"x\").next()")),
            Map.of("lib/Walk.java", post));
    assertThat(built.update().update().classUpdate("lib.Walk$1$jsplice"))
        .as("the new anonymous class, renamed away from the loaded one")
        .isPresent();
    assertThat(built.entry("lib.Walk").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("new:x");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void lambdaInMovedCode_whoseBodyIsAPrivateMethodOfTheHost_isLinkedWithTheHostsAccess(Jdk jdk)
      throws Exception {
    // commons-lang3 3.18.0's ClassUtils: the recomputed static initializer and added methods move
    // to the companion, but their lambdas and method references name private methods the loaded
    // class keeps (lambda$static$1...); a method handle constant is resolved with the access of
    // the class holding it, and the companion is not the host's nestmate.
    String pre =
        """
        package lib;
        public class Names {
          private final String prefix;
          public Names(String prefix) { this.prefix = prefix; }
          private static boolean blank(String s) { return s.isBlank(); }
          private String tag(String s) { return prefix + s; }
          public String show(String s) { return s; }
        }
        """;
    String post =
        """
        package lib;
        import java.util.function.Function;
        import java.util.function.Predicate;
        public class Names {
          private final String prefix;
          public Names(String prefix) { this.prefix = prefix; }
          private static boolean blank(String s) { return s.isBlank(); }
          private String tag(String s) { return prefix + s; }
          public String show(String s) { return checked(s); }
          private String checked(String s) {
            Predicate<String> p = Names::blank;
            Function<String, String> f = this::tag;
            return p.test(s) ? "blank" : f.apply(s);
          }
          public static String serial(String s) {
            java.util.function.Supplier<String> x =
                (java.util.function.Supplier<String> & java.io.Serializable) () -> s;
            Predicate<String> p = (Predicate<String> & java.io.Serializable) Names::blank;
            return x.get() + p.test(s);
          }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Names.java", pre, "lib/App.java", app("new Names(\"p:\").show(\"x\")")),
            Map.of(
                "lib/Names.java",
                post,
                "lib/App.java",
                app(
                    "new Names(\"p:\").show(\"x\") + \"|\" + new Names(\"p:\").show(\" \")"
                        + " + \"|\" + Names.serial(\"y\")")));
    assertThat(built.entry("lib.Names").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("p:x|blank|yfalse");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void fieldMadeNonFinal_andWrittenOutsideTheConstructor_isWrittenThroughABridge(Jdk jdk)
      throws Exception {
    // spring-web 7.0.1 made ServletRequestBindingException.body non-final and assigns it in
    // getBody(); the loaded class keeps it final (flags cannot change), and a putfield to a final
    // field outside its class's constructors is an IllegalAccessError the first time it runs.
    String pre =
        """
        package lib;
        public class Problem {
          private final String body;
          public Problem() { body = "old"; }
          public String getBody() { return body; }
        }
        """;
    String post =
        """
        package lib;
        public class Problem {
          private String body;
          public Problem() { body = "old"; }
          public String getBody() { if (body.equals("old")) { body = "new"; } return body; }
        }
        """;
    String app = app("new Problem().getBody()");
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Problem.java", pre, "lib/App.java", app),
            Map.of("lib/Problem.java", post, "lib/App.java", app));
    assertThat(built.entry("lib.Problem").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    built.verifyAll();
    assertThat(InstalledRelease.call(built.installed(), "lib.App")).isEqualTo("new");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void staticFieldMadeNonFinal_andWrittenOutsideTheInitializer_isRefused(Jdk jdk) throws Exception {
    // A static final field cannot be written outside its class's static initializer, by a bridge
    // either: the loaded class keeps the flag, so such a write cannot run in the running JVM.
    String pre =
        """
        package lib;
        public class Limits {
          private static final StringBuilder MAX = new StringBuilder("1");
          public static String max() { return MAX.toString(); }
        }
        """;
    String post =
        """
        package lib;
        public class Limits {
          private static StringBuilder MAX = new StringBuilder("1");
          public static String max() { if (MAX.length() == 1) { MAX = new StringBuilder("2"); } return MAX.toString(); }
        }
        """;
    String app = app("Limits.max()");
    InstalledRelease built =
        InstalledRelease.build(
            jdk,
            Map.of("lib/Limits.java", pre, "lib/App.java", app),
            Map.of("lib/Limits.java", post, "lib/App.java", app));
    ClassUpdate limits = built.entry("lib.Limits");
    assertThat(limits.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(String.join("\n", limits.applicability().notes()))
        .contains("final in the running JVM");
  }
}

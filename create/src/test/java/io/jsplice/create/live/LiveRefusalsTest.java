package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.ClassUpdate;
import io.jsplice.model.StaleState;
import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Updates that would be reported applied while the program misbehaves are refused, by what the
 * update does: the shapes of commons-net 3.9.0 and pdfbox 2.0.24, in a few lines each.
 */
class LiveRefusalsTest {
  /**
   * An added field only the constructors set (commons-net's {@code Duration dataTimeout}, pdfbox's
   * {@code COSInteger.isValid}): objects built before the update read it as null, so they are state
   * the update leaves old, which the agent looks for on the heap and refuses over (38).
   */
  @Test
  void anAddedFieldOnlyConstructorsSet_makesObjectsBuiltBeforeTheUpdateStale() throws Exception {
    String pre =
        """
        package lib;
        public class Client {
          private int timeoutMillis;
          public Client(int millis) { timeoutMillis = millis; }
          public long timeout() { return timeoutMillis; }
        }
        """;
    String post =
        """
        package lib;
        public class Client {
          private java.time.Duration timeout;
          public Client(int millis) { timeout = java.time.Duration.ofMillis(millis); }
          public long timeout() { return timeout.toMillis(); }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            Jdk.current(), Map.of("lib/Client.java", pre), Map.of("lib/Client.java", post));

    assertThat(built.update().update().partlyInForce()).isTrue();
    assertThat(built.update().update().applicability().stale())
        .anySatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo(StaleState.Kind.OBJECTS);
              assertThat(s.owner()).isEqualTo("lib.Client");
              assertThat(s.reason()).contains("timeout as null");
            });
  }

  /** A field with an initializer of its own is given to old objects on first use: not stale. */
  @Test
  void anAddedFieldWithItsOwnInitializer_isNotStale() throws Exception {
    String pre =
        """
        package lib;
        public class Client {
          public long timeout() { return 5; }
        }
        """;
    String post =
        """
        package lib;
        public class Client {
          private java.time.Duration timeout = java.time.Duration.ofMillis(5);
          public long timeout() { return timeout.toMillis(); }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            Jdk.current(), Map.of("lib/Client.java", pre), Map.of("lib/Client.java", post));

    assertThat(built.update().update().applicability().stale()).isEmpty();
  }

  /**
   * Code that relies on a superclass change the running JVM cannot make (pdfbox's
   * Type7ShadingContext passing a PDShadingType7 as the PDMeshBasedShadingType it only becomes in
   * 2.0.24) would be rejected by the JVM's verifier: it is not live, and the live subset leaves it
   * out rather than ship it.
   */
  @Test
  void codeThatNeedsAHierarchyTheRunningJvmLacks_isNotLive_andTheLiveSubsetLeavesItOut()
      throws Exception {
    Map<String, String> pre =
        Map.of(
            "lib/Base.java", "package lib; public class Base {}",
            "lib/Seven.java", "package lib; public class Seven extends Base {}",
            "lib/Ctx.java",
                """
                package lib;
                public class Ctx {
                  public String run(Seven s) { return "old " + s; }
                }
                """);
    Map<String, String> post =
        Map.of(
            "lib/Base.java", "package lib; public class Base {}",
            "lib/Mesh.java", "package lib; public class Mesh extends Base {}",
            "lib/Seven.java", "package lib; public class Seven extends Mesh {}",
            "lib/Ctx.java",
                """
                package lib;
                public class Ctx {
                  static String take(Mesh m) { return "new " + m; }
                  public String run(Seven s) { return take(s); }
                }
                """);

    InstalledRelease whole = InstalledRelease.build(Jdk.current(), pre, post);
    ClassUpdate ctx = whole.entry("lib.Ctx");
    assertThat(ctx.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(String.join("\n", ctx.applicability().notes()))
        .contains("rejected by the JVM's verifier");

    InstalledRelease subset = InstalledRelease.build(Jdk.current(), pre, post, true);
    assertThat(subset.created().leftOut()).containsKeys("lib.Seven", "lib.Ctx");
  }

  /**
   * An added inner class whose added outer class is left out names it only in descriptors (its
   * constructor and this$0), yet the verifier loads it to pass this$0 to the super constructor
   * (snakeyaml 2.3's JsonRepresenter$RepresentDate): the live subset leaves the inner class out
   * too.
   */
  @Test
  void aClassNamingALeftOutClassOnlyInDescriptors_isLeftOutToo() throws Exception {
    String base =
        "package lib; public class Base { public class Date { public String show() { return \"d\"; } } }";
    Map<String, String> pre =
        Map.of(
            "lib/Base.java",
            base,
            "lib/Style.java",
            "package lib; public enum Style { PLAIN; public static Style of(String s) { return valueOf(s); } }");
    Map<String, String> post =
        Map.of(
            "lib/Base.java",
            base,
            "lib/Style.java",
            "package lib; public enum Style { JSON, PLAIN; public static Style of(String s) { return valueOf(s); } }",
            "lib/Json.java",
            """
            package lib;
            public class Json extends Base {
              Style style = Style.JSON;
              public class Date extends Base.Date { public String show() { return "json"; } }
            }
            """);

    InstalledRelease subset = InstalledRelease.build(Jdk.current(), pre, post, true);
    assertThat(subset.created().leftOut()).containsKeys("lib.Json", "lib.Json$Date");
    subset.verifyAll();
  }

  /**
   * As guava 30.0's {@code Multimaps.UnmodifiableMultimap.forEach}: an override the update adds is
   * reached through a dispatch prologue in the unchanged interface whose default method it
   * overrides, and that default method's original body, copied for the override's super calls,
   * refers to a private lambda of the interface. The live subset used to leave out the overriding
   * class, as the companion could not reach the lambda; it now links it with the interface's access
   * ({@code Linker.lambda}), so the whole update applies and the override runs.
   */
  @Test
  void aHostCarryingTheDispatchToAnAddedOverride_reachesItsPrivateLambdaFromTheCompanion()
      throws Exception {
    String host =
        """
        package lib;
        public interface Host {
          String name();
          default void each(java.util.function.Consumer<String> sink) {
            java.util.List.of("a").forEach(s -> sink.accept(s + name()));
          }
        }
        """;
    String check =
        "package lib; public class Check { public static boolean ok(String s) { return %s; } }";
    Map<String, String> pre =
        Map.of(
            "lib/Host.java",
            host,
            "lib/Impl.java",
            "package lib; public class Impl implements Host { public String name() { return \"i\"; } }",
            "lib/Check.java",
            check.formatted("true"));
    Map<String, String> post =
        Map.of(
            "lib/Host.java",
            host,
            "lib/Impl.java",
            "package lib; public class Impl implements Host { public String name() { return \"i\"; }"
                + " public void each(java.util.function.Consumer<String> sink) { sink.accept(\"b\"); } }",
            "lib/Check.java",
            check.formatted("!s.contains(\"..\")"));

    String app =
        "package lib; public class App implements java.util.function.Supplier<String> { public"
            + " String get() { StringBuilder b = new StringBuilder(); new Impl().each(b::append);"
            + " return b + \"|\" + Check.ok(\"..\"); } }";
    Map<String, String> preWithApp = new java.util.HashMap<>(pre);
    preWithApp.put("lib/App.java", app);

    InstalledRelease whole = InstalledRelease.build(Jdk.current(), preWithApp, post);

    assertThat(whole.update().update().applicability().verdict()).isEqualTo(Verdict.LIVE);
    whole.verifyAll();
    assertThat(InstalledRelease.call(whole.installed(), "lib.App")).isEqualTo("b|false");
  }

  /**
   * An enum constant's body reads an added constant through its own class, which inherits it (jsoup
   * 1.22.2's TokeniserState$55): the live subset leaves the enum out for its added constant, and
   * the body with it, or its code would throw NoSuchFieldError when it first runs.
   */
  @Test
  void aClassUsingALeftOutMemberThroughASubclass_isLeftOutToo() throws Exception {
    Map<String, String> pre =
        Map.of(
            "lib/State.java",
            """
            package lib;
            public enum State {
              A { public String read() { return "a"; } },
              B { public String read() { return "b"; } };
              public abstract String read();
            }
            """,
            "lib/App.java",
            "package lib; public class App implements java.util.function.Supplier<String> { public String get() { return State.A.read(); } }");
    Map<String, String> post =
        Map.of(
            "lib/State.java",
            """
            package lib;
            public enum State {
              A { public String read() { return "a" + C.ordinal(); } },
              B { public String read() { return "b"; } },
              C { public String read() { return "c"; } };
              public abstract String read();
            }
            """,
            "lib/App.java",
            "package lib; public class App implements java.util.function.Supplier<String> { public String get() { return State.A.read(); } }");

    InstalledRelease subset = InstalledRelease.build(Jdk.current(), pre, post, true);
    assertThat(subset.created().leftOut()).containsKeys("lib.State", "lib.State$1");
  }

  /**
   * As tomcat 9.0.83's {@code InputBuffer}: fixed code builds an exception whose class the subset
   * leaves out (its superclass changes) through a constructor whose only change is its super call.
   * That constructor is in the running JVM as it is in the fixed release's class file, by name and
   * descriptor, so the fixed code stays in the subset; code that needs the new hierarchy (an {@code
   * Abort} taken as a {@code Bad}) is still left out, by the verifier.
   */
  @Test
  void aClassBuildingALeftOutClassThroughAConstructorOnlyItsCodeChanges_staysInTheSubset()
      throws Exception {
    String bad =
        "package lib; public class Bad extends java.io.IOException {"
            + " public Bad(Throwable t) { super(t); } }";
    Map<String, String> pre =
        Map.of(
            "lib/Bad.java",
            bad,
            "lib/Abort.java",
            "package lib; public class Abort extends java.io.IOException {"
                + " public Abort(Throwable t) { super(t); } }",
            "lib/Reader.java",
            """
            package lib;
            public class Reader {
              public String note = "";
              public void read(java.io.IOException e) throws java.io.IOException {
                throw new Abort(e);
              }
            }
            """,
            "lib/Strict.java",
            """
            package lib;
            public class Strict {
              public java.io.IOException wrap(Throwable t) { return new Abort(t); }
            }
            """);
    Map<String, String> post =
        Map.of(
            "lib/Bad.java",
            bad,
            "lib/Abort.java",
            "package lib; public class Abort extends Bad {"
                + " public Abort(Throwable t) { super(t); } }",
            "lib/Reader.java",
            """
            package lib;
            public class Reader {
              public String note = "";
              public void read(java.io.IOException e) throws java.io.IOException {
                if (e instanceof Bad) { note = "bad"; throw e; }
                throw new Abort(e);
              }
            }
            """,
            "lib/Strict.java",
            """
            package lib;
            public class Strict {
              public Bad wrap(Throwable t) { return new Abort(t); }
            }
            """);

    InstalledRelease subset = InstalledRelease.build(Jdk.current(), pre, post, true);
    assertThat(subset.created().leftOut()).containsKeys("lib.Abort", "lib.Strict");
    assertThat(subset.created().leftOut()).doesNotContainKey("lib.Reader");
    subset.verifyAll();
  }

  /**
   * A class left out keeps its old static initializer in the running JVM; the fixed one, which
   * calls a method only the fixed class has, must not be run for it (commons-lang3 3.18.0's
   * SystemUtils, whose state-only companion called the added {@code getOsNameMatches}: the subset's
   * rounds then left out nothing new and never ended).
   */
  @Test
  void aLeftOutClassWhoseFixedInitializerCallsIntoTheUpdate_endsTheSubset() throws Exception {
    Map<String, String> pre =
        Map.of(
            "lib/Rate.java",
            "package lib; public class Rate { public static int base() { return 1; } }",
            "lib/Table.java",
            """
            package lib;
            public class Table {
              public static final int LIMIT = Rate.base();
              public static int limit() { return LIMIT; }
            }
            """);
    Map<String, String> post =
        Map.of(
            "lib/Rate.java",
            "package lib; public class Rate { public static int base() { return 2; } }",
            "lib/Table.java",
            """
            package lib;
            public class Table implements java.io.Serializable {
              public static final int LIMIT = Rate.base() + extra();
              private static int extra() { return 3; }
              public static int limit() { return LIMIT; }
            }
            """);

    InstalledRelease subset = InstalledRelease.build(Jdk.current(), pre, post, true);
    assertThat(subset.created().leftOut()).containsOnlyKeys("lib.Table");
    assertThat(subset.entry("lib.Rate").applicability().verdict()).isNotEqualTo(Verdict.NOT_LIVE);
    subset.verifyAll();
  }

  /**
   * An unchanged class whose static state is built by changed code, through a lambda whose body is
   * a private method of that class (commons-lang3 3.17.0's SystemUtils keeps such an initializer):
   * the recomputing companion used to be refused it, and the live subset left out the changed class
   * the initializer calls into; it now links the lambda with the class's access, and the whole
   * update applies.
   */
  @Test
  void aClassWhoseStateIsRecomputedThroughItsPrivateLambda_isLive() throws Exception {
    String table =
        """
        package lib;
        public class Table {
          public static final int LIMIT =
              Rate.base() + ((java.util.function.IntSupplier) () -> 3).getAsInt();
          public static int limit() { return LIMIT; }
        }
        """;
    Map<String, String> pre =
        Map.of(
            "lib/Rate.java",
            "package lib; public class Rate { public static int base() { return 1; } }",
            "lib/Other.java",
            "package lib; public class Other { public static String name() { return \"old\"; } }",
            "lib/Table.java",
            table);
    Map<String, String> post =
        Map.of(
            "lib/Rate.java",
            "package lib; public class Rate { public static int base() { return 2; } }",
            "lib/Other.java",
            "package lib; public class Other { public static String name() { return \"new\"; } }",
            "lib/Table.java",
            table);

    InstalledRelease whole = InstalledRelease.build(Jdk.current(), pre, post);

    assertThat(whole.update().update().applicability().verdict()).isEqualTo(Verdict.LIVE);
    whole.verifyAll();
  }
}

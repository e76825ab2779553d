package io.jsplice.create.diff;

import static io.jsplice.create.diff.Scenario.sources;
import static io.jsplice.model.ChangeKind.METHOD_ADDED;
import static io.jsplice.model.ChangeKind.METHOD_BODY_CHANGED;
import static io.jsplice.model.ChangeKind.METHOD_REMOVED;
import static io.jsplice.model.ChangeKind.SYNTHETIC_RENAMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jsplice.create.source.ClassSet;
import io.jsplice.model.Change;
import io.jsplice.model.ClassStatus;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Renumbered lambdas, anonymous classes, switch maps and accessors are matched by content. */
class BytecodeDiffSyntheticTest {
  /**
   * javac numbers lambda bodies per class (JDK 17) or per method name (JDK 25); a lambda in an
   * overload inserted before {@code first()} renumbers {@code first()}'s lambda on both.
   */
  private static final Scenario LAMBDA_INSERTED =
      Scenario.of(
          sources(
              """
              package lambdas;
              public class Jobs {
                public Runnable first() { return () -> System.out.println("first"); }
                public Runnable second() { return () -> System.out.println("second"); }
              }
              """),
          sources(
              """
              package lambdas;
              public class Jobs {
                public Runnable first(int n) { return () -> System.out.println("zero " + n); }
                public Runnable first() { return () -> System.out.println("first"); }
                public Runnable second() { return () -> System.out.println("second"); }
              }
              """));

  private static final Scenario NESTED_LAMBDAS =
      Scenario.of(
          sources(
              """
              package nested;
              import java.util.function.Supplier;
              public class Nested {
                public Supplier<Runnable> make(String s) {
                  return () -> () -> System.out.println(s);
                }
              }
              """),
          sources(
              """
              package nested;
              import java.util.function.Supplier;
              public class Nested {
                public Runnable make() { return () -> System.out.println("before"); }
                public Supplier<Runnable> make(String s) {
                  return () -> () -> System.out.println(s);
                }
              }
              """));

  private static final Scenario LAMBDA_CHANGED =
      Scenario.of(
          sources(
              """
              package lambdachange;
              import java.util.function.Predicate;
              public class Checks {
                public Predicate<String> shortText() { return s -> s.length() < 10; }
              }
              """),
          sources(
              """
              package lambdachange;
              import java.util.function.Predicate;
              public class Checks {
                public Predicate<String> shortText() { return s -> s.length() <= 10; }
              }
              """));

  private static final Scenario ANONYMOUS_INSERTED =
      Scenario.of(
          sources(
              """
              package anonymous;
              public class Widgets {
                public Runnable a() {
                  return new Runnable() { public void run() { System.out.println("a"); } };
                }
              }
              """),
          sources(
              """
              package anonymous;
              public class Widgets {
                public Runnable z() {
                  return new Runnable() { public void run() { System.out.println("z"); } };
                }
                public Runnable a() {
                  return new Runnable() { public void run() { System.out.println("a"); } };
                }
              }
              """));

  private static final Scenario SWITCH_MAP =
      Scenario.of(
          sources(
              """
              package switches;
              import java.util.concurrent.TimeUnit;
              public class Router {
                public int route(TimeUnit unit) {
                  switch (unit) {
                    case SECONDS: return 1;
                    case MINUTES: return 60;
                    default: return 0;
                  }
                }
              }
              """),
          sources(
              """
              package switches;
              import java.util.concurrent.TimeUnit;
              public class Router {
                public Runnable hook() { return new Runnable() { public void run() {} }; }
                public int route(TimeUnit unit) {
                  switch (unit) {
                    case SECONDS: return 1;
                    case MINUTES: return 60;
                    default: return 0;
                  }
                }
              }
              """));

  /**
   * Serializable lambdas are named by a hash of their shape plus a counter among lambdas of that
   * shape in the method ({@code lambda$task$9f1210fb$1}); {@code $deserializeLambda$} names them.
   */
  private static final Scenario SERIALIZABLE_LAMBDAS =
      Scenario.of(
          sources(
              """
              package serializable;
              import java.io.Serializable;
              public class Tasks {
                public Runnable task(int i) {
                  if (i == 1) return (Runnable & Serializable) () -> System.out.println("x");
                  return (Runnable & Serializable) () -> System.out.println("y");
                }
              }
              """),
          sources(
              """
              package serializable;
              import java.io.Serializable;
              public class Tasks {
                public Runnable task(int i) {
                  if (i == 0) return (Runnable & Serializable) () -> System.out.println("w");
                  if (i == 1) return (Runnable & Serializable) () -> System.out.println("x");
                  return (Runnable & Serializable) () -> System.out.println("y");
                }
              }
              """));

  private static final Scenario ANONYMOUS_CHANGED =
      Scenario.of(
          sources(
              """
              package anonchange;
              public class Handlers {
                public Runnable a() {
                  return new Runnable() { public void run() { System.out.println("a"); } };
                }
              }
              """),
          sources(
              """
              package anonchange;
              public class Handlers {
                public Runnable a() {
                  return new Runnable() { public void run() { System.out.println("b"); } };
                }
              }
              """));

  private static final Scenario LAMBDA_CREATING_ANONYMOUS =
      Scenario.of(
          sources(
              """
              package lambdaanon;
              import java.util.function.Supplier;
              public class Factory {
                public Supplier<Runnable> make() {
                  return () -> new Runnable() { public void run() { System.out.println("made"); } };
                }
              }
              """),
          sources(
              """
              package lambdaanon;
              import java.util.function.Supplier;
              public class Factory {
                public Runnable early() { return new Runnable() { public void run() {} }; }
                public Supplier<Runnable> make() {
                  return () -> new Runnable() { public void run() { System.out.println("made"); } };
                }
              }
              """));

  /**
   * As guava 31.1 -> 32.0.0's FileBackedOutputStream: the public constructor does the work of the
   * private one it delegated to, removed, and so writes the anonymous classes that one wrote.
   */
  private static final Scenario ANONYMOUS_IN_INLINED_CONSTRUCTOR =
      Scenario.of(
          sources(
              """
              package inlined;
              public class Spool {
                private final Runnable source;
                public Spool(boolean reset) { this(reset, null); }
                private Spool(boolean reset, java.io.File parent) {
                  if (reset) {
                    source = new Runnable() { public void run() { System.out.println("reset"); } };
                  } else {
                    source = new Runnable() { public void run() { System.out.println("keep"); } };
                  }
                }
                public Runnable source() { return source; }
              }
              """),
          sources(
              """
              package inlined;
              public class Spool {
                private final Runnable source;
                public Spool(boolean reset) {
                  if (reset) {
                    source = new Runnable() { public void run() { System.out.println("reset"); } };
                  } else {
                    source = new Runnable() { public void run() { System.out.println("keep"); } };
                  }
                }
                public Runnable source() { return source; }
              }
              """));

  private static final CompiledScenarios SCENARIOS =
      new CompiledScenarios(
          LAMBDA_INSERTED,
          NESTED_LAMBDAS,
          LAMBDA_CHANGED,
          ANONYMOUS_INSERTED,
          SWITCH_MAP,
          SERIALIZABLE_LAMBDAS,
          ANONYMOUS_CHANGED,
          LAMBDA_CREATING_ANONYMOUS,
          ANONYMOUS_IN_INLINED_CONSTRUCTOR);

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsLambdaRenumberedByAnInsertedOneAsRenamedNotStructural(Jdk jdk) {
    ClassDiff jobs = SCENARIOS.diff(jdk, LAMBDA_INSERTED).find("lambdas/Jobs").orElseThrow();

    assertThat(jobs.changes())
        .extracting(Change::kind, Change::member)
        .contains(
            tuple(METHOD_ADDED, "first(I)Ljava/lang/Runnable;"),
            tuple(METHOD_ADDED, "lambda$first$0(I)V"),
            tuple(SYNTHETIC_RENAMED, "lambda$first$0()V"))
        .doesNotContain(tuple(METHOD_REMOVED, "lambda$first$0()V"));
    assertThat(jobs.renamedMembers()).containsEntry("lambda$first$1()V", "lambda$first$0()V");
    // first() and second() create the moved lambdas; under the old names they are unchanged.
    assertThat(jobs.changes())
        .extracting(Change::member)
        .doesNotContain("first()Ljava/lang/Runnable;", "second()Ljava/lang/Runnable;");
    assertThat(jobs.changes())
        .extracting(Change::kind)
        .containsOnly(METHOD_ADDED, SYNTHETIC_RENAMED);
    assertThat(jobs.changes())
        .filteredOn(c -> c.member().equals("lambda$first$0(I)V"))
        .extracting(Change::detail)
        .singleElement()
        .asString()
        .contains("new lambda body");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_matchesLambdaThatRefersToAnotherRenamedLambda(Jdk jdk) {
    ClassDiff nested = SCENARIOS.diff(jdk, NESTED_LAMBDAS).find("nested/Nested").orElseThrow();

    // The outer lambda's body creates the inner one through a method handle to its new name.
    assertThat(nested.changes())
        .extracting(Change::kind, Change::member)
        .containsExactlyInAnyOrder(
            tuple(METHOD_ADDED, "make()Ljava/lang/Runnable;"),
            tuple(METHOD_ADDED, "lambda$make$0()V"),
            tuple(SYNTHETIC_RENAMED, "lambda$make$0(Ljava/lang/String;)" + outerLambdaType(jdk)),
            tuple(SYNTHETIC_RENAMED, "lambda$make$1(Ljava/lang/String;)" + innerLambdaType(jdk)));
    assertThat(nested.renamedMembers()).hasSize(2);
  }

  /** JDK 17 numbers the inner lambda first, JDK 25 the outer one. */
  private static String outerLambdaType(Jdk jdk) {
    return jdk.feature() >= 25 ? "Ljava/lang/Runnable;" : "V";
  }

  private static String innerLambdaType(Jdk jdk) {
    return jdk.feature() >= 25 ? "V" : "Ljava/lang/Runnable;";
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_matchesRenumberedSerializableLambdas(Jdk jdk) {
    ClassDiff tasks =
        SCENARIOS.diff(jdk, SERIALIZABLE_LAMBDAS).find("serializable/Tasks").orElseThrow();

    assertThat(tasks.changes())
        .extracting(Change::kind)
        .doesNotContain(METHOD_REMOVED)
        .containsOnly(METHOD_ADDED, METHOD_BODY_CHANGED, SYNTHETIC_RENAMED);
    assertThat(tasks.renamedMembers()).hasSize(2);
    assertThat(tasks.changes())
        .filteredOn(c -> c.kind() == METHOD_ADDED)
        .extracting(Change::detail)
        .singleElement()
        .asString()
        .startsWith("new lambda body lambda$task$");
    // task() creates one more lambda, and the deserializer knows one more name.
    assertThat(tasks.changes())
        .filteredOn(c -> c.kind() == METHOD_BODY_CHANGED)
        .extracting(Change::member)
        .containsExactlyInAnyOrder(
            "task(I)Ljava/lang/Runnable;",
            "$deserializeLambda$(Ljava/lang/invoke/SerializedLambda;)Ljava/lang/Object;");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsChangedLambdaBodyUnderItsName(Jdk jdk) {
    ClassDiff checks =
        SCENARIOS.diff(jdk, LAMBDA_CHANGED).find("lambdachange/Checks").orElseThrow();

    assertThat(checks.changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(tuple(METHOD_BODY_CHANGED, "lambda$shortText$0(Ljava/lang/String;)Z"));
    assertThat(checks.renamedMembers()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_pairsAnonymousClassRenumberedByAnInsertedOne(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, ANONYMOUS_INSERTED);

    assertThat(diff.renamedClasses())
        .containsExactly(Map.entry("anonymous/Widgets$2", "anonymous/Widgets$1"));
    ClassDiff renamed = diff.find("anonymous/Widgets$1").orElseThrow();
    assertThat(renamed.status()).isEqualTo(ClassStatus.MODIFIED);
    assertThat(renamed.postName()).isEqualTo("anonymous/Widgets$2");
    assertThat(renamed.changes()).extracting(Change::kind).containsExactly(SYNTHETIC_RENAMED);
    assertThat(diff.classes())
        .filteredOn(c -> c.status() == ClassStatus.ADDED)
        .extracting(ClassDiff::postName)
        .containsExactly("anonymous/Widgets$1");
    ClassDiff widgets = diff.find("anonymous/Widgets").orElseThrow();
    assertThat(widgets.changes())
        .extracting(Change::member)
        .contains("z()Ljava/lang/Runnable;")
        .doesNotContain("a()Ljava/lang/Runnable;");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_matchesLambdaThatCreatesARenumberedAnonymousClass(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, LAMBDA_CREATING_ANONYMOUS);

    // The anonymous class names the lambda as its enclosing method; the lambda creates the class.
    assertThat(diff.renamedClasses())
        .containsExactly(Map.entry("lambdaanon/Factory$2", "lambdaanon/Factory$1"));
    assertThat(diff.find("lambdaanon/Factory").orElseThrow().changes())
        .extracting(Change::member)
        .contains("early()Ljava/lang/Runnable;")
        .noneMatch(member -> member != null && member.startsWith("lambda$"))
        .doesNotContain("make()Ljava/util/function/Supplier;");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsAnonymousClassChangedInPlaceUnderItsName(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, ANONYMOUS_CHANGED);

    assertThat(diff.renamedClasses()).isEmpty();
    assertThat(diff.classes()).extracting(ClassDiff::name).containsExactly("anonchange/Handlers$1");
    assertThat(diff.find("anonchange/Handlers$1").orElseThrow().changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(tuple(METHOD_BODY_CHANGED, "run()V"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_pairsAnonymousClassesWhoseEnclosingConstructorWasRemovedIntoAnother(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, ANONYMOUS_IN_INLINED_CONSTRUCTOR);

    // The same classes, not removed and added: only their enclosing method differs, which the JVM
    // keeps for reflection only (the fingerprint leaves it out), so they are not even changed.
    assertThat(diff.renamedClasses()).isEmpty();
    assertThat(diff.classes()).extracting(ClassDiff::name).containsExactly("inlined/Spool");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_pairsSwitchMapClassRenumberedByAnInsertedAnonymousClass(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, SWITCH_MAP);

    assertThat(diff.renamedClasses())
        .containsExactly(Map.entry("switches/Router$2", "switches/Router$1"));
    assertThat(diff.find("switches/Router$1").orElseThrow().changes())
        .extracting(Change::kind)
        .containsExactly(SYNTHETIC_RENAMED);
    assertThat(diff.find("switches/Router").orElseThrow().changes())
        .extracting(Change::member)
        .doesNotContain("route(Ljava/util/concurrent/TimeUnit;)I");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_pairsAccessorsRenumberedByAnEarlierAccess(Jdk jdk) {
    // javac >= 11 uses nestmates; release 8 makes it write access$NNN methods.
    Compiler javac = Compiler.with(jdk).options("--release", "8");
    Map<String, byte[]> pre =
        javac.compile(
            "p/Outer.java",
            """
            package p;
            public class Outer {
              private int secret = 1;
              class Inner { int peek() { return secret; } }
            }
            """);
    Map<String, byte[]> post =
        javac.compile(
            "p/Outer.java",
            """
            package p;
            public class Outer {
              private int secret = 1;
              private String name = "n";
              class Early { String name() { return name; } }
              class Inner { int peek() { return secret; } }
            }
            """);

    ClassSetDiff diff =
        BytecodeDiff.compare(
            new ClassSet("pre", pre, List.of()), new ClassSet("post", post, List.of()));

    ClassDiff outer = diff.find("p/Outer").orElseThrow();
    assertThat(outer.renamedMembers())
        .containsExactly(Map.entry("access$100(Lp/Outer;)I", "access$000(Lp/Outer;)I"));
    assertThat(outer.changes())
        .extracting(Change::kind, Change::member)
        .contains(
            tuple(SYNTHETIC_RENAMED, "access$000(Lp/Outer;)I"),
            tuple(METHOD_ADDED, "access$000(Lp/Outer;)Ljava/lang/String;"))
        .doesNotContain(tuple(METHOD_REMOVED, "access$000(Lp/Outer;)I"));
    assertThat(diff.find("p/Outer$Inner")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_ignoresDebugInformation(Jdk jdk) {
    String source =
        """
        package p;
        import java.util.*;
        import java.util.concurrent.TimeUnit;
        public class Rich {
          private static final Set<String> DENY = new HashSet<>(List.of("a", "b"));
          public Runnable task(String s) {
            int local = s.length();
            Runnable r = () -> System.out.println(s + local);
            return new Runnable() { public void run() { r.run(); } };
          }
          public int route(TimeUnit unit) {
            switch (unit) { case SECONDS: return 1; default: return 0; }
          }
        }
        """;
    Map<String, byte[]> withDebug = Compiler.with(jdk).options("-g").compile("p/Rich.java", source);
    Map<String, byte[]> without =
        Compiler.with(jdk).options("-g:none").compile("p/Rich.java", source);
    assertThat(withDebug.get("p/Rich")).isNotEqualTo(without.get("p/Rich"));

    ClassSetDiff diff =
        BytecodeDiff.compare(
            new ClassSet("-g", withDebug, List.of()), new ClassSet("-g:none", without, List.of()));

    assertThat(diff.classes()).isEmpty();
    assertThat(diff.renamedClasses()).isEmpty();
  }
}

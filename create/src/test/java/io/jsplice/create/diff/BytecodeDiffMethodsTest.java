package io.jsplice.create.diff;

import static io.jsplice.create.diff.Scenario.sources;
import static io.jsplice.model.ChangeKind.ANNOTATIONS_CHANGED;
import static io.jsplice.model.ChangeKind.INIT_ONLY_CODE_CHANGED;
import static io.jsplice.model.ChangeKind.METADATA_CHANGED;
import static io.jsplice.model.ChangeKind.METHOD_ACCESS_CHANGED;
import static io.jsplice.model.ChangeKind.METHOD_ADDED;
import static io.jsplice.model.ChangeKind.METHOD_BODY_CHANGED;
import static io.jsplice.model.ChangeKind.METHOD_REMOVED;
import static io.jsplice.model.ChangeKind.METHOD_SIGNATURE_CHANGED;
import static io.jsplice.model.ChangeKind.STATIC_INITIALIZER_CHANGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jsplice.model.Change;
import io.jsplice.testkit.Jdk;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Changes to methods: bodies, signatures, flags, initialization code, annotations. */
class BytecodeDiffMethodsTest {
  private static final Scenario BODY =
      Scenario.of(
          sources(
              """
              package body;
              public class Guard {
                public boolean allowed(String key) { return key.length() < 10; }
                public int unchanged() { return 1; }
              }
              """),
          sources(
              """
              package body;
              public class Guard {
                public boolean allowed(String key) { return key.length() <= 10; }
                public int unchanged() { return 1; }
              }
              """));

  private static final Scenario ADDED_REMOVED =
      Scenario.of(
          sources(
              """
              package addremove;
              public class Api {
                public void old() {}
                public void keep() {}
              }
              """),
          sources(
              """
              package addremove;
              public class Api {
                public void keep() {}
                public int fresh(int x) { return x; }
              }
              """));

  private static final Scenario RESIGNED =
      Scenario.of(
          sources(
              """
              package resigned;
              public class Limits {
                public boolean check(String s, int limit) { return s.length() < limit; }
              }
              """),
          sources(
              """
              package resigned;
              public class Limits {
                public boolean check(String s) { return s.length() < 10; }
              }
              """));

  private static final Scenario ACCESS =
      Scenario.of(
          sources(
              """
              package access;
              public class Service {
                public void helper() {}
                public void sealedLater() {}
                public void guarded() {}
              }
              """),
          sources(
              """
              package access;
              public class Service {
                private void helper() {}
                public final void sealedLater() {}
                public synchronized void guarded() {}
              }
              """));

  private static final Scenario INIT_ONLY =
      Scenario.of(
          sources(
              """
              package initonly;
              public class Account {
                private final String owner;
                private final int limit;
                public Account(String owner) {
                  this.owner = normalize(owner);
                  this.limit = limitFor(owner);
                }
                private static String normalize(String s) { return clean(s); }
                private static String clean(String s) { return s.trim(); }
                private int limitFor(String s) { return s.length(); }
                public int remaining() { return limitFor(owner) - limit; }
              }
              """,
              """
              package initonly;
              public class Counter {
                int n;
                public Counter() { n = 1; }
              }
              """),
          sources(
              """
              package initonly;
              public class Account {
                private final String owner;
                private final int limit;
                public Account(String owner) {
                  this.owner = normalize(owner);
                  this.limit = limitFor(owner);
                }
                private static String normalize(String s) { return clean(s); }
                private static String clean(String s) { return s.trim().toLowerCase(); }
                private int limitFor(String s) { return s.length() * 2; }
                public int remaining() { return limitFor(owner) - limit; }
              }
              """,
              """
              package initonly;
              public class Counter {
                int n;
                public Counter() { n = 2; }
              }
              """));

  private static final Scenario STATIC_INIT =
      Scenario.of(
          sources(
              """
              package staticinit;
              import java.util.*;
              public class Filter {
                private static final Set<String> DENY = new HashSet<>(Arrays.asList("script", "iframe"));
                private static final int MAX = Integer.getInteger("max", 10);
                public static boolean allowed(String tag) { return !DENY.contains(tag); }
              }
              """,
              """
              package staticinit;
              import java.util.*;
              public class Registry {
                static final List<String> NAMES = new ArrayList<>();
                static { NAMES.add("a"); }
              }
              """),
          sources(
              """
              package staticinit;
              import java.util.*;
              public class Filter {
                private static final Set<String> DENY =
                    new HashSet<>(Arrays.asList("script", "iframe", "object"));
                private static final int MAX = Integer.getInteger("max", 10);
                public static boolean allowed(String tag) { return !DENY.contains(tag); }
              }
              """,
              """
              package staticinit;
              import java.util.*;
              public class Registry {
                static final List<String> NAMES = new ArrayList<>();
                static { NAMES.add("a"); NAMES.add("b"); }
              }
              """));

  private static final Scenario ANNOTATIONS_AND_THROWS =
      Scenario.of(
          sources(
              """
              package annotated;
              public class Legacy {
                public void old() {}
                public void read() {}
              }
              """),
          sources(
              """
              package annotated;
              public class Legacy {
                @Deprecated public void old() {}
                public void read() throws java.io.IOException {}
              }
              """));

  private static final CompiledScenarios SCENARIOS =
      new CompiledScenarios(
          BODY, ADDED_REMOVED, RESIGNED, ACCESS, INIT_ONLY, STATIC_INIT, ANNOTATIONS_AND_THROWS);

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsChangedMethodBody(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, BODY);

    assertThat(diff.classes()).extracting(ClassDiff::name).containsExactly("body/Guard");
    assertThat(diff.find("body/Guard").orElseThrow().changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(tuple(METHOD_BODY_CHANGED, "allowed(Ljava/lang/String;)Z"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsAddedAndRemovedMethods(Jdk jdk) {
    ClassDiff api = SCENARIOS.diff(jdk, ADDED_REMOVED).find("addremove/Api").orElseThrow();

    assertThat(api.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(
            tuple(METHOD_ADDED, "fresh(I)I", "new public method int fresh(int)"),
            tuple(METHOD_REMOVED, "old()V", "public method void old() removed"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsReSignedMethodAsSignatureChange(Jdk jdk) {
    ClassDiff limits = SCENARIOS.diff(jdk, RESIGNED).find("resigned/Limits").orElseThrow();

    assertThat(limits.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(
            tuple(
                METHOD_SIGNATURE_CHANGED,
                "check(Ljava/lang/String;I)Z",
                "boolean check(String, int) -> boolean check(String)"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsMethodAccessChanges(Jdk jdk) {
    ClassDiff service = SCENARIOS.diff(jdk, ACCESS).find("access/Service").orElseThrow();

    assertThat(service.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(
            tuple(METHOD_ACCESS_CHANGED, "guarded()V", "synchronized added"),
            tuple(METHOD_ACCESS_CHANGED, "helper()V", "public -> private"),
            tuple(METHOD_ACCESS_CHANGED, "sealedLater()V", "final added"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsPrivateHelperCalledOnlyFromConstructorsAsInitOnly(Jdk jdk) {
    ClassDiff account = SCENARIOS.diff(jdk, INIT_ONLY).find("initonly/Account").orElseThrow();

    // clean() is reached from the constructor through normalize(); limitFor() also from
    // remaining(), so its new code runs for existing accounts too.
    assertThat(account.changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(
            tuple(INIT_ONLY_CODE_CHANGED, "clean(Ljava/lang/String;)Ljava/lang/String;"),
            tuple(METHOD_BODY_CHANGED, "limitFor(Ljava/lang/String;)I"));
    assertThat(account.changes().get(0).detail()).contains("runs only from constructors");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsChangedConstructorAsInitOnly(Jdk jdk) {
    ClassDiff counter = SCENARIOS.diff(jdk, INIT_ONLY).find("initonly/Counter").orElseThrow();

    assertThat(counter.changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(tuple(INIT_ONLY_CODE_CHANGED, "<init>()V"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_namesTheStaticFieldWhoseInitializationChanged(Jdk jdk) {
    ClassDiff filter = SCENARIOS.diff(jdk, STATIC_INIT).find("staticinit/Filter").orElseThrow();

    assertThat(filter.changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(tuple(STATIC_INITIALIZER_CHANGED, "<clinit>()V"));
    assertThat(filter.changes().get(0).detail())
        .contains("initialization of DENY changed")
        .doesNotContain("MAX");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsStaticInitializationAfterTheLastFieldStoreAsOtherCode(Jdk jdk) {
    ClassDiff registry = SCENARIOS.diff(jdk, STATIC_INIT).find("staticinit/Registry").orElseThrow();

    assertThat(registry.changes())
        .extracting(Change::kind, Change::detail)
        .containsExactly(
            tuple(
                STATIC_INITIALIZER_CHANGED,
                "static initializer changed: other static initialization code changed"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsMethodAnnotationsAndThrowsClause(Jdk jdk) {
    ClassDiff legacy =
        SCENARIOS.diff(jdk, ANNOTATIONS_AND_THROWS).find("annotated/Legacy").orElseThrow();

    assertThat(legacy.changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(tuple(ANNOTATIONS_CHANGED, "old()V"), tuple(METADATA_CHANGED, "read()V"));
    assertThat(legacy.changes().get(0).detail()).isEqualTo("added @Deprecated");
  }
}

package io.jsplice.create.diff;

import static io.jsplice.create.diff.Scenario.sources;
import static io.jsplice.model.ChangeKind.ANNOTATIONS_CHANGED;
import static io.jsplice.model.ChangeKind.CLASS_ACCESS_CHANGED;
import static io.jsplice.model.ChangeKind.CLASS_ADDED;
import static io.jsplice.model.ChangeKind.CLASS_REMOVED;
import static io.jsplice.model.ChangeKind.CLASS_VERSION_CHANGED;
import static io.jsplice.model.ChangeKind.ENUM_CONSTANTS_CHANGED;
import static io.jsplice.model.ChangeKind.FIELD_ADDED;
import static io.jsplice.model.ChangeKind.INIT_ONLY_CODE_CHANGED;
import static io.jsplice.model.ChangeKind.INTERFACES_CHANGED;
import static io.jsplice.model.ChangeKind.METHOD_ADDED;
import static io.jsplice.model.ChangeKind.METHOD_BODY_CHANGED;
import static io.jsplice.model.ChangeKind.METHOD_SIGNATURE_CHANGED;
import static io.jsplice.model.ChangeKind.NEST_CHANGED;
import static io.jsplice.model.ChangeKind.RECORD_COMPONENTS_CHANGED;
import static io.jsplice.model.ChangeKind.STATIC_INITIALIZER_CHANGED;
import static io.jsplice.model.ChangeKind.SUPERCLASS_CHANGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jsplice.model.Change;
import io.jsplice.model.ClassStatus;
import io.jsplice.testkit.Jdk;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Class-level changes: hierarchy, flags, enums, records, nests, annotations, versions. */
class BytecodeDiffClassesTest {
  private static final Scenario HIERARCHY =
      Scenario.of(
          sources(
              """
              package hierarchy;
              public class Handler extends Base implements Runnable {
                public void run() {}
              }
              """,
              "package hierarchy; public class Base {}",
              "package hierarchy; public class Other {}"),
          sources(
              """
              package hierarchy;
              public class Handler extends Other implements Runnable, java.io.Serializable {
                public void run() {}
              }
              """,
              "package hierarchy; public class Base {}",
              "package hierarchy; public class Other {}"));

  private static final Scenario FLAGS =
      Scenario.of(
          sources("package flags; public class Open {}"),
          sources("package flags; public final class Open {}"));

  private static final Scenario ENUM =
      Scenario.of(
          sources("package enums; public enum Level { LOW, HIGH }"),
          sources("package enums; public enum Level { LOW, MEDIUM, HIGH }"));

  private static final Scenario RECORD =
      Scenario.of(
          sources("package records; public record Point(int x, int y) {}"),
          sources("package records; public record Point(int x, int y, int z) {}"));

  private static final Scenario NEST =
      Scenario.of(
          sources(
              """
              package nests;
              public class Outer { static class A {} }
              """,
              """
              package nests;
              public sealed interface Shape permits Circle, Square {}
              """,
              "package nests; public final class Circle implements Shape {}",
              "package nests; public final class Square implements Shape {}"),
          sources(
              """
              package nests;
              public class Outer { static class A {} static class B {} }
              """,
              """
              package nests;
              public sealed interface Shape permits Circle, Square, Triangle {}
              """,
              "package nests; public final class Circle implements Shape {}",
              "package nests; public final class Square implements Shape {}",
              "package nests; public final class Triangle implements Shape {}"));

  private static final Scenario ANNOTATED =
      Scenario.of(
          sources("package annotations; public class Legacy {}"),
          sources("package annotations; @Deprecated public class Legacy {}"));

  private static final Scenario ADDED_REMOVED =
      Scenario.of(
          sources(
              "package classes; public class Gone {}", "package classes; public class Stays {}"),
          sources(
              "package classes; public class Fresh {}", "package classes; public class Stays {}"));

  private static final Scenario MANY =
      Scenario.of(
          sources(
              """
              package many;
              public class Session {
                private int hits;
                public int hits() { return hits; }
              }
              """),
          sources(
              """
              package many;
              public class Session implements java.io.Serializable {
                private int hits;
                private long started;
                public int hits() { return hits + 1; }
                public long started() { return started; }
              }
              """));

  private static final CompiledScenarios SCENARIOS =
      new CompiledScenarios(HIERARCHY, FLAGS, ENUM, RECORD, NEST, ANNOTATED, ADDED_REMOVED, MANY);

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsSuperclassAndInterfaceChanges(Jdk jdk) {
    ClassDiff handler = SCENARIOS.diff(jdk, HIERARCHY).find("hierarchy/Handler").orElseThrow();

    assertThat(handler.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(
            tuple(SUPERCLASS_CHANGED, null, "hierarchy.Base -> hierarchy.Other"),
            tuple(INTERFACES_CHANGED, null, "interface java.io.Serializable added"),
            tuple(
                INIT_ONLY_CODE_CHANGED,
                "<init>()V",
                "constructor Handler() changed; objects built before the update keep what the"
                    + " old code did"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsClassAccessChange(Jdk jdk) {
    assertThat(SCENARIOS.diff(jdk, FLAGS).find("flags/Open").orElseThrow().changes())
        .extracting(Change::kind, Change::detail)
        .containsExactly(tuple(CLASS_ACCESS_CHANGED, "final added"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsAddedEnumConstantWithItsFieldAndInitialization(Jdk jdk) {
    ClassDiff level = SCENARIOS.diff(jdk, ENUM).find("enums/Level").orElseThrow();

    assertThat(level.changes())
        .extracting(Change::kind, Change::member)
        .contains(
            tuple(ENUM_CONSTANTS_CHANGED, null),
            tuple(FIELD_ADDED, "MEDIUM:Lenums/Level;"),
            tuple(STATIC_INITIALIZER_CHANGED, "<clinit>()V"));
    assertThat(level.changes().get(0).detail())
        .isEqualTo("added MEDIUM; ordinals of existing constants shift");
    // $values() builds the values() array for the static initializer only; the enum's constants
    // and that array are kept as loaded, so nothing built before the update depends on it.
    assertThat(level.changes())
        .filteredOn(c -> "$values()[Lenums/Level;".equals(c.member()))
        .extracting(Change::kind)
        .containsExactly(METHOD_BODY_CHANGED);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsRecordComponentChange(Jdk jdk) {
    ClassDiff point = SCENARIOS.diff(jdk, RECORD).find("records/Point").orElseThrow();

    assertThat(point.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .contains(
            tuple(RECORD_COMPONENTS_CHANGED, null, "(int x, int y) -> (int x, int y, int z)"),
            tuple(
                METHOD_SIGNATURE_CHANGED, "<init>(II)V", "Point(int, int) -> Point(int, int, int)"),
            tuple(FIELD_ADDED, "z:I", "new private final int z"),
            tuple(METHOD_ADDED, "z()I", "new public method int z()"));
    // The generated toString, equals and hashCode name the components in bootstrap arguments.
    assertThat(point.changes())
        .extracting(Change::kind, Change::member)
        .contains(tuple(METHOD_BODY_CHANGED, "toString()Ljava/lang/String;"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsNestMembersAndPermittedSubclasses(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, NEST);

    assertThat(diff.find("nests/Outer").orElseThrow().changes())
        .extracting(Change::kind, Change::detail)
        .contains(tuple(NEST_CHANGED, "nest member nests.Outer$B added"));
    assertThat(diff.find("nests/Shape").orElseThrow().changes())
        .extracting(Change::kind, Change::detail)
        .containsExactly(tuple(NEST_CHANGED, "permitted subclass nests.Triangle added"));
    assertThat(diff.find("nests/Outer$B").orElseThrow().status()).isEqualTo(ClassStatus.ADDED);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsClassAnnotations(Jdk jdk) {
    assertThat(SCENARIOS.diff(jdk, ANNOTATED).find("annotations/Legacy").orElseThrow().changes())
        .extracting(Change::kind, Change::detail)
        .containsExactly(tuple(ANNOTATIONS_CHANGED, "class annotations: added @Deprecated"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsAddedAndRemovedClasses(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, ADDED_REMOVED);

    assertThat(diff.classes())
        .extracting(ClassDiff::name, ClassDiff::status)
        .containsExactly(
            tuple("classes/Fresh", ClassStatus.ADDED), tuple("classes/Gone", ClassStatus.REMOVED));
    assertThat(diff.find("classes/Fresh").orElseThrow().changes())
        .extracting(Change::kind, Change::detail)
        .containsExactly(tuple(CLASS_ADDED, "new public class classes.Fresh"));
    assertThat(diff.find("classes/Gone").orElseThrow().changes())
        .extracting(Change::kind)
        .containsExactly(CLASS_REMOVED);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_ordersClassLevelChangesFirstThenMembersByKey(Jdk jdk) {
    ClassDiff session = SCENARIOS.diff(jdk, MANY).find("many/Session").orElseThrow();

    // Keys compare as strings: "started()J" sorts before "started:J".
    assertThat(session.changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(
            tuple(INTERFACES_CHANGED, null),
            tuple(METHOD_BODY_CHANGED, "hits()I"),
            tuple(METHOD_ADDED, "started()J"),
            tuple(FIELD_ADDED, "started:J"));
  }

  @Test
  void compare_reportsClassFileVersionOfTheSameSourceBuiltByAnotherJdk() {
    Jdk jdk17 = Jdk.current();
    Jdk jdk25 = Jdk.jdk25();

    ClassSetDiff diff =
        BytecodeDiff.compare(SCENARIOS.pre(jdk17, FLAGS), SCENARIOS.pre(jdk25, FLAGS));

    assertThat(diff.find("flags/Open").orElseThrow().changes())
        .extracting(Change::kind, Change::detail)
        .containsExactly(tuple(CLASS_VERSION_CHANGED, "61.0 (Java 17) -> 69.0 (Java 25)"));
  }
}

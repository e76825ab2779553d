package io.jsplice.create.diff;

import static io.jsplice.create.diff.Scenario.sources;
import static io.jsplice.model.ChangeKind.CONSTANT_VALUE_CHANGED;
import static io.jsplice.model.ChangeKind.FIELD_ACCESS_CHANGED;
import static io.jsplice.model.ChangeKind.FIELD_ADDED;
import static io.jsplice.model.ChangeKind.FIELD_REMOVED;
import static io.jsplice.model.ChangeKind.FIELD_TYPE_CHANGED;
import static io.jsplice.model.ChangeKind.METHOD_BODY_CHANGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jsplice.model.Change;
import io.jsplice.testkit.Jdk;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Changes to fields, and compile-time constants javac copied into other classes. */
class BytecodeDiffFieldsTest {
  private static final Scenario ADDED_REMOVED =
      Scenario.of(
          sources(
              """
              package fields;
              public class Cache {
                private int count;
              }
              """),
          sources(
              """
              package fields;
              public class Cache {
                private long total;
                public static final int LIMIT = 100;
              }
              """));

  private static final Scenario TYPE =
      Scenario.of(
          sources(
              """
              package fieldtype;
              public class Buffer {
                private int size;
              }
              """),
          sources(
              """
              package fieldtype;
              public class Buffer {
                private long size;
              }
              """));

  private static final Scenario ACCESS =
      Scenario.of(
          sources(
              """
              package fieldaccess;
              public class State {
                public int exposed;
                int flag;
              }
              """),
          sources(
              """
              package fieldaccess;
              public class State {
                private int exposed;
                volatile int flag;
              }
              """));

  private static final Scenario INLINED =
      Scenario.of(
          sources(
              """
              package inlined;
              public class Limits {
                public static final int MAX_ITEMS = 1000;
                public static final String TAG = "unsafe-tag";
              }
              """,
              """
              package inlined;
              public class Checker {
                public boolean check(int n) { return n < Limits.MAX_ITEMS; }
                public String tag() { return "<" + Limits.TAG + ">"; }
                public int other() { return 7; }
              }
              """),
          sources(
              """
              package inlined;
              public class Limits {
                public static final int MAX_ITEMS = 10;
                public static final String TAG = "safe-tag";
              }
              """,
              """
              package inlined;
              public class Checker {
                public boolean check(int n) { return n < Limits.MAX_ITEMS; }
                public String tag() { return "<" + Limits.TAG + ">"; }
                public int other() { return 7; }
              }
              """));

  private static final CompiledScenarios SCENARIOS =
      new CompiledScenarios(ADDED_REMOVED, TYPE, ACCESS, INLINED);

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsAddedAndRemovedFieldsAndNamesCompileTimeConstants(Jdk jdk) {
    ClassDiff cache = SCENARIOS.diff(jdk, ADDED_REMOVED).find("fields/Cache").orElseThrow();

    assertThat(cache.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(
            tuple(
                FIELD_ADDED,
                "LIMIT:I",
                "new public static final int LIMIT, a compile-time constant (100)"),
            tuple(FIELD_REMOVED, "count:I", "private int count removed"),
            tuple(FIELD_ADDED, "total:J", "new private long total"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsFieldTypeChange(Jdk jdk) {
    ClassDiff buffer = SCENARIOS.diff(jdk, TYPE).find("fieldtype/Buffer").orElseThrow();

    assertThat(buffer.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(tuple(FIELD_TYPE_CHANGED, "size:I", "size: int -> long"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_reportsFieldAccessChanges(Jdk jdk) {
    ClassDiff state = SCENARIOS.diff(jdk, ACCESS).find("fieldaccess/State").orElseThrow();

    assertThat(state.changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(
            tuple(FIELD_ACCESS_CHANGED, "exposed:I", "public -> private"),
            tuple(FIELD_ACCESS_CHANGED, "flag:I", "volatile added"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void compare_namesTheMethodsAnotherClassInlinedAChangedConstantInto(Jdk jdk) {
    ClassSetDiff diff = SCENARIOS.diff(jdk, INLINED);

    assertThat(diff.find("inlined/Limits").orElseThrow().changes())
        .extracting(Change::kind, Change::member, Change::detail)
        .containsExactly(
            tuple(
                CONSTANT_VALUE_CHANGED,
                "MAX_ITEMS:I",
                "1000 -> 10; javac inlined the old value into inlined.Checker.check(int)"),
            tuple(
                CONSTANT_VALUE_CHANGED,
                "TAG:Ljava/lang/String;",
                "\"unsafe-tag\" -> \"safe-tag\"; javac inlined the old value into"
                    + " inlined.Checker.tag()"));
    assertThat(diff.find("inlined/Checker").orElseThrow().changes())
        .extracting(Change::kind, Change::member)
        .containsExactly(
            tuple(METHOD_BODY_CHANGED, "check(I)Z"),
            tuple(METHOD_BODY_CHANGED, "tag()Ljava/lang/String;"));
  }
}

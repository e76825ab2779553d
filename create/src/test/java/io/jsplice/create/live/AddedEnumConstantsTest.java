package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * As spring-expression 5.3.17's {@code SpelMessage.MAX_ARRAY_ELEMENTS_THRESHOLD_EXCEEDED}: a fix
 * that adds an enum constant to name its new error. The constant lives in the companion, after the
 * loaded ones, unless the release switches on the enum or keeps its constants in an EnumSet or
 * EnumMap, or the loaded constants would take other ordinals.
 */
class AddedEnumConstantsTest {
  private static final String MESSAGE_PRE = "package p; public enum Message { TOO_DEEP }";
  private static final String MESSAGE_POST = "package p; public enum Message { TOO_DEEP, TOO_BIG }";
  private static final String CHECK_PRE =
      """
      package p;
      public class Check {
        public static Message check(int size) { return size > 100 ? Message.TOO_DEEP : null; }
      }
      """;
  private static final String CHECK_POST =
      """
      package p;
      public class Check {
        public static Message check(int size) { return size > 10 ? Message.TOO_BIG : null; }
      }
      """;

  @Test
  void addedConstantsNoCodeEnumerates_liveAsStaticFieldsOfTheCompanion() {
    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Message.java", MESSAGE_PRE, "p/Check.java", CHECK_PRE),
            Map.of("p/Message.java", MESSAGE_POST, "p/Check.java", CHECK_POST),
            "u1");

    ClassUpdate message = update(plan, "p.Message");
    assertThat(message.applicability().verdict()).as(message.toString()).isEqualTo(Verdict.LIVE);
    assertThat(message.applicability().notes())
        .anySatisfy(n -> assertThat(n).startsWith("p.Message adds enum constants [TOO_BIG]: they"));
    ClassNode companion = LiveScenario.installed(plan, "p/Message$$jsplice$u1");
    assertThat(companion.fields).anySatisfy(f -> assertThat(f.name).isEqualTo("TOO_BIG"));
    assertThat(plan.stateActions()).isEmpty();
  }

  @Test
  void anEnumTheReleaseSwitchesOn_isRefused() {
    String user =
        """
        package p;
        public class Describe {
          public static String of(Message m) {
            switch (m) { case TOO_DEEP: return "deep"; default: return "other"; }
          }
        }
        """;
    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of(
                "p/Message.java", MESSAGE_PRE, "p/Check.java", CHECK_PRE, "p/Describe.java", user),
            Map.of(
                "p/Message.java",
                MESSAGE_POST,
                "p/Check.java",
                CHECK_POST,
                "p/Describe.java",
                user),
            "u1");

    ClassUpdate message = update(plan, "p.Message");
    assertThat(message.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(message.applicability().notes())
        .anySatisfy(n -> assertThat(n).contains("p.Describe.of switches on it"));
  }

  /**
   * As jackson-core 2.15.0's feature enums, whose {@code collectDefaults()} runs through {@code
   * values()}: constants added after the loaded ones keep every loaded ordinal, so the fixed {@code
   * $VALUES} lives in the companion and the installed {@code values()} reads it there.
   */
  @Test
  void anEnumTheReleaseEnumerates_getsItsValuesArrayFromTheCompanion() {
    String lookup =
        "package p; public enum Message { TOO_DEEP%s; public static Message of(String s) {"
            + " return valueOf(s); } public static int count() { return values().length; } }";
    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Message.java", lookup.formatted(""), "p/Check.java", CHECK_PRE),
            Map.of("p/Message.java", lookup.formatted(", TOO_BIG"), "p/Check.java", CHECK_POST),
            "u1");

    ClassUpdate message = update(plan, "p.Message");
    assertThat(message.applicability().verdict()).as(message.toString()).isEqualTo(Verdict.LIVE);
    assertThat(message.applicability().notes())
        .anySatisfy(n -> assertThat(n).contains("values() lists the added constants"));
    ClassNode companion = LiveScenario.installed(plan, "p/Message$$jsplice$u1");
    assertThat(companion.fields).anySatisfy(f -> assertThat(f.name).isEqualTo("$VALUES"));
    ClassNode installed = LiveScenario.installed(plan, "p/Message");
    MethodNode values =
        installed.methods.stream().filter(m -> m.name.equals("values")).findFirst().orElseThrow();
    assertThat(values.instructions.toArray())
        .anySatisfy(
            i -> {
              assertThat(i).isInstanceOf(FieldInsnNode.class);
              assertThat(((FieldInsnNode) i).owner).isEqualTo("p/Message$$jsplice$u1");
              assertThat(((FieldInsnNode) i).name).isEqualTo("$VALUES");
            });
  }

  @Test
  void aConstantInsertedBeforeLoadedOnes_isRefused_forTheOrdinalsThatShift() {
    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Message.java", MESSAGE_PRE, "p/Check.java", CHECK_PRE),
            Map.of(
                "p/Message.java",
                "package p; public enum Message { TOO_BIG, TOO_DEEP }",
                "p/Check.java",
                CHECK_POST),
            "u1");

    ClassUpdate message = update(plan, "p.Message");
    assertThat(message.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(message.applicability().notes())
        .anySatisfy(n -> assertThat(n).contains("ordinals shift").contains("1 << ordinal()"));
  }

  private static ClassUpdate update(LivePlanner.Plan plan, String name) {
    return plan.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }
}

package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.Update;
import io.jsplice.model.control.ClassesLeftOutException;
import io.jsplice.model.control.FailureCause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InForceCheckTest {
  @Test
  void oneRefusedPart_isNamedWhole() {
    assertThat(InForceCheck.firstOf(List.of("objects of a.B built before the update")))
        .isEqualTo(
            "1 part(s) of the state built before it may keep the old behaviour:"
                + " objects of a.B built before the update");
  }

  @Test
  void manyRefusedParts_nameTheFirstAndCountTheRest() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      parts.add("static field a.B.f" + i + " (initializer changed) " + "x".repeat(40));
    }

    String line = InForceCheck.firstOf(parts);

    assertThat(line)
        .isEqualTo(
            "200 part(s) of the state built before it may keep the old behaviour: "
                + parts.get(0)
                + "; and 199 more, which --verbose and --json list");
  }

  interface Provider {}

  static final class PlainProvider implements Provider {
    private Settings settings; // held inside, never the serializer
  }

  static final class Settings {
    private int depth;
  }

  static class Serializer {
    private Provider provider; // through an interface the library declares
    private Object anything; // says nothing of what it holds
  }

  static final class Unrelated {
    private String name;
  }

  private static List<Class<?>> named(String name) {
    for (Class<?> c :
        List.of(PlainProvider.class, Settings.class, Serializer.class, Unrelated.class)) {
      if (c.getName().equals(name)) {
        return List.of(c);
      }
    }
    return List.of();
  }

  /**
   * As xstream 1.4.18 applied to a JVM whose XStream was built at start: its reflection provider
   * could not be brought to the fixed state (found first), and the XStream itself keeps the old
   * security set-up. The refusal names first the object the program holds, which holds the other.
   */
  @Test
  void theObjectsThatHoldTheOthers_areNamedFirst() {
    String provider =
        "objects of "
            + PlainProvider.class.getName()
            + " built before the update: 1 of 1 could not";
    String unrelated = "static field " + Unrelated.class.getName() + ".NAMES: its initializer";
    String serializer =
        "objects of " + Serializer.class.getName() + " built before the update: their constructors";

    List<String> ranked =
        InForceCheck.holdersFirst(
            List.of(provider, unrelated, serializer), InForceCheckTest::named);

    assertThat(ranked).hasSize(3);
    assertThat(ranked.get(0))
        .startsWith(serializer)
        .endsWith("(they hold objects of 1 other part(s) named here)");
    assertThat(ranked.subList(1, 3)).containsExactly(provider, unrelated);
    assertThat(InForceCheck.firstOf(ranked)).contains(": " + serializer);
  }

  @Test
  void anUpdateThatLeavesClassesOut_isRefusedNamingThem_unlessAccepted() throws Exception {
    // jackson-core 2.15.0's live subset left out ParserBase, which holds the fix: "applied" (exit
    // 0) while the probe stayed vulnerable
    List<String> leftOut =
        List.of(
            Update.LEFT_OUT + "com.example.ParserBase (superclass changed)",
            Update.LEFT_OUT + "com.example.Feature (enum constants added)");

    assertThatThrownBy(
            () -> InForceCheck.refuseWhatIsLeftOut("CVE-1", leftOut, ApplyOptions.DEFAULT))
        .isInstanceOfSatisfying(
            ClassesLeftOutException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(FailureCause.PARTLY_IN_FORCE);
              assertThat(e.leftOut())
                  .as("named as left out, for a caller that acts on it (the fleet daemon)")
                  .containsExactly("com.example.ParserBase", "com.example.Feature");
              assertThat(e.details()).isEqualTo(leftOut);
              assertThat(e.getMessage())
                  .contains("update CVE-1 leaves out 2 class(es) of the fixed release")
                  .contains("com.example.ParserBase (superclass changed); and 1 more")
                  .contains("--accept-partial");
            });
    InForceCheck.refuseWhatIsLeftOut(
        "CVE-1", leftOut, new ApplyOptions(5, 100, false, true)); // accepted: no refusal
    InForceCheck.refuseWhatIsLeftOut(
        "CVE-1", leftOut, new ApplyOptions(5, 100, false, false, true)); // only left-out classes
    InForceCheck.refuseWhatIsLeftOut("CVE-1", List.of(), ApplyOptions.DEFAULT); // a whole release
  }
}

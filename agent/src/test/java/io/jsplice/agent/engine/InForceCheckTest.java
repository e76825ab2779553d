package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.Update;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
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
            FailureException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(FailureCause.PARTLY_IN_FORCE);
              assertThat(e.getMessage())
                  .contains("update CVE-1 leaves out 2 class(es) of the fixed release")
                  .contains("com.example.ParserBase (superclass changed); and 1 more")
                  .contains("--accept-partial");
            });
    InForceCheck.refuseWhatIsLeftOut(
        "CVE-1", leftOut, new ApplyOptions(5, 100, false, true)); // accepted: no refusal
    InForceCheck.refuseWhatIsLeftOut("CVE-1", List.of(), ApplyOptions.DEFAULT); // a whole release
  }
}

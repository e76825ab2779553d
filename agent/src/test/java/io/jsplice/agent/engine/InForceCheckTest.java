package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
}

package io.jsplice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApplicabilityTest {

  @Test
  void mechanisms_iterateInDeclarationOrder_whateverOrderTheyCameIn() {
    Set<Mechanism> given = new LinkedHashSet<>();
    given.add(Mechanism.HOOK);
    given.add(Mechanism.SHADOW_FIELDS);
    given.add(Mechanism.REDEFINE);
    given.add(Mechanism.NEW_CLASSES);

    Applicability applicability = new Applicability(Verdict.LIVE, given, List.of());

    // Reports and the signed manifest list them in this order on every run.
    assertThat(applicability.mechanisms())
        .containsExactly(
            Mechanism.REDEFINE, Mechanism.SHADOW_FIELDS, Mechanism.NEW_CLASSES, Mechanism.HOOK);
  }
}

package io.jsplice.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignatureWarmUpTest {
  /**
   * The warm-up reaches a verifier set up with an EC key, not a refusal at a malformed key that
   * would leave SunEC's key and signature classes to the apply.
   */
  @Test
  void warmUp_setsUpAnEcdsaVerifier_soTheApplyFindsSunEcReady() {
    assertThat(SignatureWarmUp.readiesVerifier()).isTrue();
  }
}

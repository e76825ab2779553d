package io.jsplice.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignatureWarmUpTest {
  /**
   * The warm-up runs the JDK's whole ECDSA check, not a refusal that stops at a malformed key or
   * signature before the curve arithmetic: its test signature verifies.
   */
  @Test
  void testSignature_verifies_soTheWarmUpRunsTheWholeCheck() {
    assertThat(SignatureWarmUp.verifiesTestSignature()).isTrue();
  }
}

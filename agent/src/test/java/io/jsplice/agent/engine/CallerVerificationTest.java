package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.protocol.message.ApplyRequest;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.TrustedKey;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the agent takes the client's check of an update's signature instead of making it again
 * ({@link ApplyRequest#verifiedByCaller}): only for keys the caller sent, never for its own {@code
 * trust=}.
 */
class CallerVerificationTest {
  private static final String SHA256 = "00".repeat(32);

  @Test
  void aRequestVerifiedAgainstTheKeysItCarries_isTaken() throws Exception {
    assertThat(EngineComponent.isVerifiedByCaller(request(List.of(key()), true))).isTrue();
  }

  @Test
  void aRequestThatCarriesNoKeys_isVerifiedByTheAgent_whateverItSays() {
    assertThat(EngineComponent.isVerifiedByCaller(request(List.of(), true))).isFalse();
  }

  @Test
  void aRequestTheClientDidNotVerify_isVerifiedByTheAgent() throws Exception {
    assertThat(EngineComponent.isVerifiedByCaller(request(List.of(key()), false))).isFalse();
    assertThat(
            EngineComponent.isVerifiedByCaller(
                new ApplyRequest("u.jsplice", 1, SHA256, List.of(key()), null, false)))
        .as("the constructor of older callers")
        .isFalse();
  }

  private static ApplyRequest request(List<TrustedKey> trust, boolean verified) {
    return new ApplyRequest(
        "u.jsplice", 1, SHA256, trust, Quiescence.DEFAULT, false, false, verified);
  }

  private static TrustedKey key() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return TrustedKey.of(generator.generateKeyPair().getPublic(), "test.cer");
  }
}

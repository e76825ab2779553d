package io.jsplice.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {
  @Test
  void hex_ofTheStandardsExamples() {
    assertThat(Sha256.hex(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Sha256.hex("abc".getBytes()))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void digest_isTheJdks_atEveryLengthAroundTheBlockAndPaddingEdges() throws Exception {
    Random random = new Random(42);
    MessageDigest jdk = MessageDigest.getInstance("SHA-256");
    for (int length : new int[] {1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 100_003}) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      assertThat(Sha256.hex(data))
          .as("%d bytes", length)
          .isEqualTo(HexFormat.of().formatHex(jdk.digest(data)));
    }
  }
}

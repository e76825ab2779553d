package io.jsplice.model.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyGenerationTest {
  private static final char[] PASSWORD = "test-password".toCharArray();

  @TempDir Path dir;

  @Test
  void generate_writesTheKeyStoreForItsOwnerOnly_andLeavesNothingElse() throws IOException {
    KeyGeneration.generate(dir.resolve("k.p12"), PASSWORD, "CN=k", dir.resolve("k.pem"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k.p12"))))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("k.p12", "k.pem");
    }
    assertThat(SigningKey.load(dir.resolve("k.p12"), PASSWORD).certificate()).isNotNull();
  }

  @Test
  void generate_neverOverwritesAKey() throws IOException {
    Files.writeString(dir.resolve("k.p12"), "an existing key");

    assertThatThrownBy(
            () ->
                KeyGeneration.generate(
                    dir.resolve("k.p12"), PASSWORD, "CN=k", dir.resolve("k.pem")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exists already");
    assertThat(dir.resolve("k.p12")).hasContent("an existing key");
  }
}

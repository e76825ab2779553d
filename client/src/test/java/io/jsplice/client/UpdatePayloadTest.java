package io.jsplice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.control.FailureCause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client refuses before it sends an update the agent would check: a file that cannot be an
 * update is a corrupt update (exit 13), not a request the agent cannot read (the update fuzzer met
 * an empty file so).
 */
class UpdatePayloadTest {
  @TempDir Path dir;

  @Test
  void read_anEmptyFile_isACorruptUpdate() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.jsplice"));

    assertThatThrownBy(() -> UpdatePayload.read(empty, List.of()))
        .isInstanceOfSatisfying(
            UpdateFileException.class,
            e -> assertThat(e.failure()).isEqualTo(FailureCause.CORRUPT_UPDATE))
        .hasMessage(empty + " is empty; no update is");
  }

  @Test
  void read_aFileOfBytes_keepsThemAndTheirDigest() throws Exception {
    Path file = Files.write(dir.resolve("some.jsplice"), new byte[] {1, 2, 3});

    UpdatePayload payload = UpdatePayload.read(file, List.of());

    assertThat(payload.bytes()).containsExactly(1, 2, 3);
    assertThat(payload.sha256())
        .isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
  }
}

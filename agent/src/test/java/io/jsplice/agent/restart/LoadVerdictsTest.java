package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.record.ServiceRecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadVerdictsTest {
  private static final String KEY = "0123456789abcdef".repeat(4);

  @TempDir Path state;
  private ServiceRecordStore store;

  @BeforeEach
  void service() throws IOException {
    store = ServiceRecordStore.at(state, "svc");
    Files.createDirectories(store.directory());
  }

  @Test
  void aRememberedLoad_givesItsUpdateForThatKeyOnly() {
    LoadVerdicts.of(store).remember(KEY, "fix-1");

    assertThat(LoadVerdicts.of(store).updateFor(KEY)).isEqualTo("fix-1");
    assertThat(LoadVerdicts.of(store).updateFor("f".repeat(64))).isNull();
  }

  @Test
  void aLoadOthersCouldHaveWritten_isNotBelieved() throws IOException {
    LoadVerdicts.of(store).remember(KEY, "fix-1");
    Path file = store.directory().resolve("loads").resolve(KEY);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));

    assertThat(LoadVerdicts.of(store).updateFor(KEY)).isNull();
  }

  @Test
  void aKeyThatIsNotADigest_isNeitherWrittenNorRead() throws IOException {
    String path = "../" + "a".repeat(61);
    LoadVerdicts.of(store).remember(path, "fix-1");

    assertThat(LoadVerdicts.of(store).updateFor(path)).isNull();
    assertThat(store.directory().resolve("loads")).doesNotExist();
  }
}

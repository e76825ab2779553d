package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.model.record.ServiceRecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictsTest {
  private static final String CONTENT = "a".repeat(64);

  @TempDir Path state;
  private ServiceRecordStore store;
  private Path keys;

  @BeforeEach
  void serviceWithTrustedKeys() throws IOException {
    store = ServiceRecordStore.at(state, "svc");
    Files.createDirectories(store.directory());
    keys = Files.writeString(state.resolve("ours.pem"), "certificate one");
  }

  @Test
  void aRememberedVerdict_holdsForThatContentAndThoseKeysOnly() throws IOException {
    Verdicts.of(store, List.of(keys)).remember(CONTENT);

    assertThat(Verdicts.of(store, List.of(keys)).verifiedBefore(CONTENT)).isTrue();
    assertThat(Verdicts.of(store, List.of(keys)).verifiedBefore("b".repeat(64))).isFalse();
    Files.writeString(keys, "certificate two");
    assertThat(Verdicts.of(store, List.of(keys)).verifiedBefore(CONTENT)).isFalse();
  }

  @Test
  void noTrustedKeys_noVerdict() {
    Verdicts none = Verdicts.of(store, List.of());
    none.remember(CONTENT);

    assertThat(none.verifiedBefore(CONTENT)).isFalse();
    assertThat(store.directory().resolve("verdicts")).doesNotExist();
  }

  @Test
  void aVerdictOthersCouldWrite_isNotBelieved() throws IOException {
    Verdicts verdicts = Verdicts.of(store, List.of(keys));
    verdicts.remember(CONTENT);
    Path directory = store.directory().resolve("verdicts");
    Path file = directory.resolve(CONTENT);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
    assertThat(verdicts.verifiedBefore(CONTENT)).isFalse();

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(verdicts.verifiedBefore(CONTENT)).isFalse();

    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    assertThat(verdicts.verifiedBefore(CONTENT)).isTrue();
  }

  @Test
  void aVerdictOwnedByAnotherUser_isNotBelieved() throws IOException {
    assumeTrue(
        ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0,
        "only root can give a file away");
    Verdicts verdicts = Verdicts.of(store, List.of(keys));
    verdicts.remember(CONTENT);
    Path file = store.directory().resolve("verdicts").resolve(CONTENT);

    Files.setAttribute(file, "unix:uid", 65534);

    assertThat(verdicts.verifiedBefore(CONTENT)).isFalse();
  }

  @Test
  void aVerdictThatIsALink_isNotBelieved() throws IOException {
    Verdicts verdicts = Verdicts.of(store, List.of(keys));
    verdicts.remember(CONTENT);
    Path directory = store.directory().resolve("verdicts");
    Path elsewhere = Files.move(directory.resolve(CONTENT), state.resolve("elsewhere"));

    Files.createSymbolicLink(directory.resolve(CONTENT), elsewhere);

    assertThat(verdicts.verifiedBefore(CONTENT)).isFalse();
  }
}

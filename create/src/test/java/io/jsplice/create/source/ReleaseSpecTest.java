package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Releases named by several Maven coordinates (a fix spanning two artifacts), from Maven Central.
 */
class ReleaseSpecTest {
  private static MavenArtifacts maven;

  @BeforeAll
  static void open() {
    maven = new MavenArtifacts();
  }

  @AfterAll
  static void close() {
    maven.close();
  }

  /** Coordinates contain ':', the class path separator: each is read as one artifact. */
  @Test
  void read_severalCoordinates_readsEachArtifact() throws IOException {
    ClassSet release =
        ReleaseSpec.read(
            List.of("org.apache.commons:commons-text:1.9", "org.apache.commons:commons-lang3:3.11"),
            maven);

    assertThat(release.classes())
        .containsKey("org/apache/commons/text/StringSubstitutor")
        .containsKey("org/apache/commons/lang3/StringUtils");
  }
}

package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseSpecTest {
  @Test
  void parts_readsCommaSeparatedCoordinatesAsArtifacts_notAsPaths() {
    List<Object> parts =
        ReleaseSpec.parts(
            List.of(
                "org.eclipse.jetty:jetty-server:9.4.43.v20210629,org.eclipse.jetty:jetty-http:9.4.43.v20210629"));

    assertThat(parts)
        .containsExactly(
            MavenCoordinates.parse("org.eclipse.jetty:jetty-server:9.4.43.v20210629"),
            MavenCoordinates.parse("org.eclipse.jetty:jetty-http:9.4.43.v20210629"));
  }

  @Test
  void parts_keepsRepeatedOptionsInOrder_andDropsDuplicates() {
    List<Object> parts =
        ReleaseSpec.parts(
            List.of(
                "org.apache.logging.log4j:log4j-core:2.14.1",
                "org.apache.logging.log4j:log4j-api:2.14.1",
                "org.apache.logging.log4j:log4j-core:2.14.1"));

    assertThat(ReleaseSpec.coordinates(List.of("a.b:c:1", "lib/x.jar:lib/y.jar")))
        .containsExactly(MavenCoordinates.parse("a.b:c:1"));
    assertThat(parts).hasSize(2);
  }

  @Test
  void parts_splitsFilesAtThePathSeparator() {
    assertThat(ReleaseSpec.parts(List.of("lib/x.jar" + java.io.File.pathSeparator + "classes")))
        .containsExactly(Path.of("lib/x.jar"), Path.of("classes"));
  }

  @Test
  void read_missingFile_namesIt(@TempDir Path dir) {
    Path missing = dir.resolve("nothing.jar");
    try (MavenArtifacts maven = new MavenArtifacts(dir.resolve("repository"), true)) {
      assertThatThrownBy(() -> ReleaseSpec.read(List.of(missing.toString()), maven))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(missing + " does not exist");
    }
  }

  @Test
  void read_severalCoordinates_holdsTheClassesAndArtifactsOfEach() throws IOException {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      ClassSet set =
          ReleaseSpec.read(
              List.of(
                  "org.apache.logging.log4j:log4j-core:2.14.1,org.apache.logging.log4j:log4j-api:2.14.1"),
              maven);

      assertThat(set.bytes("org/apache/logging/log4j/core/Logger")).isNotNull();
      assertThat(set.bytes("org/apache/logging/log4j/LogManager")).isNotNull();
      assertThat(set.artifacts())
          .extracting(ClassSet.ArtifactVersion::artifactId)
          .startsWith("log4j-core", "log4j-api");
    }
  }
}

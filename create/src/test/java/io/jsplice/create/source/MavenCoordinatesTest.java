package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MavenCoordinatesTest {

  @Test
  void parse_readsGroupArtifactVersion() {
    MavenCoordinates c = MavenCoordinates.parse("org.apache.commons:commons-text:1.9");

    assertThat(c)
        .isEqualTo(new MavenCoordinates("org.apache.commons", "commons-text", "1.9", null));
    assertThat(c).hasToString("org.apache.commons:commons-text:1.9");
  }

  @Test
  void parse_readsClassifierAfterVersion() {
    MavenCoordinates c = MavenCoordinates.parse("org.apache.commons:commons-text:1.9:sources");

    assertThat(c.classifier()).isEqualTo("sources");
    assertThat(c.version()).isEqualTo("1.9");
    assertThat(c).hasToString("org.apache.commons:commons-text:1.9:sources");
    assertThat(c.withClassifier(null)).hasToString("org.apache.commons:commons-text:1.9");
  }

  @Test
  void parse_rejectsOtherFormsShowingTheExpectedOne() {
    assertThatThrownBy(() -> MavenCoordinates.parse("commons-text:1.9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("groupId:artifactId:version[:classifier]");
    assertThatThrownBy(() -> MavenCoordinates.parse("g::1.0"))
        .hasMessageContaining("artifactId is empty");
    assertThatThrownBy(() -> MavenCoordinates.parse("g:a:[1.0,2.0)"))
        .hasMessageContaining("version ranges are not accepted");
  }

  @Test
  void artifactVersion_dropsTheClassifier() {
    assertThat(MavenCoordinates.parse("g:a:1.0:tests").artifactVersion())
        .isEqualTo(new ClassSet.ArtifactVersion("g", "a", "1.0"));
  }
}

package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolves real artifacts from Maven Central (into the user's local repository). */
class MavenArtifactsTest {
  private static final MavenCoordinates COMMONS_TEXT =
      MavenCoordinates.parse("org.apache.commons:commons-text:1.9");

  private static MavenArtifacts maven;

  @BeforeAll
  static void open() {
    maven = new MavenArtifacts();
  }

  @AfterAll
  static void close() {
    maven.close();
  }

  @Test
  void resolve_returnsTheLibraryJarFromTheLocalRepository() throws IOException {
    Path jar = maven.resolve(COMMONS_TEXT);

    assertThat(jar).isRegularFile().hasFileName("commons-text-1.9.jar");
    assertThat(jar).startsWith(maven.localRepository());
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.getEntry("org/apache/commons/text/StringSubstitutor.class")).isNotNull();
    }
  }

  @Test
  void resolve_withSourcesClassifier_returnsTheSourcesJar() throws IOException {
    Path sources = maven.resolve(COMMONS_TEXT.withClassifier("sources"));

    assertThat(sources).isRegularFile().hasFileName("commons-text-1.9-sources.jar");
    try (ZipFile zip = new ZipFile(sources.toFile())) {
      assertThat(zip.getEntry("org/apache/commons/text/lookup/StringLookupFactory.java"))
          .isNotNull();
    }
  }

  @Test
  void resolveCompileClasspath_startsWithTheJarAndHoldsItsDependenciesButNotTestOnes()
      throws IOException {
    List<Path> classpath = maven.resolveCompileClasspath(COMMONS_TEXT);

    assertThat(classpath.get(0)).hasFileName("commons-text-1.9.jar");
    assertThat(classpath).anySatisfy(p -> assertThat(p).hasFileName("commons-lang3-3.11.jar"));
    assertThat(classpath)
        .noneSatisfy(p -> assertThat(p.getFileName().toString()).contains("junit"));
    assertThat(classpath).allSatisfy(p -> assertThat(p).isRegularFile());
  }

  @Test
  void resolveCompileClasspath_leavesOutADependencyWhoseVersionThePomNeverDefines()
      throws IOException {
    // log4j-core 2.25.0 has a provided dependency on jspecify at ${jspecify.version}, which no
    // POM of the release defines: Maven cannot resolve it, and the rest must still resolve.
    List<Path> classpath =
        maven.resolveCompileClasspath(
            MavenCoordinates.parse("org.apache.logging.log4j:log4j-core:2.25.0"));

    assertThat(classpath.get(0)).hasFileName("log4j-core-2.25.0.jar");
    assertThat(classpath).anySatisfy(p -> assertThat(p).hasFileName("log4j-api-2.25.0.jar"));
    assertThat(classpath).noneSatisfy(p -> assertThat(p.toString()).contains("${"));
    assertThat(classpath).allSatisfy(p -> assertThat(p).isRegularFile());
  }

  @Test
  void resolve_downloadsIntoTheGivenLocalRepository(@TempDir Path repository) throws IOException {
    try (MavenArtifacts fresh = new MavenArtifacts(repository, false)) {
      Path jar = fresh.resolve(COMMONS_TEXT);

      assertThat(jar)
          .isEqualTo(
              repository.resolve("org/apache/commons/commons-text/1.9/commons-text-1.9.jar"));
    }
  }

  @Test
  void resolve_unknownVersion_failsNamingTheCoordinatesAndWhatToCheck(@TempDir Path repository) {
    MavenCoordinates missing = MavenCoordinates.parse("org.apache.commons:commons-text:0.0.404");
    try (MavenArtifacts fresh = new MavenArtifacts(repository, false)) {
      assertThatThrownBy(() -> fresh.resolve(missing))
          .isInstanceOf(ArtifactNotFoundException.class)
          .hasMessageStartingWith("cannot resolve org.apache.commons:commons-text:0.0.404: ")
          .hasMessageContaining("not in Maven Central")
          .hasMessageContaining("check the coordinates")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
          .satisfies(
              e -> assertThat(((ArtifactNotFoundException) e).coordinates()).isEqualTo(missing));
    }
  }

  @Test
  void resolve_offlineWithoutACachedCopy_failsSayingToGoOnline(@TempDir Path repository) {
    try (MavenArtifacts offline = new MavenArtifacts(repository, true)) {
      assertThatThrownBy(() -> offline.resolve(COMMONS_TEXT))
          .isInstanceOf(ArtifactNotFoundException.class)
          .hasMessageStartingWith("cannot resolve org.apache.commons:commons-text:1.9: ")
          .hasMessageContaining("offline")
          .hasMessageContaining(repository.toAbsolutePath().toString())
          .hasMessageContaining("run once online")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void defaultLocalRepository_honoursMavenRepoLocal() {
    String before = System.getProperty("maven.repo.local");
    try {
      System.setProperty("maven.repo.local", "/tmp/elsewhere/repository");
      assertThat(MavenArtifacts.defaultLocalRepository())
          .isEqualTo(Path.of("/tmp/elsewhere/repository"));
      System.clearProperty("maven.repo.local");
      assertThat(MavenArtifacts.defaultLocalRepository())
          .isEqualTo(Path.of(System.getProperty("user.home"), ".m2", "repository"));
    } finally {
      if (before != null) {
        System.setProperty("maven.repo.local", before);
      }
    }
  }
}

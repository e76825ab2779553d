package io.jsplice.agent.classfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.agent.classfile.CodeLocation.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CodeLocationTest {
  @Test
  void parse_readsJarsAndDirectoriesOnTheClassPath() {
    assertThat(CodeLocation.parse("file:/app/lib/x.jar"))
        .isEqualTo(new CodeLocation(Kind.JAR, Path.of("/app/lib/x.jar"), null));
    assertThat(CodeLocation.parse("file:/app/classes/"))
        .isEqualTo(new CodeLocation(Kind.DIRECTORY, Path.of("/app/classes"), null));
    assertThat(CodeLocation.parse("jar:file:/app/lib/x.jar!/"))
        .isEqualTo(new CodeLocation(Kind.JAR, Path.of("/app/lib/x.jar"), null));
    assertThat(CodeLocation.parse("file:/opt/my%20app/x.jar").file())
        .isEqualTo(Path.of("/opt/my app/x.jar"));
  }

  @Test
  void parse_readsSpringBootTwoAndWarNesting() {
    assertThat(CodeLocation.parse("jar:file:/srv/app.jar!/BOOT-INF/lib/commons-text-1.9.jar!/"))
        .isEqualTo(
            new CodeLocation(
                Kind.NESTED_JAR, Path.of("/srv/app.jar"), "BOOT-INF/lib/commons-text-1.9.jar"));
    assertThat(CodeLocation.parse("jar:file:/srv/app.jar!/BOOT-INF/classes!/"))
        .isEqualTo(
            new CodeLocation(Kind.DIRECTORY_IN_JAR, Path.of("/srv/app.jar"), "BOOT-INF/classes"));
    assertThat(CodeLocation.parse("jar:file:/srv/app.war!/WEB-INF/lib/x.jar").kind())
        .isEqualTo(Kind.NESTED_JAR);
  }

  @Test
  void parse_readsSpringBootThreeNestedUrls() {
    assertThat(CodeLocation.parse("jar:nested:/srv/app.jar/!BOOT-INF/lib/commons-text-1.9.jar!/"))
        .isEqualTo(
            new CodeLocation(
                Kind.NESTED_JAR, Path.of("/srv/app.jar"), "BOOT-INF/lib/commons-text-1.9.jar"));
    assertThat(CodeLocation.parse("jar:nested:/srv/app.jar/!BOOT-INF/classes/!/"))
        .isEqualTo(
            new CodeLocation(Kind.DIRECTORY_IN_JAR, Path.of("/srv/app.jar"), "BOOT-INF/classes"));
  }

  @Test
  void parse_returnsNullForCodeNotOnDisk() {
    assertThat(CodeLocation.parse("jrt:/java.base")).isNull();
    assertThat(CodeLocation.parse("http://example.com/x.jar")).isNull();
    assertThat(CodeLocation.parse("memory:generated")).isNull();
    assertThat(CodeLocation.parse("jar:file:/a.jar!/b.jar!/c.jar!/")).isNull();
    assertThat(CodeLocation.parse(null)).isNull();
  }

  @Test
  void ofResource_stripsTheResourceFromItsUrl() {
    String path = "org/apache/commons/text/StringSubstitutor.class";
    assertThat(CodeLocation.ofResource("jar:file:/app/lib/x.jar!/" + path, path))
        .isEqualTo(new CodeLocation(Kind.JAR, Path.of("/app/lib/x.jar"), null));
    assertThat(CodeLocation.ofResource("file:/app/classes/" + path, path))
        .isEqualTo(new CodeLocation(Kind.DIRECTORY, Path.of("/app/classes"), null));
    assertThat(CodeLocation.ofResource("jar:file:/srv/app.jar!/BOOT-INF/lib/x.jar!/" + path, path))
        .isEqualTo(
            new CodeLocation(Kind.NESTED_JAR, Path.of("/srv/app.jar"), "BOOT-INF/lib/x.jar"));
    assertThat(CodeLocation.ofResource("file:/elsewhere/Other.class", path)).isNull();
  }

  @Test
  void describe_namesTheFileAndTheNestedEntry() {
    assertThat(CodeLocation.parse("jar:file:/srv/app.jar!/BOOT-INF/lib/x.jar!/").describe())
        .isEqualTo("/srv/app.jar!/BOOT-INF/lib/x.jar");
    assertThat(CodeLocation.parse("jar:file:/srv/app.jar!/BOOT-INF/lib/x.jar!/").name())
        .isEqualTo("x.jar");
  }
}

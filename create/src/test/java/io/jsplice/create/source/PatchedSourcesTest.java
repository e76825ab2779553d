package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchedSourcesTest {
  private static final String FOO =
      """
      package org.x;

      class Foo {
        int a() {
          return 1;
        }
      }
      """;

  private static final String FOO_A_RETURNS_2 =
      """
      diff --git a/src/main/java/org/x/Foo.java b/src/main/java/org/x/Foo.java
      --- a/src/main/java/org/x/Foo.java
      +++ b/src/main/java/org/x/Foo.java
      @@ -4,3 +4,3 @@ class Foo {
         int a() {
      -    return 1;
      +    return 2;
         }
      """;

  @TempDir Path dir;

  private final SourceTree tree =
      SourceTree.of(
          "lib-sources.jar", Map.of("org/x/Foo.java", FOO, "org/x/Bar.java", "package org.x;\n"));

  @Test
  void locate_removesLeadingDirectoriesUntilTheFileIsFound() {
    assertThat(tree.locate("src/main/java/org/x/Foo.java")).isEqualTo("org/x/Foo.java");
    assertThat(tree.locate("/home/me/lib/src/main/java/org/x/Foo.java"))
        .isEqualTo("org/x/Foo.java");
    assertThat(tree.locate("org/x/Foo.java")).isEqualTo("org/x/Foo.java");
    assertThat(tree.locate("./org/x/Foo.java")).isEqualTo("org/x/Foo.java");
    assertThat(tree.locate("src/main/java/org/y/Foo.java")).isNull();
  }

  @Test
  void locateNew_placesAnAddedFileInItsExistingPackage() {
    assertThat(tree.locateNew("src/main/java/org/x/Baz.java")).isEqualTo("org/x/Baz.java");
    assertThat(tree.locateNew("src/main/java/org/newpackage/Baz.java")).isNull();
  }

  @Test
  void apply_patchesTheNamedFile() throws Exception {
    PatchedSources patched = PatchedSources.apply(tree, diff(FOO_A_RETURNS_2));

    assertThat(patched.units()).containsOnlyKeys("org/x/Foo.java");
    PatchedSources.Unit unit = patched.units().get("org/x/Foo.java");
    assertThat(unit.before()).isEqualTo(FOO);
    assertThat(unit.after()).isEqualTo(FOO.replace("return 1;", "return 2;"));
  }

  @Test
  void apply_hunkAtOtherLineNumbers_appliesWhereItsContextIs() throws Exception {
    String shifted = FOO.replace("class Foo {", "/** Moved down. */\n\nclass Foo {");
    SourceTree moved = SourceTree.of("lib", Map.of("org/x/Foo.java", shifted));

    PatchedSources patched = PatchedSources.apply(moved, diff(FOO_A_RETURNS_2));

    assertThat(patched.units().get("org/x/Foo.java").after())
        .isEqualTo(shifted.replace("return 1;", "return 2;"));
  }

  @Test
  void apply_keepsWindowsLineEndings() throws Exception {
    SourceTree crlf = SourceTree.of("lib", Map.of("org/x/Foo.java", FOO.replace("\n", "\r\n")));

    PatchedSources patched = PatchedSources.apply(crlf, diff(FOO_A_RETURNS_2));

    assertThat(patched.units().get("org/x/Foo.java").after())
        .isEqualTo(FOO.replace("return 1;", "return 2;").replace("\n", "\r\n"));
  }

  @Test
  void apply_ignoresNonJavaFilesAndTestSources() throws Exception {
    String diff =
        FOO_A_RETURNS_2
            + """
            diff --git a/pom.xml b/pom.xml
            --- a/pom.xml
            +++ b/pom.xml
            @@ -1 +1 @@
            -<project/>
            +<project></project>
            diff --git a/src/test/java/org/x/FooTest.java b/src/test/java/org/x/FooTest.java
            --- a/src/test/java/org/x/FooTest.java
            +++ b/src/test/java/org/x/FooTest.java
            @@ -1 +1 @@
            -class FooTest {}
            +class FooTest { }
            diff --git a/src/test/java/org/x/BarTest.java b/src/test/java/org/x/BarTest.java
            new file mode 100644
            --- /dev/null
            +++ b/src/test/java/org/x/BarTest.java
            @@ -0,0 +1 @@
            +class BarTest {}
            """;

    PatchedSources patched = PatchedSources.apply(tree, diff(diff));

    assertThat(patched.units()).containsOnlyKeys("org/x/Foo.java");
    assertThat(patched.ignored())
        .containsExactly(
            "pom.xml", "src/test/java/org/x/FooTest.java", "src/test/java/org/x/BarTest.java");
  }

  @Test
  void apply_addedAndDeletedFiles_haveNoTextOnTheMissingSide() throws Exception {
    String diff =
        """
        diff --git a/src/main/java/org/x/Baz.java b/src/main/java/org/x/Baz.java
        new file mode 100644
        --- /dev/null
        +++ b/src/main/java/org/x/Baz.java
        @@ -0,0 +1,2 @@
        +package org.x;
        +class Baz {}
        diff --git a/src/main/java/org/x/Bar.java b/src/main/java/org/x/Bar.java
        deleted file mode 100644
        --- a/src/main/java/org/x/Bar.java
        +++ /dev/null
        @@ -1 +0,0 @@
        -package org.x;
        """;

    PatchedSources patched = PatchedSources.apply(tree, diff(diff));

    assertThat(patched.units().get("org/x/Baz.java"))
        .isEqualTo(
            new PatchedSources.Unit("org/x/Baz.java", null, "package org.x;\nclass Baz {}\n"));
    assertThat(patched.units().get("org/x/Bar.java"))
        .isEqualTo(new PatchedSources.Unit("org/x/Bar.java", "package org.x;\n", null));
  }

  @Test
  void apply_fileMissingFromTheSources_namesItAndTheSources() {
    String diff = FOO_A_RETURNS_2.replace("org/x/Foo.java", "org/y/Foo.java");

    assertThatThrownBy(() -> PatchedSources.apply(tree, diff(diff)))
        .isInstanceOf(PatchDoesNotApplyException.class)
        .hasMessage(
            "fix.diff changes src/main/java/org/y/Foo.java, which lib-sources.jar does not have"
                + " (also looked for it with leading directories removed); check that the sources"
                + " and the diff are of the same library");
  }

  @Test
  void apply_truncatedHunk_isRejectedNotDropped() {
    String truncated = FOO_A_RETURNS_2.replace("@@ -4,3 +4,3 @@", "@@ -4,4 +4,4 @@");

    assertThatThrownBy(() -> PatchedSources.apply(tree, diff(truncated)))
        .isInstanceOf(MalformedPatchException.class)
        .hasMessageContaining("has 1 hunks but only 0 are complete");
  }

  @Test
  void apply_somethingElseThanADiff_isMalformed() {
    assertThatThrownBy(() -> PatchedSources.apply(tree, diff("just some text\n")))
        .isInstanceOf(MalformedPatchException.class)
        .hasMessageStartingWith("fix.diff ");
  }

  private Path diff(String text) throws IOException {
    return Files.writeString(dir.resolve("fix.diff"), text);
  }
}

package io.jsplice.cli.command;

import static io.jsplice.cli.command.TinyLibrary.FIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One update, the same library loaded by several class loaders of one JVM (the application class
 * loader and two URLClassLoaders that do not delegate to it): all of them are patched, or none.
 */
class ClassLoadersIT {
  private static final String V0 = "hello x (v0)";
  private static final String V1 = "hello x (v1)";
  private static final String V2 = "hello x (v2)";

  @TempDir Path home;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static TinyLibrary library() {
    return TinyLibrary.get();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_patchesEveryClassLoader_andUndoRestoresEvery(Jdk jdk) {
    Path v1 = library().jar("v1");
    try (LibraryHost host = LibraryHost.on(jdk).loader("a", v1).loader("b", v1).start(home)) {
      assertThat(host.greetByLoader())
          .containsExactly(entry("app", V1), entry("a", V1), entry("b", V1));

      CliRun applied = host.apply(library().fix()).succeeded();

      assertThat(applied.out())
          .contains("  switched lib.Greeter (application class loader, from file:" + v1 + ")")
          .contains("  switched lib.Greeter (java.net.URLClassLoader \"a\", from file:" + v1 + ")")
          .contains("  switched lib.Greeter (java.net.URLClassLoader \"b\", from file:" + v1 + ")");
      assertThat(host.greetByLoader())
          .as("%s", host)
          .containsExactly(entry("app", V2), entry("a", V2), entry("b", V2));

      host.undo(FIX).succeeded();

      assertThat(host.greetByLoader())
          .containsExactly(entry("app", V1), entry("a", V1), entry("b", V1));
      assertThat(host.appliedUpdates()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesTheWholeUpdateWhenOneLoaderRunsAnotherVersion(Jdk jdk) {
    Path v0 = library().jar("v0");
    try (LibraryHost host =
        LibraryHost.on(jdk).loader("a", library().jar("v1")).loader("b", v0).start(home)) {
      assertThat(host.greetByLoader())
          .containsExactly(entry("app", V1), entry("a", V1), entry("b", V0));

      String message = host.apply(library().fix()).failedWith(30);

      assertThat(message)
          .startsWith("cannot apply " + FIX + "; no class was changed: ")
          .containsPattern(
              "lib\\.(Greeter|Spinner) in java\\.net\\.URLClassLoader \"b\", from file:\\S+/"
                  + v0.getFileName()
                  + ": its code \\(fingerprint ")
          .doesNotContain("\"a\"")
          .doesNotContain("application class loader");
      assertThat(host.greetByLoader())
          .as("no loader was patched: %s", host)
          .containsExactly(entry("app", V1), entry("a", V1), entry("b", V0));
      assertThat(host.appliedUpdates()).isEmpty();
    }
  }
}

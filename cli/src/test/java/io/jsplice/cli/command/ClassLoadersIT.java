package io.jsplice.cli.command;

import static io.jsplice.cli.command.TinyLibrary.FIX;
import static io.jsplice.cli.command.TinyLibrary.TALLY_FIELD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.jsplice.model.json.JsonObject;
import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One update, the same library loaded by several class loaders of one JVM (the application class
 * loader and URLClassLoaders that do not delegate to it): all of them are patched, or none.
 *
 * <p>Code that links against jsplice's bootstrap classes (here a shadow field for an added instance
 * field) cannot run in a loader that does not delegate to the system class loader: such an update
 * is refused there, and a class that loads there later is left unpatched, never broken.
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

  @ParameterizedTest
  @MethodSource("jdks")
  void apply_refusesCodeNeedingBootstrapClassesWhereALoaderCannotSeeThem(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).loader("a", library().jar("v1")).start(home)) {
      String message = host.apply(library().tallyField()).failedWith(32);

      assertThat(message)
          .startsWith(
              "cannot apply "
                  + TALLY_FIELD
                  + "; no class was changed: its code uses io.jsplice.bootstrap.ShadowField,"
                  + " io.jsplice.bootstrap.UpdateHook,"
                  + " which the class loader of lib.Tally (java.net.URLClassLoader \"a\", from"
                  + " file:")
          .endsWith(
              ") does not see, as it does not delegate to the system class loader where the agent"
                  + " puts them; an update that only changes method bodies applies there");
      assertThat(host.tallyByLoader()).containsExactly(entry("app", "1"), entry("a", "1"));
      assertThat(host.greetByLoader()).containsExactly(entry("app", V1), entry("a", V1));
      assertThat(host.appliedUpdates()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void classesLoadedLaterInAnIsolatedLoader_getWhatRunsThereAndNothingElse(Jdk jdk) {
    try (LibraryHost host = LibraryHost.on(jdk).start(home)) {
      host.apply(library().fix()).succeeded();
      host.apply(library().tallyField()).succeeded();
      assertThat(host.tallyByLoader()).containsExactly(entry("app", "1"));

      host.addLoader("late", library().jar("v1"));

      assertThat(host.greetByLoader())
          .as("a body-only update patches the class as it loads: %s", host)
          .containsExactly(entry("app", V2), entry("late", V2));
      assertThat(host.tallyByLoader())
          .as("code that needs the bootstrap classes is not installed there")
          .containsExactly(entry("app", "1"), entry("late", "1"));
      JsonObject show =
          JsonObject.parse(CliRun.jsplice("show", host.pid(), "--json").succeeded().out());
      assertThat(show.objects("loadedAfterApply"))
          .anySatisfy(
              load -> {
                assertThat(load.string("class")).isEqualTo("lib.Tally");
                assertThat(load.string("origin")).startsWith("java.net.URLClassLoader \"late\"");
                assertThat(load.optString("update")).isNull();
                assertThat(load.optString("mismatch"))
                    .isEqualTo(
                        "its class loader does not see io.jsplice.bootstrap.ShadowField,"
                            + " io.jsplice.bootstrap.UpdateHook, which the"
                            + " code of "
                            + TALLY_FIELD
                            + " needs; left unpatched");
              })
          .anySatisfy(
              load -> {
                assertThat(load.string("class")).isEqualTo("lib.Greeter");
                assertThat(load.optString("update")).isEqualTo(FIX);
              });
    }
  }
}

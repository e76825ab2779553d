package io.jsplice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command loads the classes of the verb it runs and no other's: what the CLI does not load it
 * neither parses nor verifies, so {@code jsplice apply} starts without {@code create}'s builder.
 * Each case runs the CLI in a class loader of its own, which then says which classes it loaded.
 */
class VerbLoadingTest {
  private static final List<String> OTHER_VERBS =
      List.of(
          "io.jsplice.cli.command.CreateCommand",
          "io.jsplice.cli.command.InspectCommand",
          "io.jsplice.cli.command.KeygenCommand",
          "io.jsplice.cli.command.SignCommand",
          "io.jsplice.cli.command.UndoCommand",
          "io.jsplice.cli.command.ShowCommand",
          "io.jsplice.cli.command.VerifyCommand",
          "io.jsplice.cli.command.StaleCommand",
          "io.jsplice.cli.command.PsCommand",
          "io.jsplice.cli.command.DemoCommand");

  @Test
  void version_loadsNoVerb() throws Exception {
    try (IsolatedCli cli = new IsolatedCli()) {
      assertThat(cli.run("--version")).startsWith("jsplice ");

      assertThat(cli.loaded(OTHER_VERBS)).isEmpty();
      assertThat(cli.loaded(List.of("io.jsplice.cli.command.ApplyCommand"))).isEmpty();
    }
  }

  @Test
  void version_alone_loadsNoPicocli_andPrintsWhatPicocliPrints() throws Exception {
    StringWriter picocli = new StringWriter();
    CommandModel.full().printVersionHelp(new PrintWriter(picocli, true));
    try (IsolatedCli cli = new IsolatedCli()) {
      assertThat(cli.run("--version")).isEqualTo(picocli.toString());
      assertThat(cli.run("-V")).isEqualTo(picocli.toString());

      assertThat(cli.loaded(List.of("picocli.CommandLine"))).isEmpty();
      cli.run("--version", "--help"); // not plain: picocli reads it
      assertThat(cli.loaded(List.of("picocli.CommandLine"))).isNotEmpty();
    }
  }

  @Test
  void apply_loadsNoOtherVerb_norTheUpdateBuilder() throws Exception {
    try (IsolatedCli cli = new IsolatedCli()) {
      assertThat(cli.run("apply", "--help")).contains("Apply an update to a running JVM");

      assertThat(cli.loaded(List.of("io.jsplice.cli.command.ApplyCommand"))).isNotEmpty();
      assertThat(cli.loaded(OTHER_VERBS)).isEmpty();
      assertThat(cli.loaded(List.of("io.jsplice.create.UpdateCreator"))).isEmpty();
      // The exit codes are listed in the help of jsplice itself, not in that of a verb.
      assertThat(cli.loaded(List.of(ExitCodes.class.getName()))).isEmpty();
    }
  }

  @Test
  void apply_andUndo_ofAPlainLine_loadNoPicocli() throws Exception {
    // picocli builds a verb's model by reflection; apply and undo read a plain line without it.
    try (IsolatedCli cli = new IsolatedCli()) {
      int code = cli.exitCode("apply", "1", "/nonexistent/fix.jsplice", "--retries", "2", "--json");
      assertThat(code).as("no update file").isEqualTo(13);
      code = cli.exitCode("undo", String.valueOf(Long.MAX_VALUE), "CVE-2022-42889", "--force");
      assertThat(code).as("no process").isEqualTo(20);

      assertThat(cli.loaded(List.of("picocli.CommandLine"))).isEmpty();
      assertThat(cli.loaded(OTHER_VERBS)).isEmpty();
    }
  }

  @Test
  void apply_ofALineForPicocli_isReadByPicocli() throws Exception {
    // The counterpart: the check above would pass as well if the loader never saw picocli.
    try (IsolatedCli cli = new IsolatedCli()) {
      int code = cli.exitCode("apply", "--", "1", "/nonexistent/fix.jsplice");

      assertThat(code).as("no update file").isEqualTo(13);
      assertThat(cli.loaded(List.of("picocli.CommandLine"))).isNotEmpty();
    }
  }

  @Test
  void help_loadsEveryVerb() throws Exception {
    // The counterpart: the check above would pass as well if the loader never saw the verbs.
    try (IsolatedCli cli = new IsolatedCli()) {
      cli.run("--help");

      assertThat(cli.loaded(OTHER_VERBS)).containsExactlyElementsOf(OTHER_VERBS);
      assertThat(cli.loaded(List.of(ExitCodes.class.getName()))).isNotEmpty();
    }
  }

  /** The CLI and its dependencies from this test's class path, loaded apart from the test's. */
  private static final class IsolatedCli extends URLClassLoader {
    IsolatedCli() throws MalformedURLException {
      super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    String run(String... args) throws ReflectiveOperationException {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertThat(run(args, out, err)).as(err.toString()).isEqualTo(0);
      return out.toString();
    }

    int exitCode(String... args) throws ReflectiveOperationException {
      return run(args, new StringWriter(), new StringWriter());
    }

    private int run(String[] args, StringWriter out, StringWriter err)
        throws ReflectiveOperationException {
      return (Integer)
          loadClass(Jsplice.class.getName())
              .getMethod("run", String[].class, PrintWriter.class, PrintWriter.class)
              .invoke(null, args, new PrintWriter(out), new PrintWriter(err));
    }

    /** Those of {@code names} this loader has loaded. */
    List<String> loaded(List<String> names) {
      List<String> loaded = new ArrayList<>();
      for (String name : names) {
        synchronized (getClassLoadingLock(name)) {
          if (findLoadedClass(name) != null) {
            loaded.add(name);
          }
        }
      }
      return loaded;
    }

    private static URL[] classPath() throws MalformedURLException {
      List<URL> urls = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        urls.add(new File(entry).toURI().toURL());
      }
      return urls.toArray(URL[]::new);
    }
  }
}

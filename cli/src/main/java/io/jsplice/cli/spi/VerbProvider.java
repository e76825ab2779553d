package io.jsplice.cli.spi;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Verbs another module adds to the {@code jsplice} command, found with {@link
 * java.util.ServiceLoader} (a {@code META-INF/services/io.jsplice.cli.spi.VerbProvider} entry).
 * This is how the fleet's verbs ({@code server}, {@code daemon}, {@code publish}, ...) reach {@code
 * bin/jsplice} while the CLI itself never depends on the fleet.
 *
 * <p>A verb is a picocli {@code @Command} object, added under its own name beside the built-in
 * verbs; it follows the house style: {@code --help}, {@code --json}, and failures as {@link
 * io.jsplice.cli.FailureException} (one line, the cause's exit code). The CLI creates a verb only
 * when it runs, or when the help lists every verb, so that the other verbs start as fast without
 * them.
 */
public interface VerbProvider {
  /** The verbs, by name. */
  List<Verb> verbs();

  /**
   * One verb.
   *
   * @param name what follows {@code jsplice} on the command line; must be the command's name
   * @param command creates the picocli command object
   */
  record Verb(String name, Supplier<Object> command) {
    public Verb {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(command, "command");
    }
  }
}

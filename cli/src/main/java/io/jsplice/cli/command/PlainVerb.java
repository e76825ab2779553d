package io.jsplice.cli.command;

import io.jsplice.model.control.FailureException;
import java.io.PrintWriter;

/**
 * A verb's run from a plain command line ({@link PlainCommandLine}), without picocli: what the
 * picocli verb's {@code call} does with the same arguments.
 */
public interface PlainVerb {
  /**
   * Runs the verb.
   *
   * @return the exit code
   * @throws FailureException with the cause and message the picocli verb fails with
   */
  int run(PrintWriter out) throws FailureException;
}

package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice sign}: sign an update file (one written by {@code create} without a key). */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Sign an update so that agents trusting the key will apply it.")
public final class SignCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "UPDATE", description = "The update file.")
  Path update;

  @Mixin KeyOptions key;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write the signed update (default: replace UPDATE).")
  Path output;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws FailureException {
    if (!key.present()) {
      throw new FailureException(FailureCause.BAD_REQUEST, "sign needs --key KEYSTORE");
    }
    Path target = output == null ? update : output;
    try {
      UpdateFile.OpenedUpdate opened = UpdateFile.open(update);
      UpdateFile.write(opened.update(), key.load(), target);
    } catch (UpdateRejectedException e) {
      throw Failures.of(e);
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "cannot write " + target + ": " + e.getMessage(), e);
    }
    if (json) {
      Output.ok(spec.commandLine().getOut(), new SignedJson(target.toString()));
    } else {
      spec.commandLine().getOut().println("signed " + target);
    }
    return 0;
  }

  /** What {@code sign --json} prints after {@code "ok": true}. */
  private record SignedJson(String signed) {}
}

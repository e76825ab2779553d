package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.cli.render.UpdateReport;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.TrustFileOwners;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateLimits;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice inspect}: what an update file holds, who signed it, and whether to trust it. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show what an update changes and whether it applies live.",
      "Always checks that the file is intact; with --trust, also that a trusted key signed "
          + "it (the exit code then says whether an agent with that trust would accept it)."
    })
public final class InspectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "UPDATE", description = "The update file.")
  Path update;

  @Option(
      names = "--trust",
      paramLabel = "CERT",
      split = ",",
      description = "Trusted certificate files or directories to check the signature against.")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--json", description = "Print the update as JSON.")
  boolean json;

  @Override
  public Integer call() throws FailureException {
    UpdateFile.OpenedUpdate opened;
    String signature;
    try {
      if (trust.isEmpty()) {
        opened = UpdateFile.open(update);
        signature =
            opened.signers().isEmpty()
                ? "none: agents will refuse this update until it is signed"
                : describe(opened.signers().get(0))
                    + " (not checked against trusted keys: pass --trust)";
      } else {
        TrustFileOwners.check(trust, "jsplice");
        TrustedKeys trusted = TrustedKeys.load(trust);
        opened = UpdateFile.verify(update, trusted, UpdateLimits.DEFAULT);
        signature = describe(opened.signers().get(0)) + " (trusted)";
      }
    } catch (UpdateRejectedException e) {
      throw Failures.of(e);
    } catch (IOException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
    if (json) {
      Output.ok(
          spec.commandLine().getOut(),
          new InspectJson(
              update.toString(),
              opened.signers().stream().map(SignerJson::of).toList(),
              !trust.isEmpty(),
              UpdateJson.encode(opened.update().update()),
              List.copyOf(opened.update().files().keySet())));
    } else {
      if (io.jsplice.cli.render.RefusalSummary.applies(opened.update().update())) {
        io.jsplice.cli.render.RefusalSummary.print(
            opened.update().update(), "every class follows", spec.commandLine().getOut());
        spec.commandLine().getOut().println();
      }
      UpdateReport.FULL.print(opened.update().update(), signature, spec.commandLine().getOut());
    }
    return 0;
  }

  private static String describe(X509Certificate signer) {
    return "signed by \""
        + signer.getSubjectX500Principal().getName()
        + "\", key "
        + TrustedKeys.fingerprint(signer.getPublicKey());
  }

  /** What {@code inspect --json} prints after {@code "ok": true}. */
  private record InspectJson(
      String file,
      List<SignerJson> signers,
      boolean trusted,
      JsonObject update,
      List<String> files) {}

  private record SignerJson(String subject, String keyFingerprint) {
    static SignerJson of(X509Certificate signer) {
      return new SignerJson(
          signer.getSubjectX500Principal().getName(),
          TrustedKeys.fingerprint(signer.getPublicKey()));
    }
  }
}

package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.PublishReceipt;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice publish UPDATE}: hand a signed update to the fleet server. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a signed update to the fleet server. The server checks the signature against the",
      "keys it trusts (its --trust) and refuses anything else with the cause an agent would give",
      "(exit 10 to 13); it serves the bytes unchanged to the hosts whose JVMs loaded the release",
      "the update targets. Publishing the same file again changes nothing."
    })
public final class PublishCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin AdminOptions admin;

  @Parameters(index = "0", paramLabel = "UPDATE", description = "The signed update file.")
  Path update;

  @Option(
      names = "--approve",
      paramLabel = "GROUP",
      description = "Also approve it for this group (for groups under the APPROVAL policy).")
  String approveFor;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws FailureException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(update);
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.CORRUPT_UPDATE, "cannot read the update " + update + ": " + e.getMessage());
    }
    FleetClient client = admin.client();
    try {
      PublishReceipt receipt = client.publish(bytes);
      PublishedUpdate published = receipt.update();
      if (approveFor != null) {
        published = client.approve(published.id(), approveFor);
        receipt = new PublishReceipt(published, receipt.alreadyPublished());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOut.print(out, receipt);
        return 0;
      }
      out.println(
          (receipt.alreadyPublished() ? "already published " : "published ")
              + published.id()
              + " to "
              + client.server()
              + (published.cves().isEmpty()
                  ? ""
                  : " (fixes " + String.join(", ", published.cves()) + ")"));
      published.targets().forEach(t -> out.println("  for " + t.display()));
      out.println("  signed by " + published.signer() + ", sha256 " + published.sha256());
      if (!published.approvedGroups().isEmpty()) {
        out.println("  approved for " + String.join(", ", published.approvedGroups()));
      }
      return 0;
    } catch (FleetException e) {
      throw FleetFailures.of(e);
    }
  }
}

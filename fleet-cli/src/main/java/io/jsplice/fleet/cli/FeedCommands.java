package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.Advisory;
import io.jsplice.fleet.api.AdvisoryImport;
import io.jsplice.fleet.api.AdvisoryList;
import io.jsplice.fleet.api.FeedCandidate;
import io.jsplice.fleet.api.FeedStatus;
import io.jsplice.fleet.api.PublishReceipt;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jsplice fleet feed} and {@code jsplice fleet advisories}. */
final class FeedCommands {
  private FeedCommands() {}

  /** What an admin can do with the feed. */
  enum Action {
    check,
    publish,
    dismiss
  }

  @Command(
      name = "feed",
      mixinStandardHelpOptions = true,
      description = {
        "The automatic feed: what it watches and built; check (ask the repository now), publish",
        "ID (an update waiting for review, as the feed built and signed it) or dismiss ID."
      })
  static final class Feed extends FleetCommand.Verb<Record> {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "ACTION",
        description = "check, publish or dismiss")
    Action action;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "ID",
        description = "The update (publish, dismiss).")
    String id;

    @Override
    Record fetch(FleetClient client) throws FleetException, FailureException {
      if (action == null) {
        return client.feed();
      }
      if (action == Action.check) {
        return client.checkFeed();
      }
      if (id == null) {
        throw new FailureException(
            FailureCause.BAD_REQUEST, "name the update: jsplice fleet feed " + action + " ID");
      }
      return action == Action.publish ? client.publishFromFeed(id) : client.dismissFromFeed(id);
    }

    @Override
    void print(Record value, PrintWriter out) {
      if (value instanceof PublishReceipt receipt) {
        out.println("published " + receipt.update().id());
      } else if (value instanceof FeedCandidate c) {
        out.println(c.id() + ": " + c.state());
      } else {
        FeedStatus s = (FeedStatus) value;
        out.println(
            s.enabled()
                ? "feed on "
                    + s.repository()
                    + ": "
                    + s.watching()
                    + " release(s) watched"
                    + (s.lastCheck() == null
                        ? ", not checked yet"
                        : ", last check " + s.lastCheck())
                : "this server runs no feed (jsplice server --feed-key)");
        if (s.lastError() != null) {
          out.println("  ! " + s.lastError());
        }
        for (FeedCandidate c : s.candidates()) {
          out.println(
              "  "
                  + c.state()
                  + "  "
                  + c.id()
                  + (c.cves().isEmpty() ? "" : "  " + String.join(", ", c.cves()))
                  + (c.reason() == null ? "" : "  (" + c.reason() + ")"));
        }
      }
    }
  }

  @Command(
      name = "advisories",
      mixinStandardHelpOptions = true,
      description = {
        "The imported security advisories; or import FILE|DIR: OSV JSON files (the GitHub",
        "advisory database's or osv.dev's format), so that updates and the inventory carry CVE",
        "ids and affected ranges."
      })
  static final class Advisories extends FleetCommand.Verb<Record> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "import", description = "import")
    String verb;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "PATH",
        description = "A file or directory.")
    Path path;

    @Override
    Record fetch(FleetClient client) throws FleetException, FailureException {
      if (verb == null) {
        return client.advisories();
      }
      if (!verb.equals("import") || path == null) {
        throw new FailureException(
            FailureCause.BAD_REQUEST, "jsplice fleet advisories [import FILE|DIR]");
      }
      List<String> imported = new ArrayList<>();
      List<String> ignored = new ArrayList<>();
      for (Path file : AdvisoryFiles.list(path)) {
        try {
          AdvisoryImport result = client.importAdvisories(Files.readAllBytes(file));
          imported.addAll(result.imported());
          ignored.addAll(result.ignored());
        } catch (IOException e) {
          throw new FailureException(
              FailureCause.BAD_REQUEST, "cannot read " + file + ": " + e.getMessage(), e);
        }
      }
      return new AdvisoryImport(imported, ignored);
    }

    @Override
    void print(Record value, PrintWriter out) {
      if (value instanceof AdvisoryImport result) {
        out.println(
            "imported "
                + result.imported().size()
                + " advisory(ies)"
                + (result.ignored().isEmpty()
                    ? ""
                    : "; "
                        + result.ignored().size()
                        + " name no Maven library: "
                        + String.join(", ", result.ignored())));
        return;
      }
      for (Advisory a : ((AdvisoryList) value).advisories()) {
        out.println(
            a.id()
                + "  "
                + String.join(", ", a.cves())
                + "  "
                + a.affected().stream()
                    .map(r -> r.groupId() + ":" + r.artifactId())
                    .distinct()
                    .toList()
                + "  "
                + a.summary());
      }
    }
  }
}

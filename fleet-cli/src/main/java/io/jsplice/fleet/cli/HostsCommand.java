package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.HostList;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.HostSummary;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.model.control.FailureException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jsplice hosts}: the fleet's hosts, as Uptrack lists machines. */
@Command(
    name = "hosts",
    mixinStandardHelpOptions = true,
    description = {
      "List the hosts enrolled with the fleet server: state, group, JVMs, how many are patched",
      "and how many still run a release a published update targets, and when each was last seen."
    })
public final class HostsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin AdminOptions admin;

  @Option(names = "--state", description = "Only hosts in this state: ${COMPLETION-CANDIDATES}.")
  HostState state;

  @Option(names = "--group", description = "Only hosts of this group.")
  String group;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() throws FailureException {
    HostList all;
    try {
      all = admin.client().hosts();
    } catch (FleetException e) {
      throw FleetFailures.of(e);
    }
    List<HostSummary> hosts =
        all.hosts().stream()
            .filter(h -> state == null || h.state() == state)
            .filter(h -> group == null || h.group().equals(group))
            .toList();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOut.print(out, new HostList(hosts));
      return 0;
    }
    long vulnerable = hosts.stream().filter(h -> h.jvmsVulnerable() > 0).count();
    out.println(
        hosts.size()
            + " host(s)"
            + (vulnerable == 0 ? "" : ", " + vulnerable + " with vulnerable JVMs"));
    if (hosts.isEmpty()) {
      return 0;
    }
    out.printf(
        "%-24s %-12s %-12s %5s %8s %10s  %s%n",
        "NAME", "STATE", "GROUP", "JVMS", "PATCHED", "VULNERABLE", "LAST SEEN");
    Instant now = Instant.now();
    for (HostSummary h : hosts) {
      out.printf(
          "%-24s %-12s %-12s %5d %8d %10d  %s%n",
          h.name(),
          h.state().name().toLowerCase(),
          h.group(),
          h.jvms(),
          h.jvmsPatched(),
          h.jvmsVulnerable(),
          Times.ago(h.lastSeen(), now));
    }
    return 0;
  }
}

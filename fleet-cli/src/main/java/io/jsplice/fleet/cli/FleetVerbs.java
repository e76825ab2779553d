package io.jsplice.fleet.cli;

import io.jsplice.cli.spi.VerbProvider;
import java.util.List;

/** The fleet's verbs in the {@code jsplice} command. */
public final class FleetVerbs implements VerbProvider {
  @Override
  public List<Verb> verbs() {
    return List.of(
        new Verb("server", ServerCommand::new),
        new Verb("daemon", DaemonCommand::new),
        new Verb("publish", PublishCommand::new),
        new Verb("hosts", HostsCommand::new),
        new Verb("host", HostCommand::new),
        new Verb("fleet", FleetCommand::new));
  }
}

package io.jsplice.fleet.daemon.state;

import java.net.URI;

/**
 * Who this host is to the fleet server, from its enrolment: {@code STATE/identity.json},
 * owner-only.
 *
 * @param server the server it enrolled with
 * @param hostId the server's id for it
 * @param name its name
 * @param secret its credential
 */
public record Identity(URI server, String hostId, String name, String secret) {
  public static final String FILE = "identity.json";

  @Override
  public String toString() {
    return "Identity[" + name + " at " + server + "]"; // never the secret
  }
}

package io.jsplice.fleet.api;

import java.util.List;

/**
 * The imported advisories that affect what a host's JVMs loaded.
 *
 * @param host the host
 * @param advisories by JVM, then library
 */
public record HostAdvisories(String host, List<JvmAdvisory> advisories) {
  public HostAdvisories {
    advisories = Lists.copy(advisories);
  }
}

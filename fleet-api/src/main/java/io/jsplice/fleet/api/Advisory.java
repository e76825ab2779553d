package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * A security advisory imported in OSV format (the format of the GitHub advisory database and of
 * osv.dev's exports), as far as Maven libraries go.
 *
 * @param id its id ({@code GHSA-...}, {@code CVE-...})
 * @param aliases its other ids; the CVE ids among them (and the id itself) are what updates name
 * @param summary one line; may be empty
 * @param published when it was published; may be null
 * @param modified when it last changed; may be null
 * @param affected the Maven releases it affects
 */
public record Advisory(
    String id,
    List<String> aliases,
    String summary,
    Instant published,
    Instant modified,
    List<AffectedRange> affected) {

  public Advisory {
    aliases = Lists.copy(aliases);
    affected = Lists.copy(affected);
  }

  /** Its CVE ids: the id and the aliases that are CVEs. */
  public List<String> cves() {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (id.startsWith("CVE-")) {
      out.add(id);
    }
    aliases.stream().filter(a -> a.startsWith("CVE-") && !out.contains(a)).forEach(out::add);
    return out;
  }
}

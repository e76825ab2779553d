package io.jsplice.fleet.api;

import java.util.List;

/**
 * Audit entries in sequence order.
 *
 * @param entries at most the requested number
 * @param next the {@code after} value for the next page
 */
public record AuditPage(List<AuditEntry> entries, long next) {
  public AuditPage {
    entries = Lists.copy(entries);
  }
}

package io.jsplice.fleet.api;

import java.util.List;

/** The published updates, oldest first. */
public record UpdateCatalog(List<PublishedUpdate> updates) {
  public UpdateCatalog {
    updates = Lists.copy(updates);
  }
}

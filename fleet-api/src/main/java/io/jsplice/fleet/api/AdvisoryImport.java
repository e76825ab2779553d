package io.jsplice.fleet.api;

import java.util.List;

/**
 * The answer to an import of OSV advisories.
 *
 * @param imported the advisories stored (new or changed), by id
 * @param ignored advisories that name no Maven library, by id
 */
public record AdvisoryImport(List<String> imported, List<String> ignored) {
  public AdvisoryImport {
    imported = Lists.copy(imported);
    ignored = Lists.copy(ignored);
  }
}

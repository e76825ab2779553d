package io.jsplice.fleet.api;

import java.util.List;

/** The imported advisories, by id. */
public record AdvisoryList(List<Advisory> advisories) {
  public AdvisoryList {
    advisories = Lists.copy(advisories);
  }
}

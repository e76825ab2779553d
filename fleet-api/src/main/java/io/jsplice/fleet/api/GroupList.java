package io.jsplice.fleet.api;

import java.util.List;

/** The groups, by name. */
public record GroupList(List<Group> groups) {
  public GroupList {
    groups = Lists.copy(groups);
  }
}

package io.jsplice.fleet.api;

import java.util.List;

/** Null-tolerant list copies for the records: JSON without a list reads as an empty one. */
final class Lists {
  private Lists() {}

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}

package io.jsplice.cli.render;

import java.io.PrintWriter;
import java.util.List;

/** Prints a list that may be long: the first items, then how many more (all with verbose). */
public final class CappedList {
  static final int SHOWN = 8;

  private CappedList() {}

  /**
   * @param prefix printed before each item, e.g. {@code " switched "}
   * @param verbose print every item
   */
  public static void print(PrintWriter out, String prefix, List<String> items, boolean verbose) {
    int shown = verbose ? items.size() : Math.min(items.size(), SHOWN);
    for (int i = 0; i < shown; i++) {
      out.println(prefix + items.get(i));
    }
    if (shown < items.size()) {
      out.println(
          prefix.replaceAll("\\S", " ")
              + "... and "
              + (items.size() - shown)
              + " more (--verbose or --json for all)");
    }
  }
}

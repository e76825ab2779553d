package io.jsplice.cli.render;

import io.jsplice.model.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;

/**
 * The human-readable answer of {@code jsplice verify}: the verdict, then each jar and class
 * directory the JVM loaded from, then each update.
 */
public final class VerifyReport {
  /** Classes listed per changed jar before "and N more". */
  private static final int LISTED = 10;

  private VerifyReport() {}

  public static void print(long pid, JsonObject reply, PrintWriter out) {
    out.println("JVM " + pid + ": " + reply.string("line"));
    for (JsonObject source : reply.objects("codeSources")) {
      printSource(source, out);
    }
    for (JsonObject update : reply.objects("updates")) {
      out.println("  update " + update.string("line"));
    }
    out.println(
        "compared "
            + reply.number("loadedClasses")
            + " loaded classes with the disk in "
            + reply.number("millis")
            + " ms (read back without redefining any class)");
    out.flush();
  }

  /** One line per jar or directory, and the classes that differ under a changed one. */
  public static void printSource(JsonObject source, PrintWriter out) {
    String path = source.optString("path") != null ? source.string("path") : source.string("url");
    String state = source.string("state");
    long loaded = source.number("loadedClasses");
    String summary =
        switch (state) {
          case "UNCHANGED" -> "unchanged (" + loaded + " loaded classes)";
          case "CHANGED" ->
              "changed: "
                  + (source.number("differingCount") + source.number("goneCount"))
                  + " of "
                  + loaded
                  + " loaded classes differ from disk";
          case "MISSING" -> "gone from disk (" + loaded + " classes were loaded from it)";
          default -> "not compared: " + source.optString("problem");
        };
    out.printf("  %-18s %s  %s%n", source.string("kind"), path, summary);
    if (source.optString("replacedBy") != null) {
      out.println(
          "      gone; compared with " + source.string("replacedBy") + ", which holds them now");
    }
    List<String> differing = source.strings("differing");
    List<String> gone = source.strings("gone");
    int shown = 0;
    for (String name : differing) {
      if (shown++ < LISTED) {
        out.println("      differs  " + name);
      }
    }
    for (String name : gone) {
      if (shown++ < LISTED) {
        out.println("      gone     " + name);
      }
    }
    long total = source.number("differingCount") + source.number("goneCount");
    if (total > LISTED) {
      out.println("      ... and " + (total - LISTED) + " more");
    }
  }
}

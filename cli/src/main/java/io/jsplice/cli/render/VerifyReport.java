package io.jsplice.cli.render;

import io.jsplice.protocol.message.VerifyReply;
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

  public static void print(long pid, VerifyReply reply, PrintWriter out) {
    out.println("JVM " + pid + ": " + reply.line());
    for (VerifyReply.CodeSource source : reply.codeSources()) {
      printSource(source, out);
    }
    for (VerifyReply.UpdateAtRestart update : reply.updates()) {
      out.println("  update " + update.line());
    }
    out.println(
        "compared "
            + reply.loadedClasses()
            + " loaded classes with the disk in "
            + reply.millis()
            + " ms (read back without redefining any class)");
    out.flush();
  }

  /** One line per jar or directory, and the classes that differ under a changed one. */
  public static void printSource(VerifyReply.CodeSource source, PrintWriter out) {
    String path = source.path() != null ? source.path() : source.url();
    int loaded = source.loadedClasses();
    String summary =
        switch (source.state()) {
          case UNCHANGED -> "unchanged (" + loaded + " loaded classes)";
          case CHANGED ->
              "changed: "
                  + (source.differingCount() + source.goneCount())
                  + " of "
                  + loaded
                  + " loaded classes differ from disk";
          case MISSING -> "gone from disk (" + loaded + " classes were loaded from it)";
          case UNREADABLE -> "not compared: " + source.problem();
        };
    out.printf("  %-18s %s  %s%n", source.kind(), path, summary);
    if (source.replacedBy() != null) {
      out.println("      gone; compared with " + source.replacedBy() + ", which holds them now");
    }
    List<String> differing = source.differing();
    List<String> gone = source.gone();
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
    long total = source.differingCount() + source.goneCount();
    if (total > LISTED) {
      out.println("      ... and " + (total - LISTED) + " more");
    }
  }
}

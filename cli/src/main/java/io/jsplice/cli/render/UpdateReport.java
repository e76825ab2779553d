package io.jsplice.cli.render;

import io.jsplice.model.Applicability;
import io.jsplice.model.Artifact;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.Tripwire;
import io.jsplice.model.Update;
import io.jsplice.model.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The human-readable report of an update, as {@code jsplice create} and {@code jsplice inspect}
 * print it: what changed, class by class, and whether and how it applies live.
 */
public final class UpdateReport {
  /** Every class with its changes and notes. */
  public static final UpdateReport FULL = new UpdateReport(true);

  /** The header, the verdict and the summary line. */
  public static final UpdateReport BRIEF = new UpdateReport(false);

  /** Update-level notes the brief report shows. */
  private static final int BRIEF_NOTES = 4;

  private final boolean classes;

  private UpdateReport(boolean classes) {
    this.classes = classes;
  }

  /**
   * @param signature one line about the signature (e.g. "signed by ... (trusted)"); may be null
   */
  public void print(Update update, String signature, PrintWriter out) {
    out.println(
        "update    "
            + update.id()
            + (update.description().isEmpty() ? "" : "  " + update.description()));
    if (!update.cves().isEmpty()) {
      out.println("fixes     " + String.join(", ", update.cves()));
    }
    for (Artifact artifact : update.artifacts()) {
      String group = artifact.groupId() == null ? "" : artifact.groupId() + ":";
      out.println("targets   " + group + artifact.display());
    }
    out.println("created   " + update.created());
    if (!update.requires().isEmpty()) {
      out.println("requires  " + String.join(", ", update.requires()));
    }
    if (signature != null) {
      out.println("signature " + signature);
    }
    printApplicability("verdict   ", update.applicability(), out);
    printNotInForce(update, out);
    java.util.Set<String> classNotes = new java.util.HashSet<>();
    update.classes().forEach(c -> classNotes.addAll(c.applicability().notes()));
    List<String> notes = new ArrayList<>();
    for (String note : update.applicability().notes()) {
      if (!classNotes.contains(note) && (classes || !note.startsWith("left out"))) {
        notes.add(note);
      }
    }
    int shown = classes ? notes.size() : Math.min(notes.size(), BRIEF_NOTES);
    for (String note : notes.subList(0, shown)) {
      out.println("          ! " + note);
    }
    if (shown < notes.size()) {
      out.println("          ! ... and " + (notes.size() - shown) + " more notes (--verbose)");
    }
    printTripwires(update.tripwires(), out);
    out.println();
    if (classes) {
      for (ClassUpdate c : update.classes()) {
        out.println(
            c.name()
                + "  ["
                + c.status().name().toLowerCase()
                + ", "
                + verdictWord(c.applicability().verdict())
                + "]");
        for (Change change : c.changes()) {
          String member = MemberNames.pretty(change.member());
          StringBuilder line = new StringBuilder("    ").append(change.kind().description());
          if (!member.isEmpty()) {
            line.append(": ").append(member);
          }
          if (!change.detail().isEmpty()) {
            line.append(" (").append(change.detail()).append(')');
          }
          out.println(line);
        }
        for (String note : c.applicability().notes()) {
          out.println("    ! " + note);
        }
      }
    }
    out.println();
    out.println(summary(update));
    out.flush();
  }

  private static void printApplicability(String label, Applicability a, PrintWriter out) {
    out.println(label + a.verdict().description());
    String indent = " ".repeat(label.length());
    for (Mechanism m : a.mechanisms().stream().sorted().toList()) {
      out.println(indent + "- " + m.description());
    }
  }

  /** What may keep the old behaviour, first, so that an operator cannot miss it. */
  private static void printNotInForce(Update update, PrintWriter out) {
    if (!update.instanceActions().isEmpty()) {
      out.println(
          "          objects built before the update are brought to the fixed state on the heap ("
              + update.instanceActions().size()
              + "):");
      update.instanceActions().forEach(a -> out.println("          - " + a.describe()));
    }
    if (update.partlyInForce()) {
      out.println(
          "          not in force for state built before the update ("
              + update.notInForce().size()
              + "); apply refuses it (exit 38) unless --accept-partial, or, for objects, none is"
              + " on the heap:");
      update.notInForce().forEach(n -> out.println("          - " + n));
    } else if (update.applicability().verdict() == Verdict.LIVE_NEEDS_HOOK) {
      out.println(
          "          state built before the update is covered by the update's hook(s) "
              + String.join(", ", update.hooks()));
    }
  }

  /**
   * Where the update records the exploit attempts it rejects; with the throw in the full report.
   */
  private void printTripwires(List<Tripwire> tripwires, PrintWriter out) {
    if (tripwires.isEmpty()) {
      return;
    }
    out.println(
        "tripwires "
            + tripwires.size()
            + ": an exploit attempt the fixed code rejects is recorded (jsplice show PID)");
    int shown = classes ? tripwires.size() : Math.min(tripwires.size(), BRIEF_NOTES);
    for (Tripwire t : tripwires.subList(0, shown)) {
      out.println(
          "          - "
              + t.site()
              + (classes && !t.signature().isEmpty() ? "  (" + t.signature() + ")" : ""));
    }
    if (shown < tripwires.size()) {
      out.println("          - ... and " + (tripwires.size() - shown) + " more (--verbose)");
    }
  }

  static String verdictWord(Verdict verdict) {
    return switch (verdict) {
      case LIVE -> "live";
      case LIVE_NEEDS_HOOK -> "live, partly in force without a hook";
      case NOT_LIVE -> "not live";
    };
  }

  static String summary(Update update) {
    Map<ClassStatus, Long> byStatus = new EnumMap<>(ClassStatus.class);
    Map<ChangeKind, Long> byKind = new EnumMap<>(ChangeKind.class);
    for (ClassUpdate c : update.classes()) {
      byStatus.merge(c.status(), 1L, Long::sum);
      for (Change change : c.changes()) {
        byKind.merge(change.kind(), 1L, Long::sum);
      }
    }
    String classes =
        byStatus.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
            .collect(Collectors.joining(", "));
    String kinds =
        byKind.entrySet().stream()
            .map(e -> e.getKey().description() + " x" + e.getValue())
            .collect(Collectors.joining("; "));
    return update.classes().size() + " classes (" + classes + "); " + kinds;
  }
}

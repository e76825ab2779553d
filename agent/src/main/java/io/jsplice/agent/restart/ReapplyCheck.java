package io.jsplice.agent.restart;

import io.jsplice.agent.classfile.DiskClasses;
import io.jsplice.agent.restart.UpdateOnDisk.Code;
import io.jsplice.agent.restart.UpdateOnDisk.Place;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.restart.RestartVerdict;
import io.jsplice.protocol.message.VerifyReply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether each update would be in force after a restart with the same command line, and whether
 * that is what the JVM runs now: every update applied in this JVM, and every update recorded for
 * the service it would restart as.
 *
 * <p>A restart reapplies an update if it starts with the agent and the service, the record holds
 * the update, and the recorded file verifies with the keys named on the command line. Then, as each
 * class loads, the update patches it if its class file is the code the update was built against
 * ({@link UpdateOnDisk}). So, class by class, a loaded class that runs the update now and would not
 * after a restart loses its fix (unless the disk holds the fix), and one that would run it only
 * after a restart changes. Classes not loaded yet come from the disk either way.
 */
final class ReapplyCheck {
  private ReapplyCheck() {}

  /**
   * How the JVM would restart, as far as its agent knows: the options {@code -javaagent} gave it.
   *
   * @param withAgent whether the agent came with {@code -javaagent}, so the command line brings it
   *     back
   * @param service the service named on the command line; null if none
   * @param store that service's record; null if none
   * @param trust the keys named on the command line
   */
  record Restart(boolean withAgent, String service, ServiceRecordStore store, List<Path> trust) {}

  /** What the disk holds now for an update's classes, as a whole. */
  enum Disk {
    /** The code it was built against, everywhere: it applies again. */
    APPLIES,
    /** Its fix (the fixed classes, or a release at or past its fix), where it does not apply. */
    FIXED,
    /** Other code somewhere, not known to hold its fix. */
    DIFFERS,
    /** None of its classes could be found on disk. */
    NOT_FOUND
  }

  /**
   * The result for one update.
   *
   * @param id the update's id
   * @param inJvm whether this JVM runs it
   * @param recorded whether the service's record holds it
   * @param reapplies whether a restart would reapply it
   * @param disk what the disk holds for it
   * @param verdict what it means for the restart
   * @param warn whether the line says something is wrong even though the restart changes nothing
   * @param line one line for the operator
   * @param places where its classes are on disk and what is there
   */
  record UpdateState(
      String id,
      boolean inJvm,
      boolean recorded,
      boolean reapplies,
      Disk disk,
      RestartVerdict verdict,
      boolean warn,
      String line,
      List<Place> places) {

    VerifyReply.UpdateAtRestart toReply() {
      return new VerifyReply.UpdateAtRestart(
          id,
          inJvm,
          recorded,
          reapplies,
          switch (disk) {
            case APPLIES -> VerifyReply.DiskState.APPLIES;
            case FIXED -> VerifyReply.DiskState.FIXED;
            case DIFFERS -> VerifyReply.DiskState.DIFFERS;
            case NOT_FOUND -> VerifyReply.DiskState.NOT_FOUND;
          },
          verdict,
          warn,
          line,
          places.stream().map(Place::toReply).toList());
    }
  }

  /**
   * Checks the updates.
   *
   * @param applied the updates this JVM runs, oldest first
   */
  static List<UpdateState> run(
      List<UpdatePackage> applied, Restart restart, LoadedClasses loaded, DiskClasses disk) {
    RecordView record = RecordView.read(restart, applied);
    Map<String, UpdatePackage> byId = new LinkedHashMap<>(record.verified());
    applied.forEach(u -> byId.putIfAbsent(u.update().id(), u));
    Set<String> inJvm = new LinkedHashSet<>();
    applied.forEach(u -> inJvm.add(u.update().id()));
    List<UpdatePackage> order = new ArrayList<>(byId.values());
    List<UpdateState> out = new ArrayList<>();
    for (UpdatePackage update : order) {
      String id = update.update().id();
      List<Place> places = UpdateOnDisk.places(update, order, loaded, disk);
      out.add(
          judge(
              id,
              inJvm.contains(id),
              record.recorded().contains(id),
              record.whyNotReapplied(restart, id),
              places));
    }
    for (Map.Entry<String, String> broken : record.problems().entrySet()) {
      if (!byId.containsKey(broken.getKey())) {
        out.add(
            new UpdateState(
                broken.getKey(),
                false,
                true,
                false,
                Disk.NOT_FOUND,
                RestartVerdict.SAME_CODE,
                true,
                broken.getKey()
                    + ": recorded for service "
                    + restart.service()
                    + " but unusable, so a restart skips it: "
                    + broken.getValue(),
                List.of()));
      }
    }
    return out;
  }

  /** What an update means for the restart, from its places and whether it would be reapplied. */
  static UpdateState judge(
      String id, boolean inJvm, boolean recorded, String whyNot, List<Place> places) {
    Disk disk = summary(places);
    boolean reapplied = whyNot == null;
    List<String> losing = new ArrayList<>();
    List<String> gaining = new ArrayList<>();
    boolean fixedOnDisk = false;
    int notRunning = 0;
    for (Place place : places) {
      if (place.loaded() == null) {
        continue;
      }
      boolean after = reapplied && place.code() == Code.BUILT_AGAINST;
      if (place.runsUpdate() && !after) {
        if (place.code() == Code.FIXED) {
          fixedOnDisk = true;
        } else {
          losing.add(place.className());
        }
      } else if (!place.runsUpdate() && after) {
        gaining.add(place.className());
      }
      if (!place.runsUpdate()) {
        notRunning++;
      }
    }
    boolean pendingLost = inJvm && !reapplied && disk == Disk.APPLIES;
    RestartVerdict verdict;
    boolean warn = false;
    String line;
    if (!losing.isEmpty() || pendingLost) {
      verdict = RestartVerdict.WOULD_LOSE_FIX;
      line =
          !reapplied
              ? id + ": would be lost at restart: " + whyNot
              : id
                  + ": would not apply again to "
                  + names(losing)
                  + ", which run its code now: their classes on disk are not the code it was"
                  + " built against, and the disk does not hold its fix";
    } else if (fixedOnDisk) {
      verdict = RestartVerdict.DIFFERENT_CODE;
      line = id + ": no longer needed: the disk holds its fix, which a restart runs instead";
    } else if (!gaining.isEmpty() || (!inJvm && reapplied && disk == Disk.APPLIES)) {
      verdict = RestartVerdict.DIFFERENT_CODE;
      line =
          inJvm
              ? id + ": a restart would patch " + names(gaining) + ", which do not run it now"
              : id + ": recorded for the service, not applied in this JVM: a restart applies it";
    } else {
      verdict = RestartVerdict.SAME_CODE;
      if (!inJvm) {
        line = id + ": not applied in this JVM, and a restart would not apply it";
        line += whyNot == null ? " (" + diskWords(disk) + ")" : ": " + whyNot;
      } else if (disk == Disk.APPLIES) {
        line = id + ": reapplies at restart (its classes on disk are what it was built against)";
      } else if (disk == Disk.FIXED) {
        warn = true;
        line =
            id
                + ": no longer needed: the disk holds its fix, and no loaded class runs it (undo it)";
      } else {
        warn = notRunning > 0 || disk == Disk.NOT_FOUND;
        line =
            id
                + ": NOT in force in "
                + notRunning
                + " loaded classes, here or after a restart: "
                + diskWords(disk);
      }
    }
    return new UpdateState(
        id, inJvm, recorded, reapplied && disk == Disk.APPLIES, disk, verdict, warn, line, places);
  }

  static Disk summary(List<Place> places) {
    if (places.isEmpty() || places.stream().allMatch(p -> p.location() == null)) {
      return Disk.NOT_FOUND;
    }
    if (places.stream().allMatch(p -> p.code() == Code.BUILT_AGAINST)) {
      return Disk.APPLIES;
    }
    boolean other =
        places.stream().anyMatch(p -> p.code() == Code.OTHER || p.code() == Code.ABSENT);
    return other ? Disk.DIFFERS : Disk.FIXED;
  }

  private static String diskWords(Disk disk) {
    return switch (disk) {
      case APPLIES -> "its classes on disk are what it was built against";
      case FIXED -> "the disk holds its fix";
      case DIFFERS ->
          "its classes on disk are not the code it was built against, and the disk does not hold"
              + " its fix";
      case NOT_FOUND -> "none of its classes is on disk";
    };
  }

  private static String names(List<String> classes) {
    List<String> distinct = classes.stream().distinct().toList();
    String shown = String.join(", ", distinct.subList(0, Math.min(3, distinct.size())));
    return distinct.size() > 3 ? shown + " and " + (distinct.size() - 3) + " more" : shown;
  }

  /**
   * The service's record as a restart would read it: the entries whose files verify, and why the
   * others do not.
   */
  private record RecordView(
      Map<String, UpdatePackage> verified,
      Set<String> recorded,
      Map<String, String> problems,
      String unreadable) {

    static RecordView read(Restart restart, List<UpdatePackage> applied) {
      Map<String, UpdatePackage> verified = new LinkedHashMap<>();
      Set<String> recorded = new LinkedHashSet<>();
      Map<String, String> problems = new LinkedHashMap<>();
      if (restart.store() == null) {
        return new RecordView(verified, recorded, problems, null);
      }
      ServiceRecord record;
      try {
        record = restart.store().read();
      } catch (IOException e) {
        return new RecordView(verified, recorded, problems, e.getMessage());
      }
      // As a restart would check them: against the same keys, trusting the same verdicts.
      Reapplication.Keys keys =
          new Reapplication.Keys(restart.trust(), Verdicts.of(restart.store(), restart.trust()));
      for (RecordedUpdate entry : record.updates()) {
        recorded.add(entry.id());
        try {
          UpdatePackage update = Reapplication.verified(restart.store(), entry, keys);
          // The JVM's own copy if it runs it: the same bytes, verified when applied.
          verified.put(
              entry.id(),
              applied.stream()
                  .filter(u -> u.update().id().equals(entry.id()))
                  .findFirst()
                  .orElse(update));
        } catch (Reapplication.UnusableEntryException e) {
          problems.put(entry.id(), e.getMessage());
        }
      }
      return new RecordView(verified, recorded, problems, null);
    }

    /** Why a restart would not reapply update {@code id}; null if it would. */
    String whyNotReapplied(Restart restart, String id) {
      if (!restart.withAgent()) {
        return "this JVM was not started with the agent, so a restart with the same command line"
            + " runs without it (add -javaagent:jsplice-agent.jar=service=NAME,state=DIR,"
            + "trust=CERT)";
      }
      if (restart.service() == null) {
        return "its agent was started without service=, so nothing is recorded for a restart";
      }
      if (unreadable != null) {
        return "the record of service " + restart.service() + " cannot be read: " + unreadable;
      }
      if (!recorded.contains(id)) {
        return "it is not in the record of service " + restart.service();
      }
      if (problems.containsKey(id)) {
        return "its entry in the record of service "
            + restart.service()
            + " is unusable: "
            + problems.get(id);
      }
      return null;
    }
  }
}

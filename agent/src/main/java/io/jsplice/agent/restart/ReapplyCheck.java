package io.jsplice.agent.restart;

import io.jsplice.model.Artifact;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.fingerprint.ClassFingerprint;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.restart.RestartVerdict;
import io.jsplice.model.signing.TrustedKeys;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether each update would be in force after a restart with the same command line: every update
 * applied in this JVM, and every update recorded for the service it would restart as.
 *
 * <p>An update is in force after a restart if the restarted JVM reapplies it (it starts with the
 * agent and the service, the record holds the update, and the recorded file verifies with the keys
 * the agent trusts) and if its classes on disk are still the code it was built against (run-pre
 * matching on the disk's class files, walking updates built on top of each other in order, as the
 * engine does). It is no longer needed if the disk holds its fix: the fixed classes themselves, or
 * a release of its library at or past the one it brings.
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

  /** What the disk holds now for an update's classes. */
  enum Disk {
    /** The code it was built against: it applies again. */
    APPLIES,
    /** Its fix: the fixed classes, or a release at or past the one it brings. */
    FIXED,
    /** Other code, not known to hold its fix: it would not apply. */
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
   * @param reapplies whether a restart would reapply it and it would apply to the disk
   * @param disk what the disk holds for it
   * @param verdict what it means for the restart
   * @param line one line for the operator
   * @param classes per modified class: where on disk, and what is there
   */
  record UpdateState(
      String id,
      boolean inJvm,
      boolean recorded,
      boolean reapplies,
      Disk disk,
      RestartVerdict verdict,
      String line,
      List<Map<String, Object>> classes) {

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("inJvm", inJvm);
      m.put("recorded", recorded);
      m.put("reappliedAtRestart", reapplies);
      m.put("disk", disk.name());
      m.put("verdict", verdict.name());
      m.put("line", line);
      m.put("classes", classes);
      return m;
    }
  }

  /**
   * Checks the updates.
   *
   * @param applied the updates this JVM runs, oldest first
   */
  static List<UpdateState> run(
      List<UpdatePackage> applied, Restart restart, LoadedClasses loaded, DiskClasses disk) {
    Map<String, UpdatePackage> byId = new LinkedHashMap<>();
    Map<String, String> recordProblems = new HashMap<>();
    Set<String> recorded = new LinkedHashSet<>();
    String wholeRecordProblem = readRecord(restart, applied, byId, recordProblems, recorded);
    applied.forEach(u -> byId.putIfAbsent(u.update().id(), u));
    Set<String> inJvm = new LinkedHashSet<>();
    applied.forEach(u -> inJvm.add(u.update().id()));

    Map<String, Map<String, String>> onDisk = new HashMap<>(); // class -> location -> fingerprint
    List<UpdatePackage> order = new ArrayList<>(byId.values());
    List<UpdateState> out = new ArrayList<>();
    for (UpdatePackage update : order) {
      String id = update.update().id();
      List<Map<String, Object>> classes = new ArrayList<>();
      Disk state = diskState(update, order, loaded, disk, onDisk, classes);
      String whyNot =
          whyNotReapplied(
              restart, recorded.contains(id), recordProblems.get(id), wholeRecordProblem);
      out.add(judge(id, inJvm.contains(id), recorded.contains(id), whyNot, state, classes));
    }
    for (Map.Entry<String, String> broken : recordProblems.entrySet()) {
      if (!byId.containsKey(broken.getKey())) {
        out.add(
            new UpdateState(
                broken.getKey(),
                false,
                true,
                false,
                Disk.NOT_FOUND,
                RestartVerdict.SAME_CODE,
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

  /**
   * Reads the record and verifies its entries, as a restart would; fills the maps.
   *
   * @return why the whole record is unusable; null if it was read
   */
  private static String readRecord(
      Restart restart,
      List<UpdatePackage> applied,
      Map<String, UpdatePackage> byId,
      Map<String, String> problems,
      Set<String> recorded) {
    if (restart.store() == null) {
      return null;
    }
    ServiceRecord record;
    try {
      record = restart.store().read();
    } catch (IOException e) {
      return "its record cannot be read: " + e.getMessage();
    }
    TrustedKeys trusted = null;
    String trustProblem = null;
    try {
      trusted = Reapplication.trustedKeys(restart.trust());
    } catch (Reapplication.UnusableEntryException e) {
      trustProblem = e.getMessage();
    }
    for (RecordedUpdate entry : record.updates()) {
      recorded.add(entry.id());
      try {
        if (trusted == null) {
          throw new Reapplication.UnusableEntryException(trustProblem);
        }
        UpdatePackage update = Reapplication.verified(restart.store(), entry, trusted);
        byId.put(entry.id(), inJvmCopy(applied, entry.id(), update));
      } catch (Reapplication.UnusableEntryException e) {
        problems.put(entry.id(), e.getMessage());
      }
    }
    return null;
  }

  /** The JVM's own copy of the update if it runs it (the same bytes, verified once already). */
  private static UpdatePackage inJvmCopy(
      List<UpdatePackage> applied, String id, UpdatePackage fromRecord) {
    return applied.stream().filter(u -> u.update().id().equals(id)).findFirst().orElse(fromRecord);
  }

  private static String whyNotReapplied(
      Restart restart, boolean recorded, String entryProblem, String recordProblem) {
    if (!restart.withAgent()) {
      return "this JVM was not started with the agent, so a restart with the same command line"
          + " runs without it (add -javaagent:jsplice-agent.jar=service=NAME,state=DIR,trust=CERT)";
    }
    if (restart.service() == null) {
      return "its agent was started without service=, so nothing is recorded for a restart";
    }
    if (recordProblem != null) {
      return "the record of service " + restart.service() + " is unusable: " + recordProblem;
    }
    if (!recorded) {
      return "it is not in the record of service " + restart.service();
    }
    if (entryProblem != null) {
      return "its entry in the record of service "
          + restart.service()
          + " is unusable: "
          + entryProblem;
    }
    return null;
  }

  private static UpdateState judge(
      String id,
      boolean inJvm,
      boolean recorded,
      String whyNot,
      Disk disk,
      List<Map<String, Object>> classes) {
    boolean reapplies = whyNot == null && disk == Disk.APPLIES;
    RestartVerdict verdict;
    String line;
    switch (disk) {
      case APPLIES -> {
        if (inJvm && whyNot == null) {
          verdict = RestartVerdict.SAME_CODE;
          line = id + ": reapplies at restart (its classes on disk are what it was built against)";
        } else if (inJvm) {
          verdict = RestartVerdict.WOULD_LOSE_FIX;
          line = id + ": would be lost at restart: " + whyNot;
        } else if (whyNot == null) {
          verdict = RestartVerdict.DIFFERENT_CODE;
          line =
              id + ": recorded for the service but not applied in this JVM; a restart applies it";
        } else {
          verdict = RestartVerdict.SAME_CODE;
          line = id + ": not applied in this JVM, and a restart would not apply it: " + whyNot;
        }
      }
      case FIXED -> {
        verdict = inJvm ? RestartVerdict.DIFFERENT_CODE : RestartVerdict.SAME_CODE;
        line = id + ": no longer needed: the disk holds its fix" + (inJvm ? "" : " (not applied)");
      }
      case DIFFERS -> {
        verdict = inJvm ? RestartVerdict.WOULD_LOSE_FIX : RestartVerdict.SAME_CODE;
        line =
            id
                + ": would not apply again: its classes on disk are not the code it was built"
                + " against, and the disk does not hold its fix"
                + (inJvm ? "" : " (not applied in this JVM)");
      }
      default -> {
        verdict = inJvm ? RestartVerdict.DIFFERENT_CODE : RestartVerdict.SAME_CODE;
        line = id + ": none of its classes is on disk any more";
      }
    }
    return new UpdateState(id, inJvm, recorded, reapplies, disk, verdict, line, classes);
  }

  /** What the disk holds for {@code update}'s modified classes; adds one entry per class. */
  private static Disk diskState(
      UpdatePackage update,
      List<UpdatePackage> order,
      LoadedClasses loaded,
      DiskClasses disk,
      Map<String, Map<String, String>> onDisk,
      List<Map<String, Object>> classes) {
    int applies = 0;
    int fixed = 0;
    int other = 0;
    CodeLocation otherAt = null;
    for (ClassUpdate c : update.update().classes()) {
      if (c.status() != ClassStatus.MODIFIED) {
        continue;
      }
      Map<String, String> locations =
          onDisk.computeIfAbsent(c.name(), n -> fingerprints(n, update, loaded, disk));
      if (locations.isEmpty()) {
        classes.add(classState(c.name(), null, "not found"));
      }
      for (Map.Entry<String, String> at : locations.entrySet()) {
        String found = at.getValue();
        String what;
        if (found == null) {
          what = "absent";
          other++;
        } else if (appliesTo(update, c.name(), found, order)) {
          what = "built against";
          applies++;
        } else if (found.equals(c.postFingerprint())) {
          what = "fixed";
          fixed++;
        } else {
          what = "other";
          other++;
          otherAt = CodeLocation.parse(at.getKey());
        }
        classes.add(classState(c.name(), at.getKey(), what));
      }
    }
    if (applies + fixed + other == 0) {
      return Disk.NOT_FOUND;
    }
    if (other == 0) {
      return fixed == 0 ? Disk.APPLIES : Disk.FIXED;
    }
    return otherAt != null && releasedPast(update, otherAt, disk) ? Disk.FIXED : Disk.DIFFERS;
  }

  /**
   * Whether {@code update}'s installation for a class whose disk code has {@code base} would apply:
   * walks the updates in order, as the engine's installation table does.
   */
  private static boolean appliesTo(
      UpdatePackage update, String className, String base, List<UpdatePackage> order) {
    String current = base;
    for (UpdatePackage candidate : order) {
      ClassUpdate c = candidate.update().classUpdate(className).orElse(null);
      boolean applies =
          c != null && c.status() == ClassStatus.MODIFIED && c.preFingerprint().equals(current);
      if (candidate == update) {
        return applies;
      }
      if (applies) {
        current = c.postFingerprint();
      }
    }
    return false;
  }

  /** Whether the jar at {@code at} is a release of the update's library at or past its fix. */
  private static boolean releasedPast(UpdatePackage update, CodeLocation at, DiskClasses disk) {
    for (Artifact artifact : update.update().artifacts()) {
      if (artifact.groupId() == null || artifact.toVersion() == null) {
        continue;
      }
      String version = disk.mavenVersion(at, artifact.groupId(), artifact.artifactId());
      if (version != null && ReleaseVersions.compare(version, artifact.toVersion()) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a class of the update is on disk now, by location, with the fingerprint of its class file
   * there (null: not there). Loaded copies give their code sources; a class not loaded is looked up
   * as a resource through the loaders of the update's loaded classes and the system loader.
   */
  private static Map<String, String> fingerprints(
      String name, UpdatePackage update, LoadedClasses loaded, DiskClasses disk) {
    Set<String> locations = new LinkedHashSet<>();
    for (Class<?> type : loaded.named(name)) {
      String url = LoadedClasses.location(type.getProtectionDomain());
      if (url != null) {
        locations.add(url);
      }
    }
    if (locations.isEmpty()) {
      String path = name.replace('.', '/') + ".class";
      for (ClassLoader loader : loaders(update, loaded)) {
        URL resource = loader.getResource(path);
        CodeLocation at =
            resource == null ? null : CodeLocation.ofResource(resource.toString(), path);
        if (at != null) {
          locations.add(
              resource.toString().substring(0, resource.toString().length() - path.length()));
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String url : locations) {
      CodeLocation at = CodeLocation.parse(url);
      if (at == null) {
        continue;
      }
      try {
        byte[] now = disk.classFile(at, name.replace('.', '/'));
        out.put(url, now == null ? null : ClassFingerprint.of(now));
      } catch (IOException | IllegalArgumentException gone) {
        out.put(url, null);
      }
    }
    return out;
  }

  private static List<ClassLoader> loaders(UpdatePackage update, LoadedClasses loaded) {
    Set<ClassLoader> loaders = new LinkedHashSet<>();
    for (ClassUpdate c : update.update().classes()) {
      for (Class<?> type : loaded.named(c.name())) {
        loaders.add(type.getClassLoader());
      }
    }
    loaders.add(ClassLoader.getSystemClassLoader());
    return new ArrayList<>(loaders);
  }

  private static Map<String, Object> classState(String name, String location, String disk) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class", name);
    m.put("location", location == null ? null : describe(location));
    m.put("disk", disk);
    return m;
  }

  private static String describe(String url) {
    CodeLocation at = CodeLocation.parse(url);
    return at == null ? url : at.describe();
  }
}

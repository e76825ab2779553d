package io.jsplice.agent.engine;

import io.jsplice.agent.classfile.DiskClasses;
import io.jsplice.agent.restart.RememberedLoads;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one retransformation-capable transformer through which jsplice installs code, both when it
 * switches loaded classes and when a patched class loads later (or after a restart).
 *
 * <p>Applying through a retransformation-capable transformer rather than bare redefinition is what
 * lets jsplice coexist with other agents: the JVM keeps each class's original bytes and passes them
 * through every such transformer on each retransformation, so a later retransformation by an APM or
 * coverage agent runs this transformer again and keeps the patch, and our switch runs their
 * transformers again and keeps their instrumentation (when jsplice's transformer is registered
 * first, i.e. loaded with {@code -javaagent} ahead of theirs).
 *
 * <p>Run-pre matching happens here, on the bytes the JVM hands over, outside the safepoint: while
 * the engine switches an update ({@link #arm}), a class whose base code is not what the update was
 * built against is recorded and gets an invalid class file back, which makes the JVM reject the
 * whole retransformation, so that no class of the update is switched.
 *
 * <p>A class of a recorded update that loads at a later start with exactly the bytes an earlier
 * start checked gets the code that start installed without the checks being done again ({@link
 * RememberedLoads}): they cost little to run, but in a JVM that has just started, compiling ASM for
 * them costs more than the rest of the agent. Any other bytes get every check.
 *
 * <p>Thread-safe. Never throws into the thread that loads a class.
 */
final class PatchTransformer implements ClassFileTransformer {
  /** Bytes the JVM rejects; returned to abort a switch. Not a class file. */
  private static final byte[] ABORT = {(byte) 0xCA, (byte) 0xFE};

  /**
   * What the checks at load are; part of every {@link RememberedLoads} key, so that a change to
   * them (count up here) makes every remembered load be checked again.
   */
  private static final String LOAD_CHECKS = "run-pre fingerprint, bytecode check: 1";

  private final InstallationTable table;
  private final SupportClasses support;
  private final ClassVerification verification;
  private final BootstrapLinks bootstrapLinks;
  private final RememberedLoads remembered;
  private final Consumer<String> log;
  private final List<LoadEvent> loadEvents = new ArrayList<>();
  private volatile Armed armed;

  PatchTransformer(
      InstallationTable table,
      SupportClasses support,
      ClassVerification verification,
      BootstrapLinks bootstrapLinks,
      RememberedLoads remembered,
      Consumer<String> log) {
    this.table = table;
    this.support = support;
    this.verification = verification;
    this.bootstrapLinks = bootstrapLinks;
    this.remembered = remembered;
    this.log = log;
  }

  /** What happened when a targeted class loaded after its update was applied. */
  record LoadEvent(String className, String origin, String updateId, String mismatch) {}

  /** A switch in progress on one thread: the update and the classes it expects to install. */
  static final class Armed {
    final Thread thread = Thread.currentThread();
    final String updateId;
    final Set<Class<?>> classes;
    final List<String> mismatches = new ArrayList<>();
    final List<String> failures = new ArrayList<>();

    /** Classes another agent had instrumented, into which the update's methods were merged. */
    final List<String> merged = new ArrayList<>();

    private final Set<Class<?>> reached = new HashSet<>();

    Armed(String updateId, Set<Class<?>> classes) {
      this.updateId = updateId;
      this.classes = classes;
    }

    /**
     * Notes that the switch reached {@code c}. HotSpot asks the transformer for each class of a
     * retransformation in turn and parses the answer at once, so only bytes it rejects at the last
     * class abort the switch after every class was checked.
     *
     * @return whether {@code c} is the last class of the switch
     */
    boolean reach(Class<?> c) {
      reached.add(c);
      return reached.size() == classes.size();
    }
  }

  void arm(Armed switching) {
    this.armed = switching;
  }

  void disarm() {
    this.armed = null;
  }

  List<LoadEvent> loadEvents() {
    synchronized (loadEvents) {
      return List.copyOf(loadEvents);
    }
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer) {
    Armed switching = armed;
    boolean checking =
        switching != null
            && switching.thread == Thread.currentThread()
            && classBeingRedefined != null
            && switching.classes.contains(classBeingRedefined);
    if (!checking && (className == null || !table.targets(className))) {
      return null;
    }
    boolean last = checking && switching.reach(classBeingRedefined);
    try {
      String loadKey =
          classBeingRedefined == null ? loadKey(className, loader, domain, classfileBuffer) : null;
      byte[] asBefore = loadKey == null ? null : asRemembered(loadKey, className, loader, domain);
      if (asBefore != null) {
        cacheable(className, loader, domain, classfileBuffer, asBefore);
        return asBefore;
      }
      String base = ClassFingerprint.of(classfileBuffer);
      Installation installation = table.resolve(className, base);
      byte[] install = installation == null ? null : installation.bytes();
      Instrumented instrumented = null;
      if (installation == null) {
        instrumented = instrumented(className, domain, classfileBuffer);
        if (instrumented != null && instrumented.merged() != null) {
          installation = instrumented.installation();
          install = instrumented.merged().bytes();
        }
      }
      if (checking
          && (installation == null || !installation.updateId().equals(switching.updateId))) {
        switching.mismatches.add(
            className.replace('/', '.')
                + " in "
                + ClassOrigin.describe(loader, domain)
                + ": its code (fingerprint "
                + base.substring(0, 12)
                + ") is not what "
                + switching.updateId
                + " was built against (expected "
                + expectedPre(className, switching.updateId)
                + ")"
                + (instrumented == null ? "" : instrumented.why(switching.updateId)));
      }
      if (checking && !switching.mismatches.isEmpty()) {
        // Check every class so that the refusal names them all; nothing switches.
        return last ? ABORT : null;
      }
      if (checking && install != installation.bytes()) {
        switching.merged.add(instrumented.describe(className, loader, domain));
      }
      if (installation == null) {
        if (classBeingRedefined == null) {
          recordLoad(
              className,
              loader,
              domain,
              null,
              "its code (fingerprint "
                  + base.substring(0, 12)
                  + ") matches no applied update; left unpatched");
        }
        return null;
      }
      Set<String> linked = bootstrapLinks.of(installation.updateId());
      if (!BootstrapLinks.visibleFrom(loader, linked)) {
        // The engine refuses such a switch; this is a class that loads, or that another agent
        // retransforms, in such a loader afterwards.
        if (classBeingRedefined == null) {
          recordLoad(
              className,
              loader,
              domain,
              null,
              "its class loader does not see "
                  + String.join(", ", linked)
                  + ", which the code of "
                  + installation.updateId()
                  + " needs; left unpatched");
        }
        return null;
      }
      if (classBeingRedefined == null) {
        // A class that loads: nothing verified its new code in this loader yet. What the JVM's
        // verifier would reject at link time loads with its own code instead.
        String refused = refusedAtLoad(installation, className, install, loader, domain);
        if (refused != null) {
          recordLoad(className, loader, domain, null, refused);
          // The application runs on without the fix here: its operator must hear of it.
          System.err.println(
              "jsplice: " + className.replace('/', '.') + " loaded unpatched: " + refused);
          return null;
        }
      } else if (installation.structural()) {
        support
            .ensureDefined(installation.updateId(), loader, domain)
            .describeNow(loader)
            .forEach(log);
      }
      if (classBeingRedefined == null) {
        recordLoad(className, loader, domain, installation.updateId(), null);
      }
      if (install != installation.bytes() && !checking) {
        log.accept(instrumented.describe(className, loader, domain));
      }
      if (loadKey != null && install == installation.bytes()) {
        remembered.remember(loadKey, installation.updateId());
        cacheable(className, loader, domain, classfileBuffer, install);
      }
      return install;
    } catch (Throwable t) {
      // A transformer must never throw into the loading thread; abort a switch instead.
      log.accept("transform of " + className + " failed: " + t);
      if (checking) {
        switching.failures.add(className.replace('/', '.') + ": " + t);
        return ABORT;
      }
      return null;
    }
  }

  /**
   * The key of a load in {@link RememberedLoads}: a digest of the checks, the class and where it
   * comes from, the recorded content of every update on its stack, and the exact bytes handed over.
   * Null when there is nothing to remember it by: no memory, or an update on the stack that was not
   * read from the service's record.
   */
  private String loadKey(
      String className, ClassLoader loader, ProtectionDomain domain, byte[] handed)
      throws NoSuchAlgorithmException {
    List<Installation> stack = table.stack(className);
    if (remembered == RememberedLoads.NONE
        || stack.isEmpty()
        || stack.stream().anyMatch(i -> i.recordedSha256() == null)) {
      return null;
    }
    StringBuilder key = new StringBuilder(LOAD_CHECKS).append('\n').append(className);
    key.append('\n').append(ClassOrigin.describe(loader, domain)).append('\n');
    stack.forEach(
        i -> key.append(i.updateId()).append(' ').append(i.recordedSha256()).append('\n'));
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(key.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest(handed));
  }

  /**
   * A load whose key an earlier start remembered: the code it installed then, with what that code
   * needs in the loader defined. Null when nothing is remembered, or what was remembered does not
   * hold now; the full checks then run.
   */
  private byte[] asRemembered(
      String loadKey, String className, ClassLoader loader, ProtectionDomain domain) {
    String updateId = remembered.updateFor(loadKey);
    Installation installation =
        updateId == null
            ? null
            : table.stack(className).stream()
                .filter(i -> i.updateId().equals(updateId))
                .findFirst()
                .orElse(null);
    if (installation == null || !BootstrapLinks.visibleFrom(loader, bootstrapLinks.of(updateId))) {
      return null;
    }
    if (installation.structural()) {
      try {
        support.ensureDefined(updateId, loader, domain).describeNow(loader).forEach(log);
      } catch (ReflectiveOperationException e) {
        return null;
      }
    }
    recordLoad(className, loader, domain, updateId, null);
    log.accept(
        className.replace('/', '.')
            + ": the very bytes an earlier start checked; installed the code checked then");
    return installation.bytes();
  }

  /**
   * Offers a load that installed exactly an installation's bytes to the reapplication cache, when
   * that is all the engine did for it: no support classes to define (a structural installation), no
   * bootstrap classes to find. Whether the update as a whole may be served is decided at its
   * registration ({@link Engine#servableFromCache}).
   */
  private void cacheable(
      String className,
      ClassLoader loader,
      ProtectionDomain domain,
      byte[] handed,
      byte[] install) {
    Installation top =
        table.stack(className).stream().filter(i -> i.bytes() == install).findFirst().orElse(null);
    if (top == null || top.structural() || !bootstrapLinks.of(top.updateId()).isEmpty()) {
      return;
    }
    remembered.patchedAtLoad(
        className, ClassOrigin.describe(loader, domain), handed, top.updateId(), install);
  }

  /**
   * A class served from the reapplication cache before the engine started, found loaded by the
   * engine's reapplication of {@code updateId}: listed with the loads, as if the engine had patched
   * it then.
   */
  void servedFromCache(Class<?> type, String updateId) {
    recordLoad(
        type.getName().replace('.', '/'),
        type.getClassLoader(),
        type.getProtectionDomain(),
        updateId,
        null);
  }

  /**
   * Checks and defines what a class that loads now needs: the update's added classes in its loader,
   * and its own new code. Null when it may be installed, else why it loads unpatched.
   *
   * <p>Runs while the class is being defined: nothing here may load a class that needs it (that
   * would define it twice), so the check reads class files ({@link BytecodeVerifier}) instead of
   * linking classes, and added classes are defined, not linked.
   */
  private String refusedAtLoad(
      Installation installation,
      String className,
      byte[] install,
      ClassLoader loader,
      ProtectionDomain domain) {
    String id = installation.updateId();
    Map<String, byte[]> own = new HashMap<>(table.bytesOf(id));
    List<SupportClasses.ClassBytes> added = support.classes(id);
    added.forEach(c -> own.put(c.name().replace('.', '/'), c.bytes()));
    own.put(className, install);
    if (installation.structural()) {
      for (SupportClasses.ClassBytes c : added) {
        String problem =
            verification.checkAtLoad(c.name().replace('.', '/'), c.bytes(), own, loader);
        if (problem != null) {
          return "not patched with " + id + ": " + problem + "; loaded its own code";
        }
      }
      boolean firstLoad = support.isFirstLoad(id, className);
      if (firstLoad) {
        SupportClasses.LOADING.get().add(className);
      }
      try {
        support.ensureDefined(id, loader, domain).describeNow(loader).forEach(log);
      } catch (ReflectiveOperationException e) {
        return "not patched with " + id + ": " + e.getMessage() + "; loaded its own code";
      } finally {
        if (firstLoad) {
          SupportClasses.LOADING.get().remove(className);
        }
      }
    }
    String problem = verification.checkAtLoad(className, install, own, loader);
    return problem == null
        ? null
        : "not patched with " + id + ": " + problem + "; loaded its own code";
  }

  private String expectedPre(String className, String updateId) {
    Installation top = table.top(className);
    return top != null && top.updateId().equals(updateId)
        ? top.preFingerprint().substring(0, 12)
        : "?";
  }

  /**
   * A class handed over instrumented by another agent: what its class file on disk is, and the
   * update's code merged into the instrumented bytes when that is safe.
   *
   * @param installation the installation for the class file on disk
   * @param merged the class to install, or null when the merge was refused
   * @param refusal why not, or null
   */
  private record Instrumented(
      Installation installation, InstrumentedMerge.Merged merged, String refusal) {
    /** What a run-pre mismatch message adds about it. */
    String why(String updateId) {
      if (!installation.updateId().equals(updateId)) {
        return "";
      }
      return ", yet the class file it was loaded from is that code: another Java agent"
          + " instrumented it before jsplice's transformer saw it"
          + (refusal.startsWith("changed ") ? " and " + refusal : " (" + refusal + ")")
          + "; start the JVM with jsplice's -javaagent ahead of that agent's, so that jsplice"
          + " sees the original code and each keeps the other's changes";
    }

    String describe(String className, ClassLoader loader, ProtectionDomain domain) {
      return className.replace('/', '.')
          + " in "
          + ClassOrigin.describe(loader, domain)
          + " was instrumented by another agent; kept its changes and replaced only "
          + String.join(", ", merged.replaced())
          + " with the code of "
          + installation.updateId();
    }
  }

  /**
   * When the bytes handed over match no installation but the class file they came from does,
   * another agent changed them first: merges the update's methods into them if that agent left
   * those methods alone. Null when the class file is unknown or matches nothing either. Only on a
   * mismatch, so the file is read only then.
   */
  private Instrumented instrumented(String className, ProtectionDomain domain, byte[] handed) {
    byte[] onDisk = DiskClasses.classFileOf(domain, className);
    if (onDisk == null) {
      return null;
    }
    Installation installation;
    try {
      installation = table.resolve(className, ClassFingerprint.of(onDisk));
    } catch (IllegalArgumentException notAClassFile) {
      return null;
    }
    if (installation == null) {
      return null;
    }
    try {
      return new Instrumented(
          installation,
          InstrumentedMerge.merge(className, handed, onDisk, installation.bytes()),
          null);
    } catch (InstrumentedMerge.Refused refused) {
      return new Instrumented(installation, null, refused.getMessage());
    }
  }

  private void recordLoad(
      String className, ClassLoader loader, ProtectionDomain domain, String update, String why) {
    LoadEvent event =
        new LoadEvent(
            className.replace('/', '.'), ClassOrigin.describe(loader, domain), update, why);
    synchronized (loadEvents) {
      if (loadEvents.size() < 10_000) {
        loadEvents.add(event);
      }
    }
    log.accept(
        update != null
            ? "patched "
                + event.className()
                + " ("
                + event.origin()
                + ") with "
                + update
                + " as it loaded"
            : "did not patch " + event.className() + " (" + event.origin() + "): " + why);
  }
}

package io.jsplice.agent.engine;

import io.jsplice.agent.heap.Heap;
import io.jsplice.agent.heap.JvmtiHeap;
import io.jsplice.agent.restart.RememberedLoads;
import io.jsplice.agent.runtime.TransformerChain;
import io.jsplice.bootstrap.Patched;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InForce;
import io.jsplice.model.StaleState;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.lang.instrument.Instrumentation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Applies and undoes updates in this JVM: ksplice-apply and ksplice-undo.
 *
 * <p>Apply checks, in order and before touching any class: that the update is not applied yet and
 * what it requires is; that every class it replaces runs the code it was built against (run-pre
 * matching, in every class loader, done by {@link PatchTransformer} on the bytes the JVM hands over
 * during the switch, outside the safepoint); that no thread is inside code it replaces ({@link
 * QuiescenceCheck}). Then {@link ClassSwitch} switches all loaded classes of the update, in all
 * loaders, with one retransformation: the JVM installs all or none. Finally it reads back, through
 * each class's {@link Patched} marker, that the JVM runs the update's code, and rolls back
 * otherwise. Then it carries the fix into existing state: static state ({@link StateTransfer}),
 * then the objects the program holds ({@link InstanceWork}), refusing (and rolling back) an update
 * whose fix would stay out of force for some of it ({@link InForceCheck}); and runs the update's
 * hooks.
 *
 * <p>Operations are serialized (one at a time); the transformer runs concurrently on class-loading
 * threads and only reads the installation table.
 */
public final class Engine {
  private final Instrumentation instrumentation;
  private final SerialFilterFactoryAccess serialFilterFactory;
  private final Consumer<String> log;
  private final InstallationTable table = new InstallationTable();
  private final SupportClasses support;
  private final ClassVerification verification;
  private final PatchTransformer transformer;
  private final Map<String, AppliedUpdate> applied = new LinkedHashMap<>();
  private final StateTransfer stateTransfer;
  private final PatchedMarkers markers;
  private final BootstrapLinks bootstrapLinks = new BootstrapLinks();

  /**
   * The JVM's heap, for every part that asks: one object made as the engine is built. Not a method
   * reference: the engine is built on the way to a cold apply's request, and each lambda's class is
   * spun at its first use in the JVM the agent was just attached to.
   */
  private final Supplier<Heap> heap = new TheHeap();

  private static final class TheHeap implements Supplier<Heap> {
    @Override
    public Heap get() {
      return JvmtiHeap.get();
    }
  }

  private final RememberedLoads remembered;
  private final ClassSwitch classSwitch;
  private final ExistingObjects existingObjects;
  private final InstanceWork instanceWork;
  private final GainedEnumConstants gainedEnumConstants;

  /** Target classes found loaded but unable to link, left out of switches; weakly held. */
  private final Set<Class<?>> unlinked =
      java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

  private final ClassInitialization initialization;

  public Engine(Instrumentation instrumentation, Consumer<String> log) {
    this(instrumentation, log, RememberedLoads.NONE);
  }

  /**
   * @param remembered what earlier starts found as the classes of recorded updates loaded
   */
  public Engine(Instrumentation instrumentation, Consumer<String> log, RememberedLoads remembered) {
    this.instrumentation = instrumentation;
    this.initialization = new ClassInitialization(instrumentation);
    this.remembered = remembered;
    this.log = log;
    ClassDefiner definer = new ClassDefiner(instrumentation);
    this.support = new SupportClasses(definer);
    this.verification = new ClassVerification(definer);
    this.transformer =
        new PatchTransformer(table, support, verification, bootstrapLinks, remembered, log);
    this.stateTransfer = new StateTransfer(instrumentation);
    this.markers = new PatchedMarkers(instrumentation);
    this.serialFilterFactory = new SerialFilterFactoryAccess(instrumentation, log);
    this.classSwitch = new ClassSwitch(instrumentation, table, support, transformer, markers, log);
    this.existingObjects = new ExistingObjects(instrumentation, heap);
    this.instanceWork = new InstanceWork(instrumentation, heap, log);
    this.gainedEnumConstants = new GainedEnumConstants(instrumentation, initialization, heap, log);
  }

  /** Puts the transformer into the agent's place in the JVM's chain; call once. */
  public void start(TransformerChain chain) {
    chain.append(transformer);
  }

  /** The result of an apply, for the control channel's reply. */
  public record ApplyResult(
      String updateId,
      List<String> switched,
      List<String> pending,
      List<String> forcedFrames,
      List<String> warnings,
      long checkMillis,
      long switchMillis,
      InForce inForce,
      List<String> notInForce) {}

  /**
   * Applies a verified update.
   *
   * @param requester who asked, for the record
   * @throws FailureException with the named cause; the JVM is then as it was
   */
  public synchronized ApplyResult apply(UpdatePackage pkg, ApplyOptions options, String requester)
      throws FailureException, InterruptedException {
    return apply(pkg, options, requester, true);
  }

  /**
   * @param loadPending whether to load, before the switch, the update's classes that the loaders it
   *     applies in would load but have not yet: the switch then verifies their new code as it does
   *     that of every loaded class, all or nothing (false at start-up, where the application's own
   *     order of loading is left alone)
   */
  private ApplyResult apply(
      UpdatePackage pkg, ApplyOptions options, String requester, boolean loadPending)
      throws FailureException, InterruptedException {
    Update update = pkg.update();
    long start = System.nanoTime();
    refuseIfNotApplicable(update);
    List<Installation> installations = UpdateContents.installations(pkg);
    List<String> dependsOn = dependencies(update, installations);
    ExistingObjects.Search search = existingObjects.search(update);
    InForceCheck.Outcome checked = InForceCheck.before(update, search, options, loadedNamed());
    // Left-out classes are refused before the switch when nothing is left to look for after it;
    // else after the objects found there, which are the more precise refusal (a JVM condition,
    // objects that stay old). Not at a reapplication: its record exists because an operator
    // accepted it.
    boolean nothingToLookFor =
        search.classes().isEmpty()
            && search.uninitialized().isEmpty()
            && update.instanceActions().isEmpty();
    if (loadPending && nothingToLookFor) {
      InForceCheck.refuseWhatIsLeftOut(update, options);
    }
    Map<String, List<Class<?>>> loaded = TargetClasses.loaded(instrumentation, installations);
    List<String> firstLoad = update.firstLoad();
    loaded = FirstLoad.refuseLoaded(update, loaded, markers, log);
    // The classes installed as they first load are in the table from here on: the update's added
    // classes that extend one (defined below) load it, and must load it fixed.
    List<Installation> early = new ArrayList<>();
    List<Installation> later = new ArrayList<>();
    for (Installation i : installations) {
      (firstLoad.contains(i.className().replace('/', '.')) ? early : later).add(i);
    }
    // Loops, not lambdas or streams, on this path: the first apply in a JVM the agent was attached
    // to for it would spin each lambda's class there as it runs.
    for (Installation i : early) {
      table.push(i);
    }
    List<String> forced;
    List<String> leftOut;
    UpdateHooks hooks;
    boolean prepared = false;
    try {
      List<SupportClasses.ClassBytes> supportClasses = UpdateContents.supportClasses(pkg);
      Set<String> own = new java.util.HashSet<>();
      for (SupportClasses.ClassBytes c : supportClasses) {
        own.add(c.name().replace('.', '/'));
      }
      Set<Class<?>> suspects = new java.util.HashSet<>();
      // Loading the pending classes now could load, with its old code, a class the update installs
      // only as it first loads: with such classes they load later, patched.
      if (loadPending && firstLoad.isEmpty()) {
        Set<Class<?>> before = TargetClasses.flatten(loaded);
        loaded = TargetClasses.loadPending(instrumentation, installations, own, loaded, log);
        suspects.addAll(TargetClasses.flatten(loaded));
        suspects.removeAll(before);
      }
      // A class the program loaded but never linked (the verifier or a registry loaded it) may be
      // unable to link for want of an optional dependency; its fixed code names what is missing.
      suspects.addAll(TargetClasses.namingUnfound(loaded, installations, own));
      loaded = TargetClasses.linkable(instrumentation, loaded, suspects, unlinked, log);
      refuseWhereBootstrapIsUnseen(update.id(), bootstrapLinks.register(pkg), loaded);
      forced = checkQuiescence(update, options, "apply");
      Map<String, Installation> through = new HashMap<>();
      for (Installation i : early) {
        through.put(i.className(), i);
      }
      support.register(update.id(), supportClasses, through);
      leftOut = defineSupportClasses(update.id(), loaded);
      hooks = startHooks(pkg, loaded);
      prepared = true;
    } finally {
      if (!prepared && !early.isEmpty()) {
        table.remove(update.id());
        FirstLoad.logKept(update, instrumentation, markers, log);
      }
    }
    long switchStart = System.nanoTime();
    for (Installation i : later) {
      table.push(i);
    }
    Set<Class<?>> classes = TargetClasses.flatten(loaded);
    Map<Class<?>, Integer> enumConstants = gainedEnumConstants.countBefore(classes);
    List<String> merged;
    try {
      merged = classSwitch.switchClasses(update.id(), classes, "apply");
    } catch (FailureException e) {
      table.remove(update.id());
      support.unregister(update.id());
      classSwitch.revertLoadedDuringSwitch(update.id(), later);
      FirstLoad.logKept(update, instrumentation, markers, log);
      throw e;
    }
    long switchEnd = System.nanoTime();
    classSwitch.confirmOrRollBack(update.id(), classes);
    try {
      FirstLoad.refuseLoadedOld(update, instrumentation, markers);
    } catch (FailureException e) {
      classSwitch.rollBack(update.id(), classes);
      FirstLoad.logKept(update, instrumentation, markers, log);
      throw e;
    }
    List<ClassLoader> loaders = TargetClasses.loaders(loaded);
    List<StateTransfer.Restore> restores = new ArrayList<>();
    List<String> warnings = new ArrayList<>(merged);
    warnings.addAll(leftOut);
    warnings.addAll(FirstLoad.describe(update, instrumentation));
    InForceCheck.Outcome inForce;
    try {
      List<String> fieldsKeptOld = new ArrayList<>();
      for (ClassLoader loader : loaders) {
        StateTransfer.Result result = stateTransfer.apply(update.stateActions(), loader);
        restores.addAll(result.restores());
        warnings.addAll(result.warnings());
        for (String field : result.notInForce()) {
          if (!namedAlready(checked.notInForce(), field) && !namedAlready(fieldsKeptOld, field)) {
            fieldsKeptOld.add(field);
          }
        }
      }
      InstanceWork.Result objects = instanceWork.run(update.instanceActions(), search.classes());
      restores.addAll(objects.restores());
      List<String> stillOld = new ArrayList<>(fieldsKeptOld);
      stillOld.addAll(objects.notInForce());
      GainedEnumConstants.Result enums = gainedEnumConstants.afterSwitch(enumConstants);
      warnings.addAll(enums.extended());
      stillOld.addAll(enums.notInForce());
      stillOld.addAll(existingObjects.initializedSince(search));
      inForce = InForceCheck.after(update, checked, stillOld, options, loadedNamed());
      if (loadPending && !nothingToLookFor) {
        InForceCheck.refuseWhatIsLeftOut(update, options); // rolled back below
      }
      hooks.afterApply();
    } catch (FailureException e) {
      undoState(restores);
      classSwitch.rollBack(update.id(), classes);
      FirstLoad.logKept(update, instrumentation, markers, log);
      throw e;
    } catch (io.jsplice.agent.heap.HeapUnavailableException e) {
      undoState(restores);
      classSwitch.rollBack(update.id(), classes);
      FirstLoad.logKept(update, instrumentation, markers, log);
      throw new FailureException(
          FailureCause.PARTLY_IN_FORCE,
          "cannot apply "
              + update.id()
              + ": finding the objects built before it failed ("
              + e.getMessage()
              + "); rolled back, no class was changed",
          e);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      undoState(restores);
      classSwitch.rollBack(update.id(), classes);
      FirstLoad.logKept(update, instrumentation, markers, log);
      throw new FailureException(
          FailureCause.UNSUPPORTED_CHANGE,
          "cannot apply "
              + update.id()
              + ": putting its fix into existing state failed ("
              + (e instanceof StateTransfer.StateActionException ? e.getMessage() : rootCause(e))
              + "); rolled back, no class was changed",
          e);
    }
    List<String> described = new ArrayList<>(classes.size());
    for (Class<?> c : classes) {
      described.add(c.getName() + " (" + ClassOrigin.describe(c) + ")");
    }
    Collections.sort(described);
    List<String> switched = Collections.unmodifiableList(described);
    List<String> pending = TargetClasses.pending(installations, loaded);
    applied.put(
        update.id(),
        new AppliedUpdate(
            pkg,
            Instant.now(),
            requester,
            switched,
            pending,
            dependsOn,
            forced,
            loaders,
            restores,
            warnings,
            hooks,
            false,
            inForce.inForce(),
            inForce.notInForce()));
    log.accept(
        "applied "
            + update.id()
            + " for "
            + requester
            + ": "
            + switched.size()
            + " classes switched, "
            + pending.size()
            + " pending load");
    for (String w : warnings) {
      log.accept("warning: " + w);
    }
    for (String n : inForce.notInForce()) {
      log.accept("accepted as not in force: " + n);
    }
    for (StaleState s : update.applicability().stale()) {
      if (s.unless() != null && !s.staleHere()) {
        log.accept("in force, as " + s.unless().describe() + ": " + s.describe());
      }
    }
    return new ApplyResult(
        update.id(),
        switched,
        pending,
        forced,
        warnings,
        (switchStart - start) / 1_000_000,
        (switchEnd - switchStart) / 1_000_000,
        inForce.inForce(),
        inForce.notInForce());
  }

  /** Whether {@code parts} names the state {@code part} names ("static field a.B.F: why"). */
  private static boolean namedAlready(List<String> parts, String part) {
    int colon = part.indexOf(": ");
    String what = colon < 0 ? part : part.substring(0, colon + 1);
    for (String p : parts) {
      if (p.startsWith(what)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Undoes an applied update: its classes return to the code below it (the original code, or an
   * earlier update's).
   */
  public synchronized List<String> undo(String updateId, ApplyOptions options)
      throws FailureException, InterruptedException {
    AppliedUpdate target = applied.get(updateId);
    if (target == null) {
      throw new FailureException(
          FailureCause.WRONG_STATE, "update " + updateId + " is not applied in this JVM");
    }
    for (AppliedUpdate other : applied.values()) {
      if (other.dependsOn().contains(updateId)
          || other.update().update().requires().contains(updateId)) {
        throw new FailureException(
            FailureCause.DEPENDENCY,
            "cannot undo "
                + updateId
                + ": update "
                + other.id()
                + " depends on it; undo "
                + other.id()
                + " first");
      }
    }
    FirstLoad.refuseUndo(target.update().update(), instrumentation, markers);
    checkQuiescence(target.update().update(), options, "undo");
    target.hooks().beforeUndo();
    List<Installation> installations = UpdateContents.installations(target.update());
    Map<String, List<Class<?>>> loaded = TargetClasses.loaded(instrumentation, installations);
    // A class that loaded, patched, since the apply and never linked (one the apply left to load
    // later as its code names classes its loader cannot find) may not link: tried first.
    Set<String> own = new java.util.HashSet<>();
    UpdateContents.supportClasses(target.update())
        .forEach(c -> own.add(c.name().replace('.', '/')));
    Set<Class<?>> classes =
        TargetClasses.flatten(
            TargetClasses.linkable(
                instrumentation,
                loaded,
                TargetClasses.namingUnfound(loaded, installations, own),
                unlinked,
                log));
    table.remove(updateId);
    try {
      classSwitch.switchClasses(updateId, classes, "undo");
    } catch (FailureException e) {
      installations.forEach(table::push);
      throw e;
    }
    List<String> stillPatched = new ArrayList<>();
    for (Class<?> c : classes) {
      if (updateId.equals(markers.updateOf(c))) {
        stillPatched.add(c.getName());
      }
    }
    if (!stillPatched.isEmpty()) {
      installations.forEach(table::push);
      throw new FailureException(
          FailureCause.NOT_IN_EFFECT,
          "undo of " + updateId + " did not take: " + stillPatched + " still run its code");
    }
    undoState(target.restores());
    dropShadowState(target);
    target.hooks().afterUndo();
    support.unregister(updateId);
    applied.remove(updateId);
    log.accept("undid " + updateId + ": " + classes.size() + " classes restored");
    return classes.stream().map(Class::getName).sorted().toList();
  }

  /** The applied updates, oldest first. */
  public synchronized List<AppliedUpdate> applied() {
    return List.copyOf(applied.values());
  }

  public List<PatchTransformer.LoadEvent> loadEvents() {
    return transformer.loadEvents();
  }

  /**
   * Applies again, at start-up, an update recorded for this JVM's service, before its classes load:
   * the same checks of the update as {@link #apply}, then its installations are registered so that
   * {@link PatchTransformer} installs its code in each class as the class loads, after the run-pre
   * check on the very bytes being loaded. Nothing is redefined and no thread is checked: code that
   * has not loaded cannot be running. A class whose code on disk is no longer what the update was
   * built against loads unpatched, and its load event says so.
   *
   * <p>The update's state actions are not carried out: a class that loads fresh runs the installed
   * static initializer, which computes the new static state itself (the builder keeps writes to
   * recomputed fields there), and companions compute the fields they hold as they initialize. There
   * is no old state to merge into and no cache to clear.
   *
   * <p>If a class of the update is loaded already (the JVM loads a few classes before {@code
   * main}), this is an {@link #apply} with default options instead, which switches them.
   *
   * @param appliedAt when the update was first applied, from the record
   * @param appliedBy who applied it, from the record
   * @param acceptedPartial whether the operator accepted, at the first apply, that the fix was only
   *     partly in force: needed again only when its classes are loaded already
   * @param recordedSha256 the SHA-256 of the recorded file {@code pkg} was read from
   * @throws FailureException with the named cause; the JVM is then as it was
   */
  public synchronized ApplyResult reapply(
      UpdatePackage pkg,
      Instant appliedAt,
      String appliedBy,
      boolean acceptedPartial,
      String recordedSha256)
      throws FailureException, InterruptedException {
    Update update = pkg.update();
    refuseIfNotApplicable(update);
    List<Installation> installations = UpdateContents.installations(pkg, recordedSha256);
    List<String> dependsOn = dependencies(update, installations);
    Map<String, List<Class<?>>> loaded = TargetClasses.loaded(instrumentation, installations);
    if (!loaded.isEmpty() && !servedFromCache(loaded, installations)) {
      ApplyOptions options =
          acceptedPartial ? ApplyOptions.DEFAULT.acceptingPartial() : ApplyOptions.DEFAULT;
      ApplyResult result = apply(pkg, options, appliedBy, false);
      applied.computeIfPresent(update.id(), (id, a) -> a.markedReapplied());
      return result;
    }
    Map<String, Installation> through = new HashMap<>();
    List<String> firstLoad = update.firstLoad();
    installations.stream()
        .filter(i -> firstLoad.contains(i.className().replace('/', '.')))
        .forEach(i -> through.put(i.className(), i));
    support.register(update.id(), UpdateContents.supportClasses(pkg), through);
    installations.forEach(table::push);
    List<String> pending = TargetClasses.pending(installations, loaded);
    applied.put(
        update.id(), AppliedUpdate.fromRecord(pkg, appliedAt, appliedBy, pending, dependsOn));
    log.accept(
        "reapplied "
            + update.id()
            + " from the service record: "
            + pending.size()
            + " classes to patch as they load");
    // Every class of it loads from now on, with the fixed code: nothing was built before it.
    return new ApplyResult(
        update.id(), List.of(), pending, List.of(), List.of(), 0, 0, InForce.FULL, List.of());
  }

  /**
   * Whether each loaded class of an update runs exactly the update's code for it, served from the
   * reapplication cache before the engine started: then nothing needs switching, and the update
   * registers as if they had loaded after it.
   */
  private boolean servedFromCache(
      Map<String, List<Class<?>>> loaded, List<Installation> installations) {
    for (Installation installation : installations) {
      for (Class<?> c :
          loaded.getOrDefault(installation.className().replace('/', '.'), List.of())) {
        if (!remembered.servedFromCache(c, installation.bytes())) {
          return false;
        }
      }
    }
    for (Installation installation : installations) {
      for (Class<?> c :
          loaded.getOrDefault(installation.className().replace('/', '.'), List.of())) {
        transformer.servedFromCache(c, installation.updateId());
      }
    }
    return true;
  }

  /**
   * Whether a later start may serve {@code pkg}'s classes from the reapplication cache, as {@link
   * #reapply} registered it ({@code result}): exactly what this engine does at their loads, which
   * is only installing bytes: no added classes, companions or hooks to define, no code that links
   * to the agent's bootstrap classes, and no class switched (none loaded before it registered).
   */
  public boolean servableFromCache(UpdatePackage pkg, ApplyResult result) {
    if (!result.switched().isEmpty()
        || !pkg.update().hooks().isEmpty()
        || !UpdateContents.supportClasses(pkg).isEmpty()
        || pkg.update().classes().stream().anyMatch(c -> c.status() == ClassStatus.ADDED)) {
      return false;
    }
    for (Map.Entry<String, byte[]> file : pkg.files().entrySet()) {
      if (file.getKey().startsWith(UpdatePackage.INSTALL)
          && !BootstrapLinks.referencedBy(file.getValue()).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static void refuseIfNotApplicable(Update update) throws FailureException {
    if (update.applicability().verdict() == Verdict.NOT_LIVE) {
      throw new FailureException(
          FailureCause.UNSUPPORTED_CHANGE,
          "update "
              + update.id()
              + " cannot be applied live: "
              + String.join("; ", update.applicability().notes()));
    }
  }

  /** Refuses code that links to bootstrap classes where a class's loader does not see them. */
  private static void refuseWhereBootstrapIsUnseen(
      String updateId, Set<String> linked, Map<String, List<Class<?>>> loaded)
      throws FailureException {
    for (List<Class<?>> classes : loaded.values()) {
      for (Class<?> c : classes) {
        if (!BootstrapLinks.visibleFrom(c.getClassLoader(), linked)) {
          throw new FailureException(
              FailureCause.UNSUPPORTED_CHANGE,
              "cannot apply "
                  + updateId
                  + "; no class was changed: its code uses "
                  + String.join(", ", linked)
                  + ", which the class loader of "
                  + c.getName()
                  + " ("
                  + ClassOrigin.describe(c)
                  + ") does not see, as it does not delegate to the system class loader where"
                  + " the agent puts them; an update that only changes method bodies applies there");
        }
      }
    }
  }

  private void refuseIfApplied(Update update) throws FailureException {
    if (applied.containsKey(update.id())) {
      throw new FailureException(
          FailureCause.WRONG_STATE, "update " + update.id() + " is already applied");
    }
  }

  /** Checks the update against what is applied and returns the ids it builds on. */
  private List<String> dependencies(Update update, List<Installation> installations)
      throws FailureException {
    refuseIfApplied(update);
    Set<String> dependsOn = new LinkedHashSet<>();
    for (String required : update.requires()) {
      if (!applied.containsKey(required)) {
        throw new FailureException(
            FailureCause.DEPENDENCY,
            "update "
                + update.id()
                + " requires "
                + required
                + ", which is not applied; apply it first");
      }
      dependsOn.add(required);
    }
    for (Installation installation : installations) {
      Installation top = table.top(installation.className());
      Installation rival = table.replacing(installation.className(), installation.preFingerprint());
      if (rival != null
          && (top == null || !installation.preFingerprint().equals(top.postFingerprint()))) {
        throw new FailureException(
            FailureCause.DEPENDENCY,
            "cannot apply "
                + update.id()
                + ": it replaces the code of "
                + installation.className().replace('/', '.')
                + " that "
                + rival.updateId()
                + " already replaces, and it was not built on "
                + rival.updateId()
                + "; one would silently drop the other's fix there. Build "
                + update.id()
                + " from "
                + rival.updateId()
                + "'s fixed release (it then requires "
                + rival.updateId()
                + "), or undo "
                + rival.updateId()
                + " first");
      }
      if (top != null && installation.preFingerprint().equals(top.postFingerprint())) {
        if (top.structural()) {
          throw new FailureException(
              FailureCause.UNSUPPORTED_CHANGE,
              "update "
                  + update.id()
                  + " was built on the code of "
                  + top.updateId()
                  + " for "
                  + installation.className().replace('/', '.')
                  + ", which "
                  + top.updateId()
                  + " changed structurally; build it from the original release instead (cumulative)");
        }
        dependsOn.add(top.updateId());
      }
    }
    return List.copyOf(dependsOn);
  }

  private List<String> checkQuiescence(Update update, ApplyOptions options, String verb)
      throws FailureException, InterruptedException {
    Map<String, Set<String>> replaced = UpdateContents.replacedMethods(update);
    List<QuiescenceCheck.BusyFrame> busy =
        QuiescenceCheck.awaitQuiescence(replaced, options.retries(), options.retryDelayMillis());
    List<String> frames = new ArrayList<>(); // a loop: no lambda spun in a first apply
    for (QuiescenceCheck.BusyFrame frame : busy) {
      frames.add(frame.describe());
    }
    if (!busy.isEmpty() && !options.force()) {
      throw new FailureException(
          FailureCause.CODE_BUSY,
          "cannot "
              + verb
              + " "
              + update.id()
              + ": code it replaces is running after "
              + options.retries()
              + " retries: "
              + String.join("; ", frames)
              + " (retry later, or pass --force to let these frames finish on the old code)");
    }
    return List.copyOf(frames);
  }

  /**
   * Defines the classes the update adds in each loader where it switches classes, and links them
   * there, which makes the JVM verify them now rather than when patched code first calls them.
   *
   * @return one line per class of the fixed release left undefined in a loader, as it needs a class
   *     that loader cannot find ({@link SupportClasses})
   */
  /** Whether the fixed release has this class (jsplice did not generate it). */
  private boolean ofRelease(String updateId, Class<?> added) {
    return support.classes(updateId).stream()
        .anyMatch(c -> c.ofRelease() && c.name().equals(added.getName()));
  }

  /**
   * A class of the fixed release that cannot link in this JVM, as a class it needs is absent (an
   * optional dependency the program runs without): the fixed release could not link it there
   * either, so it stays defined and unlinked, and code that reaches it fails as it would there.
   */
  private static String unlinked(Class<?> added, ClassVerification.Verdict verdict) {
    return "added class "
        + added.getName()
        + " not linked in "
        + ClassOrigin.loaderName(added.getClassLoader())
        + ": it needs "
        + verdict.absent()
        + ", which this JVM does not have; the fixed release could not link it there either, and"
        + " code that reaches it fails as it would there";
  }

  /**
   * The class {@code companion} holds added members of, where it was left out of the switch in the
   * companion's loader ({@link TargetClasses#linkable}: loaded, but it cannot link, for want of a
   * class this JVM lacks); null when {@code companion} is no companion or its class is switched.
   * Only that class's code, or code reaching its added members (which would need it linked), calls
   * the companion, and none of it can run while the class cannot link.
   */
  private Class<?> unswitchedHost(Class<?> companion, Map<String, List<Class<?>>> switched) {
    String host = hostOf(companion);
    if (host == null) {
      return null;
    }
    ClassLoader loader = companion.getClassLoader();
    if (switched.getOrDefault(host, List.of()).stream()
        .anyMatch(c -> c.getClassLoader() == loader)) {
      return null;
    }
    return unlinked.stream()
        .filter(c -> c.getName().equals(host) && c.getClassLoader() == loader)
        .findFirst()
        .orElse(null);
  }

  /**
   * The name of the class {@code companion} holds added members of, where no class of that name is
   * loaded in the companion's loader (it is pending: patched if it ever loads); null when {@code
   * companion} is no companion or its class is loaded there. A companion that cannot link there for
   * want of a class the JVM lacks (an optional dependency the program runs without: spring-web's
   * {@code ContentCachingResponseWrapper}, a servlet {@code HttpServletResponseWrapper}, in a
   * program without the servlet API) holds code moved out of that class's fixed version, whose
   * linking needs the same class: the class cannot run here, old or fixed, so the update applies
   * without it.
   */
  private String unloadedHost(Class<?> companion, Map<String, List<Class<?>>> loaded) {
    String host = hostOf(companion);
    if (host == null) {
      return null;
    }
    ClassLoader loader = companion.getClassLoader();
    boolean loadedThere =
        loaded.getOrDefault(host, List.of()).stream().anyMatch(c -> c.getClassLoader() == loader)
            || unlinked.stream()
                .anyMatch(c -> c.getName().equals(host) && c.getClassLoader() == loader);
    return loadedThere ? null : host;
  }

  /** A companion of a class not loaded in its loader ({@link #unloadedHost}). */
  private static String companionOfUnloaded(
      Class<?> companion, String host, ClassVerification.Verdict verdict) {
    return "update's code for "
        + host
        + " not linked in "
        + ClassOrigin.loaderName(companion.getClassLoader())
        + ": it needs "
        + verdict.absent()
        + ", which this JVM does not have; "
        + host
        + " is not loaded there, and its fixed code needs that class as the fixed release's does:"
        + " if it loads, it fails as it would there";
  }

  /**
   * The class {@code companion} holds added members of, where it is loaded in the companion's
   * loader but has never been initialized: none of its code has run, and no object of it exists. A
   * verifier may have loaded it (an earlier apply's, linking this companion, which an undo then
   * linked with the old code: netty-codec 4.1.86's {@code BrotliEncoder}, whose brotli4j the
   * program lacks). Its fixed code needs the class the companion cannot find, as the fixed
   * release's does, so the fixed class could not link here: it is left out of the switch as a class
   * not loaded is; null when {@code companion} is no companion or its class is not such a class.
   */
  private Class<?> neverRunHost(Class<?> companion, Map<String, List<Class<?>>> loaded) {
    String host = hostOf(companion);
    if (host == null) {
      return null;
    }
    ClassLoader loader = companion.getClassLoader();
    return loaded.getOrDefault(host, List.of()).stream()
        .filter(c -> c.getClassLoader() == loader && !initialization.isInitialized(c))
        .findFirst()
        .orElse(null);
  }

  /** The name of the class {@code companion} holds added members of; null when it is none. */
  private static String hostOf(Class<?> companion) {
    int marker = companion.getName().indexOf(UpdateContents.GENERATED);
    return marker < 0 ? null : companion.getName().substring(0, marker);
  }

  /** Takes {@code host} out of the switch and remembers it as a class that cannot link. */
  private void leaveOut(Class<?> host, Map<String, List<Class<?>>> loaded) {
    List<Class<?>> same = loaded.get(host.getName());
    if (same != null) {
      same.remove(host);
      if (same.isEmpty()) {
        loaded.remove(host.getName());
      }
    }
    unlinked.add(host);
  }

  /** A companion of a class loaded but never initialized ({@link #neverRunHost}). */
  private static String companionOfNeverRun(
      Class<?> companion, Class<?> host, ClassVerification.Verdict verdict) {
    return "update's code for "
        + host.getName()
        + " not linked in "
        + ClassOrigin.loaderName(companion.getClassLoader())
        + ": it needs "
        + verdict.absent()
        + ", which this JVM does not have; "
        + host.getName()
        + " is loaded there but none of its code has run (it was never initialized), and its fixed"
        + " code needs that class as the fixed release's does: it was left out of the switch";
  }

  /** A companion of a class left out of the switch as it cannot link ({@link #unswitchedHost}). */
  private static String unlinkedCompanion(
      Class<?> companion, Class<?> host, ClassVerification.Verdict verdict) {
    return "update's code for "
        + host.getName()
        + " not linked in "
        + ClassOrigin.loaderName(companion.getClassLoader())
        + ": it needs "
        + verdict.absent()
        + ", which this JVM does not have; "
        + host.getName()
        + " cannot link here either and was left out of the switch, so none of its code runs,"
        + " old or fixed";
  }

  private List<String> defineSupportClasses(String updateId, Map<String, List<Class<?>>> loaded)
      throws FailureException {
    List<String> leftOut = new ArrayList<>();
    Map<ClassLoader, Class<?>> anchors = new LinkedHashMap<>();
    // Loops, not lambdas and streams: each lambda's class is spun at a first apply.
    for (List<Class<?>> list : loaded.values()) {
      for (Class<?> c : list) {
        anchors.putIfAbsent(c.getClassLoader(), c);
      }
    }
    for (Class<?> anchor : anchors.values()) {
      List<SupportClasses.ClassBytes> toDefine = new ArrayList<>();
      for (SupportClasses.ClassBytes c : support.classes(updateId)) {
        if (!support.extendsFirstLoad(updateId, c)) {
          toDefine.add(c);
        }
      }
      ClassVerification.Verdict before =
          verification.checkBeforeDefining(
              List.copyOf(toDefine), anchor.getClassLoader(), anchor.getProtectionDomain());
      if (before.rejected()) {
        support.unregister(updateId);
        throw new FailureException(
            FailureCause.VERIFY_ERROR,
            "cannot apply "
                + updateId
                + "; no class was changed: "
                + before.reason()
                + " (in "
                + ClassOrigin.describe(anchor)
                + "); the update is faulty: rebuild it");
      }
      try {
        SupportClasses.Defined defined =
            support.ensureDefined(updateId, anchor.getClassLoader(), anchor.getProtectionDomain());
        leftOut.addAll(defined.describe(anchor.getClassLoader()));
        List<ClassVerification.Verdict> verdicts = verification.link(defined.classes());
        for (int i = 0; i < verdicts.size(); i++) {
          Class<?> added = defined.classes().get(i);
          ClassVerification.Verdict verdict = verdicts.get(i);
          Class<?> host = verdict.absent() == null ? null : unswitchedHost(added, loaded);
          if (verdict.absent() != null && ofRelease(updateId, added)) {
            leftOut.add(unlinked(added, verdict));
          } else if (host != null) {
            leftOut.add(unlinkedCompanion(added, host, verdict));
          } else if (verdict.absent() != null && unloadedHost(added, loaded) != null) {
            leftOut.add(companionOfUnloaded(added, unloadedHost(added, loaded), verdict));
          } else if (verdict.absent() != null && neverRunHost(added, loaded) != null) {
            leftOut.add(companionOfNeverRun(added, neverRunHost(added, loaded), verdict));
            leaveOut(neverRunHost(added, loaded), loaded);
          } else if (verdict.absent() != null) {
            support.unregister(updateId);
            throw new FailureException(
                FailureCause.UNSUPPORTED_CHANGE,
                "cannot apply "
                    + updateId
                    + "; no class was changed: "
                    + verdict.reason()
                    + " (in "
                    + ClassOrigin.describe(anchor)
                    + "), and the update's code needs "
                    + added.getName()
                    + ": the program runs without a class the update was built with; build the"
                    + " update against the program's class path (create --dependencies)");
          } else if (verdict.reason() != null) {
            support.unregister(updateId);
            throw new FailureException(
                verdict.rejected() ? FailureCause.VERIFY_ERROR : FailureCause.UNSUPPORTED_CHANGE,
                "cannot apply "
                    + updateId
                    + "; no class was changed: "
                    + verdict.reason()
                    + " (in "
                    + ClassOrigin.describe(anchor)
                    + "); the update is faulty: rebuild it");
          }
        }
      } catch (ReflectiveOperationException e) {
        support.unregister(updateId);
        throw new FailureException(
            FailureCause.UNSUPPORTED_CHANGE,
            "cannot define the classes update "
                + updateId
                + " adds in "
                + ClassOrigin.describe(anchor)
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return leftOut;
  }

  /** Creates the update's hooks and runs their beforeApply; a failure leaves nothing switched. */
  private UpdateHooks startHooks(UpdatePackage pkg, Map<String, List<Class<?>>> loaded)
      throws FailureException {
    try {
      if (!pkg.update().hooks().isEmpty()) {
        serialFilterFactory.offer();
      }
      UpdateHooks hooks = UpdateHooks.create(pkg, TargetClasses.loaders(loaded), log, heap);
      hooks.beforeApply();
      return hooks;
    } catch (FailureException e) {
      support.unregister(pkg.update().id());
      throw e;
    }
  }

  private void undoState(List<StateTransfer.Restore> restores) {
    for (int i = restores.size() - 1; i >= 0; i--) {
      try {
        restores.get(i).run();
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.accept("could not restore state: " + e);
      }
    }
  }

  /** Shadow fields added by an undone update are emptied: their state goes with the update. */
  private void dropShadowState(AppliedUpdate target) {
    for (ClassUpdate c : target.update().update().classes()) {
      if (c.status() != ClassStatus.ADDED) {
        continue;
      }
      for (ClassLoader loader : target.loaders()) {
        try {
          Class<?> added = Class.forName(c.name(), false, loader);
          for (java.lang.reflect.Field f : added.getDeclaredFields()) {
            if (f.getType() == io.jsplice.bootstrap.ShadowField.class
                && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
              f.setAccessible(true);
              Object shadow = f.get(null);
              if (shadow != null) {
                ((io.jsplice.bootstrap.ShadowField) shadow).clear();
              }
            }
          }
        } catch (ClassNotFoundException | LinkageError | IllegalAccessException notThere) {
          // never defined or never initialized in this loader: nothing to drop
        }
      }
    }
  }

  private static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }

  /**
   * The classes this JVM has loaded under a name, in every loader (for naming refused state): the
   * loaded classes are listed once, at the first question, not once per name asked about.
   */
  private InForceCheck.Loaded loadedNamed() {
    return new InForceCheck.Loaded() {
      private Map<String, List<Class<?>>> byName;

      @Override
      public List<Class<?>> named(String name) {
        if (byName == null) {
          byName = new HashMap<>();
          for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            List<Class<?>> named = byName.get(c.getName()); // no lambda spun
            if (named == null) {
              named = new ArrayList<>(1);
              byName.put(c.getName(), named);
            }
            named.add(c);
          }
        }
        return byName.getOrDefault(name, List.of());
      }
    };
  }
}

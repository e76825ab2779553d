package io.jsplice.create;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.create.hook.HookCompiler;
import io.jsplice.create.hook.HookCompiler.HookCompileException;
import io.jsplice.create.live.LivePlanner;
import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.ClassSet.ArtifactVersion;
import io.jsplice.create.tripwire.DerivedTripwires;
import io.jsplice.model.Applicability;
import io.jsplice.model.Artifact;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.StaleState;
import io.jsplice.model.Tripwire;
import io.jsplice.model.Update;
import io.jsplice.model.UpdateIds;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an update from the vulnerable and the fixed version of some code: compare, classify, plan
 * the live application, and assemble the package (unsigned; the caller signs it).
 */
public final class UpdateCreator {
  private UpdateCreator() {}

  /**
   * What the operator says about the update.
   *
   * @param id the update id; null to derive one from the CVEs or the artifact
   * @param description may be null
   * @param cves may be empty
   * @param requires ids of updates this one builds on; may be empty
   * @param classes which classes of the release diff the update covers
   * @param hooks Java source files of the update's hooks; may be empty
   * @param dependencies the class set of the libraries the vulnerable release runs with (its
   *     dependencies), to check that installed code links and to judge side effects; may be empty
   * @param liveSubset whether to leave out what cannot apply live, and what uses it ({@link
   *     LiveSubset}), rather than refuse the update
   * @param inForceSubset with {@code liveSubset}: whether to leave out as well what would be only
   *     partly in force (state the program built before the update would keep the old behaviour),
   *     and what uses it, so that all the update holds is in force
   * @param tripwires whether to put exploit tripwires where the fixed code throws and the
   *     vulnerable code had no such throw in the same method ({@link DerivedTripwires})
   * @param firstLoad whether a class whose change a loaded class cannot take (its superclass,
   *     interfaces or kind) is kept, to be installed as it first loads, rather than refused: live
   *     where no class loader has loaded it yet, and refused by apply where one has
   */
  public record Request(
      String id,
      String description,
      List<String> cves,
      List<String> requires,
      ClassFilter classes,
      List<java.nio.file.Path> hooks,
      ClassSet dependencies,
      boolean liveSubset,
      boolean inForceSubset,
      boolean tripwires,
      boolean firstLoad) {
    public Request {
      cves = List.copyOf(cves);
      requires = List.copyOf(requires);
      classes = classes == null ? ClassFilter.ALL : classes;
      hooks = List.copyOf(hooks);
      dependencies =
          dependencies == null ? new ClassSet("none", java.util.Map.of(), List.of()) : dependencies;
    }

    public Request(
        String id,
        String description,
        List<String> cves,
        List<String> requires,
        ClassFilter classes,
        List<java.nio.file.Path> hooks,
        ClassSet dependencies,
        boolean liveSubset) {
      this(id, description, cves, requires, classes, hooks, dependencies, liveSubset, false, false);
    }

    public Request(
        String id,
        String description,
        List<String> cves,
        List<String> requires,
        ClassFilter classes,
        List<java.nio.file.Path> hooks,
        ClassSet dependencies,
        boolean liveSubset,
        boolean inForceSubset,
        boolean tripwires) {
      this(
          id,
          description,
          cves,
          requires,
          classes,
          hooks,
          dependencies,
          liveSubset,
          inForceSubset,
          tripwires,
          false);
    }

    /**
     * The same request, keeping the classes a loaded class could not take, to install as they first
     * load.
     */
    public Request withFirstLoad(boolean keep) {
      return with(dependencies, liveSubset, inForceSubset, tripwires, keep);
    }

    /** The same request, checked against these dependencies. */
    public Request withDependencies(ClassSet running) {
      return with(running, liveSubset, inForceSubset, tripwires, firstLoad);
    }

    /** The same request, reduced to what applies live where the release has more. */
    public Request withLiveSubset(boolean reduce) {
      return with(dependencies, reduce, inForceSubset, tripwires, firstLoad);
    }

    /**
     * The same request, reduced to what applies live and is fully in force, also for the state the
     * program built before the update.
     */
    public Request withInForceSubset(boolean reduce) {
      return with(dependencies, liveSubset || reduce, reduce, tripwires, firstLoad);
    }

    /** The same request, with or without exploit tripwires. */
    public Request withTripwires(boolean derive) {
      return with(dependencies, liveSubset, inForceSubset, derive, firstLoad);
    }

    private Request with(
        ClassSet dependencies,
        boolean liveSubset,
        boolean inForceSubset,
        boolean tripwires,
        boolean firstLoad) {
      return new Request(
          id,
          description,
          cves,
          requires,
          classes,
          hooks,
          dependencies,
          liveSubset,
          inForceSubset,
          tripwires,
          firstLoad);
    }

    public Request(
        String id,
        String description,
        List<String> cves,
        List<String> requires,
        ClassFilter classes,
        List<java.nio.file.Path> hooks) {
      this(id, description, cves, requires, classes, hooks, null, false);
    }

    public Request(String id, String description, List<String> cves, List<String> requires) {
      this(id, description, cves, requires, ClassFilter.ALL, List.of(), null, false);
    }
  }

  /**
   * The update and the comparison it came from (for reports and tests).
   *
   * @param diff the classes the update covers
   * @param excluded classes the release changed that the class filter left out
   * @param leftOut classes the release changed that a live subset leaves out (dotted name), and
   *     why; empty unless the request asked for a live subset
   */
  public record Created(
      UpdatePackage update,
      ClassSetDiff diff,
      List<String> excluded,
      java.util.Map<String, String> leftOut) {}

  /**
   * @throws HookCompileException when a hook source does not compile
   * @throws java.io.IOException when a hook source cannot be read
   */
  public static Created create(ClassSet pre, ClassSet post, Request request)
      throws java.io.IOException, HookCompileException {
    java.util.Map<String, String> leftOutMembers = java.util.Map.of();
    if (request.inForceSubset()) {
      AddedSerialWriters.Result writers = AddedSerialWriters.leaveOut(pre, post);
      post = writers.post();
      leftOutMembers = writers.leftOut();
    }
    List<Artifact> artifacts = artifacts(pre, post);
    String id = request.id() != null ? request.id() : defaultId(request, artifacts, pre, post);
    List<Tripwire> tripwires = List.of();
    if (request.tripwires()) {
      String cve = request.cves().isEmpty() ? null : request.cves().get(0);
      DerivedTripwires.Result derived =
          DerivedTripwires.attach(pre, post, UpdateIds.check(id), cve);
      post = derived.post();
      tripwires = derived.tripwires();
    }
    ClassSetDiff whole = BytecodeDiff.compare(pre, post);
    ClassSetDiff diff =
        new ClassSetDiff(
            pre,
            post,
            whole.classes().stream().filter(c -> request.classes().covers(c.name())).toList(),
            whole.renamedClasses());
    if (diff.classes().stream().noneMatch(c -> c.isSubstantive())) {
      throw new IllegalArgumentException(
          "no difference in code between "
              + pre.origin()
              + " and "
              + post.origin()
              + (request.classes().isAll() ? "" : " in classes " + request.classes())
              + ": there is nothing to update");
    }
    java.util.function.Function<ClassSetDiff, LivePlanner.Plan> planner =
        d ->
            LivePlanner.plan(
                d, UpdateIds.check(id), request.dependencies()::bytes, request.firstLoad());
    java.util.Map<String, String> leftOut = java.util.Map.of();
    LivePlanner.Plan plan;
    if (request.liveSubset()) {
      LiveSubset.Result subset = LiveSubset.reduce(diff, planner, request.inForceSubset());
      diff = subset.diff();
      plan = subset.plan();
      leftOut = new java.util.LinkedHashMap<>(subset.leftOut());
      leftOut.putAll(leftOutMembers);
    } else {
      plan = planner.apply(diff);
    }
    // Generated names carry a digest of their content, whatever part of the release is kept.
    plan = GeneratedClassNames.addDigest(plan);
    HookCompiler.Hooks hooks = HookCompiler.compile(request.hooks(), pre);
    java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>(plan.files());
    hooks
        .classes()
        .forEach((name, bytes) -> files.put(UpdatePackage.HOOK + name + ".class", bytes));
    Update update =
        new Update(
            id,
            request.description(),
            request.cves(),
            artifacts,
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            request.requires(),
            plan.classes(),
            plan.stateActions(),
            plan.instanceActions(),
            withGenerated(plan.hooks(), hooks.hooks()),
            answeredBy(hooks.hooks(), planApplicability(plan, leftOut)),
            kept(tripwires, plan.classes()));
    List<String> excluded =
        whole.classes().stream()
            .filter(c -> c.isSubstantive() && !request.classes().covers(c.name()))
            .map(c -> c.name().replace('/', '.'))
            .toList();
    return new Created(new UpdatePackage(update, files), diff, excluded, leftOut);
  }

  /** The tripwires in the classes the update holds: a filter or a subset may leave some out. */
  private static List<Tripwire> kept(List<Tripwire> tripwires, List<ClassUpdate> classes) {
    java.util.Set<String> held =
        classes.stream().map(ClassUpdate::name).collect(java.util.stream.Collectors.toSet());
    return tripwires.stream().filter(t -> held.contains(t.className().replace('/', '.'))).toList();
  }

  /** The planner's hooks first: a hook given by the operator then answers for added fields. */
  private static List<String> withGenerated(List<String> generated, List<String> given) {
    List<String> out = new ArrayList<>(generated);
    out.addAll(given);
    return out;
  }

  /**
   * The update's applicability once the operator's hooks are in it: they answer for the state the
   * analysis found staying old (that is what a hook is given for), so it no longer makes the update
   * partly in force; hooks the planner generates (a deserialization filter) answer for none of it.
   */
  private static Applicability answeredBy(List<String> given, Applicability applicability) {
    if (given.isEmpty() || applicability.stale().isEmpty()) {
      return applicability;
    }
    List<String> notes = new ArrayList<>(applicability.notes());
    notes.add(
        "the hooks "
            + given
            + " answer for the state built before the update: "
            + String.join("; ", applicability.stale().stream().map(StaleState::describe).toList()));
    return new Applicability(applicability.verdict(), applicability.mechanisms(), notes, List.of());
  }

  /** The classes' applicability, with what the plan says about state outside them. */
  private static Applicability planApplicability(
      LivePlanner.Plan plan, java.util.Map<String, String> leftOut) {
    List<Applicability> parts =
        new ArrayList<>(plan.classes().stream().map(ClassUpdate::applicability).toList());
    parts.add(new Applicability(plan.verdict(), java.util.Set.of(), plan.notes(), plan.stale()));
    List<String> leftOutNotes = new ArrayList<>();
    leftOut.forEach(
        (name, why) ->
            leftOutNotes.add(io.jsplice.model.Update.LEFT_OUT + name + " (" + why + ")"));
    parts.add(new Applicability(Verdict.LIVE, java.util.Set.of(), leftOutNotes, List.of()));
    return Applicability.combine(parts);
  }

  static List<Artifact> artifacts(ClassSet pre, ClassSet post) {
    List<Artifact> out = new ArrayList<>();
    for (ArtifactVersion from : pre.artifacts()) {
      ArtifactVersion to =
          post.artifacts().stream()
              .filter(
                  a ->
                      Objects.equals(a.groupId(), from.groupId())
                          && a.artifactId().equals(from.artifactId()))
              .findFirst()
              .orElse(null);
      out.add(from.to(to));
    }
    if (out.isEmpty()) {
      out.add(new Artifact(null, pre.origin(), null, null));
    }
    return out;
  }

  static String defaultId(Request request, List<Artifact> artifacts, ClassSet pre, ClassSet post) {
    String base;
    if (!request.cves().isEmpty()) {
      base = request.cves().get(0);
    } else {
      Artifact a = artifacts.get(0);
      base = a.artifactId() + (a.toVersion() == null ? "" : "-" + a.toVersion());
    }
    String id = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
    if (id.length() > 120) {
      id = id.substring(0, 120);
    }
    return UpdateIds.isValid(id)
        ? id
        : "update-" + Integer.toHexString(Objects.hash(pre.origin(), post.origin()));
  }
}

package io.jsplice.bench.sweep;

import io.jsplice.cli.Jsplice;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an update for each consecutive pair of releases of widely used libraries ({@link
 * SweepLibraries}) with {@code jsplice create}, has this JVM verify every class each update defines
 * or redefines against the real release ({@link UpdateVerification}), and applies it (then undoes
 * it) in a JVM that loaded every class of the old release it can. Where the whole release cannot
 * apply live, the largest part that can ({@code --live-subset}) is verified and applied instead.
 * Every pair must end applied, or refused with a reason; a class the JVM refuses, or an apply that
 * fails in the switch, is a defect.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-sweep -DskipTests} (options {@code
 * --libraries a,b --pairs N --from OLD_VERSION,... --work DIR --jdk 17|25}; {@code --from} runs
 * only the pairs that start at those releases). Writes {@code target/sweep/sweep.md}, after each
 * pair.
 */
public final class ReleaseSweep {
  private static final Pattern UNCHECKED =
      Pattern.compile("not checked: the update's code uses (\\d+) class");
  private final Path work;
  private final Jdk jdk;
  private final Path key;
  private final Path certificate;
  private final Path loadAll;

  ReleaseSweep(Path work, Jdk jdk) throws IOException {
    this.work = work;
    this.jdk = jdk;
    Files.createDirectories(work);
    Path base = work.resolve("keys").resolve("sweep");
    this.key = base.resolveSibling("sweep.p12");
    this.certificate = base.resolveSibling("sweep.pem");
    if (!Files.exists(key)) {
      Files.createDirectories(base.getParent());
      jsplice("keygen", base.toString()).requireSuccess();
    }
    this.loadAll = work.resolve("load-all");
    Jars.writeDirectory(
        loadAll,
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile("LoadAll.java", LoadAllSource.SOURCE));
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of(option(args, "--work", "target/sweep")).toAbsolutePath();
    Jdk jdk = option(args, "--jdk", "17").equals("25") ? Jdk.jdk25() : Jdk.current();
    int pairs = Integer.parseInt(option(args, "--pairs", "5"));
    String libraries = option(args, "--libraries", "all");
    List<String> from = List.of(option(args, "--from", "").split(","));
    List<String> only = libraries.equals("all") ? List.of("") : List.of(libraries.split(","));
    ReleaseSweep sweep = new ReleaseSweep(work, jdk);
    List<SweepResult> results = new ArrayList<>();
    for (SweepLibraries.Library library : SweepLibraries.ALL) {
      if (!only.get(0).isEmpty() && !only.contains(library.artifactId())) {
        continue;
      }
      List<String[]> all = library.pairs();
      for (String[] pair : all.subList(0, Math.min(pairs, all.size()))) {
        if (!from.get(0).isEmpty() && !from.contains(pair[0])) {
          continue;
        }
        SweepResult r = sweep.run(library, pair[0], pair[1]);
        System.out.println(r.row());
        r.verifyFailures.forEach((c, e) -> System.out.println("  " + c + ": " + e));
        System.out.flush();
        results.add(r);
        // The table so far, so that a run stopped part way leaves what it measured.
        Files.writeString(work.resolve("sweep.md"), SweepResult.table(results, jdk));
      }
    }
    System.out.println();
    System.out.println(SweepResult.table(results, jdk));
  }

  /** Builds, verifies, applies and undoes the update from {@code from} to {@code to}. */
  SweepResult run(SweepLibraries.Library library, String from, String to) {
    SweepResult r = new SweepResult(library.artifactId(), from, to);
    String id = "sweep-" + library.artifactId() + "-" + to;
    Path whole = work.resolve(id + ".jsplice");
    Path subset = work.resolve(id + "-subset.jsplice");
    try {
      long start = System.nanoTime();
      CliRun created =
          jsplice(
              "create",
              "--from",
              library.coordinates(from),
              "--to",
              library.coordinates(to),
              "--id",
              id,
              "--key",
              key.toString(),
              "-o",
              whole.toString());
      r.createSeconds = (System.nanoTime() - start) / 1e9;
      if (created.exit != 0) {
        r.refusal = "create: " + created.firstLine();
        return r;
      }
      UpdatePackage update = UpdateFile.open(whole).update();
      r.classes = update.update().classes().size();
      r.verdict = update.update().applicability().verdict();
      r.firstLine = created.firstLine();
      Path toApply = whole;
      if (r.verdict == Verdict.NOT_LIVE) {
        r.causes = io.jsplice.cli.render.RefusalSummary.causes(update.update());
        start = System.nanoTime();
        CliRun reduced =
            jsplice(
                "create",
                "--from",
                library.coordinates(from),
                "--to",
                library.coordinates(to),
                "--id",
                id,
                "--live-subset",
                "--key",
                key.toString(),
                "-o",
                subset.toString());
        r.createSeconds += (System.nanoTime() - start) / 1e9;
        if (reduced.exit != 0) {
          r.refusal = "create --live-subset: " + reduced.firstLine();
          return r;
        }
        update = UpdateFile.open(subset).update();
        r.leftOut =
            (int)
                update.update().applicability().notes().stream()
                    .filter(n -> n.startsWith("left out"))
                    .count();
        toApply = subset;
      }
      r.unchecked = uncheckedClasses(update);
      List<Path> classpath = classpath(library, from, update);
      UpdateVerification.Result verified = UpdateVerification.verify(update, classpath);
      r.verified = verified.verified();
      r.unverifiable = verified.unverifiable().size();
      r.verifyFailures = verified.failed();
      if (update.update().classes().stream()
          .allMatch(c -> c.applicability().verdict() == Verdict.NOT_LIVE)) {
        r.refusal = "nothing applies live";
        return r;
      }
      apply(r, toApply, id, classpath, update);
    } catch (Exception e) {
      r.refusal = "sweep error: " + e;
    }
    return r;
  }

  /** Starts a JVM with the old release loaded, applies, undoes; records what happened. */
  private void apply(SweepResult r, Path update, String id, List<Path> classpath, UpdatePackage pkg)
      throws IOException {
    List<Path> jvmClasspath = new ArrayList<>(List.of(loadAll));
    jvmClasspath.addAll(classpath);
    List<String> jars = new ArrayList<>();
    for (Path p : classpath.subList(0, libraryJars(pkg))) {
      jars.add(p.toString());
    }
    try (TargetJvm target =
        TargetJvm.on(jdk)
            .jvmArgs("-Xshare:auto", "-XX:+UseSerialGC")
            .classpath(jvmClasspath.toArray(Path[]::new))
            .mainClass("LoadAll")
            .args(jars.toArray(String[]::new))
            .start()) {
      target.awaitStdout("ready", Duration.ofMinutes(5));
      String pid = Long.toString(target.pid());
      long start = System.nanoTime();
      CliRun applied = jsplice("apply", pid, update.toString(), "--trust", certificate.toString());
      if (applied.exit == 38
          && applied.firstLine().contains(" of the fixed release, and the fix")) {
        // A subset is refused for what it leaves out only once all else would be in force (a
        // state refusal is named first): the sweep asks whether the rest applies, so it accepts.
        applied =
            jsplice(
                "apply",
                pid,
                update.toString(),
                "--trust",
                certificate.toString(),
                "--accept-partial");
      }
      r.applySeconds = (System.nanoTime() - start) / 1e9;
      r.applyExit = applied.exit;
      r.applyLine = applied.firstLine();
      if (applied.exit == 0) {
        CliRun undone = jsplice("undo", pid, id);
        r.undoExit = undone.exit;
        if (undone.exit != 0) {
          r.applyLine = "undo: " + undone.firstLine();
        }
      }
      if (!target.isAlive()) {
        r.crashed = true;
      }
    }
  }

  /**
   * How many classes the update's code uses that create was not given (an API the release's POM
   * does not name), from create's note "not checked: the update's code uses N classes ...".
   */
  private static int uncheckedClasses(UpdatePackage update) {
    for (String note : update.update().applicability().notes()) {
      Matcher m = UNCHECKED.matcher(note);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    return 0;
  }

  /** How many leading entries of the class path are the update's own artifacts. */
  private static int libraryJars(UpdatePackage pkg) {
    return Math.max(1, pkg.update().artifacts().size());
  }

  /** The old release's jars (the update's artifacts first), then what they run with. */
  private static List<Path> classpath(
      SweepLibraries.Library library, String from, UpdatePackage update) throws IOException {
    List<Path> out = new ArrayList<>();
    try (MavenArtifacts maven = new MavenArtifacts()) {
      List<MavenCoordinates> own = new ArrayList<>();
      for (var a : update.update().artifacts()) {
        if (a.groupId() != null && a.fromVersion() != null) {
          own.add(new MavenCoordinates(a.groupId(), a.artifactId(), a.fromVersion(), null));
        }
      }
      if (own.isEmpty()) {
        own.add(MavenCoordinates.parse(library.coordinates(from)));
      }
      for (MavenCoordinates c : own) {
        out.add(maven.resolve(c));
      }
      for (MavenCoordinates c : own) {
        for (Path p : maven.resolveCompileClasspath(c)) {
          if (!out.contains(p)) {
            out.add(p);
          }
        }
      }
    }
    return out;
  }

  /** One run of the command in this JVM. */
  record CliRun(int exit, String out, String err) {
    String firstLine() {
      String text = (out + err).strip();
      int nl = text.indexOf('\n');
      return nl < 0 ? text : text.substring(0, nl);
    }

    void requireSuccess() throws IOException {
      if (exit != 0) {
        throw new IOException("jsplice failed (" + exit + "): " + out + err);
      }
    }
  }

  static CliRun jsplice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}

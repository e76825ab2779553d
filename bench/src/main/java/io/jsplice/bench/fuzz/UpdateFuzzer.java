package io.jsplice.bench.fuzz;

import io.jsplice.cli.Jsplice;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateLimits;
import io.jsplice.model.signing.UpdateRejectedException;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds mutants of a valid signed update ({@link Mutants}) through {@code jsplice inspect} and
 * {@code jsplice apply} into long-running target JVMs ({@link FuzzTarget}), alternating JDKs, and
 * checks after every case that the target still runs and still runs its old code, that nothing is
 * applied, and that the refusal was a documented exit code; at the end of each target's life, that
 * the valid update still applies (and undoes).
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-fuzz -DskipTests} ({@code
 * -Dfuzz.cases=10000 -Dfuzz.seed=1}); one case again: {@code --cases 1 --first N}.
 */
public final class UpdateFuzzer {
  private static final String OLD = "hello x (v1)";
  private static final String FIXED = "hello x (v2)";

  /** Refusals that a file earns by itself, whatever JVM it is meant for. */
  private static final java.util.Set<Integer> FILE_DEFECTS = java.util.Set.of(10, 11, 12, 13);

  private final FuzzLibrary library;
  private final Mutants mutants;
  private final Path host;
  private final Path work;
  private final List<Jdk> jdks;
  private final int casesPerTarget;
  private final FuzzReport report = new FuzzReport();

  UpdateFuzzer(Path work, long seed, List<Jdk> jdks, int casesPerTarget, int hugeGib)
      throws Exception {
    Compiler.deleteTree(work);
    this.work = Files.createDirectories(work);
    this.library = FuzzLibrary.build(work.resolve("library"));
    this.mutants = new Mutants(library, seed, work, hugeGib);
    this.host = FuzzTarget.compile(work.resolve("host"), library);
    this.jdks = jdks;
    this.casesPerTarget = casesPerTarget;
  }

  public static void main(String[] args) throws Exception {
    int cases = Integer.parseInt(option(args, "--cases", "10000"));
    int first = Integer.parseInt(option(args, "--first", "0"));
    long seed = Long.parseLong(option(args, "--seed", "1"));
    List<Jdk> jdks = new ArrayList<>();
    for (String feature : option(args, "--jdks", "17,25").split(",")) {
      jdks.add(feature.equals("25") ? Jdk.jdk25() : Jdk.current());
    }
    UpdateFuzzer fuzzer =
        new UpdateFuzzer(
            Path.of(option(args, "--work", "target/fuzz")).toAbsolutePath(),
            seed,
            jdks,
            Integer.parseInt(option(args, "--per-target", "500")),
            Integer.parseInt(option(args, "--huge-gib", "300")));
    long start = System.nanoTime();
    FuzzReport report = fuzzer.run(first, cases);
    System.out.printf(
        "update fuzzer, seed %d, cases %d to %d, JDKs %s, %.0f s%n",
        seed, first, first + cases - 1, jdks, (System.nanoTime() - start) / 1e9);
    System.out.print(report.table());
    System.exit(report.failures().isEmpty() && report.crashes == 0 ? 0 : 1);
  }

  /** Mutant {@code index} of {@code kind}. */
  Mutant mutant(int index, MutantKind kind) throws Exception {
    return mutants.make(index, kind);
  }

  /** Mutant {@code index}, of the kind the seed picks. */
  Mutant mutant(int index) throws Exception {
    return mutants.make(index);
  }

  /** Runs cases {@code first} to {@code first + count - 1}. */
  FuzzReport run(int first, int count) throws Exception {
    List<Mutant> all = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      all.add(mutants.make(i));
    }
    return run(all);
  }

  /** Runs the given mutants in order. */
  FuzzReport run(List<Mutant> cases) throws Exception {
    FuzzTarget target = null;
    int served = 0;
    int jdk = 0;
    try {
      for (Mutant mutant : cases) {
        if (target != null && (served >= casesPerTarget || !target.isAlive())) {
          retire(target);
          target = null;
        }
        if (target != null && mutant.needsUnloadedLater() && target.laterLoaded()) {
          retire(target);
          target = null;
          report.restarts++;
        }
        if (target == null) {
          target = start(jdks.get(jdk++ % jdks.size()));
          served = 0;
        }
        runCase(mutant, target);
        served++;
      }
    } finally {
      if (target != null) {
        retire(target);
      }
    }
    return report;
  }

  private FuzzTarget start(Jdk jdk) throws java.io.IOException {
    report.targets++;
    Path home = Files.createTempDirectory(work, "home");
    return FuzzTarget.start(jdk, host, library, home);
  }

  private void runCase(Mutant mutant, FuzzTarget target) throws Exception {
    Path file = mutant.bytes() == null ? mutants.hugeBomb() : work.resolve("mutant.jsplice");
    if (mutant.bytes() != null) {
      Files.write(file, mutant.bytes());
    }
    long start = System.nanoTime();
    Run inspect = jsplice("inspect", file.toString(), "--trust", library.certificate.toString());
    long inspected = System.nanoTime();
    Run apply =
        jsplice(
            "apply",
            Long.toString(target.pid()),
            file.toString(),
            "--trust",
            library.certificate.toString(),
            "--retries",
            "2",
            "--retry-delay",
            "10");
    long applied = System.nanoTime();
    report.record(mutant.kind(), inspect.code, apply.code, (applied - inspected) / 1_000_000);
    if (mutant.kind() == MutantKind.HUGE_BOMB) {
      report.hugeBombInspectMillis = (inspected - start) / 1_000_000;
      report.hugeBombApplyMillis = (applied - inspected) / 1_000_000;
    }
    if (!target.isAlive()) {
      report.crashes++;
      report.fail(mutant, "the target JVM died: " + target.outputs());
      return;
    }
    if (inspect.code != 0 && !FuzzReport.DOCUMENTED.contains(inspect.code)) {
      report.fail(mutant, "inspect exited " + inspect.code + ": " + inspect.err.strip());
    }
    if (inspect.code == 0
        && FILE_DEFECTS.containsAll(mutant.refusedWith())
        && !(mutant.mayBeIntact() && intact(mutant))) {
      // What is wrong is in the file itself: inspect, which reads it as apply does, must say so.
      report.fail(mutant, "inspect accepted it: " + inspect.out.lines().findFirst().orElse(""));
    }
    if (apply.code == 0) {
      if (mutant.mayBeIntact() && intact(mutant)) {
        report.intact++;
        Run undo = jsplice("undo", Long.toString(target.pid()), FuzzLibrary.UPDATE_ID);
        if (undo.code != 0) {
          report.fail(mutant, "undo of an intact mutant exited " + undo.code + ": " + undo.err);
        }
      } else {
        report.accepted++;
        report.fail(mutant, "applied: " + apply.out.strip());
        jsplice("undo", Long.toString(target.pid()), FuzzLibrary.UPDATE_ID);
      }
    } else if (!mutant.refusedWith().contains(apply.code)) {
      String line = apply.err.strip();
      if (FuzzReport.DOCUMENTED.contains(apply.code)) {
        report.fail(
            mutant,
            "refused with " + apply.code + ", expected " + mutant.refusedWith() + ": " + line);
      } else {
        report.fail(mutant, "undocumented exit " + apply.code + ": " + line);
      }
    } else if (apply.err.lines().count() != 1) {
      report.fail(mutant, "the refusal is not one line: " + apply.err);
    }
    String greets = target.greet();
    boolean changed = false;
    if (!greets.equals(OLD)) {
      changed = true;
      report.fail(mutant, "the target answers \"" + greets + "\" after it");
    }
    Run show = jsplice("show", Long.toString(target.pid()), "--json");
    if (show.code == 0 && !JsonObject.parse(show.out).objects("updates").isEmpty()) {
      changed = true;
      report.fail(mutant, "an update is applied after it: " + show.out);
    }
    if (changed) {
      report.changed++;
    }
  }

  /** Whether the mutant, read as an update, is exactly the valid one. */
  private boolean intact(Mutant mutant) {
    try {
      UpdatePackage read = UpdateFile.open(mutant.bytes(), "mutant", UpdateLimits.DEFAULT).update();
      return read.update().equals(library.update.update())
          && read.files().keySet().equals(library.update.files().keySet())
          && read.files().entrySet().stream()
              .allMatch(e -> Arrays.equals(e.getValue(), library.update.files().get(e.getKey())));
    } catch (UpdateRejectedException e) {
      return false;
    }
  }

  /** Applies and undoes the valid update, checks what the target answers, and stops it. */
  private void retire(FuzzTarget target) {
    try {
      if (!target.isAlive()) {
        report.crashes++;
        report.fail("target on " + target.jdk() + " died: " + target.outputs());
        return;
      }
      Path valid = Files.write(work.resolve("valid.jsplice"), library.signed);
      String pid = Long.toString(target.pid());
      Run apply =
          jsplice("apply", pid, valid.toString(), "--trust", library.certificate.toString());
      String fixed = target.greet();
      String later = target.later();
      Run undo = jsplice("undo", pid, FuzzLibrary.UPDATE_ID);
      String old = target.greet();
      if (apply.code == 0
          && fixed.equals(FIXED)
          && later.equals("later (v2)")
          && undo.code == 0
          && old.equals(OLD)) {
        report.validAppliesAfterwards++;
      } else {
        report.fail(
            "target on "
                + target.jdk()
                + ": the valid update afterwards: apply "
                + apply.code
                + " "
                + apply.err.strip()
                + ", answers \""
                + fixed
                + "\" and \""
                + later
                + "\", undo "
                + undo.code
                + ", then \""
                + old
                + "\"");
      }
    } catch (Exception e) {
      report.fail("target on " + target.jdk() + ": " + e);
    } finally {
      target.close();
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run jsplice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
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

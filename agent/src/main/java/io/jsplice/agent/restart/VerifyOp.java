package io.jsplice.agent.restart;

import io.jsplice.agent.classfile.DiskClasses;
import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlHandler;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.restart.RestartVerdict;
import io.jsplice.protocol.message.VerifyReply;
import io.jsplice.protocol.message.VerifyRequest;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code verify} op: if this JVM restarted now, would it come back with the same effective
 * code? Three parts:
 *
 * <ol>
 *   <li>per jar and class directory the JVM loaded from: unchanged, or which loaded classes differ
 *       from disk now ({@link LoadedCodeCheck}, reading the loaded code back with {@link
 *       LoadedClassReader}: no safepoint, about 0.15 ms a class);
 *   <li>per update applied here or recorded for the service: would it be reapplied, and would it
 *       apply to the disk's code ({@link ReapplyCheck});
 *   <li>the verdict, the worst of all parts, and one line that says why.
 * </ol>
 *
 * <p>"Effective code" is the code of the classes the JVM loaded, with the updates applied to them.
 * Classes not loaded yet would come from the disk in both cases, so they do not count.
 *
 * <p>{@link VerifyRequest#updates} false leaves out part 2 ({@code jsplice stale} needs only part
 * 1). Runs on the control thread.
 */
public final class VerifyOp implements ControlHandler<VerifyRequest, VerifyReply> {
  private final Instrumentation instrumentation;
  private final LoadedClassReader reader;
  private final Supplier<List<UpdatePackage>> applied;
  private final Supplier<ReapplyCheck.Restart> restart;

  /**
   * @param reader installed ahead of the engine's transformer
   * @param applied the updates this JVM runs, oldest first
   * @param restart how this JVM would restart
   */
  VerifyOp(
      Instrumentation instrumentation,
      LoadedClassReader reader,
      Supplier<List<UpdatePackage>> applied,
      Supplier<ReapplyCheck.Restart> restart) {
    this.instrumentation = instrumentation;
    this.reader = reader;
    this.applied = applied;
    this.restart = restart;
  }

  @Override
  public VerifyReply handle(ControlCall<VerifyRequest> call) {
    boolean withUpdates = call.request().updates();
    long start = System.nanoTime();
    List<UpdatePackage> updates = applied.get();
    LoadedClasses loaded = LoadedClasses.snapshot(instrumentation);
    List<LoadedCodeCheck.Source> sources;
    List<ReapplyCheck.UpdateState> states = List.of();
    try (DiskClasses disk = new DiskClasses()) {
      sources = LoadedCodeCheck.run(loaded, reader, disk, addedClasses(updates));
      if (withUpdates) {
        states = ReapplyCheck.run(updates, restart.get(), loaded, disk);
      }
    }
    RestartVerdict verdict = RestartVerdict.SAME_CODE;
    List<String> reasons = new ArrayList<>();
    int compared = 0;
    for (LoadedCodeCheck.Source source : sources) {
      compared += source.loaded();
      if (source.state() == LoadedCodeCheck.State.CHANGED
          || source.state() == LoadedCodeCheck.State.MISSING) {
        verdict = verdict.and(RestartVerdict.DIFFERENT_CODE);
        reasons.add(describe(source));
      }
    }
    for (ReapplyCheck.UpdateState state : states) {
      verdict = verdict.and(state.verdict());
      if (state.verdict() != RestartVerdict.SAME_CODE || state.warn()) {
        reasons.add(state.line());
      }
    }
    return new VerifyReply(
        verdict,
        verdict.line() + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)),
        verdict.exitCode(),
        sources.stream().map(LoadedCodeCheck.Source::toReply).toList(),
        states.stream().map(ReapplyCheck.UpdateState::toReply).toList(),
        compared,
        loaded.withoutCodeSource(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** How a changed jar or directory reads in the verdict line. */
  private static String describe(LoadedCodeCheck.Source source) {
    String where = source.location() == null ? source.url() : source.location().describe();
    if (source.state() == LoadedCodeCheck.State.MISSING) {
      return where + " is gone from disk";
    }
    String differ =
        (source.differingCount() + source.goneCount())
            + " of "
            + source.loaded()
            + " loaded classes differ";
    return source.replacedBy() == null
        ? where + " changed on disk (" + differ + ")"
        : where
            + " is gone, and "
            + source.replacedBy()
            + " beside it holds its classes ("
            + differ
            + ")";
  }

  /** Classes the applied updates define: never on disk. */
  private static Set<String> addedClasses(List<UpdatePackage> updates) {
    Set<String> out = new HashSet<>();
    for (UpdatePackage update : updates) {
      for (ClassUpdate c : update.update().classes()) {
        if (c.status() == ClassStatus.ADDED) {
          out.add(c.name());
        }
      }
    }
    return out;
  }
}

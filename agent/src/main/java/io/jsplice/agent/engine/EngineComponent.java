package io.jsplice.agent.engine;

import io.jsplice.agent.control.ControlException;
import io.jsplice.agent.control.ControlServer;
import io.jsplice.agent.restart.Reapplication;
import io.jsplice.agent.restart.RestartSafety;
import io.jsplice.agent.restart.ServiceRecords;
import io.jsplice.agent.runtime.AgentComponent;
import io.jsplice.agent.runtime.AgentContext;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.signing.CorruptUpdateException;
import io.jsplice.model.signing.TamperedUpdateException;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UnsignedUpdateException;
import io.jsplice.model.signing.UntrustedSignerException;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plugs the {@link Engine} into the agent: registers its transformer at start and serves the {@code
 * apply}, {@code undo}, {@code show} and {@code verify} operations of the control channel. Updates
 * are verified here, against the trusted keys the agent was started with, before the engine sees
 * them.
 *
 * <p>With a service name, what is applied and undone is kept in the service's record, and a JVM
 * started with the agent applies the recorded updates again as it starts ({@link RestartSafety}).
 */
public final class EngineComponent implements AgentComponent {
  private volatile Engine engine;
  private volatile AgentContext context;
  private volatile RestartSafety restart;

  @Override
  public String name() {
    return "engine";
  }

  @Override
  public void start(AgentContext context) {
    this.context = context;
    // First: its reader must come before the engine's transformer in the JVM's chain.
    RestartSafety restartSafety = RestartSafety.install(context);
    this.restart = restartSafety;
    Engine started;
    try {
      started = new Engine(context.instrumentation(), context.log()::info);
      started.start();
    } catch (RuntimeException | LinkageError e) {
      restartSafety.abandon(); // nothing will reapply: let the held classes load
      throw e;
    }
    this.engine = started;
    restartSafety.reapplyAtStart((update, entry) -> reapply(started, update, entry));
    context.controlOps().register(ControlProtocol.OP_APPLY, this::apply);
    context.controlOps().register(ControlProtocol.OP_UNDO, this::undo);
    context.controlOps().register(ControlProtocol.OP_SHOW, request -> show(started));
    context
        .controlOps()
        .register(
            ControlProtocol.OP_VERIFY,
            restartSafety.verifyOp(
                () -> started.applied().stream().map(AppliedUpdate::update).toList()));
    context.addStatus("updates", () -> Reports.summary(started));
    context.feedAppliedUpdates(() -> started.applied().stream().map(AppliedUpdate::id).toList());
  }

  private static void reapply(Engine engine, UpdatePackage update, RecordedUpdate entry)
      throws Reapplication.RefusedException {
    try {
      engine.reapply(update, entry.appliedAt(), entry.appliedBy());
    } catch (EngineException e) {
      throw new Reapplication.RefusedException(e.failureCause() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Reapplication.RefusedException("interrupted while reapplying " + entry.id(), e);
    }
  }

  private Map<String, Object> show(Engine engine) {
    Map<String, Object> reply = Reports.show(engine);
    Set<String> ids = new HashSet<>();
    engine.applied().forEach(a -> ids.add(a.id()));
    reply.put("service", restart.describe(ids));
    return reply;
  }

  private Map<String, Object> apply(JsonObject request) throws ControlException {
    Path file = Path.of(request.string("file"));
    try (ServiceRecords.Staged staged = restart.records().stage(file)) {
      UpdatePackage update = verified(staged.file(), file);
      Engine.ApplyResult result = engine.apply(update, options(request), requester(request));
      Map<String, Object> reply = new LinkedHashMap<>(Reports.applied(result, update));
      List<String> classes =
          update.update().classes().stream()
              .filter(c -> c.status() == ClassStatus.MODIFIED)
              .map(ClassUpdate::name)
              .toList();
      reply.put("record", staged.commit(update.update().id(), requester(request), classes));
      return reply;
    } catch (EngineException e) {
      throw new ControlException(e.failureCause(), e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException(FailureCause.INTERNAL, "interrupted while applying " + file);
    }
  }

  private Map<String, Object> undo(JsonObject request) throws ControlException {
    String id = request.string("id");
    try {
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("undone", id);
      reply.put("restored", engine.undo(id, options(request)));
      reply.put("record", restart.records().undone(id));
      return reply;
    } catch (EngineException e) {
      throw new ControlException(e.failureCause(), e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException(FailureCause.INTERNAL, "interrupted while undoing " + id);
    }
  }

  /**
   * @param file what to read: the caller's file or the record's staged copy of it
   * @param shownAs the caller's file, named in messages
   */
  private UpdatePackage verified(Path file, Path shownAs) throws ControlException {
    if (context.options().trust().isEmpty()) {
      throw new ControlException(
          FailureCause.UNTRUSTED_SIGNER,
          "this JVM's agent trusts no key, so it applies no update; start it with"
              + " trust=/path/to/certificate.pem (jsplice apply --trust does this on first attach)");
    }
    TrustedKeys trusted;
    try {
      trusted = TrustedKeys.load(context.options().trust());
    } catch (IOException e) {
      throw new ControlException(
          FailureCause.UNTRUSTED_SIGNER,
          "cannot read the trusted keys " + context.options().trust() + ": " + e.getMessage());
    }
    try {
      return UpdateFile.read(file, trusted);
    } catch (UpdateRejectedException e) {
      String message = e.getMessage().replace(file.toString(), shownAs.toString());
      throw new ControlException(causeOf(e), message, e);
    }
  }

  static FailureCause causeOf(UpdateRejectedException e) {
    if (e instanceof UnsignedUpdateException) {
      return FailureCause.NOT_SIGNED;
    }
    if (e instanceof TamperedUpdateException) {
      return FailureCause.SIGNATURE_MISMATCH;
    }
    if (e instanceof UntrustedSignerException) {
      return FailureCause.UNTRUSTED_SIGNER;
    }
    if (e instanceof CorruptUpdateException) {
      return FailureCause.CORRUPT_UPDATE;
    }
    return FailureCause.INTERNAL;
  }

  private static ApplyOptions options(JsonObject request) throws ControlException {
    try {
      return new ApplyOptions(
          (int) request.optNumber("retries", ApplyOptions.DEFAULT.retries()),
          request.optNumber("retryDelayMillis", ApplyOptions.DEFAULT.retryDelayMillis()),
          request.bool("force", false));
    } catch (IllegalArgumentException e) {
      throw new ControlException(FailureCause.BAD_REQUEST, e.getMessage());
    }
  }

  private static String requester(JsonObject request) {
    String peer = request.optString(ControlServer.PEER_USER);
    return peer == null ? "unknown" : peer;
  }
}

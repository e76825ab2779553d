package io.jsplice.agent.engine;

import io.jsplice.agent.control.ControlException;
import io.jsplice.agent.control.ControlServer;
import io.jsplice.agent.runtime.AgentComponent;
import io.jsplice.agent.runtime.AgentContext;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.CorruptUpdateException;
import io.jsplice.model.signing.TamperedUpdateException;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UnsignedUpdateException;
import io.jsplice.model.signing.UntrustedSignerException;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plugs the {@link Engine} into the agent: registers its transformer at start and serves the {@code
 * apply}, {@code undo} and {@code show} operations of the control channel. Updates are verified
 * here, against the trusted keys the agent was started with, before the engine sees them.
 */
public final class EngineComponent implements AgentComponent {
  private volatile Engine engine;
  private volatile AgentContext context;

  @Override
  public String name() {
    return "engine";
  }

  @Override
  public void start(AgentContext context) {
    this.context = context;
    Engine started = new Engine(context.instrumentation(), context.log()::info);
    started.start();
    this.engine = started;
    context.controlOps().register(ControlProtocol.OP_APPLY, this::apply);
    context.controlOps().register(ControlProtocol.OP_UNDO, this::undo);
    context.controlOps().register(ControlProtocol.OP_SHOW, request -> Reports.show(started));
    context.addStatus("updates", () -> Reports.summary(started));
    context.feedAppliedUpdates(() -> started.applied().stream().map(AppliedUpdate::id).toList());
  }

  private Map<String, Object> apply(JsonObject request) throws ControlException {
    Path file = Path.of(request.string("file"));
    UpdatePackage update = verified(file);
    try {
      Engine.ApplyResult result = engine.apply(update, options(request), requester(request));
      return Reports.applied(result, update);
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
      return reply;
    } catch (EngineException e) {
      throw new ControlException(e.failureCause(), e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException(FailureCause.INTERNAL, "interrupted while undoing " + id);
    }
  }

  private UpdatePackage verified(Path file) throws ControlException {
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
      throw new ControlException(causeOf(e), e.getMessage(), e);
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

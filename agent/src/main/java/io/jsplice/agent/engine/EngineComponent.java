package io.jsplice.agent.engine;

import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlOps;
import io.jsplice.agent.restart.Reapplication;
import io.jsplice.agent.restart.RestartSafety;
import io.jsplice.agent.restart.ServiceRecords;
import io.jsplice.agent.runtime.AgentComponent;
import io.jsplice.agent.runtime.AgentContext;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InForce;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateLimits;
import io.jsplice.model.signing.UpdateRejectedException;
import io.jsplice.protocol.RejectionCauses;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.ApplyRequest;
import io.jsplice.protocol.message.InventoryRequest;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.RecordChange;
import io.jsplice.protocol.message.ShowReply;
import io.jsplice.protocol.message.ShowRequest;
import io.jsplice.protocol.message.TrustedKey;
import io.jsplice.protocol.message.UndoReply;
import io.jsplice.protocol.message.UndoRequest;
import io.jsplice.protocol.message.VerifyRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProtectionDomain;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Plugs the {@link Engine} into the agent: registers its transformer at start and serves the {@code
 * apply}, {@code undo}, {@code show}, {@code verify} and {@code inventory} operations of the
 * control channel. Updates are verified here, before the engine sees them, from the bytes the
 * request carries (never from a file the caller names), against the keys the caller sent or, when
 * it sent none, the keys the agent was started with.
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

  /**
   * Installs the restart safety: under {@code -javaagent}, before the application's first class
   * loads, the gate that holds back the classes of recorded updates until they are reapplied.
   */
  @Override
  public void prepare(AgentContext context) {
    // First: its reader must come before the engine's transformer in the JVM's chain.
    this.restart = RestartSafety.install(context, new Origins());
    // A load the reapplication cache cannot serve starts the engine.
    restart.onFallBack(new StartSoon(context));
  }

  // Not method references: premain makes these, and a JVM's first lambda costs the main thread
  // milliseconds of CPU, each one more a class.

  /** {@link ClassOrigin#describe(ClassLoader, ProtectionDomain)}. */
  private static final class Origins implements BiFunction<ClassLoader, ProtectionDomain, String> {
    @Override
    public String apply(ClassLoader loader, ProtectionDomain domain) {
      return ClassOrigin.describe(loader, domain);
    }
  }

  /** {@link AgentContext#startComponentsSoon}. */
  private static final class StartSoon implements Runnable {
    private final AgentContext context;

    StartSoon(AgentContext context) {
      this.context = context;
    }

    @Override
    public void run() {
      context.startComponentsSoon();
    }
  }

  /** While the recorded updates' classes are served from the reapplication cache. */
  @Override
  public boolean mayWait() {
    RestartSafety restartSafety = restart;
    return restartSafety != null && restartSafety.servingFromCache();
  }

  @Override
  public String waitingState() {
    RestartSafety restartSafety = restart;
    if (restartSafety == null || !restartSafety.servingFromCache()) {
      return null;
    }
    return "not started: the recorded updates are served from the reapplication cache ("
        + restartSafety.servedFromCache()
        + " class loads served); starts at the first request that needs it";
  }

  @Override
  public void start(AgentContext context) {
    this.context = context;
    RestartSafety restartSafety = restart;
    // Verifying the recorded updates needs no engine: it runs while the engine starts.
    restartSafety.startVerifying();
    Engine started;
    try {
      started =
          new Engine(
              context.instrumentation(),
              new EngineParts.LogInfo(context.log()),
              restartSafety.rememberedLoads());
      started.start(context.transformers());
    } catch (RuntimeException | LinkageError e) {
      restartSafety.abandon(); // nothing will reapply: let the held classes load
      throw e;
    }
    this.engine = started;
    restartSafety.reapplyAtStart(new Reapply(started, restartSafety));
    ControlOps ops = context.controlOps();
    ops.register(Op.APPLY, ApplyRequest.class, new EngineParts.ApplyHandler(this));
    ops.register(Op.UNDO, UndoRequest.class, new EngineParts.UndoHandler(this));
    ops.register(Op.SHOW, ShowRequest.class, new EngineParts.ShowHandler(this, started));
    EngineParts.AppliedIds ids = new EngineParts.AppliedIds(started);
    ops.register(
        Op.VERIFY,
        VerifyRequest.class,
        restartSafety.verifyOp(new EngineParts.AppliedPackages(started)));
    ops.register(
        Op.INVENTORY,
        InventoryRequest.class,
        restartSafety.inventoryOp(ids, new EngineParts.EffectiveVersions(started)));
    context.reportUpdates(new EngineParts.Summary(started));
    context.feedAppliedUpdates(ids);
  }

  /** Reapplies a recorded update at start-up and tells the restart safety how it went. */
  private static final class Reapply implements Reapplication.Registrar {
    private final Engine engine;
    private final RestartSafety restartSafety;

    Reapply(Engine engine, RestartSafety restartSafety) {
      this.engine = engine;
      this.restartSafety = restartSafety;
    }

    @Override
    public void reapply(UpdatePackage update, RecordedUpdate entry)
        throws Reapplication.RefusedException {
      Engine.ApplyResult result = EngineComponent.reapply(engine, update, entry);
      restartSafety.reapplied(entry.id(), engine.servableFromCache(update, result));
    }
  }

  private static Engine.ApplyResult reapply(
      Engine engine, UpdatePackage update, RecordedUpdate entry)
      throws Reapplication.RefusedException {
    try {
      return engine.reapply(
          update, entry.appliedAt(), entry.appliedBy(), entry.acceptedPartial(), entry.sha256());
    } catch (FailureException e) {
      throw new Reapplication.RefusedException(e.failure() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Reapplication.RefusedException("interrupted while reapplying " + entry.id(), e);
    }
  }

  ShowReply show(Engine engine) {
    Set<String> ids = new HashSet<>();
    for (AppliedUpdate a : engine.applied()) {
      ids.add(a.id());
    }
    return Reports.show(engine, restart.describe(ids));
  }

  ApplyReply apply(ControlCall<ApplyRequest> call) throws FailureException {
    // What the engine needs once the update's signature is checked loads while it is checked.
    ApplyPreload.startOnce();
    ApplyRequest request = call.request();
    String shownAs = request.file() == null ? "the update" : request.file();
    checkPayload(request, call.payload(), shownAs);
    TrustedKeys trusted = trustFor(request);
    try (ServiceRecords.Staged staged = restart.records().stage(call.payload())) {
      UpdatePackage update =
          isVerifiedByCaller(request)
              ? verifiedByCaller(call.payload(), shownAs)
              : verified(staged.file(), shownAs, trusted);
      Engine.ApplyResult result =
          engine.apply(
              update,
              options(request.quiescence(), request.acceptPartial(), request.acceptLeftOut()),
              call.peerUser());
      List<String> classes = new ArrayList<>(); // a loop: no lambda spun in a first apply
      for (ClassUpdate c : update.update().classes()) {
        if (c.status() == ClassStatus.MODIFIED) {
          classes.add(c.name());
        }
      }
      RecordChange record =
          staged.commit(
              update.update().id(),
              call.peerUser(),
              List.copyOf(classes),
              result.inForce() == InForce.PARTLY);
      if (record.changed() && !request.trust().isEmpty()) {
        record = withRestartTrust(record, staged.file(), shownAs);
      }
      return Reports.applied(result, update, record);
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.INTERNAL,
          "cannot write " + shownAs + " where the agent can verify it: " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureCause.INTERNAL, "interrupted while applying " + shownAs);
    }
  }

  /** Refuses a payload that is not the one the request describes (a truncated or mixed message). */
  private static void checkPayload(ApplyRequest request, byte[] payload, String shownAs)
      throws FailureException {
    if (payload.length == 0) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          "the apply request carries no update: the client must send the update file's bytes");
    }
    String sha256;
    try {
      sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
    if (payload.length != request.updateBytes()
        || !sha256.equalsIgnoreCase(request.updateSha256())) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          "the bytes received for "
              + shownAs
              + " ("
              + payload.length
              + " bytes, SHA-256 "
              + sha256
              + ") are not those the request names; nothing was applied, send it again");
    }
  }

  /**
   * The keys this request's update must be signed by: the caller's, when it sent any (root's {@code
   * --trust} is not widened by whatever the JVM's user started the agent with); else the agent's
   * own {@code trust=}.
   */
  private TrustedKeys trustFor(ApplyRequest request) throws FailureException {
    if (!request.trust().isEmpty()) {
      List<PublicKey> keys = new ArrayList<>();
      Set<String> sources = new LinkedHashSet<>();
      for (TrustedKey key : request.trust()) {
        try {
          keys.add(key.publicKey());
        } catch (IllegalArgumentException e) {
          throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage());
        }
        sources.add(key.source());
      }
      return TrustedKeys.ofKeys(keys, "the keys the caller trusts " + sources);
    }
    if (context.options().trust().isEmpty()) {
      throw new FailureException(
          FailureCause.UNTRUSTED_SIGNER,
          "this JVM's agent trusts no key and the request names none, so it applies no update;"
              + " pass --trust CERT to jsplice apply, or start the agent with"
              + " trust=/path/to/certificate.pem");
    }
    try {
      return TrustedKeys.load(context.options().trust());
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.UNTRUSTED_SIGNER,
          "cannot read the trusted keys " + context.options().trust() + ": " + e.getMessage());
    }
  }

  /**
   * An update the caller's keys let in is recorded, but a restart reapplies it only if the agent's
   * own {@code trust=} (on the JVM's command line) trusts its signer too: say so when it does not.
   */
  private RecordChange withRestartTrust(RecordChange record, Path file, String shownAs) {
    String problem;
    try {
      UpdateFile.read(file, TrustedKeys.load(context.options().trust()));
      return record;
    } catch (IOException e) {
      problem = "this JVM's agent trusts no key of its own (" + e.getMessage() + ")";
    } catch (UpdateRejectedException e) {
      problem = "its signer is not among this JVM's own trusted keys " + context.options().trust();
    }
    return new RecordChange(
        record.service(),
        record.file(),
        record.changed(),
        "recorded, but a restart will not reapply "
            + shownAs
            + ": "
            + problem
            + "; add its certificate to the agent's trust= on the JVM's command line");
  }

  UndoReply undo(ControlCall<UndoRequest> call) throws FailureException {
    String id = call.request().id();
    try {
      List<String> restored = engine.undo(id, options(call.request().quiescence(), false, false));
      return new UndoReply(id, restored, restart.records().undone(id));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureCause.INTERNAL, "interrupted while undoing " + id);
    }
  }

  /**
   * @param file the agent's own copy of the update's bytes
   * @param shownAs the caller's name for the file, in messages
   */
  private static UpdatePackage verified(Path file, String shownAs, TrustedKeys trusted)
      throws FailureException {
    try {
      return UpdateFile.read(file, trusted);
    } catch (UpdateRejectedException e) {
      String message = e.getMessage().replace(file.toString(), shownAs);
      throw new FailureException(RejectionCauses.of(e), message, e);
    }
  }

  /**
   * Whether the agent takes the caller's check of the signature ({@link
   * ApplyRequest#verifiedByCaller}): only against keys the caller sent, which are then the
   * request's only trust; never against the agent's own {@code trust=}, which only it can check.
   */
  static boolean isVerifiedByCaller(ApplyRequest request) {
    return request.verifiedByCaller() && !request.trust().isEmpty();
  }

  /**
   * The bytes the caller verified against the keys it sent, which are the request's only trust
   * ({@link ApplyRequest#verifiedByCaller}): read as strictly as a verified update, every entry
   * covered by the signed manifest, without the signature's arithmetic, which the caller, who chose
   * the keys, made. The payload's length and SHA-256 were checked on arrival.
   */
  private static UpdatePackage verifiedByCaller(byte[] payload, String shownAs)
      throws FailureException {
    try {
      return UpdateFile.readVerifiedBefore(payload, shownAs, UpdateLimits.DEFAULT);
    } catch (UpdateRejectedException e) {
      throw new FailureException(RejectionCauses.of(e), e.getMessage(), e);
    }
  }

  private static ApplyOptions options(
      Quiescence quiescence, boolean acceptPartial, boolean acceptLeftOut) throws FailureException {
    try {
      return new ApplyOptions(
          quiescence.retries(),
          quiescence.retryDelayMillis(),
          quiescence.force(),
          acceptPartial,
          acceptLeftOut);
    } catch (IllegalArgumentException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage());
    }
  }
}

package io.jsplice.agent.restart;

import io.jsplice.agent.control.ControlHandler;
import io.jsplice.agent.runtime.AgentContext;
import io.jsplice.agent.runtime.AgentOptions;
import io.jsplice.agent.runtime.StartMode;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.protocol.message.EffectiveVersion;
import io.jsplice.protocol.message.InventoryReply;
import io.jsplice.protocol.message.InventoryRequest;
import io.jsplice.protocol.message.ServiceState;
import io.jsplice.protocol.message.VerifyReply;
import io.jsplice.protocol.message.VerifyRequest;
import java.io.IOException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What the engine's component plugs in to keep updates across restarts and to answer {@code
 * verify}: the service record, the reapplication at start-up, and the reader of loaded code.
 *
 * <p>How the JVM would restart is taken from the options it started with: under {@code -javaagent}
 * those are on its command line and come back with it; an agent loaded later does not.
 *
 * <p>Thread-safe. One per JVM, created in the engine component's {@code start}.
 */
public final class RestartSafety {
  private final AgentContext context;
  private final AgentOptions startOptions;
  private final LoadedClassReader reader;
  // The parts premain does not need, made when first needed (not under this object's lock, which
  // startVerifying holds while it reads the whole record).
  private final Object lazy = new Object();
  private ServiceRecords records; // guarded by lazy; null until a request needs it
  private final RecordAtStart startRecord; // null: nothing to reapply
  private final ReapplyGate gate; // null: nothing to reapply
  private final CachedReapplication cached; // null: the engine reapplies from the start
  // What the cache's writer is made of, once the engine runs: a start the cache serves never needs
  // it, so premain does not load it. Null: nothing to reapply.
  private final CacheToWrite cacheToWrite;
  private ReapplyCache.Writer cacheWriter; // guarded by lazy; null until the engine writes
  private final List<Reapplication.Outcome> reappliedAtStart = new CopyOnWriteArrayList<>();
  private volatile boolean reapplying;
  private volatile List<Future<UpdatePackage>> checks; // null until verifying starts

  private RestartSafety(
      AgentContext context,
      LoadedClassReader reader,
      RecordAtStart startRecord,
      ReapplyGate gate,
      CachedReapplication cached,
      CacheToWrite cacheToWrite) {
    this.context = context;
    this.cached = cached;
    this.cacheToWrite = cacheToWrite;
    this.startOptions = context.options();
    this.reader = reader;
    this.startRecord = startRecord;
    this.gate = gate;
  }

  /**
   * The reapplication cache's directory, this start's binding and the cache that held, from which
   * its {@link ReapplyCache.Writer} is made when the engine first notes something.
   */
  private record CacheToWrite(
      OwnerOnlyDirectory directory, ReapplyCache.Binding binding, ReapplyCache.Usable usable) {}

  /** The cache's writer, made at the first call; null if nothing is reapplied at this start. */
  private ReapplyCache.Writer cacheWriter() {
    synchronized (lazy) {
      if (cacheWriter == null && cacheToWrite != null) {
        cacheWriter =
            new ReapplyCache.Writer(
                cacheToWrite.directory(), cacheToWrite.binding(), cacheToWrite.usable());
      }
      return cacheWriter;
    }
  }

  /** Not a method reference: premain makes it, and each lambda costs the main thread a class. */
  private static final class OptionsInForce implements Supplier<AgentOptions> {
    private final AgentContext context;

    OptionsInForce(AgentContext context) {
      this.context = context;
    }

    @Override
    public AgentOptions get() {
      return context.options();
    }
  }

  /**
   * Installs the reader of loaded code and, under {@code -javaagent} with a service whose record
   * holds updates, the gate that holds their classes back until they are reapplied. Call before the
   * engine registers its transformer: the reader must come first in the JVM's chain to see the code
   * below a patch; and, under {@code -javaagent}, before the application's classes load (it reads
   * the record and installs the gate, nothing more).
   */
  public static RestartSafety install(
      AgentContext context, BiFunction<ClassLoader, ProtectionDomain, String> origins) {
    LoadedClassReader reader =
        LoadedClassReader.install(context.instrumentation(), context.transformers());
    ServiceRecordStore store = startStore(context.options());
    RecordAtStart record = null;
    ReapplyGate gate = null;
    CachedReapplication cached = null;
    CacheToWrite cacheToWrite = null;
    OwnerOnlyDirectory cacheDirectory = null;
    if (store != null && context.startMode() == StartMode.PREMAIN) {
      cacheDirectory = ReapplyCache.directory(store);
      try {
        // Read directly, or not at all if the cache remembers these bytes' entries: the whole
        // record (the JSON codec's reflection, java.time's parser) is made from the same bytes when
        // the engine needs it, off the main thread.
        record = RecordAtStart.read(store, cacheDirectory);
      } catch (IOException e) {
        context
            .log()
            .error(
                "cannot read the record of service "
                    + store.service()
                    + ", so no update is reapplied: "
                    + e.getMessage(),
                null);
      }
    }
    if (record != null && record.entries().isEmpty()) {
      record = null;
    }
    if (record != null) {
      Map<String, List<String>> classes = new LinkedHashMap<>();
      Set<String> internalNames = new HashSet<>();
      for (RecordAtStart.Entry entry : record.entries()) {
        classes.put(entry.id(), entry.classes());
        for (String name : entry.classes()) {
          internalNames.add(name.replace('.', '/'));
        }
      }
      record.remember(cacheDirectory);
      String index = cacheDirectory.read("index"); // once, for what it says and whether it holds
      ReapplyCache.Earlier earlier = ReapplyCache.earlier(index);
      ReapplyCache.Binding binding =
          ReapplyCache.binding(store, record.entries(), context.options().trust(), earlier);
      ReapplyCache.Usable usable = ReapplyCache.read(cacheDirectory, index, binding);
      if (usable != null) {
        // The engine, which rewrites the index, may never start: a file hashed again is noted now.
        usable = ReapplyCache.refreshed(cacheDirectory, index, earlier, binding, usable);
      }
      cacheToWrite = new CacheToWrite(cacheDirectory, binding, usable);
      gate = new ReapplyGate(classes, context.log(), usable == null);
      // In the agent's chain, after the reader and before the engine's transformer, not as a
      // transformer of its own: the JVM calls each of its agents' transformer lists separately on
      // every class load (a copy of the class's bytes and a call into Java each), which costs a
      // service that loads 10,000 classes more than holding back ten of them.
      if (usable == null) {
        context.transformers().append(gate);
      } else {
        cached = new CachedReapplication(usable, internalNames, gate, origins, context.log());
        context.transformers().append(cached);
        context
            .log()
            .info(
                "reapplication cache holds for the "
                    + record.entries().size()
                    + " updates recorded for service "
                    + store.service()
                    + ": their classes are served from it, the engine starts when needed");
      }
    }
    return new RestartSafety(context, reader, record, gate, cached, cacheToWrite);
  }

  /**
   * What earlier starts of the service found as the classes of its recorded updates loaded; {@link
   * RememberedLoads#NONE} when nothing is reapplied at this start.
   */
  public RememberedLoads rememberedLoads() {
    ServiceRecordStore store = startStore(startOptions);
    if (gate == null || store == null) {
      return RememberedLoads.NONE;
    }
    LoadVerdicts verdicts = LoadVerdicts.of(store);
    return new RememberedLoads() {
      @Override
      public String updateFor(String key) {
        return verdicts.updateFor(key);
      }

      @Override
      public void remember(String key, String updateId) {
        verdicts.remember(key, updateId);
      }

      @Override
      public void patchedAtLoad(
          String className, String origin, byte[] handed, String updateId, byte[] installed) {
        cacheWriter().loaded(className, origin, handed, updateId, installed);
      }

      @Override
      public boolean servedFromCache(Class<?> type, byte[] installed) {
        return cached != null && cached.servedWith(type, installed);
      }
    };
  }

  /**
   * Whether this start serves the classes of its recorded updates from the reapplication cache
   * ({@link ReapplyCache}) and the engine has not been asked to start: it need not start until a
   * load the cache cannot serve ({@link #onFallBack}) or a request that needs it.
   */
  public boolean servingFromCache() {
    return cached != null && cached.serving();
  }

  /** How many class loads were served from the reapplication cache at this start. */
  public int servedFromCache() {
    return cached == null ? 0 : cached.servedCount();
  }

  /** What starts the engine when a load falls back from the cache to it. */
  public void onFallBack(Runnable startEngine) {
    if (cached != null) {
      cached.onFallBack(startEngine);
    }
  }

  /**
   * Notes, for the next start's reapplication cache, whether the engine's reapplication of recorded
   * update {@code id} is what the cache can serve exactly.
   */
  public void reapplied(String id, boolean servable) {
    ReapplyCache.Writer writer = cacheWriter();
    if (writer != null) {
      writer.update(id, servable);
    }
  }

  /**
   * The service's record, as the control ops change it; made at the first call (a request's), not
   * in {@code premain}.
   */
  public ServiceRecords records() {
    synchronized (lazy) {
      if (records == null) {
        records = new ServiceRecords(new OptionsInForce(context), context.log());
      }
      return records;
    }
  }

  /**
   * Under {@code -javaagent} with a service whose record holds updates, starts checking their files
   * ({@link Reapplication#verifyInParallel}) on threads of their own and returns; does nothing if
   * it started already or there is nothing to reapply. It needs no engine: call it before starting
   * one.
   */
  public synchronized void startVerifying() {
    if (cached != null) {
      // The engine starts: from now on it serves the classes, and they wait for it at the gate.
      cached.stop("a request needs it");
    }
    if (gate != null && checks == null) {
      ServiceRecord record = wholeStartRecord();
      checks =
          record == null
              ? List.of()
              : Reapplication.verifyInParallel(
                  startStore(startOptions), record, startOptions.trust());
    }
  }

  /**
   * The record read at the start, whole; null, logged, if the codec refuses what {@code premain}
   * read directly (which {@link RecordAtStart} does not let happen).
   */
  private ServiceRecord wholeStartRecord() {
    try {
      return startRecord.full();
    } catch (IOException | RuntimeException e) {
      context
          .log()
          .error(
              "cannot read the record of service "
                  + startOptions.service()
                  + ", so no update is reapplied: "
                  + e.getMessage(),
              null);
      return null;
    }
  }

  /**
   * Under {@code -javaagent} with a service whose record holds updates, starts applying them again
   * ({@link Reapplication}) on a thread of its own and returns; their classes wait at the gate
   * until then. Otherwise does nothing: an agent loaded into a running JVM never applies updates
   * nobody asked it for.
   */
  public void reapplyAtStart(Reapplication.Registrar registrar) {
    if (gate == null) {
      return;
    }
    ServiceRecordStore store = startStore(startOptions);
    startVerifying();
    ServiceRecord record = wholeStartRecord();
    if (record == null) {
      gate.releaseAll();
      return;
    }
    List<Future<UpdatePackage>> verifying = checks;
    reapplying = true;
    Thread worker =
        new Thread(
            () -> {
              try {
                Reapplication.run(
                    store,
                    record,
                    verifying,
                    registrar,
                    gate,
                    outcome -> {
                      reappliedAtStart.add(outcome);
                      if (!outcome.reapplied()) {
                        reapplied(outcome.entry().id(), false);
                      }
                    },
                    context.log());
              } finally {
                reapplying = false;
                gate.releaseAll(); // stays in the chain, open: one volatile read a class
              }
            },
            "jsplice-reapply");
    worker.setDaemon(true);
    gate.workOn(worker);
    context
        .log()
        .info(
            "reapplying "
                + record.updates().size()
                + " updates recorded for service "
                + store.service()
                + " beside the application's start; their classes wait for it as they load");
    try {
      worker.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      reapplying = false;
      gate.releaseAll();
      context.log().error("cannot start reapplying the recorded updates", e);
      return;
    }
    if (cached != null) {
      // Started late, by a request or a load the cache could not serve: the application runs
      // already, and the request that started the engine answers with the reapplication's outcome.
      try {
        worker.join(ReapplyGate.LONGEST_HOLD);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Lets every held class load and opens the gate for good: the engine did not start, so nothing
   * will be reapplied.
   */
  public void abandon() {
    if (gate != null) {
      gate.releaseAll();
    }
  }

  /** The {@code verify} op over the updates {@code applied} returns (oldest first). */
  public ControlHandler<VerifyRequest, VerifyReply> verifyOp(
      Supplier<List<UpdatePackage>> applied) {
    return new VerifyOp(
        context.instrumentation(),
        reader,
        applied,
        () ->
            new ReapplyCheck.Restart(
                context.startMode() == StartMode.PREMAIN,
                startOptions.service(),
                startStore(startOptions),
                startOptions.trust()));
  }

  /**
   * The {@code inventory} op.
   *
   * @param applied the ids of the updates this JVM runs, oldest first
   * @param effective the effective version of each patched library
   */
  public ControlHandler<InventoryRequest, InventoryReply> inventoryOp(
      Supplier<List<String>> applied, Supplier<List<EffectiveVersion>> effective) {
    return new InventoryOp(context.instrumentation(), applied, effective);
  }

  /**
   * The record part of {@code show}: the service, its recorded updates and whether this JVM runs
   * each, and what became of each at start-up.
   *
   * @param appliedIds the ids of the updates this JVM runs
   */
  public ServiceState describe(Set<String> appliedIds) {
    ServiceRecordStore store = records().store();
    boolean startedWithAgent = context.startMode() == StartMode.PREMAIN;
    // Read before the outcomes: the worker adds its last outcome before it clears the flag, so a
    // reader that sees it cleared sees every outcome (read after, a finished reapplication could
    // show as done with outcomes missing).
    boolean stillReapplying = reapplying;
    List<ServiceState.Outcome> atStart = new ArrayList<>();
    for (Reapplication.Outcome outcome : reappliedAtStart) {
      atStart.add(
          new ServiceState.Outcome(outcome.entry().id(), outcome.reapplied(), outcome.problem()));
    }
    if (store == null) {
      return new ServiceState(
          null,
          startedWithAgent,
          "this JVM's agent has no service name: nothing is recorded, and a restart loses the"
              + " updates applied in it",
          null,
          null,
          List.of(),
          atStart,
          stillReapplying);
    }
    List<ServiceState.Recorded> recorded = new ArrayList<>();
    String problem = null;
    try {
      ServiceRecord record = store.read();
      for (RecordedUpdate entry : record.updates()) {
        recorded.add(
            new ServiceState.Recorded(
                entry.id(),
                entry.appliedAt().toString(),
                entry.appliedBy(),
                store.fileOf(entry).toString(),
                entry.sha256(),
                appliedIds.contains(entry.id()),
                entry.acceptedPartial()));
      }
    } catch (IOException e) {
      problem = "cannot read the record: " + e.getMessage();
    }
    return new ServiceState(
        store.service(),
        startedWithAgent,
        null,
        store.recordFile().toString(),
        problem,
        recorded,
        atStart,
        stillReapplying);
  }

  /** The record a restart would read: the service named when the JVM started; null if none. */
  private static ServiceRecordStore startStore(AgentOptions options) {
    String service = options.service();
    return service == null ? null : ServiceRecordStore.at(options.stateDir(), service);
  }
}

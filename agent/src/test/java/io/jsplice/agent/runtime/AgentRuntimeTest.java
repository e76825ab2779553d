package io.jsplice.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.agent.ControlRequests;
import io.jsplice.agent.restart.RestartSafety;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.StatusRequest;
import io.jsplice.protocol.message.UndoReply;
import io.jsplice.protocol.message.UndoRequest;
import io.jsplice.protocol.message.UpdatesSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seam the update engine plugs into, exercised by a component in this JVM. */
class AgentRuntimeTest {
  @TempDir Path state;
  private AgentRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.shutdown();
    }
  }

  @Test
  void start_givesComponentsTheContextAndServesTheirOpsAndStatus() throws IOException {
    List<AgentContext> seen = new ArrayList<>();
    AgentComponent engine =
        component(
            "engine",
            context -> {
              seen.add(context);
              serveUndo(context);
              context.reportUpdates(() -> new UpdatesSummary(List.of("U1"), List.of()));
              context.feedAppliedUpdates(() -> List.of("U1"));
            });

    runtime =
        AgentRuntime.startWith(
            null, "state=" + state + ",jmx=false,service=svc", false, List.of(engine));

    assertThat(seen)
        .singleElement()
        .satisfies(
            context -> {
              assertThat(context.startMode()).isEqualTo(StartMode.AGENTMAIN);
              assertThat(context.options().service()).isEqualTo("svc");
              assertThat(context.appliedUpdates().ids()).containsExactly("U1");
            });
    Path socket = Path.of(runtime.controlSocket());
    assertThat(ControlRequests.send(socket, new UndoRequest("U7", null)).string("undone"))
        .isEqualTo("U7");
    JsonObject status = ControlRequests.send(socket, new StatusRequest());
    assertThat(status.string("startMode")).isEqualTo("agentmain");
    assertThat(status.number("pid")).isEqualTo(ProcessHandle.current().pid());
    assertThat(status.string("service")).isEqualTo("svc");
    assertThat(status.string("stateDir")).isEqualTo(state.toString());
    assertThat(status.string("log")).isEqualTo(state.resolve("svc.log").toString());
    assertThat(status.strings("ops")).containsExactly("status", "undo");
    assertThat(status.object("components").asMap()).isEqualTo(Map.of("engine", "started"));
    assertThat(status.object("updates").strings("applied")).containsExactly("U1");
    assertThat(Files.readString(state.resolve("svc.log"))).contains("starting (agentmain)");
  }

  @Test
  void start_atTheFirstRequest_startsTheComponentsForTheFirstOpOnlyTheyServe_notForStatus()
      throws IOException {
    List<AgentContext> seen = new ArrayList<>();
    AgentComponent engine =
        component(
            "engine",
            context -> {
              seen.add(context);
              serveUndo(context);
            });

    runtime =
        AgentRuntime.startWith(
            null,
            "state=" + state + ",jmx=false",
            true,
            List.of(engine),
            AgentRuntime.ComponentStart.AT_FIRST_REQUEST);

    Path socket = Path.of(runtime.controlSocket());
    JsonObject status = ControlRequests.send(socket, new StatusRequest());
    assertThat(seen).isEmpty();
    assertThat(status.object("components").asMap())
        .isEqualTo(Map.of("engine", "waiting for the first request that needs it"));
    assertThat(ControlRequests.send(socket, new UndoRequest("U7", null)).string("undone"))
        .isEqualTo("U7");
    assertThat(seen).hasSize(1);
    assertThat(ControlRequests.send(socket, new StatusRequest()).object("components").asMap())
        .isEqualTo(Map.of("engine", "started"));
  }

  @Test
  void start_besideTheApplication_preparesOnTheCallingThread_startsOnAnother() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    AgentComponent engine =
        component(
            "engine",
            context -> calls.add("prepare on " + Thread.currentThread().getName()),
            context -> {
              calls.add("start on " + Thread.currentThread().getName());
              release.await();
              serveUndo(context);
            });

    runtime = startedBesideTheApplication(engine);

    assertThat(calls.get(0)).isEqualTo("prepare on " + Thread.currentThread().getName());
    release.countDown();
    runtime.awaitStart();
    assertThat(calls).containsExactly(calls.get(0), "start on jsplice-start");
    Path socket = Path.of(runtime.controlSocket());
    assertThat(ControlRequests.send(socket, new UndoRequest("U7", null)).string("undone"))
        .isEqualTo("U7");
    assertThat(ControlRequests.send(socket, new StatusRequest()).object("components").asMap())
        .isEqualTo(Map.of("engine", "started"));
  }

  @Test
  void start_besideTheApplication_statusAnswersAtOnce_aRequestForTheirOpWaitsForTheComponents()
      throws Exception {
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AgentComponent engine =
        component(
            "engine",
            context -> {
              starting.countDown();
              release.await();
              serveUndo(context);
            });
    runtime = startedBesideTheApplication(engine);
    starting.await(); // the start thread is inside the component's start

    Path socket = Path.of(runtime.controlSocket());
    assertThat(ControlRequests.send(socket, new StatusRequest()).object("components").asMap())
        .isEqualTo(Map.of("engine", "starting beside the application"));
    CompletableFuture<JsonObject> undo =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ControlRequests.send(socket, new UndoRequest("U7", null));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    release.countDown();

    assertThat(undo.get().string("undone")).isEqualTo("U7");
    assertThat(ControlRequests.send(socket, new StatusRequest()).object("components").asMap())
        .isEqualTo(Map.of("engine", "started"));
  }

  @Test
  void start_attached_opensTheChannelFirst_theComponentsStartOnAnotherThread_theirOpWaitsForThem()
      throws Exception {
    // An attach returns to its client once the channel is open; the client's request that needs
    // the components (an apply) waits for them instead of the attach.
    assertThat(AgentRuntime.componentStart(false, AgentOptions.parse("state=" + state)))
        .isEqualTo(AgentRuntime.ComponentStart.ONCE_THE_CHANNEL_IS_OPEN);
    List<String> calls = new CopyOnWriteArrayList<>();
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AgentComponent engine =
        component(
            "engine",
            context -> calls.add("prepare on " + Thread.currentThread().getName()),
            context -> {
              calls.add("start on " + Thread.currentThread().getName());
              starting.countDown();
              release.await();
              serveUndo(context);
            });
    runtime =
        AgentRuntime.startWith(
            null,
            "state=" + state + ",jmx=false",
            false,
            List.of(engine),
            AgentRuntime.ComponentStart.ONCE_THE_CHANNEL_IS_OPEN);
    starting.await(); // the start thread is inside the component's start

    Path socket = Path.of(runtime.controlSocket());
    assertThat(ControlRequests.send(socket, new StatusRequest()).object("components").asMap())
        .isEqualTo(Map.of("engine", "starting"));
    CompletableFuture<JsonObject> undo =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ControlRequests.send(socket, new UndoRequest("U7", null));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    release.countDown();

    assertThat(undo.get().string("undone")).isEqualTo("U7");
    assertThat(calls)
        .containsExactly(
            "prepare on " + Thread.currentThread().getName(), "start on jsplice-start");
    assertThat(ControlRequests.send(socket, new StatusRequest()).object("components").asMap())
        .isEqualTo(Map.of("engine", "started"));
  }

  @Test
  void start_withRecordedUpdates_holdsTheirClassesInTheAgentsChain_forTheEngineAppendedMeanwhile()
      throws Exception {
    ServiceRecordStore store = ServiceRecordStore.at(state, "svc");
    store.commit(store.stage(new byte[] {1}), "fix-1", "test", Instant.EPOCH, List.of("p.Held"));
    List<String> registered = new CopyOnWriteArrayList<>();
    Instrumentation jvm =
        (Instrumentation)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Instrumentation.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("addTransformer")) {
                    registered.add(args[0] + (args.length > 1 ? " " + args[1] : ""));
                  }
                  return method.getReturnType() == boolean.class ? false : null;
                });
    RestartSafety[] restart = new RestartSafety[1];
    AgentComponent engine =
        component(
            "engine",
            context ->
                restart[0] =
                    RestartSafety.install(context, (loader, domain) -> String.valueOf(loader)),
            context -> {});

    runtime =
        AgentRuntime.startWith(
            jvm,
            "service=svc,state=" + state + ",jmx=false",
            true,
            List.of(engine),
            AgentRuntime.ComponentStart.BESIDE_THE_APPLICATION);
    runtime.awaitStart();

    // One transformer in the JVM: the agent's chain, which every class load calls once.
    assertThat(registered).containsExactly(runtime.context().transformers() + " true");
    byte[] patched = {1, 2, 3};
    CompletableFuture<byte[]> loaded = new CompletableFuture<>();
    Thread loading =
        new Thread(
            () -> {
              try {
                loaded.complete(
                    runtime
                        .context()
                        .transformers()
                        .transform(null, null, "p/Held", null, null, new byte[0]));
              } catch (IllegalClassFormatException | RuntimeException e) {
                loaded.completeExceptionally(e);
              }
            });
    loading.start();
    Thread.State seen;
    while ((seen = loading.getState()) != Thread.State.TIMED_WAITING
        && seen != Thread.State.TERMINATED) {
      Thread.onSpinWait();
    }
    assertThat(seen)
        .as("held in the chain until its update is reapplied")
        .isEqualTo(Thread.State.TIMED_WAITING);
    // The engine's transformer, appended while the class waits, still gets it.
    runtime
        .context()
        .transformers()
        .append(
            new ClassFileTransformer() {
              @Override // the JDK's default for the call with a module delegates here
              public byte[] transform(
                  ClassLoader l, String name, Class<?> c, ProtectionDomain d, byte[] bytes) {
                return patched;
              }
            });
    restart[0].abandon();
    assertThat(loaded.get()).isSameAs(patched);
  }

  @Test
  void start_withNothingToApplyAndNoJmxToWatchFor_leavesTheJvmsTransformers_untilAComponentStarts()
      throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    Instrumentation jvm = recordingTransformers(calls);
    AgentComponent engine =
        component(
            "engine",
            context ->
                context
                    .transformers()
                    .append(
                        new ClassFileTransformer() {
                          @Override
                          public byte[] transform(
                              ClassLoader l,
                              String name,
                              Class<?> c,
                              ProtectionDomain d,
                              byte[] bytes) {
                            return null;
                          }
                        }),
            context -> serveUndo(context));

    runtime =
        AgentRuntime.startWith(
            jvm,
            "state=" + state + ",jmx=false",
            true,
            List.of(engine),
            AgentRuntime.ComponentStart.AT_FIRST_REQUEST);

    // Its place taken in premain, then left: no class load calls into the agent.
    assertThat(calls).containsExactly("add true", "remove");
    assertThat(runtime.context().transformers().inJvm()).isFalse();
    ControlRequests.send(Path.of(runtime.controlSocket()), new UndoRequest("U7", null));
    assertThat(calls).containsExactly("add true", "remove", "add true");
    assertThat(runtime.context().transformers().inJvm()).isTrue();
  }

  @Test
  void
      start_withNothingToApply_leavesTheJvmsTransformersWithJmxOnToo_theWatchWaitsForTheComponents()
          throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();

    runtime =
        AgentRuntime.startWith(
            recordingTransformers(calls),
            "state=" + state,
            true,
            List.of(component("engine", context -> serveUndo(context))),
            AgentRuntime.ComponentStart.AT_FIRST_REQUEST);

    assertThat(calls).containsExactly("add true", "remove");
    ControlRequests.send(Path.of(runtime.controlSocket()), new UndoRequest("U7", null));
    // The components started: the watch for JMX, in the chain, keeps it in the JVM's list.
    assertThat(calls).containsExactly("add true", "remove", "add true");
    assertThat(runtime.context().transformers().inJvm()).isTrue();
  }

  /** An instrumentation with no class loaded, noting each add and remove of a transformer. */
  private static Instrumentation recordingTransformers(List<String> calls) {
    return (Instrumentation)
        Proxy.newProxyInstance(
            AgentRuntimeTest.class.getClassLoader(),
            new Class<?>[] {Instrumentation.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "addTransformer" -> calls.add("add " + args[1]);
                case "removeTransformer" -> {
                  calls.add("remove");
                  return true;
                }
                case "getAllLoadedClasses" -> {
                  return new Class<?>[0];
                }
                default -> {}
              }
              return method.getReturnType() == boolean.class ? false : null;
            });
  }

  @Test
  void start_besideTheApplication_aComponentThatFailsToPrepareIsNotStarted() throws Exception {
    List<String> started = new CopyOnWriteArrayList<>();
    AgentComponent broken =
        new AgentComponent() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public void prepare(AgentContext context) {
            throw new IllegalStateException("cannot prepare");
          }

          @Override
          public void start(AgentContext context) {
            started.add(name());
          }
        };

    runtime =
        startedBesideTheApplication(broken, component("engine", context -> started.add("engine")));
    runtime.awaitStart();

    assertThat(started).containsExactly("engine");
    JsonObject status = ControlRequests.send(Path.of(runtime.controlSocket()), new StatusRequest());
    assertThat(status.object("components").string("broken"))
        .isEqualTo("failed: java.lang.IllegalStateException: cannot prepare");
  }

  @Test
  void start_runsOnWithoutAComponentThatFails() throws IOException {
    AgentComponent broken =
        component(
            "broken",
            context -> {
              throw new IllegalStateException("cannot start");
            });

    runtime = AgentRuntime.startWith(null, "state=" + state + ",jmx=false", true, List.of(broken));

    JsonObject status = ControlRequests.send(Path.of(runtime.controlSocket()), new StatusRequest());
    assertThat(status.string("startMode")).isEqualTo("premain");
    assertThat(status.object("components").string("broken"))
        .isEqualTo("failed: java.lang.IllegalStateException: cannot start");
  }

  @Test
  void reload_countsTheLoadAndHandsComponentsTheNewOptions() throws IOException {
    List<AgentOptions> changes = new ArrayList<>();
    AgentComponent engine =
        new AgentComponent() {
          @Override
          public String name() {
            return "engine";
          }

          @Override
          public void start(AgentContext context) {}

          @Override
          public void optionsChanged(AgentOptions options) {
            changes.add(options);
          }
        };
    runtime = AgentRuntime.startWith(null, "state=" + state + ",jmx=false", false, List.of(engine));

    runtime.reload("trust=/etc/jsplice/ca.pem,colour=blue");

    assertThat(changes)
        .singleElement()
        .satisfies(o -> assertThat(o.trust()).containsExactly(Path.of("/etc/jsplice/ca.pem")));
    JsonObject status = ControlRequests.send(Path.of(runtime.controlSocket()), new StatusRequest());
    assertThat(status.number("loads")).isEqualTo(2);
    assertThat(status.strings("trust")).containsExactly("/etc/jsplice/ca.pem");
    assertThat(
            Files.readString(
                runtime.context().log().target() == null
                    ? null
                    : Path.of(runtime.context().log().target())))
        .contains("agent loaded again (load 2)", "unknown option 'colour' ignored");
  }

  @Test
  void status_answersWithoutTheUpdatesWhenTheirReportThrows() throws IOException {
    AgentComponent engine =
        component(
            "engine",
            context ->
                context.reportUpdates(
                    () -> {
                      throw new IllegalStateException("half-applied");
                    }));
    runtime = AgentRuntime.startWith(null, "state=" + state + ",jmx=false", false, List.of(engine));

    JsonObject status = ControlRequests.send(Path.of(runtime.controlSocket()), new StatusRequest());

    assertThat(status.bool("ok", false)).isTrue();
    assertThat(status.has("updates")).isFalse();
    assertThat(Files.readString(Path.of(runtime.context().log().target())))
        .contains("half-applied");
  }

  @Test
  void controlException_reachesTheClientWithItsCause() throws IOException {
    AgentComponent engine =
        component(
            "engine",
            context ->
                context
                    .controlOps()
                    .register(
                        Op.UNDO,
                        UndoRequest.class,
                        call -> {
                          throw new FailureException(
                              FailureCause.DEPENDENCY, "U2 depends on U1; undo U2 first");
                        }));
    runtime = AgentRuntime.startWith(null, "state=" + state + ",jmx=false", false, List.of(engine));

    JsonObject reply =
        ControlRequests.send(Path.of(runtime.controlSocket()), new UndoRequest("U1", null));

    assertThat(reply.string("cause")).isEqualTo("DEPENDENCY");
    assertThat(reply.string("message")).isEqualTo("U2 depends on U1; undo U2 first");
  }

  @Test
  void reload_opensTheControlChannelAgainIfItIsClosed() throws IOException {
    runtime = AgentRuntime.startWith(null, "state=" + state + ",jmx=false", false, List.of());
    runtime.shutdown();
    assertThat(runtime.controlSocket()).isNull();

    runtime.reload("");

    JsonObject status = ControlRequests.send(Path.of(runtime.controlSocket()), new StatusRequest());
    assertThat(status.number("loads")).isEqualTo(2);
  }

  @Test
  void shutdown_removesTheSocket() {
    runtime = AgentRuntime.startWith(null, "state=" + state + ",jmx=false", false, List.of());
    Path socket = Path.of(runtime.controlSocket());
    assertThat(socket).exists();

    runtime.shutdown();

    assertThat(socket).doesNotExist();
    assertThat(runtime.controlSocket()).isNull();
  }

  /** What an engine would serve: an undo that says it undid the update named. */
  private static void serveUndo(AgentContext context) {
    context
        .controlOps()
        .register(
            Op.UNDO,
            UndoRequest.class,
            call -> new UndoReply(call.request().id(), List.of(), null));
  }

  private interface Start {
    void start(AgentContext context) throws Exception;
  }

  /** A component that runs {@code prepare} when it is prepared and {@code start} when started. */
  private static AgentComponent component(String name, Start prepare, Start start) {
    return new AgentComponent() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void prepare(AgentContext context) throws Exception {
        prepare.start(context);
      }

      @Override
      public void start(AgentContext context) throws Exception {
        start.start(context);
      }
    };
  }

  private static AgentComponent component(String name, Start start) {
    return component(name, context -> {}, start);
  }

  /** A runtime as premain starts it with recorded updates: its components on a thread of theirs. */
  private AgentRuntime startedBesideTheApplication(AgentComponent... components) {
    return AgentRuntime.startWith(
        null,
        "state=" + state + ",jmx=false",
        true,
        List.of(components),
        AgentRuntime.ComponentStart.BESIDE_THE_APPLICATION);
  }
}

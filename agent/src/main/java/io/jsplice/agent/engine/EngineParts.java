package io.jsplice.agent.engine;

import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlHandler;
import io.jsplice.agent.jmx.AppliedUpdates;
import io.jsplice.agent.log.AgentLog;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.ApplyRequest;
import io.jsplice.protocol.message.EffectiveVersion;
import io.jsplice.protocol.message.ShowReply;
import io.jsplice.protocol.message.ShowRequest;
import io.jsplice.protocol.message.UndoReply;
import io.jsplice.protocol.message.UndoRequest;
import io.jsplice.protocol.message.UpdatesSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What {@link EngineComponent} hands the rest of the agent when it starts (the ops' handlers, the
 * feeds of the status, JMX and inventory), as named classes rather than lambdas: the component
 * starts on the way to a cold apply's request, which waits for the apply op to be registered, and
 * in a JVM the agent was just attached to each lambda's class is spun at its first use (a dozen,
 * milliseconds of CPU each on JDK 25).
 */
final class EngineParts {
  private EngineParts() {}

  /** The engine's log lines, to the agent's log at INFO. */
  static final class LogInfo implements Consumer<String> {
    private final AgentLog log;

    LogInfo(AgentLog log) {
      this.log = log;
    }

    @Override
    public void accept(String message) {
      log.info(message);
    }
  }

  static final class ApplyHandler implements ControlHandler<ApplyRequest, ApplyReply> {
    private final EngineComponent component;

    ApplyHandler(EngineComponent component) {
      this.component = component;
    }

    @Override
    public ApplyReply handle(ControlCall<ApplyRequest> call) throws FailureException {
      return component.apply(call);
    }
  }

  static final class UndoHandler implements ControlHandler<UndoRequest, UndoReply> {
    private final EngineComponent component;

    UndoHandler(EngineComponent component) {
      this.component = component;
    }

    @Override
    public UndoReply handle(ControlCall<UndoRequest> call) throws FailureException {
      return component.undo(call);
    }
  }

  static final class ShowHandler implements ControlHandler<ShowRequest, ShowReply> {
    private final EngineComponent component;
    private final Engine engine;

    ShowHandler(EngineComponent component, Engine engine) {
      this.component = component;
      this.engine = engine;
    }

    @Override
    public ShowReply handle(ControlCall<ShowRequest> call) {
      return component.show(engine);
    }
  }

  /** The applied updates' ids, oldest first: for the inventory and for JMX. */
  static final class AppliedIds implements Supplier<List<String>>, AppliedUpdates {
    private final Engine engine;

    AppliedIds(Engine engine) {
      this.engine = engine;
    }

    @Override
    public List<String> get() {
      List<String> ids = new ArrayList<>();
      for (AppliedUpdate a : engine.applied()) {
        ids.add(a.id());
      }
      return List.copyOf(ids);
    }

    @Override
    public List<String> ids() {
      return get();
    }
  }

  /** The applied updates, oldest first: for {@code verify}. */
  static final class AppliedPackages implements Supplier<List<UpdatePackage>> {
    private final Engine engine;

    AppliedPackages(Engine engine) {
      this.engine = engine;
    }

    @Override
    public List<UpdatePackage> get() {
      List<UpdatePackage> updates = new ArrayList<>();
      for (AppliedUpdate a : engine.applied()) {
        updates.add(a.update());
      }
      return List.copyOf(updates);
    }
  }

  static final class EffectiveVersions implements Supplier<List<EffectiveVersion>> {
    private final Engine engine;

    EffectiveVersions(Engine engine) {
      this.engine = engine;
    }

    @Override
    public List<EffectiveVersion> get() {
      return Reports.effectiveVersions(engine);
    }
  }

  /** The {@code updates} part of the status reply. */
  static final class Summary implements Supplier<UpdatesSummary> {
    private final Engine engine;

    Summary(Engine engine) {
      this.engine = engine;
    }

    @Override
    public UpdatesSummary get() {
      return Reports.summary(engine);
    }
  }
}

package io.jsplice.agent.control;

import io.jsplice.agent.log.AgentLog;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.channel.FrameChannel;
import io.jsplice.protocol.channel.Message;
import java.io.IOException;
import java.time.Duration;

/**
 * The heartbeats of one request that asked for them ({@link ControlProtocol#beatInterval}): while
 * its op runs on the control thread, a thread of its own writes {@link
 * ControlProtocol#encodeWorking} to the connection every interval. {@link #close} stops it and
 * waits for a heartbeat being written, so that the reply never interleaves with one.
 *
 * <p>A heartbeat says only that the agent is alive, not that the op progresses: the client bounds
 * the whole wait separately. A write that fails (the client left) ends the heartbeats; the op runs
 * on and its reply is dropped as any reply to a gone client is.
 */
final class Heartbeat implements AutoCloseable {
  static final String THREAD_NAME = "jsplice-control-beat";

  private static final Heartbeat NONE = new Heartbeat(null, null, null, null);

  private final FrameChannel frames;
  private final Duration interval;
  private final Duration ioTimeout;
  private final AgentLog log;
  private final Object lock = new Object();
  private boolean stopped; // guarded by lock

  private Heartbeat(FrameChannel frames, Duration interval, Duration ioTimeout, AgentLog log) {
    this.frames = frames;
    this.interval = interval;
    this.ioTimeout = ioTimeout;
    this.log = log;
  }

  /** Starts beating on {@code frames} every {@code interval}; nothing when it is null. */
  static Heartbeat start(FrameChannel frames, Duration interval, Duration ioTimeout, AgentLog log) {
    if (interval == null) {
      return NONE;
    }
    Heartbeat heartbeat = new Heartbeat(frames, interval, ioTimeout, log);
    Thread thread = new Thread(new Beats(heartbeat), THREAD_NAME);
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      log.warn("no heartbeats for this request: " + e);
      return NONE;
    }
    return heartbeat;
  }

  /**
   * The heartbeat thread's task. Not a method reference: it starts before a first apply's op runs,
   * in a JVM the agent was just attached to, where each lambda's class is spun at its first use.
   */
  private static final class Beats implements Runnable {
    private final Heartbeat heartbeat;

    Beats(Heartbeat heartbeat) {
      this.heartbeat = heartbeat;
    }

    @Override
    public void run() {
      heartbeat.beat();
    }
  }

  private void beat() {
    synchronized (lock) {
      while (!stopped) {
        try {
          lock.wait(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        if (stopped) {
          return;
        }
        try {
          frames.write(Message.of(ControlProtocol.encodeWorking()), ioTimeout);
        } catch (IOException e) {
          log.warn("stopped the heartbeats of a control request: " + e.getMessage());
          return;
        }
      }
    }
  }

  /** Stops the heartbeats; after it returns, none is being written or will be. */
  @Override
  public void close() {
    if (this == NONE) {
      return;
    }
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
    // The lock was free, so no heartbeat is being written; the thread only has to leave.
  }
}

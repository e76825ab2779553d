package io.jsplice.agent.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's process id, read where it costs least while the agent starts: {@code /proc/self} is a
 * link named by it. {@code ProcessHandle.current()} would start the JDK's process machinery (its
 * reaper thread pool, about 40 classes) on the JVM's main thread before the application's {@code
 * main}, for one number.
 */
public final class ThisProcess {
  private static final long PID = read();

  private ThisProcess() {}

  /** This process's id. */
  public static long pid() {
    return PID;
  }

  private static long read() {
    try {
      return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
    } catch (IOException | RuntimeException notLinux) {
      return ProcessHandle.current().pid();
    }
  }
}

package io.jsplice.agent.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether any thread is executing code an update replaces (Ksplice's stack check).
 *
 * <p>The JVM itself keeps a frame that is inside a replaced method running the old code until it
 * returns; that is safe, but a thread inside the vulnerable code would stay vulnerable. So the
 * engine retries while threads leave the code, and otherwise refuses and names them. Stack traces
 * name methods without descriptors, so all overloads of a replaced method's name count: a false
 * "busy" is possible, a missed one is not.
 *
 * <p>A replaced method that is a thread's outermost application frame (a worker's run loop, a main
 * method) may never return: such frames are flagged, since retrying cannot help.
 */
final class QuiescenceCheck {
  private QuiescenceCheck() {}

  /**
   * A thread frame inside replaced code.
   *
   * @param outermost whether it is the thread's outermost frame outside the JDK: it may never
   *     return
   */
  record BusyFrame(String thread, String className, String method, int line, boolean outermost) {
    String describe() {
      return "thread \""
          + thread
          + "\" in "
          + className
          + "."
          + method
          + (line > 0 ? ":" + line : "")
          + (outermost ? " (its outermost frame: it may never return)" : "");
    }
  }

  /**
   * The frames of all threads but the current one that are inside replaced methods.
   *
   * @param replaced binary class name to the names of its replaced methods
   */
  static List<BusyFrame> busyFrames(Map<String, Set<String>> replaced) {
    List<BusyFrame> busy = new ArrayList<>();
    Thread self = Thread.currentThread();
    for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
      if (entry.getKey() == self) {
        continue;
      }
      StackTraceElement[] frames = entry.getValue();
      int outermost = outermostApplicationFrame(frames);
      for (int i = 0; i < frames.length; i++) {
        StackTraceElement frame = frames[i];
        Set<String> methods = replaced.get(frame.getClassName());
        if (methods != null && methods.contains(frame.getMethodName())) {
          busy.add(
              new BusyFrame(
                  entry.getKey().getName(),
                  frame.getClassName(),
                  frame.getMethodName(),
                  frame.getLineNumber(),
                  i == outermost));
        }
      }
    }
    return busy;
  }

  /** The index of the deepest frame not in the JDK (stack traces list the top frame first). */
  static int outermostApplicationFrame(StackTraceElement[] frames) {
    for (int i = frames.length - 1; i >= 0; i--) {
      String module = frames[i].getModuleName();
      if (module == null || !(module.startsWith("java.") || module.startsWith("jdk."))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Checks, retrying with doubling delays while threads are busy.
   *
   * @return the busy frames of the last attempt; empty when the code is quiescent
   */
  static List<BusyFrame> awaitQuiescence(
      Map<String, Set<String>> replaced, int retries, long firstDelayMillis)
      throws InterruptedException {
    long delay = firstDelayMillis;
    List<BusyFrame> busy = busyFrames(replaced);
    for (int attempt = 0; attempt < retries && !busy.isEmpty(); attempt++) {
      if (busy.stream().allMatch(BusyFrame::outermost)) {
        break; // waiting cannot help
      }
      Thread.sleep(delay);
      delay = Math.min(delay * 2, 2_000);
      busy = busyFrames(replaced);
    }
    return busy;
  }
}

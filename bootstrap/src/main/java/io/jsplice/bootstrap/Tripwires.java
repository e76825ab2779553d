package io.jsplice.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exploit tripwires: patched code calls {@link #hit} where the fixed code rejects input that the
 * vulnerable code would have accepted (a throw the fixed release added, for instance), so that an
 * exploit attempt against a patched JVM is recorded. The agent reads what was recorded ({@link
 * #since}) and hands it to its clients; nothing here does I/O.
 *
 * <p>It runs on the application's own threads, on the rejecting path only, so it must cost little
 * and never fail: at most {@value #PER_SECOND} hits are recorded per second (the rest are only
 * counted), the newest {@value #CAPACITY} are kept, the detail is cut to {@value #DETAIL}
 * characters with control characters replaced, and any failure is swallowed. One copy per JVM: this
 * class is loaded by the system class loader.
 *
 * <p>Thread-safe.
 */
public final class Tripwires {
  static final int PER_SECOND = 20;
  static final int CAPACITY = 256;
  static final int DETAIL = 160;

  /**
   * One recorded hit.
   *
   * @param seq increasing, from 1
   * @param atMillis when, epoch milliseconds
   * @param updateId the update whose code fired
   * @param cve the CVE it fixes; may be null
   * @param site {@code class.method}
   * @param detail the rejected input, described briefly; never null
   * @param thread the thread it fired on
   */
  public record Hit(
      long seq,
      long atMillis,
      String updateId,
      String cve,
      String site,
      String detail,
      String thread) {}

  private static final Hit[] RING = new Hit[CAPACITY];
  private static final AtomicLong SUPPRESSED = new AtomicLong();
  private static long next = 1; // guarded by RING
  private static long windowSecond; // guarded by RING
  private static int inWindow; // guarded by RING

  private Tripwires() {}

  /**
   * Records that patched code rejected an input: called by an update's installed code, just before
   * it throws {@code rejection}. Never throws, and returns at once when over the rate.
   *
   * @param rejection what the fixed code throws; its message is the detail; may be null
   */
  public static void hit(Throwable rejection, String updateId, String cve, String site) {
    hit(rejection, updateId, cve, site, System.currentTimeMillis());
  }

  /** {@link #hit} at {@code now} (epoch milliseconds): tests give their own clock. */
  static void hit(Throwable rejection, String updateId, String cve, String site, long now) {
    try {
      long second = now / 1000;
      synchronized (RING) {
        if (second != windowSecond) {
          windowSecond = second;
          inWindow = 0;
        }
        if (++inWindow > PER_SECOND) {
          SUPPRESSED.incrementAndGet();
          return;
        }
      }
      String detail = describe(rejection);
      String thread = Thread.currentThread().getName();
      synchronized (RING) {
        long seq = next++;
        int slot = (int) (seq % CAPACITY);
        if (RING[slot] != null) {
          SUPPRESSED.incrementAndGet(); // the oldest, overwritten before anyone read it
        }
        RING[slot] = new Hit(seq, now, updateId, cve, site, detail, sanitize(thread, 64));
      }
    } catch (Throwable ignored) {
      // never into the application's thread: a tripwire is worth less than its caller
    }
  }

  /** The hits with a sequence number above {@code after}, oldest first. */
  public static List<Hit> since(long after) {
    List<Hit> out = new ArrayList<>();
    synchronized (RING) {
      long first = Math.max(after + 1, next - CAPACITY);
      for (long seq = first; seq < next; seq++) {
        Hit hit = RING[(int) (seq % CAPACITY)];
        if (hit != null && hit.seq() == seq) {
          out.add(hit);
        }
      }
    }
    return out;
  }

  /** The sequence number the next hit will get, less one. */
  public static long last() {
    synchronized (RING) {
      return next - 1;
    }
  }

  /** Hits not recorded: over the rate, or overwritten while the buffer was full. */
  public static long suppressed() {
    return SUPPRESSED.get();
  }

  private static String describe(Throwable rejection) {
    if (rejection == null) {
      return "";
    }
    String message;
    try {
      message = rejection.getMessage();
    } catch (Throwable e) {
      message = null;
    }
    String type = rejection.getClass().getSimpleName();
    return sanitize(message == null ? type : type + ": " + message, DETAIL);
  }

  /** {@code text} cut to {@code max} characters, with control and format characters as '?'. */
  static String sanitize(String text, int max) {
    int length = Math.min(text.length(), max);
    StringBuilder out = new StringBuilder(length + 1);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      boolean unsafe =
          Character.isISOControl(c)
              || type == Character.FORMAT
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR
              || Character.isSurrogate(c);
      out.append(unsafe ? '?' : c);
    }
    if (text.length() > max) {
      out.append('…');
    }
    return out.toString();
  }
}

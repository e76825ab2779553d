package io.jsplice.fleet.daemon.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How far the daemon has read each JVM's tripwire hits ({@code STATE/tripwires.json}), so that a
 * restarted daemon neither loses nor repeats an exploit attempt. The events it makes of them have
 * ids derived from the JVM and the hit's sequence number, so a hit read twice is still stored once.
 *
 * @param marks by JVM key
 */
public record TripwireMarks(Map<String, Mark> marks) {
  public static final String FILE = "tripwires.json";

  /**
   * @param after the last hit's sequence number read
   * @param suppressed the agent's count of hits not recorded, as last read
   */
  public record Mark(long after, long suppressed) {}

  public TripwireMarks {
    marks = new LinkedHashMap<>(marks == null ? Map.of() : marks);
  }

  public static TripwireMarks empty() {
    return new TripwireMarks(Map.of());
  }

  public Mark get(String jvmKey) {
    return marks.getOrDefault(jvmKey, new Mark(0, 0));
  }

  public void put(String jvmKey, Mark mark) {
    marks.put(jvmKey, mark);
  }

  /** Forgets the JVMs that are gone. */
  public void retain(Set<String> live) {
    marks.keySet().retainAll(live);
  }
}

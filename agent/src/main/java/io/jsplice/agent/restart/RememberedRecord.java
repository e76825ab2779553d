package io.jsplice.agent.restart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code premain} took from the service record at an earlier start ({@link
 * RecordAtStart.Entry}, one per recorded update), with the record's exact bytes it took them from:
 * a start whose record holds the same bytes, compared byte for byte, takes the same entries without
 * parsing the JSON (its parser's classes and its run, interpreted this early, were about 4.5 ms of
 * the main thread at each start the reapplication cache serves). A record that differs in any byte,
 * or was read by another agent (which may read a record otherwise), is parsed as without it.
 *
 * <p>Kept beside the {@link ReapplyCache} in {@code STATE/SERVICE/reapply-cache/record}, believed
 * as {@link OwnerOnlyDirectory} says: a first line {@code jsplice record entries 1 LENGTH}, the
 * record's LENGTH bytes as they were, then {@code agent IDENTITY}, {@code service NAME} and, per
 * recorded update, in order, {@code entry ID SHA256 FILE} followed by a {@code class NAME} line for
 * each of its classes. One file written atomically: the bytes and the entries always come from one
 * reading. Older agents, which do not know the file, ignore it; a state directory without it (or
 * with one in another format) parses the record, as before, and writes it.
 */
final class RememberedRecord {
  static final String FILE = "record";
  private static final String FORMAT = "jsplice record entries 1 ";

  private RememberedRecord() {}

  /**
   * The entries remembered for {@code record}, the record's bytes as read now, if {@code kept} (the
   * file's bytes; null if there is none) holds exactly these bytes and was written by the agent
   * {@code agent} identifies for service {@code service}; null otherwise. Never throws.
   */
  static List<RecordAtStart.Entry> entries(
      byte[] kept, byte[] record, String agent, String service) {
    try {
      return parse(kept, record, agent, service);
    } catch (RuntimeException corrupt) {
      return null;
    }
  }

  private static List<RecordAtStart.Entry> parse(
      byte[] kept, byte[] record, String agent, String service) {
    if (kept == null || record == null) {
      return null;
    }
    int firstLineEnd = -1;
    for (int i = 0; i < Math.min(kept.length, FORMAT.length() + 12); i++) {
      if (kept[i] == '\n') {
        firstLineEnd = i;
        break;
      }
    }
    if (firstLineEnd < 0) {
      return null;
    }
    String first = new String(kept, 0, firstLineEnd, StandardCharsets.UTF_8);
    if (!first.startsWith(FORMAT)) {
      return null;
    }
    int length = Integer.parseInt(first.substring(FORMAT.length()));
    int start = firstLineEnd + 1;
    // Compared whole, not by digest: Arrays.equals runs eight bytes a step even interpreted.
    if (length != record.length
        || start + length > kept.length
        || !Arrays.equals(kept, start, start + length, record, 0, record.length)) {
      return null;
    }
    List<String> lines =
        ReapplyCache.lines(
            new String(kept, start + length, kept.length - start - length, StandardCharsets.UTF_8));
    if (lines.size() < 2
        || !lines.get(0).equals("agent " + agent)
        || !lines.get(1).equals("service " + service)) {
      return null;
    }
    List<RecordAtStart.Entry> entries = new ArrayList<>();
    String id = null;
    String sha256 = null;
    String file = null;
    List<String> classes = new ArrayList<>();
    for (int i = 2; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("entry ")) {
        if (id != null) {
          entries.add(new RecordAtStart.Entry(id, file, sha256, List.copyOf(classes)));
        }
        String[] parts = line.split(" ", 4);
        if (parts.length != 4
            || !RecordAtStart.isId(parts[1])
            || !ReapplyCache.isSha256(parts[2])) {
          return null;
        }
        id = parts[1];
        sha256 = parts[2];
        file = parts[3];
        classes = new ArrayList<>();
      } else if (line.startsWith("class ") && id != null) {
        classes.add(line.substring("class ".length()));
      } else {
        return null;
      }
    }
    if (id != null) {
      entries.add(new RecordAtStart.Entry(id, file, sha256, List.copyOf(classes)));
    }
    return List.copyOf(entries);
  }

  /**
   * The file that remembers {@code entries} for the record's bytes {@code record} of service {@code
   * service}, read by the agent {@code agent} identifies; null if they cannot be written as lines
   * (a line break in a name).
   */
  static byte[] of(byte[] record, List<RecordAtStart.Entry> entries, String agent, String service) {
    StringBuilder tail = new StringBuilder();
    tail.append("agent ").append(agent).append('\n');
    tail.append("service ").append(service).append('\n');
    for (RecordAtStart.Entry entry : entries) {
      tail.append("entry ")
          .append(entry.id())
          .append(' ')
          .append(entry.sha256())
          .append(' ')
          .append(entry.file())
          .append('\n');
      for (String name : entry.classes()) {
        tail.append("class ").append(name).append('\n');
      }
    }
    if (hasLineBreak(agent) || hasLineBreak(service) || !writableAsLines(entries)) {
      return null;
    }
    byte[] head = (FORMAT + record.length + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] rest = tail.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(head, head.length + record.length + rest.length);
    System.arraycopy(record, 0, out, head.length, record.length);
    System.arraycopy(rest, 0, out, head.length + record.length, rest.length);
    return out;
  }

  private static boolean writableAsLines(List<RecordAtStart.Entry> entries) {
    for (RecordAtStart.Entry entry : entries) {
      if (hasLineBreak(entry.file()) || entry.file().isEmpty()) {
        return false;
      }
      for (String name : entry.classes()) {
        if (hasLineBreak(name)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean hasLineBreak(String text) {
    return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
  }
}

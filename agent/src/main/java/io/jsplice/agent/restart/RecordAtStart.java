package io.jsplice.agent.restart;

import io.jsplice.model.json.IsoInstant;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.CorruptRecordException;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service record as {@code premain} reads it: the bytes of {@code applied.json}, read once, and
 * what {@code premain} needs of each recorded update (its id, file, SHA-256 and classes), taken
 * from the parsed JSON directly, or, if an earlier start remembered them for exactly these bytes
 * ({@link RememberedRecord}), from what it remembered, without parsing. The whole {@link
 * ServiceRecord} (the JSON codec's reflective reading, {@code java.time}'s parser for each {@code
 * appliedAt}, the records' own checks) is made from the same text only when the engine needs it
 * ({@link #full}), off the JVM's main thread.
 *
 * <p>The direct reading takes a record only when the codec would read it the same: the fields it
 * knows, of the types the codec expects, an id, file, SHA-256 and {@code appliedAt} that the
 * record's own checks and {@code Instant.parse} accept (checked here by hand, in a narrower form
 * than theirs). Any other text is read by the codec at once, in {@code premain}, as before; so
 * {@link #full} never fails for a record {@code premain} took.
 */
final class RecordAtStart {
  /** What {@code premain} needs of one recorded update. */
  record Entry(String id, String file, String sha256, List<String> classes) {}

  private final ServiceRecordStore store;
  private final byte[] bytes; // the record file's; null if there is none
  private final List<Entry> entries;
  private final boolean remembered; // entries taken from a RememberedRecord
  private ServiceRecord full; // guarded by this; null until needed

  private RecordAtStart(
      ServiceRecordStore store,
      byte[] bytes,
      List<Entry> entries,
      boolean remembered,
      ServiceRecord full) {
    this.store = store;
    this.bytes = bytes;
    this.entries = entries;
    this.remembered = remembered;
    this.full = full;
  }

  /**
   * Reads the record of {@code store}; an empty one if the service has none yet.
   *
   * @throws CorruptRecordException if the file is not a record (as {@link ServiceRecordStore#read}
   *     says)
   * @throws IOException if it cannot be read
   */
  static RecordAtStart read(ServiceRecordStore store) throws IOException {
    return read(store, null);
  }

  /**
   * As {@link #read(ServiceRecordStore)}, taking the entries without parsing the record if {@code
   * cache} (null: none) holds a {@link RememberedRecord} of its exact bytes.
   */
  static RecordAtStart read(ServiceRecordStore store, OwnerOnlyDirectory cache) throws IOException {
    byte[] bytes = store.readBytes();
    if (bytes == null) {
      ServiceRecord empty = ServiceRecord.empty(store.service());
      return new RecordAtStart(store, null, List.of(), false, empty);
    }
    if (cache != null) {
      List<Entry> remembered =
          RememberedRecord.entries(
              cache.readBytes(RememberedRecord.FILE),
              bytes,
              ReapplyCache.agentIdentity(),
              store.service());
      if (remembered != null) {
        return new RecordAtStart(store, bytes, remembered, true, null);
      }
    }
    String text = store.text(bytes);
    List<Entry> entries = null;
    try {
      entries = entries(JsonObject.parse(text).asMap(), store.service());
    } catch (JsonException | ClassCastException e) {
      entries = null; // the codec says what is wrong with it
    }
    if (entries != null) {
      return new RecordAtStart(store, bytes, entries, false, null);
    }
    ServiceRecord record = store.parse(text);
    List<Entry> read = new ArrayList<>(record.updates().size());
    for (var entry : record.updates()) {
      read.add(new Entry(entry.id(), entry.file(), entry.sha256(), entry.classes()));
    }
    return new RecordAtStart(store, bytes, List.copyOf(read), false, record);
  }

  /** The recorded updates, in the record's order. */
  List<Entry> entries() {
    return entries;
  }

  /**
   * Writes a {@link RememberedRecord} of these entries to {@code cache}, unless they were taken
   * from one or there is no record: the next start whose record holds the same bytes then takes
   * them without parsing it. Best effort.
   */
  void remember(OwnerOnlyDirectory cache) {
    if (remembered || bytes == null) {
      return;
    }
    byte[] file =
        RememberedRecord.of(bytes, entries, ReapplyCache.agentIdentity(), store.service());
    if (file != null) {
      cache.writeBytes(RememberedRecord.FILE, file);
    }
  }

  /** Whether the entries were taken from a {@link RememberedRecord}, the record not parsed. */
  boolean remembered() {
    return remembered;
  }

  /** {@code STATE/SERVICE/FILE} of a recorded update. */
  Path fileOf(Entry entry) {
    return store.directory().resolve(entry.file());
  }

  /** The whole record, as {@link ServiceRecordStore#read} reads the same text. */
  synchronized ServiceRecord full() throws IOException {
    if (full == null) {
      full = store.parse(store.text(bytes));
    }
    return full;
  }

  /**
   * The entries of a record of {@code service} in its parsed JSON form, as the codec would read
   * them (an id listed twice keeps its place and its last entry); null for anything this reading
   * does not vouch for.
   */
  static List<Entry> entries(Map<String, Object> json, String service) {
    if (!(json.get("format") instanceof Long format)
        || format != ServiceRecord.FORMAT
        || !service.equals(json.get("service"))
        || !(json.get("updates") instanceof List<?> updates)) {
      return null;
    }
    Map<String, Entry> byId = new LinkedHashMap<>();
    for (Object item : updates) {
      if (!(item instanceof Map<?, ?> update)) {
        return null;
      }
      Entry entry = entry(update);
      if (entry == null) {
        return null;
      }
      byId.put(entry.id(), entry);
    }
    return List.copyOf(byId.values());
  }

  private static Entry entry(Map<?, ?> update) {
    if (!(update.get("id") instanceof String id)
        || !(update.get("file") instanceof String file)
        || !(update.get("sha256") instanceof String sha256)
        || !(update.get("appliedAt") instanceof String appliedAt)
        || !(update.get("appliedBy") instanceof String)
        || !(update.get("classes") instanceof List<?> classes)) {
      return null;
    }
    Object acceptedPartial = update.get("acceptedPartial");
    if (acceptedPartial != null && !(acceptedPartial instanceof Boolean)) {
      return null;
    }
    if (!isId(id)
        || file.startsWith("/")
        || file.contains("..")
        || file.contains("\\")
        || !ReapplyCache.isSha256(sha256)
        || !isPlainInstant(appliedAt)) {
      return null;
    }
    List<String> names = new ArrayList<>(classes.size());
    for (Object name : classes) {
      if (!(name instanceof String s)) {
        return null;
      }
      names.add(s);
    }
    return new Entry(id, file, sha256, List.copyOf(names));
  }

  /** An update id as {@code UpdateIds} accepts it: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}. */
  static boolean isId(String id) {
    if (id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code text} is an instant as {@code Instant.toString()} writes one for the years 1970
   * to 9999 ({@code YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z}, a real date, no leap second), which {@code
   * Instant.parse} accepts; false for any other text, which it may accept or not.
   */
  static boolean isPlainInstant(String text) {
    // The year's four digits compare as text.
    return IsoInstant.isCommon(text) && text.compareTo("1970") >= 0;
  }
}

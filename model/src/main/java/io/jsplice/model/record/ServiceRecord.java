package io.jsplice.model.record;

import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.json.RecordCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The updates recorded for one service, oldest first: what a JVM of the service started with the
 * agent applies again, as its classes load. Immutable.
 *
 * <p>The record says what the service should run after a restart: the last apply or undo of an
 * update, in any JVM of the service, decides. Its JSON form ({@code applied.json}):
 *
 * <pre>{@code
 * {"format": 1, "service": "billing",
 *  "updates": [{"id": "CVE-2022-42889", "file": "updates/CVE-2022-42889.jsplice",
 *               "sha256": "...", "appliedAt": "2026-01-31T12:00:00Z", "appliedBy": "ops",
 *               "classes": ["org.apache.commons.text.StringSubstitutor", ...]}]}
 * }</pre>
 *
 * @param service the service's name
 * @param updates in the order they were applied; ids are unique
 */
public record ServiceRecord(String service, List<RecordedUpdate> updates) {
  /** The version of the JSON form this code writes and reads. */
  public static final int FORMAT = 1;

  public ServiceRecord {
    Objects.requireNonNull(service, "service");
    updates = List.copyOf(updates);
    if (updates.stream().map(RecordedUpdate::id).distinct().count() != updates.size()) {
      throw new IllegalArgumentException("the record of " + service + " lists an update twice");
    }
  }

  public static ServiceRecord empty(String service) {
    return new ServiceRecord(service, List.of());
  }

  public Optional<RecordedUpdate> find(String id) {
    return updates.stream().filter(u -> u.id().equals(id)).findFirst();
  }

  /** This record with {@code update} in place of the entry of the same id, or appended. */
  public ServiceRecord with(RecordedUpdate update) {
    List<RecordedUpdate> next = new ArrayList<>(updates);
    int at = indexOf(update.id());
    if (at >= 0) {
      next.set(at, update);
    } else {
      next.add(update);
    }
    return new ServiceRecord(service, next);
  }

  /** This record without the entry of {@code id} (the same record if there is none). */
  public ServiceRecord without(String id) {
    return new ServiceRecord(service, updates.stream().filter(u -> !u.id().equals(id)).toList());
  }

  /**
   * The JSON form as the record file holds it: the format first, then the service and its updates
   * ({@link RecordedUpdate}'s components, in their order).
   */
  record Form(int format, String service, List<RecordedUpdate> updates) {
    Form {
      Objects.requireNonNull(service, "service");
    }
  }

  /** The JSON form. */
  public JsonObject toJson() {
    return RecordCodec.toJson(new Form(FORMAT, service, updates));
  }

  /**
   * Reads the JSON form.
   *
   * @throws CorruptRecordException if it is malformed or of another format
   */
  public static ServiceRecord fromJson(JsonObject json) throws CorruptRecordException {
    try {
      long format = json.number("format");
      if (format != FORMAT) {
        throw new CorruptRecordException(
            "record format " + format + " is not " + FORMAT + "; use the jsplice that wrote it");
      }
      // An id listed twice (a record edited by hand, or merged) keeps its place and its last entry:
      // the rest of the record still counts.
      Form form = RecordCodec.fromJson(json, Form.class, "$");
      Map<String, RecordedUpdate> updates = new LinkedHashMap<>();
      for (RecordedUpdate entry : form.updates()) {
        updates.put(entry.id(), entry);
      }
      return new ServiceRecord(form.service(), new ArrayList<>(updates.values()));
    } catch (JsonException | IllegalArgumentException e) {
      throw new CorruptRecordException("malformed record: " + e.getMessage(), e);
    }
  }

  private int indexOf(String id) {
    for (int i = 0; i < updates.size(); i++) {
      if (updates.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }
}

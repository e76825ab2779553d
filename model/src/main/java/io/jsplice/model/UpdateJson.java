package io.jsplice.model;

import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.json.RecordCodec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The JSON form of an {@link Update}: the descriptor inside an update file and the {@code --json}
 * output of {@code jsplice inspect}, through the {@link RecordCodec}: the update's own records
 * (classes, changes, actions, applicability) are written as they are declared. Decoding validates
 * every field and fails with a {@link JsonException} that names the offending one.
 */
public final class UpdateJson {
  /** Bumped when a reader of the previous format could misread a new file. */
  public static final int FORMAT = 2;

  /**
   * The format of updates without instance actions, which agents of format 1 read right: an agent
   * that ignored instance actions would apply the update and call it in force.
   */
  static final int FORMAT_WITHOUT_INSTANCE_ACTIONS = 1;

  private UpdateJson() {}

  /**
   * The descriptor as the update file holds it: the update's fields in the format's order, the
   * format first. Instance actions and tripwires are left out when there are none, as before they
   * existed, so that such a descriptor is the bytes an earlier jsplice wrote for it.
   */
  record Descriptor(
      int format,
      String id,
      String description,
      List<String> cves,
      List<Artifact> artifacts,
      Instant created,
      List<String> requires,
      Applicability applicability,
      List<ClassUpdate> classes,
      List<StateAction> stateActions,
      List<InstanceAction> instanceActions,
      List<String> hooks,
      List<Tripwire> tripwires) {
    static {
      RecordCodec.declareOmitEmpty(Descriptor.class, "instanceActions", "tripwires");
    }

    Descriptor {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(created, "created");
      Objects.requireNonNull(applicability, "applicability");
    }

    static Descriptor of(Update update) {
      return new Descriptor(
          update.instanceActions().isEmpty() ? FORMAT_WITHOUT_INSTANCE_ACTIONS : FORMAT,
          update.id(),
          update.description(),
          update.cves(),
          update.artifacts(),
          update.created(),
          update.requires(),
          update.applicability(),
          update.classes(),
          update.stateActions(),
          update.instanceActions(),
          update.hooks(),
          update.tripwires());
    }

    Update update() {
      return new Update(
          id,
          description,
          cves,
          artifacts,
          created,
          requires,
          classes,
          stateActions,
          instanceActions,
          hooks,
          applicability,
          tripwires);
    }
  }

  public static JsonObject encode(Update update) {
    return RecordCodec.toJson(Descriptor.of(update));
  }

  /**
   * Reads a descriptor.
   *
   * @throws JsonException if it is of a newer format, or a field is missing, mistyped or invalid;
   *     the message names the field's path
   */
  public static Update decode(JsonObject json) {
    long format = json.number("format");
    if (format > FORMAT) {
      throw new JsonException(
          "update format " + format + " is newer than this jsplice understands (" + FORMAT + ")");
    }
    Descriptor descriptor = RecordCodec.fromJson(json, Descriptor.class, "$");
    try {
      return descriptor.update();
    } catch (IllegalArgumentException invalid) {
      throw new JsonException(invalid.getMessage());
    }
  }
}

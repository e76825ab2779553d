package io.jsplice.model;

import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of an {@link Update}: the descriptor inside an update file and the {@code --json}
 * output of {@code jsplice inspect}. Decoding validates every field and fails with a {@link
 * JsonException} that names the offending one.
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

  public static JsonObject encode(Update update) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "format", update.instanceActions().isEmpty() ? FORMAT_WITHOUT_INSTANCE_ACTIONS : FORMAT);
    out.put("id", update.id());
    out.put("description", update.description());
    out.put("cves", update.cves());
    List<Object> artifacts = new ArrayList<>();
    for (Artifact a : update.artifacts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("groupId", a.groupId());
      m.put("artifactId", a.artifactId());
      m.put("fromVersion", a.fromVersion());
      m.put("toVersion", a.toVersion());
      artifacts.add(m);
    }
    out.put("artifacts", artifacts);
    out.put("created", update.created().toString());
    out.put("requires", update.requires());
    out.put("applicability", encode(update.applicability()));
    List<Object> classes = new ArrayList<>();
    for (ClassUpdate c : update.classes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("status", c.status());
      m.put("preFingerprint", c.preFingerprint());
      m.put("postFingerprint", c.postFingerprint());
      List<Object> changes = new ArrayList<>();
      for (Change change : c.changes()) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("kind", change.kind());
        cm.put("member", change.member());
        cm.put("detail", change.detail());
        changes.add(cm);
      }
      m.put("changes", changes);
      m.put("applicability", encode(c.applicability()));
      classes.add(m);
    }
    out.put("classes", classes);
    List<Object> actions = new ArrayList<>();
    for (StateAction a : update.stateActions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", a.kind());
      m.put("owner", a.owner());
      m.put("field", a.field());
      m.put("source", a.source());
      m.put("reason", a.reason());
      actions.add(m);
    }
    out.put("stateActions", actions);
    if (!update.instanceActions().isEmpty()) {
      List<Object> objects = new ArrayList<>();
      for (InstanceAction a : update.instanceActions()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", a.kind());
        m.put("owner", a.owner());
        m.put("member", a.member());
        m.put("source", a.source());
        m.put("fields", a.fields());
        m.put("reason", a.reason());
        objects.add(m);
      }
      out.put("instanceActions", objects);
    }
    out.put("hooks", update.hooks());
    if (!update.tripwires().isEmpty()) { // absent in updates without them, as before they existed
      List<Object> tripwires = new ArrayList<>();
      for (Tripwire t : update.tripwires()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("className", t.className());
        m.put("method", t.method());
        m.put("signature", t.signature());
        tripwires.add(m);
      }
      out.put("tripwires", tripwires);
    }
    return JsonObject.of(out);
  }

  private static Map<String, Object> encode(Applicability a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", a.verdict());
    m.put("mechanisms", a.mechanisms().stream().sorted().map(Enum::name).toList());
    m.put("notes", a.notes());
    List<Object> stale = new ArrayList<>();
    for (StaleState st : a.stale()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("kind", st.kind());
      sm.put("owner", st.owner());
      sm.put("member", st.member());
      sm.put("reason", st.reason());
      if (st.unless() != null) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("kind", st.unless().kind());
        cm.put("value", st.unless().value());
        sm.put("unless", cm);
      }
      stale.add(sm);
    }
    m.put("stale", stale);
    return m;
  }

  public static Update decode(JsonObject json) {
    long format = json.number("format");
    if (format > FORMAT) {
      throw new JsonException(
          "update format " + format + " is newer than this jsplice understands (" + FORMAT + ")");
    }
    List<Artifact> artifacts = new ArrayList<>();
    for (JsonObject a : json.objects("artifacts")) {
      artifacts.add(
          new Artifact(
              a.optString("groupId"),
              a.string("artifactId"),
              a.optString("fromVersion"),
              a.optString("toVersion")));
    }
    List<ClassUpdate> classes = new ArrayList<>();
    for (JsonObject c : json.objects("classes")) {
      List<Change> changes = new ArrayList<>();
      for (JsonObject change : c.objects("changes")) {
        changes.add(
            new Change(
                enumValue(ChangeKind.class, change, "kind"),
                change.optString("member"),
                change.optString("detail")));
      }
      try {
        classes.add(
            new ClassUpdate(
                c.string("name"),
                enumValue(ClassStatus.class, c, "status"),
                c.optString("preFingerprint"),
                c.optString("postFingerprint"),
                changes,
                decodeApplicability(c.object("applicability"))));
      } catch (NullPointerException missing) {
        throw new JsonException("class entry is incomplete: " + missing.getMessage());
      }
    }
    List<StateAction> actions = new ArrayList<>();
    for (JsonObject a : json.objects("stateActions")) {
      try {
        actions.add(
            new StateAction(
                enumValue(StateAction.Kind.class, a, "kind"),
                a.string("owner"),
                a.string("field"),
                a.optString("source"),
                a.optString("reason")));
      } catch (NullPointerException missing) {
        throw new JsonException("state action is incomplete: " + missing.getMessage());
      }
    }
    List<InstanceAction> objects = new ArrayList<>();
    if (json.has("instanceActions")) { // absent in updates without them
      for (JsonObject a : json.objects("instanceActions")) {
        try {
          objects.add(
              new InstanceAction(
                  enumValue(InstanceAction.Kind.class, a, "kind"),
                  a.string("owner"),
                  a.string("member"),
                  a.optString("source"),
                  a.strings("fields"),
                  a.optString("reason")));
        } catch (NullPointerException missing) {
          throw new JsonException("instance action is incomplete: " + missing.getMessage());
        }
      }
    }
    List<Tripwire> tripwires = new ArrayList<>();
    if (json.has("tripwires")) {
      for (JsonObject t : json.objects("tripwires")) {
        try {
          tripwires.add(
              new Tripwire(t.string("className"), t.string("method"), t.optString("signature")));
        } catch (IllegalArgumentException invalid) {
          throw new JsonException("tripwire: " + invalid.getMessage());
        }
      }
    }
    Instant created;
    try {
      created = Instant.parse(json.string("created"));
    } catch (DateTimeParseException e) {
      throw new JsonException("created is not an ISO-8601 instant: " + json.string("created"));
    }
    try {
      return new Update(
          json.string("id"),
          json.optString("description"),
          json.strings("cves"),
          artifacts,
          created,
          json.strings("requires"),
          classes,
          actions,
          objects,
          json.strings("hooks"),
          decodeApplicability(json.object("applicability")),
          tripwires);
    } catch (IllegalArgumentException invalid) {
      throw new JsonException(invalid.getMessage());
    }
  }

  public static Applicability decodeApplicability(JsonObject json) {
    Set<Mechanism> mechanisms = EnumSet.noneOf(Mechanism.class);
    for (String name : json.strings("mechanisms")) {
      mechanisms.add(enumValue(Mechanism.class, name, "mechanisms"));
    }
    List<StaleState> stale = new ArrayList<>();
    if (json.has("stale")) { // absent in updates built before the list existed
      for (JsonObject st : json.objects("stale")) {
        try {
          stale.add(
              new StaleState(
                  enumValue(StaleState.Kind.class, st, "kind"),
                  st.string("owner"),
                  st.optString("member"),
                  st.optString("reason"),
                  st.has("unless") ? condition(st.object("unless")) : null));
        } catch (NullPointerException missing) {
          throw new JsonException("stale state entry is incomplete: " + missing.getMessage());
        }
      }
    }
    return new Applicability(
        enumValue(Verdict.class, json, "verdict"), mechanisms, json.strings("notes"), stale);
  }

  private static JvmCondition condition(JsonObject json) {
    return new JvmCondition(enumValue(JvmCondition.Kind.class, json, "kind"), json.string("value"));
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, JsonObject json, String key) {
    return enumValue(type, json.string(key), key);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String key) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new JsonException(key + " has an unknown value \"" + name + "\"");
    }
  }
}

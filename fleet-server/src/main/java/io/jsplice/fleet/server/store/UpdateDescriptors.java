package io.jsplice.fleet.server.store;

import io.jsplice.model.Update;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.Verdict;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.UpdateFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Reads the descriptor of an update the server stores. The bytes were verified when they were
 * published ({@link io.jsplice.fleet.server.UpdateVerifier}), so this only parses them; nothing
 * read here is trusted for more than display and counting.
 */
public final class UpdateDescriptors {
  /** {@link #inForce} of an update whose whole fix is in force once applied. */
  public static final String FULL = "FULL";

  /** {@link #inForce} of an update part of whose fix stays out of reach of existing state. */
  public static final String PARTLY = "PARTLY";

  /** {@link #inForce} of an update that cannot be applied live. */
  public static final String NONE = "NONE";

  private UpdateDescriptors() {}

  /**
   * The update descriptor in a signed update file's bytes.
   *
   * @throws IllegalArgumentException when the bytes hold no readable descriptor
   */
  public static Update read(byte[] signedFile) {
    try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(signedFile), false)) {
      for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
        if (entry.getName().equals(UpdateFile.DESCRIPTOR)) {
          String json = new String(jar.readAllBytes(), StandardCharsets.UTF_8);
          return UpdateJson.decode(JsonObject.parse(json));
        }
      }
    } catch (IOException | JsonException e) {
      throw new IllegalArgumentException("unreadable update descriptor: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("the update file holds no " + UpdateFile.DESCRIPTOR);
  }

  /**
   * Whether applying {@code update} puts its whole fix in force, by its own analysis: {@link
   * #FULL}, {@link #PARTLY} (part of the fix lives in state built before the update and the update
   * carries no hook for it) or {@link #NONE} (it cannot be applied live).
   */
  public static String inForce(Update update) {
    Verdict verdict = update.applicability().verdict();
    if (verdict == Verdict.NOT_LIVE) {
      return NONE;
    }
    if (verdict == Verdict.LIVE_NEEDS_HOOK && update.hooks().isEmpty()) {
      return PARTLY;
    }
    return FULL;
  }
}

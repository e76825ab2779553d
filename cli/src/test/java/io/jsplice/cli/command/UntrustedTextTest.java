package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.UpdateJson;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.UpdateFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * Text jsplice did not write (an update's id, what a target JVM says) reaches the terminal with its
 * escape sequences defused (issue 8, item 10). Before, an unsigned file's id was printed raw.
 */
class UntrustedTextTest {
  private static final String ESCAPES = "\u001b]0;owned\u0007\u001b[2J";

  @Test
  void inspect_ofAnUpdateWhoseIdHoldsEscapeSequences_printsThemDefused() throws Exception {
    UpdatePackage real = TinyLibrary.get().build("plain-id", "v1", "v2", List.of());
    JsonObject descriptor = UpdateJson.encode(real.update()).with("id", "evil" + ESCAPES);
    Path file = TinyLibrary.get().writeRaw(jar(descriptor, real), "escapes.jsplice");

    CliRun inspect = CliRun.jsplice("inspect", file);

    String printed = inspect.out() + inspect.err();
    assertThat(printed).as(inspect.toString()).contains("evil\\u001b]0;owned\\u0007\\u001b[2J");
    assertThat(printed.chars().filter(c -> c == 0x1b || c == 0x07)).isEmpty();
  }

  private static byte[] jar(JsonObject descriptor, UpdatePackage update) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
      jar.putNextEntry(new JarEntry(UpdateFile.DESCRIPTOR));
      jar.write(Json.writePretty(descriptor).getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, byte[]> file : update.files().entrySet()) {
        jar.putNextEntry(new JarEntry(UpdateFile.ROOT + file.getKey()));
        jar.write(file.getValue());
      }
    }
    return bytes.toByteArray();
  }
}

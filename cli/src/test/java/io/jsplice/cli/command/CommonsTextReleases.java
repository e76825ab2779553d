package io.jsplice.cli.command;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSetReader;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real releases the restart scenarios run, from Maven Central: commons-text 1.8 and 1.9
 * (vulnerable to Text4Shell, CVE-2022-42889), 1.10.0 (fixed), commons-lang3; and a signed update
 * from 1.9 to 1.10.0, built as {@code jsplice create} builds it. Resolved and built once per test
 * JVM, under {@code target/}.
 *
 * @param text18 commons-text 1.8: vulnerable, and not the code the update was built against
 * @param text19 commons-text 1.9: what the update was built against
 * @param text110 commons-text 1.10.0: the fix
 * @param lang3 commons-lang3, which all three run with
 * @param update the signed update {@value #UPDATE_ID}
 * @param certificate the certificate that signed it, for the agents' {@code trust=}
 */
record CommonsTextReleases(
    Path text18, Path text19, Path text110, Path lang3, Path update, Path certificate) {
  static final String UPDATE_ID = "CVE-2022-42889";
  private static CommonsTextReleases instance;

  static synchronized CommonsTextReleases get() {
    if (instance == null) {
      try {
        instance = build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  private static CommonsTextReleases build() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "restart-releases")).toAbsolutePath();
    try (MavenArtifacts maven =
        new MavenArtifacts(MavenArtifacts.defaultLocalRepository(), false)) {
      Path text18 = maven.resolve(MavenCoordinates.parse("org.apache.commons:commons-text:1.8"));
      Path text19 = maven.resolve(MavenCoordinates.parse("org.apache.commons:commons-text:1.9"));
      Path text110 =
          maven.resolve(MavenCoordinates.parse("org.apache.commons:commons-text:1.10.0"));
      Path lang3 = maven.resolve(MavenCoordinates.parse("org.apache.commons:commons-lang3:3.12.0"));
      Path keyStore = dir.resolve("signing.p12");
      Path certificate = dir.resolve("signing.pem");
      Files.deleteIfExists(keyStore);
      Files.deleteIfExists(certificate);
      char[] password = "restart-scenarios".toCharArray();
      SigningKey key =
          KeyGeneration.generate(keyStore, password, "CN=jsplice restart tests", certificate);
      UpdatePackage update =
          UpdateCreator.create(
                  ClassSetReader.read(text19),
                  ClassSetReader.read(text110),
                  new UpdateCreator.Request(
                      UPDATE_ID,
                      "Text4Shell: no script, dns or url lookups by default",
                      List.of(UPDATE_ID),
                      List.of()))
              .update();
      Path file = dir.resolve(UPDATE_ID + ".jsplice");
      UpdateFile.write(update, key, file);
      return new CommonsTextReleases(text18, text19, text110, lang3, file, certificate);
    }
  }
}

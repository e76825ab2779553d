package io.jsplice.fleet.testkit;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSetReader;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.model.Applicability;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;

/**
 * The real updates the fleet tests publish and apply: commons-text 1.9 to 1.10.0 (Text4Shell,
 * CVE-2022-42889), built from Maven Central's jars as {@code jsplice create} builds it and signed
 * by a trusted test key; the same update signed by another key, unsigned, and altered after
 * signing. Built once per test JVM under {@code target/}.
 *
 * @param commonsText19 the vulnerable release
 * @param commonsText110 the fixed release
 * @param commonsLang3 what both run with
 * @param signed the update, signed by the trusted key
 * @param trustedCertificate that key's certificate
 * @param otherSigner the update signed by a key nobody trusts
 * @param otherCertificate that key's certificate
 * @param unsigned the update, not signed
 * @param tampered the signed update with its descriptor changed afterwards
 */
public record TestUpdates(
    Path commonsText19,
    Path commonsText110,
    Path commonsLang3,
    Path signed,
    Path trustedCertificate,
    Path otherSigner,
    Path otherCertificate,
    Path unsigned,
    Path tampered) {
  public static final String UPDATE_ID = "CVE-2022-42889";
  public static final String GROUP_ID = "org.apache.commons";
  public static final String ARTIFACT_ID = "commons-text";

  private static TestUpdates instance;
  private static SigningKey trustedKey;
  private static Jettison jettison;

  /**
   * A second, independent update for the same JVMs: jettison 1.5.0 to 1.5.1 (CVE-2022-40149, a
   * stack overflow on malformed JSON such as <code>{/</code>), signed by the same trusted key.
   *
   * @param vulnerable jettison 1.5.0
   * @param fixed jettison 1.5.1
   * @param signed the update
   */
  public record Jettison(Path vulnerable, Path fixed, Path signed) {
    public static final String UPDATE_ID = "CVE-2022-40149";
    public static final String GROUP_ID = "org.codehaus.jettison";
    public static final String ARTIFACT_ID = "jettison";
  }

  /** The jettison update, built once per test JVM (after {@link #get}). */
  public static synchronized Jettison jettison() {
    if (jettison == null) {
      get();
      try (MavenArtifacts maven =
          new MavenArtifacts(MavenArtifacts.defaultLocalRepository(), false)) {
        Path vulnerable =
            maven.resolve(MavenCoordinates.parse(Jettison.GROUP_ID + ":jettison:1.5.0"));
        Path fixed = maven.resolve(MavenCoordinates.parse(Jettison.GROUP_ID + ":jettison:1.5.1"));
        UpdatePackage update =
            UpdateCreator.create(
                    ClassSetReader.read(vulnerable),
                    ClassSetReader.read(fixed),
                    new UpdateCreator.Request(
                        Jettison.UPDATE_ID,
                        "Jettison: no stack overflow on malformed JSON",
                        List.of(Jettison.UPDATE_ID),
                        List.of(),
                        null,
                        List.of()))
                .update();
        Path signed = Path.of("target", "fleet-updates", "jettison.jsplice").toAbsolutePath();
        UpdateFile.write(update, trustedKey, signed);
        jettison = new Jettison(vulnerable, fixed, signed);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return jettison;
  }

  /** The id of {@link #jettisonLeavingOut()}'s update. */
  public static final String LEFT_OUT_ID = "CVE-2022-40149-subset";

  private static Path jettisonLeavingOut;

  /**
   * The jettison fix as a live subset that leaves out one class of 1.5.1, signed by the trusted
   * key, with id {@value #LEFT_OUT_ID}: the update {@code jsplice create --live-subset} writes when
   * part of a release cannot change live, which names each class it leaves out in its notes ({@link
   * Update#LEFT_OUT}), and which an agent refuses unless the caller accepts that. The class it
   * names is one 1.5.1 ships and the fix does not change, so the fix is in force once that is
   * accepted.
   */
  public static synchronized Path jettisonLeavingOut() {
    if (jettisonLeavingOut == null) {
      Jettison j = jettison();
      try {
        UpdatePackage whole =
            UpdateCreator.create(
                    ClassSetReader.read(j.vulnerable()),
                    ClassSetReader.read(j.fixed()),
                    new UpdateCreator.Request(
                        LEFT_OUT_ID,
                        "Jettison: no stack overflow on malformed JSON (a live subset)",
                        List.of(Jettison.UPDATE_ID),
                        List.of(),
                        null,
                        List.of()))
                .update();
        Update u = whole.update();
        String unchanged = unchangedClass(j.fixed(), u);
        List<String> notes = new java.util.ArrayList<>(u.applicability().notes());
        notes.add(Update.LEFT_OUT + unchanged + " (left out by the fleet tests' subset)");
        Update subset =
            new Update(
                u.id(),
                u.description(),
                u.cves(),
                u.artifacts(),
                u.created(),
                u.requires(),
                u.classes(),
                u.stateActions(),
                u.instanceActions(),
                u.hooks(),
                new Applicability(
                    u.applicability().verdict(),
                    u.applicability().mechanisms(),
                    notes,
                    u.applicability().stale()),
                u.tripwires());
        Path signed =
            Path.of("target", "fleet-updates", "jettison-subset.jsplice").toAbsolutePath();
        UpdateFile.write(new UpdatePackage(subset, whole.files()), trustedKey, signed);
        jettisonLeavingOut = signed;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return jettisonLeavingOut;
  }

  /** The first class in {@code jar} (dotted name) that {@code update} does not change. */
  private static String unchangedClass(Path jar, Update update) throws IOException {
    java.util.Set<String> changed = new java.util.HashSet<>();
    update.classes().forEach(c -> changed.add(c.name().replace('/', '.')));
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      return file.stream()
          .map(JarEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.contains("module-info") && !n.contains("$"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .filter(n -> !changed.contains(n))
          .sorted()
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(jar + " has no class the fix leaves alone"));
    }
  }

  public static synchronized TestUpdates get() {
    if (instance == null) {
      try {
        instance = build(Files.createDirectories(Path.of("target", "fleet-updates")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  private static TestUpdates build(Path dir) throws Exception {
    dir = dir.toAbsolutePath();
    try (MavenArtifacts maven =
        new MavenArtifacts(MavenArtifacts.defaultLocalRepository(), false)) {
      Path text19 = maven.resolve(MavenCoordinates.parse(GROUP_ID + ":commons-text:1.9"));
      Path text110 = maven.resolve(MavenCoordinates.parse(GROUP_ID + ":commons-text:1.10.0"));
      Path lang3 = maven.resolve(MavenCoordinates.parse(GROUP_ID + ":commons-lang3:3.12.0"));
      UpdatePackage update =
          UpdateCreator.create(
                  ClassSetReader.read(text19),
                  ClassSetReader.read(text110),
                  new UpdateCreator.Request(
                      UPDATE_ID,
                      "Text4Shell: no script, dns or url lookups by default",
                      List.of(UPDATE_ID),
                      List.of(),
                      null,
                      List.of()))
              .update();
      SigningKey trusted = key(dir, "trusted");
      trustedKey = trusted;
      SigningKey other = key(dir, "other");
      Path signed = dir.resolve("signed.jsplice");
      UpdateFile.write(update, trusted, signed);
      Path otherSigned = dir.resolve("other-signer.jsplice");
      UpdateFile.write(update, other, otherSigned);
      Path unsigned = Files.write(dir.resolve("unsigned.jsplice"), UpdateFile.unsignedJar(update));
      Path tampered =
          Files.write(dir.resolve("tampered.jsplice"), tamper(Files.readAllBytes(signed)));
      return new TestUpdates(
          text19,
          text110,
          lang3,
          signed,
          dir.resolve("trusted.pem"),
          otherSigned,
          dir.resolve("other.pem"),
          unsigned,
          tampered);
    }
  }

  private static SigningKey key(Path dir, String name) throws IOException {
    Path store = dir.resolve(name + ".p12");
    Path certificate = dir.resolve(name + ".pem");
    Files.deleteIfExists(store);
    Files.deleteIfExists(certificate);
    return KeyGeneration.generate(
        store, "fleet-tests".toCharArray(), "CN=jsplice fleet tests " + name, certificate);
  }

  /** The signed jar with one byte of its descriptor changed and its signature files kept. */
  private static byte[] tamper(byte[] signed) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(signed), false);
        JarOutputStream out = new JarOutputStream(bytes, in.getManifest())) {
      for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
        byte[] content = readAll(in);
        if (entry.getName().equals(UpdateFile.DESCRIPTOR)) {
          content =
              new String(content, StandardCharsets.UTF_8)
                  .replace("no script", "NO script")
                  .getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new JarEntry(entry.getName()));
        out.write(content);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  public byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

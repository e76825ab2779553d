package io.jsplice.model.signing;

import io.jsplice.model.Update;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSigner;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;

/**
 * The on-disk form of an update: a JAR signed with the JDK's own {@code jarsigner} machinery, whose
 * content is a descriptor ({@value #DESCRIPTOR}) and the class files under {@value #ROOT}.
 *
 * <p>Reading verifies before it parses: every entry must be covered by a valid signature from a
 * trusted key, or the file is rejected with the precise reason. Nothing outside the JDK checks the
 * cryptography.
 */
public final class UpdateFile {
  public static final String ROOT = "jsplice/";
  public static final String DESCRIPTOR = ROOT + "update.json";
  static final String SIGNER_NAME = "JSPLICE";
  static final String MANIFEST_ID = "Jsplice-Update-Id";

  private UpdateFile() {}

  /**
   * Signs {@code update} with {@code key} and writes it to {@code target}, replacing it atomically.
   */
  public static void write(UpdatePackage update, SigningKey key, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path unsigned = Files.createTempFile(dir, ".jsplice-unsigned", ".jar");
    Path signed = Files.createTempFile(dir, ".jsplice-signed", ".jar");
    try {
      Files.write(unsigned, unsignedJar(update));
      JarSigner signer =
          new JarSigner.Builder(key.privateKey(), key.certificates())
              .digestAlgorithm("SHA-256")
              .signerName(SIGNER_NAME)
              .build();
      try (ZipFile zip = new ZipFile(unsigned.toFile());
          OutputStream out = Files.newOutputStream(signed)) {
        signer.sign(zip, out);
      }
      Files.move(
          signed, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot sign with this key: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(unsigned);
      Files.deleteIfExists(signed);
    }
  }

  /** The update as an unsigned JAR; tests use it to prove that unsigned files are refused. */
  public static byte[] unsignedJar(UpdatePackage update) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(new Attributes.Name("Created-By"), "jsplice");
    main.put(new Attributes.Name(MANIFEST_ID), update.update().id());
    long time = update.update().created().toEpochMilli();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
      put(
          jar,
          DESCRIPTOR,
          Json.writePretty(UpdateJson.encode(update.update())).getBytes(StandardCharsets.UTF_8),
          time);
      for (Map.Entry<String, byte[]> file : update.files().entrySet()) {
        put(jar, ROOT + file.getKey(), file.getValue(), time);
      }
    }
    return bytes.toByteArray();
  }

  private static void put(JarOutputStream jar, String name, byte[] content, long time)
      throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setTime(time);
    jar.putNextEntry(entry);
    jar.write(content);
    jar.closeEntry();
  }

  /**
   * Reads and verifies an update file: intact, signed, and signed by a trusted key.
   *
   * @throws CorruptUpdateException the file is unreadable, truncated or malformed
   * @throws UnsignedUpdateException it is not signed
   * @throws TamperedUpdateException content changed or was added after signing
   * @throws UntrustedSignerException signed, but not by a trusted key
   */
  public static UpdatePackage read(Path file, TrustedKeys trusted) throws UpdateRejectedException {
    OpenedUpdate opened = open(file);
    if (opened.signers().isEmpty()) {
      throw new UnsignedUpdateException(
          file, file + " is not signed; sign it with `jsplice sign` or `jsplice create --key`");
    }
    if (opened.signers().stream().noneMatch(c -> trusted.trusts(c.getPublicKey()))) {
      X509Certificate signer = opened.signers().get(0);
      throw new UntrustedSignerException(
          file,
          file
              + " is signed by \""
              + signer.getSubjectX500Principal().getName()
              + "\" (key "
              + TrustedKeys.fingerprint(signer.getPublicKey())
              + "), which is not among the trusted keys in "
              + trusted.source());
    }
    return opened.update();
  }

  /**
   * Reads an update file and checks its integrity, without deciding whom to trust: a signed file
   * must be intact and wholly covered by its signature; an unsigned file is returned with no
   * signers. For {@code jsplice inspect} and {@code jsplice sign}.
   */
  public static OpenedUpdate open(Path file) throws UpdateRejectedException {
    if (!Files.isRegularFile(file)) {
      throw new CorruptUpdateException(file, "no update file at " + file, null);
    }
    Map<String, byte[]> content = new LinkedHashMap<>();
    List<X509Certificate> signers = null; // those covering every entry
    try (JarFile jar = new JarFile(file.toFile(), true)) {
      List<JarEntry> all = java.util.Collections.list(jar.entries());
      boolean signed = hasSignature(all);
      for (JarEntry entry : all) {
        // Reading each entry to its end is what makes JarFile check its digest.
        byte[] bytes = readVerified(jar, entry, file);
        if (entry.isDirectory() || isSignatureFile(entry.getName())) {
          continue;
        }
        CodeSigner[] entrySigners = entry.getCodeSigners();
        if (signed && (entrySigners == null || entrySigners.length == 0)) {
          throw new TamperedUpdateException(
              file,
              file
                  + " was modified after it was signed: "
                  + entry.getName()
                  + " is not covered by its signature",
              null);
        }
        if (signed) {
          List<X509Certificate> certs = new ArrayList<>();
          for (CodeSigner signer : entrySigners) {
            certs.add((X509Certificate) signer.getSignerCertPath().getCertificates().get(0));
          }
          if (signers == null) {
            signers = certs;
          } else {
            signers.retainAll(certs);
          }
        }
        if (entry.getName().startsWith(ROOT)) {
          content.put(entry.getName().substring(ROOT.length()), bytes);
        } else if (!entry.getName().startsWith("META-INF/")) {
          throw new CorruptUpdateException(
              file, file + " holds " + entry.getName() + ", which no update contains", null);
        }
      }
    } catch (ZipException e) {
      throw new CorruptUpdateException(
          file, file + " is not a valid update (damaged or truncated: " + e.getMessage() + ")", e);
    } catch (SecurityException e) {
      throw new TamperedUpdateException(
          file, file + " was modified after it was signed (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new CorruptUpdateException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
    byte[] descriptor = content.remove("update.json");
    if (descriptor == null) {
      throw new CorruptUpdateException(file, file + " holds no " + DESCRIPTOR, null);
    }
    Update update;
    try {
      update = UpdateJson.decode(JsonObject.parse(new String(descriptor, StandardCharsets.UTF_8)));
    } catch (JsonException e) {
      throw new CorruptUpdateException(
          file, file + " has a malformed descriptor: " + e.getMessage(), e);
    }
    return new OpenedUpdate(
        new UpdatePackage(update, content), signers == null ? List.of() : List.copyOf(signers));
  }

  /**
   * An update file whose integrity was checked.
   *
   * @param update its content
   * @param signers the certificates whose signatures cover every entry; empty if unsigned
   */
  public record OpenedUpdate(UpdatePackage update, List<X509Certificate> signers) {}

  private static byte[] readVerified(JarFile jar, JarEntry entry, Path file) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    } catch (ZipException e) {
      throw new ZipException(entry.getName() + ": " + e.getMessage());
    }
  }

  private static boolean hasSignature(List<JarEntry> entries) {
    return entries.stream()
        .map(e -> e.getName().toUpperCase(java.util.Locale.ROOT))
        .anyMatch(n -> n.startsWith("META-INF/") && n.endsWith(".SF"));
  }

  private static boolean isSignatureFile(String name) {
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    if (!upper.startsWith("META-INF/")) {
      return false;
    }
    String rest = upper.substring("META-INF/".length());
    return rest.equals("MANIFEST.MF")
        || (!rest.contains("/")
            && (rest.endsWith(".SF")
                || rest.endsWith(".RSA")
                || rest.endsWith(".DSA")
                || rest.endsWith(".EC")
                || rest.startsWith("SIG-")));
  }
}

package io.jsplice.model.signing;

import io.jsplice.model.UpdateJson;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;

/**
 * The on-disk form of an update: a JAR signed with the JDK's own {@code jarsigner} machinery, whose
 * content is a descriptor ({@value #DESCRIPTOR}) and the class files under {@value #ROOT}.
 *
 * <p>Reading verifies before it parses, and bounds before it inflates ({@link UpdateLimits}): the
 * zip directory is checked first, then the signature and whom it is from, and only then are the
 * entries inflated, each checked against the digest the signed manifest gives it. Every entry must
 * be covered by the signature and every entry the signature covers must be there, or the file is
 * rejected with the precise reason ({@link UpdateReading}). A reader that wants the update only,
 * not its signers' certificates, checks a signature block of the form jsplice writes directly with
 * the JDK's {@link java.security.Signature} on the trusted key ({@link DirectSignature}); any other
 * block, and every refusal, goes through the JDK's own JAR verifier. Nothing outside the JDK does
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
   * Reads and verifies an update file: intact, signed, and signed by a trusted key, within {@link
   * UpdateLimits#DEFAULT}.
   *
   * @throws CorruptUpdateException the file is unreadable, truncated, malformed or too large
   * @throws UnsignedUpdateException it is not signed
   * @throws TamperedUpdateException content changed, was added or was deleted after signing
   * @throws UntrustedSignerException signed, but not by a trusted key
   */
  public static UpdatePackage read(Path file, TrustedKeys trusted) throws UpdateRejectedException {
    return read(file, trusted, UpdateLimits.DEFAULT);
  }

  /** {@link #read(Path, TrustedKeys)} within {@code limits}. */
  public static UpdatePackage read(Path file, TrustedKeys trusted, UpdateLimits limits)
      throws UpdateRejectedException {
    try (ByteSource source = sourceOf(file)) {
      return UpdateReading.readTrusted(source, file, Objects.requireNonNull(trusted), limits);
    } catch (IOException e) {
      throw new CorruptUpdateException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@link #read(Path, TrustedKeys)}, with the trusted signers whose signatures cover the file: for
   * {@code jsplice inspect --trust}.
   */
  public static OpenedUpdate verify(Path file, TrustedKeys trusted, UpdateLimits limits)
      throws UpdateRejectedException {
    try (ByteSource source = sourceOf(file)) {
      return UpdateReading.read(source, file, Objects.requireNonNull(trusted), limits);
    } catch (IOException e) {
      throw new CorruptUpdateException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and verifies an update received as bytes (over the control channel), as {@link
   * #read(Path, TrustedKeys)} does a file. Messages call it {@code shownAs}.
   */
  public static UpdatePackage read(
      byte[] bytes, String shownAs, TrustedKeys trusted, UpdateLimits limits)
      throws UpdateRejectedException {
    try (ByteSource source = ByteSource.of(bytes, shownAs)) {
      return UpdateReading.readTrusted(source, null, Objects.requireNonNull(trusted), limits);
    } catch (IOException e) {
      throw new CorruptUpdateException(null, "cannot read " + shownAs + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an update from a stream, at most {@link UpdateLimits#maxFileBytes()} of it (a longer
   * stream is refused without reading the rest), and verifies it as {@link #read(Path,
   * TrustedKeys)} does a file.
   */
  public static UpdatePackage read(
      InputStream in, String shownAs, TrustedKeys trusted, UpdateLimits limits)
      throws UpdateRejectedException {
    return read(bounded(in, shownAs, limits), shownAs, trusted, limits);
  }

  /**
   * At most {@link UpdateLimits#maxFileBytes()} bytes of {@code in}, or the refusal a larger update
   * gets.
   */
  public static byte[] bounded(InputStream in, String shownAs, UpdateLimits limits)
      throws CorruptUpdateException {
    try {
      byte[] bytes =
          in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileBytes() + 1));
      if (bytes.length > limits.maxFileBytes()) {
        throw new CorruptUpdateException(
            null,
            shownAs
                + " is not a valid update (more than the "
                + limits.maxFileBytes()
                + " bytes an update may have)",
            null);
      }
      return bytes;
    } catch (IOException e) {
      throw new CorruptUpdateException(null, "cannot read " + shownAs + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an update file and checks its integrity, without deciding whom to trust: a signed file
   * must be intact and wholly covered by its signature; an unsigned file is returned with no
   * signers. For {@code jsplice inspect} and {@code jsplice sign}.
   */
  public static OpenedUpdate open(Path file) throws UpdateRejectedException {
    return open(file, UpdateLimits.DEFAULT);
  }

  /** {@link #open(Path)} within {@code limits}. */
  public static OpenedUpdate open(Path file, UpdateLimits limits) throws UpdateRejectedException {
    try (ByteSource source = sourceOf(file)) {
      return UpdateReading.read(source, file, null, limits);
    } catch (IOException e) {
      throw new CorruptUpdateException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@link #open(Path)} for an update received as bytes. */
  public static OpenedUpdate open(byte[] bytes, String shownAs, UpdateLimits limits)
      throws UpdateRejectedException {
    try (ByteSource source = ByteSource.of(bytes, shownAs)) {
      return UpdateReading.read(source, null, null, limits);
    } catch (IOException e) {
      throw new CorruptUpdateException(null, "cannot read " + shownAs + ": " + e.getMessage(), e);
    }
  }

  private static ByteSource sourceOf(Path file) throws UpdateRejectedException {
    if (!Files.isRegularFile(file)) {
      throw new CorruptUpdateException(file, "no update file at " + file, null);
    }
    try {
      return ByteSource.of(file);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new CorruptUpdateException(
          file,
          "cannot read "
              + file
              + ": permission denied for user "
              + System.getProperty("user.name")
              + "; make it readable by that user",
          e);
    } catch (IOException e) {
      throw new CorruptUpdateException(file, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * An update received as bytes that were read in full, signature verified against the trusted
   * keys, before: the caller has just hashed these very bytes and found their SHA-256 in its own
   * owner-only state as the hash of bytes that passed {@link #read(byte[], String, TrustedKeys,
   * UpdateLimits)}. Read as a zip as strictly as that, every entry covered by the signed manifest
   * and none missing; skipped are the signature and certificate checks, the match of each entry
   * against its digest and the check of each class file, which depend on nothing but these bytes
   * and so passed when they did (short of a SHA-256 collision). Never for bytes of unknown
   * provenance, nor for bytes not hashed on the way in.
   *
   * @throws UnsignedUpdateException if the bytes are not signed at all
   */
  public static UpdatePackage readVerifiedBefore(byte[] bytes, String shownAs, UpdateLimits limits)
      throws UpdateRejectedException {
    try (ByteSource source = ByteSource.of(bytes, shownAs)) {
      return UpdateReading.read(source, null, null, limits, true).update();
    } catch (IOException e) {
      throw new CorruptUpdateException(null, "cannot read " + shownAs + ": " + e.getMessage(), e);
    }
  }

  /**
   * An update file whose integrity was checked.
   *
   * @param update its content
   * @param signers the certificates whose signatures cover every entry; empty if unsigned
   */
  public record OpenedUpdate(UpdatePackage update, List<X509Certificate> signers) {}
}

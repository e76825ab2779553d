package io.jsplice.model.signing;

import io.jsplice.model.Printable;
import io.jsplice.model.Update;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One reading of an update file, in the order that keeps an attacker's file cheap to refuse:
 *
 * <ol>
 *   <li>the zip directory, within {@link UpdateLimits} (nothing inflated yet);
 *   <li>the signature: unsigned, or signed by nobody trusted, is told from the manifest, the
 *       signature files and the descriptor alone;
 *   <li>coverage: every entry but the signature's own files is in the signed manifest, and every
 *       entry the manifest lists is in the file (an entry deleted after signing is refused like one
 *       added);
 *   <li>the entries, each inflated within its limit and checked against its digest;
 *   <li>the descriptor, then every class file ({@link UpdateClassFiles}).
 * </ol>
 */
final class UpdateReading {
  private UpdateReading() {}

  /**
   * @param file the file, for the exceptions; null for bytes
   * @param trusted whom to trust; null to check integrity only (an unsigned file then passes)
   */
  static UpdateFile.OpenedUpdate read(
      ByteSource source, Path file, TrustedKeys trusted, UpdateLimits limits)
      throws UpdateRejectedException {
    return read(source, file, trusted, limits, false, true);
  }

  /**
   * {@link #read(ByteSource, Path, TrustedKeys, UpdateLimits)} for a caller that wants the update
   * only, not its signers' certificates: a signature in the form {@code jsplice} writes, by a
   * trusted key, is then checked directly with that key ({@link DirectSignature}), without the
   * JDK's JAR verifier and certificate parser; any other is checked by them as before. The signers
   * are then empty.
   */
  static UpdatePackage readTrusted(
      ByteSource source, Path file, TrustedKeys trusted, UpdateLimits limits)
      throws UpdateRejectedException {
    return read(source, file, Objects.requireNonNull(trusted), limits, false, false).update();
  }

  /**
   * {@link #read(ByteSource, Path, TrustedKeys, UpdateLimits)}, where {@code
   * signatureVerifiedBefore} skips step 2's signature and certificate checks, the match of each
   * entry against its digest in the signed manifest and step 5's check of each class file, for
   * bytes whose SHA-256 equals that of bytes that passed the full read before (the caller knows
   * them by content hash): each of those checks depends on those bytes alone, and hashing every
   * inflated entry and parsing every class again costs a JVM that has just started more than the
   * rest. The file must still be signed, strictly readable and wholly covered by its manifest (no
   * entry added or deleted). The signers are then empty.
   */
  static UpdateFile.OpenedUpdate read(
      ByteSource source,
      Path file,
      TrustedKeys trusted,
      UpdateLimits limits,
      boolean signatureVerifiedBefore)
      throws UpdateRejectedException {
    return read(source, file, trusted, limits, signatureVerifiedBefore, true);
  }

  private static UpdateFile.OpenedUpdate read(
      ByteSource source,
      Path file,
      TrustedKeys trusted,
      UpdateLimits limits,
      boolean signatureVerifiedBefore,
      boolean signersWanted)
      throws UpdateRejectedException {
    String name = source.name();
    try {
      ZipArchive zip = ZipArchive.open(source, limits);
      Map<String, ZipArchive.Entry> entries = zip.entries();
      refuseForeignEntries(entries, file, name);
      ZipArchive.Entry descriptorEntry = entries.get(UpdateFile.DESCRIPTOR);
      if (descriptorEntry == null) {
        throw new CorruptUpdateException(file, name + " holds no " + UpdateFile.DESCRIPTOR, null);
      }
      boolean signed = false;
      for (String entry : entries.keySet()) { // a loop, not a stream: no lambda spun (issue 13)
        signed |= isSignaturePart(entry);
      }
      if (!signed && (trusted != null || signatureVerifiedBefore)) {
        throw new UnsignedUpdateException(
            file, name + " is not signed; sign it with `jsplice sign` or `jsplice create --key`");
      }
      byte[] descriptor = zip.read(descriptorEntry, limits.maxMetadataBytes());
      List<X509Certificate> signers = List.of();
      Map<String, JarSignatures.EntryDigest> digests = null;
      if (signed) {
        ZipArchive.Entry manifestEntry = entries.get(JarSignatures.MANIFEST);
        if (manifestEntry == null) {
          throw tampered(file, name, "its signature has no manifest");
        }
        byte[] manifest = zip.read(manifestEntry, limits.maxMetadataBytes());
        if (!signatureVerifiedBefore
            && (signersWanted
                || trusted == null
                || !DirectSignature.verifies(zip, manifest, trusted, limits.maxMetadataBytes()))) {
          signers = signers(zip, manifest, descriptor, trusted, file, name, limits);
        }
        digests = JarSignatures.entryDigests(manifest);
        refuseUncovered(entries, digests, file, name);
      }
      Map<String, byte[]> content = new LinkedHashMap<>();
      for (ZipArchive.Entry entry : entries.values()) {
        if (JarSignatures.isSignatureRelated(entry.name())) {
          continue;
        }
        byte[] bytes =
            entry == descriptorEntry ? descriptor : zip.read(entry, limits.maxEntryBytes());
        if (digests != null
            && !signatureVerifiedBefore
            && !digests.get(entry.name()).matches(bytes)) {
          throw tampered(file, name, entry.name() + " does not match its signature");
        }
        if (entry.name().startsWith(UpdateFile.ROOT) && entry != descriptorEntry) {
          content.put(entry.name().substring(UpdateFile.ROOT.length()), bytes);
        }
      }
      UpdatePackage update = new UpdatePackage(decode(descriptor, file, name), content);
      if (!signatureVerifiedBefore) {
        // Depends on these bytes alone, which passed it when their signature was verified.
        UpdateClassFiles.check(update, limits, file, name);
      }
      return new UpdateFile.OpenedUpdate(update, signers);
    } catch (ZipFormatException e) {
      throw new CorruptUpdateException(
          file,
          name
              + " is not a valid update ("
              + (e.overLimit() ? "too large: " : "damaged or truncated: ")
              + e.getMessage()
              + ")",
          e);
    } catch (SecurityException e) {
      throw tampered(file, name, "its signature does not verify (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new CorruptUpdateException(file, "cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * The signers whose signatures cover the whole file, trusted ones only when {@code trusted} is
   * given: decided before any entry but the manifest, the signature files and the descriptor is
   * inflated.
   */
  private static List<X509Certificate> signers(
      ZipArchive zip,
      byte[] manifest,
      byte[] descriptor,
      TrustedKeys trusted,
      Path file,
      String name,
      UpdateLimits limits)
      throws IOException, UpdateRejectedException {
    List<JarSignatures.Signature> signatures =
        JarSignatures.verify(
            zip, manifest, UpdateFile.DESCRIPTOR, descriptor, limits.maxMetadataBytes());
    if (signatures.isEmpty()) {
      throw tampered(file, name, UpdateFile.DESCRIPTOR + " is not covered by its signature");
    }
    List<JarSignatures.Signature> considered =
        trusted == null
            ? signatures
            : signatures.stream().filter(s -> trusted.trusts(s.signer().getPublicKey())).toList();
    if (considered.isEmpty()) {
      X509Certificate signer = signatures.get(0).signer();
      throw new UntrustedSignerException(
          file,
          name
              + " is signed by \""
              + signer.getSubjectX500Principal().getName()
              + "\" (key "
              + TrustedKeys.fingerprint(signer.getPublicKey())
              + "), which is not among the trusted keys in "
              + trusted.source());
    }
    List<X509Certificate> covering = new ArrayList<>();
    for (JarSignatures.Signature signature : considered) {
      if (signature.coversManifest()) {
        covering.add(signature.signer());
      }
    }
    if (covering.isEmpty()) {
      throw tampered(file, name, "its manifest is not the one that was signed");
    }
    return List.copyOf(covering);
  }

  /** Every entry must be in the signed manifest, and every signed entry in the file. */
  private static void refuseUncovered(
      Map<String, ZipArchive.Entry> entries,
      Map<String, JarSignatures.EntryDigest> digests,
      Path file,
      String name)
      throws TamperedUpdateException {
    for (String entry : entries.keySet()) {
      if (!JarSignatures.isSignatureRelated(entry) && !digests.containsKey(entry)) {
        throw tampered(file, name, entry + " is not covered by its signature");
      }
    }
    for (String signedEntry : digests.keySet()) {
      if (!entries.containsKey(signedEntry)) {
        throw tampered(
            file, name, signedEntry + " is covered by its signature but missing: it was deleted");
      }
    }
  }

  /** Refuses entries no update holds: an update is its descriptor, classes and signature. */
  private static void refuseForeignEntries(
      Map<String, ZipArchive.Entry> entries, Path file, String name) throws CorruptUpdateException {
    for (String entry : entries.keySet()) {
      if (!entry.startsWith(UpdateFile.ROOT)
          && !entry.startsWith("META-INF/")
          && !JarSignatures.isSignatureRelated(entry)) {
        throw new CorruptUpdateException(
            file, name + " holds " + entry + ", which no update contains", null);
      }
      if (entry.endsWith("/")) {
        throw new CorruptUpdateException(
            file,
            name + " holds the directory entry " + entry + ", which no update contains",
            null);
      }
    }
  }

  private static boolean isSignaturePart(String entry) {
    return JarSignatures.isSignatureRelated(entry) && !entry.equals(JarSignatures.MANIFEST);
  }

  private static Update decode(byte[] descriptor, Path file, String name)
      throws CorruptUpdateException {
    try {
      return UpdateJson.decode(JsonObject.parse(new String(descriptor, StandardCharsets.UTF_8)));
    } catch (JsonException | IllegalArgumentException | NullPointerException e) {
      throw new CorruptUpdateException(
          file, name + " has a malformed descriptor: " + Printable.of(e.getMessage()), e);
    }
  }

  static TamperedUpdateException tampered(Path file, String name, String what) {
    return new TamperedUpdateException(
        file, name + " was modified after it was signed: " + what, null);
  }
}

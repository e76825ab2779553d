package io.jsplice.model.signing;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The cheap way to accept a signed update: its one signature block checked directly with {@link
 * java.security.Signature} on a trusted key, instead of the JDK's JAR verifier ({@link
 * JarSignatures#verify}), which parses the block's PKCS #7 structure and X.509 certificates and
 * builds a certificate path: a few hundred classes and about 100 ms in a JVM that has just started,
 * for a key known up front.
 *
 * <p>It only ever says yes or "not sure": it accepts when the file holds exactly the manifest, one
 * signature file and its one block, in the form {@code jarsigner} writes (PKCS #7 signed data with
 * one signer, no content, a SHA-256 or stronger digest and ECDSA or RSA signature hashing with it),
 * the block's certificate for that signer carries exactly a trusted key (at least 256-bit EC or
 * 2048-bit RSA), has no key usage and no critical extension and is itself signed so; its signed
 * attributes (if any) name data, give the signature file's digest and, if they name the algorithms,
 * name the signer's own; the signature over them (or over the signature file) verifies with that
 * key; and the signature file's digest of the whole manifest matches the manifest. These are the
 * checks the JDK's verifier and {@link UpdateReading} make on such a file; anything else (another
 * signer, another form, a signature that does not verify) answers "not sure", and the caller then
 * reads the file the full way, whose verdict and precise message stand. So it never refuses, and
 * accepts only what the full way accepts, with one difference: the JDK's {@code
 * jdk.jar.disabledAlgorithms} is not read, the algorithms and key sizes taken here being ones its
 * default list allows.
 */
final class DirectSignature {
  private static final int SEQUENCE = 0x30;
  private static final int SET = 0x31;
  private static final int INTEGER = 0x02;
  private static final int OCTET_STRING = 0x04;
  private static final int OID = 0x06;
  private static final int EXPLICIT_0 = 0xa0;
  private static final int EXPLICIT_3 = 0xa3;
  private static final int BOOLEAN = 0x01;
  private static final String KEY_USAGE = "551d0f";

  private static final String SIGNED_DATA = "2a864886f70d010702";
  private static final String DATA = "2a864886f70d010701";
  private static final String CONTENT_TYPE = "2a864886f70d010903";
  private static final String MESSAGE_DIGEST = "2a864886f70d010904";

  private static final String SIGNING_TIME = "2a864886f70d010905";
  private static final String ALGORITHM_PROTECTION = "2a864886f70d010934";

  private static final Map<String, String> DIGESTS =
      Map.of(
          "608648016503040201", "SHA-256",
          "608648016503040202", "SHA-384",
          "608648016503040203", "SHA-512");

  /**
   * Signature algorithms, by their own identifier: the JDK's name, the key's algorithm and the
   * digest it hashes with.
   */
  private static final Map<String, String[]> SIGNATURES =
      Map.of(
          "2a8648ce3d040302", new String[] {"SHA256withECDSA", "EC", "SHA-256"},
          "2a8648ce3d040303", new String[] {"SHA384withECDSA", "EC", "SHA-384"},
          "2a8648ce3d040304", new String[] {"SHA512withECDSA", "EC", "SHA-512"},
          "2a864886f70d01010b", new String[] {"SHA256withRSA", "RSA", "SHA-256"},
          "2a864886f70d01010c", new String[] {"SHA384withRSA", "RSA", "SHA-384"},
          "2a864886f70d01010d", new String[] {"SHA512withRSA", "RSA", "SHA-512"});

  /** Key algorithms given where the signature algorithm belongs: the digest's hash with it. */
  private static final Map<String, String> KEY_ALGORITHMS =
      Map.of(
          "2a8648ce3d0201", "EC", // id-ecPublicKey
          "2a864886f70d010101", "RSA"); // rsaEncryption

  private DirectSignature() {}

  /**
   * Whether the file's signature is certainly one by a trusted key that vouches for {@code
   * manifest}, checked directly; false when not sure (then the full check decides).
   */
  static boolean verifies(ZipArchive zip, byte[] manifest, TrustedKeys trusted, long maxBytes) {
    try {
      String signatureFile = null;
      String blockName = null;
      int related = 0;
      for (String name : zip.entries().keySet()) {
        if (!JarSignatures.isSignatureRelated(name)) {
          continue;
        }
        related++;
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.endsWith(".SF")) {
          signatureFile = name;
        } else if (upper.endsWith(".EC") || upper.endsWith(".RSA")) {
          blockName = name;
        }
      }
      if (related != 3 || signatureFile == null || blockName == null) {
        return false;
      }
      String base = signatureFile.substring(0, signatureFile.length() - ".SF".length());
      String keyAlgorithm;
      if (blockName.equals(base + ".EC")) {
        keyAlgorithm = "EC";
      } else if (blockName.equals(base + ".RSA")) {
        keyAlgorithm = "RSA";
      } else {
        return false; // not this signature file's block (JarSignatures looks for exactly these)
      }
      byte[] sf = zip.read(zip.entries().get(signatureFile), maxBytes);
      if (!JarSignatures.vouchesFor(sf, manifest)) {
        return false;
      }
      byte[] block = zip.read(zip.entries().get(blockName), maxBytes);
      return blockVerifies(block, sf, keyAlgorithm, trusted);
    } catch (Exception e) {
      return false; // not sure: the full check decides, and says why
    }
  }

  /** Whether {@code block} is a signature of {@code sf} by a trusted key of that algorithm. */
  static boolean blockVerifies(byte[] block, byte[] sf, String keyAlgorithm, TrustedKeys trusted)
      throws MalformedDer, GeneralSecurityException {
    Der contentInfo = Der.whole(block);
    Der type = contentInfo.first(OID);
    if (!type.is(SIGNED_DATA)) {
      return false;
    }
    Der explicit = type.next(contentInfo, EXPLICIT_0);
    if (explicit.next(contentInfo) != null) {
      return false;
    }
    Der signedData = explicit.first(SEQUENCE);
    if (signedData.end != explicit.end) {
      return false;
    }
    Der field = signedData.first(INTEGER); // version
    field = field.next(signedData, SET); // digest algorithms
    Der encapsulated = field.next(signedData, SEQUENCE);
    Der encapsulatedType = encapsulated.first(OID);
    if (!encapsulatedType.is(DATA) || encapsulatedType.end != encapsulated.end) {
      return false; // content inside the block: not the form jarsigner writes
    }
    Der certificates = encapsulated.next(signedData);
    if (certificates == null || certificates.tag != EXPLICIT_0) {
      return false;
    }
    Der signerInfos = certificates.next(signedData);
    if (signerInfos == null || signerInfos.tag != SET || signerInfos.end != signedData.end) {
      return false; // certificate revocation lists, or no signers
    }
    Der signerInfo = signerInfos.first(SEQUENCE);
    if (signerInfo.end != signerInfos.end) {
      return false; // more than one signer
    }
    field = signerInfo.first(INTEGER); // version
    Der issuerAndSerial = field.next(signerInfo, SEQUENCE);
    Der digestAlgorithm = issuerAndSerial.next(signerInfo, SEQUENCE);
    String digest = DIGESTS.get(digestAlgorithm.first(OID).hex());
    if (digest == null) {
      return false;
    }
    field = digestAlgorithm.next(signerInfo);
    Der signedAttributes = null;
    if (field.tag == EXPLICIT_0) {
      signedAttributes = field;
      field = field.next(signerInfo);
    }
    Der signatureAlgorithm = field.expect(SEQUENCE);
    Der signatureValue = signatureAlgorithm.next(signerInfo, OCTET_STRING);
    if (signatureValue.end != signerInfo.end) {
      return false; // unsigned attributes (a timestamp): the full check decides
    }
    String algorithmId = signatureAlgorithm.first(OID).hex();
    String jdkName;
    if (SIGNATURES.containsKey(algorithmId)) {
      String[] known = SIGNATURES.get(algorithmId);
      if (!known[1].equals(keyAlgorithm) || !known[2].equals(digest)) {
        return false; // the JDK refuses a digest other than the signature's own
      }
      jdkName = known[0];
    } else if (keyAlgorithm.equals(KEY_ALGORITHMS.get(algorithmId))) {
      jdkName = digest.replace("-", "") + "with" + (keyAlgorithm.equals("EC") ? "ECDSA" : "RSA");
    } else {
      return false;
    }
    byte[] signed;
    if (signedAttributes == null) {
      signed = sf;
    } else {
      if (!attributesVouchFor(signedAttributes, digest, sf, digestAlgorithm, signatureAlgorithm)) {
        return false;
      }
      // Signed as a SET, though it is tagged [0] IMPLICIT in the block.
      signed = Arrays.copyOfRange(block, signedAttributes.start, signedAttributes.end);
      signed[0] = (byte) SET;
    }
    PublicKey key = signerKey(block, certificates, issuerAndSerial, keyAlgorithm, trusted);
    if (key == null) {
      return false;
    }
    java.security.Signature verifier = java.security.Signature.getInstance(jdkName);
    verifier.initVerify(key);
    verifier.update(signed);
    return verifier.verify(block, signatureValue.contentStart, signatureValue.length());
  }

  /**
   * The trusted key that the block's certificate for the signer ({@code issuerAndSerial}) carries,
   * compared as encoded bytes; null if the certificate is not there or its key is not trusted.
   */
  private static PublicKey signerKey(
      byte[] block, Der certificates, Der issuerAndSerial, String keyAlgorithm, TrustedKeys trusted)
      throws MalformedDer {
    byte[] wanted = issuerAndSerial.content();
    for (Der certificate = certificates.first(SEQUENCE);
        certificate != null;
        certificate = certificate.next(certificates)) {
      certificate.expect(SEQUENCE);
      Der tbs = certificate.first(SEQUENCE);
      Der field = tbs.first();
      if (field.tag == EXPLICIT_0) {
        field = field.next(tbs);
      }
      Der serial = field.expect(INTEGER);
      Der signature = serial.next(tbs, SEQUENCE);
      Der issuer = signature.next(tbs, SEQUENCE);
      byte[] issued = new byte[issuer.end - issuer.start + serial.end - serial.start];
      System.arraycopy(block, issuer.start, issued, 0, issuer.end - issuer.start);
      System.arraycopy(
          block, serial.start, issued, issuer.end - issuer.start, serial.end - serial.start);
      if (!Arrays.equals(issued, wanted)) {
        continue;
      }
      Der validity = issuer.next(tbs, SEQUENCE);
      Der subject = validity.next(tbs, SEQUENCE);
      Der publicKeyInfo = subject.next(tbs, SEQUENCE);
      if (!plainExtensions(publicKeyInfo, tbs)
          || !SIGNATURES.containsKey(tbs.next(certificate, SEQUENCE).first(OID).hex())) {
        return null; // a key usage, a critical extension, or a weak certificate: not sure
      }
      byte[] encoded = Arrays.copyOfRange(block, publicKeyInfo.start, publicKeyInfo.end);
      for (PublicKey key : trusted.keys()) {
        if (key.getAlgorithm().equals(keyAlgorithm)
            && strong(key)
            && MessageDigest.isEqual(encoded, key.getEncoded())) {
          return key;
        }
      }
      return null;
    }
    return null;
  }

  /**
   * Whether the certificate's fields after its key hold no key usage (which may forbid signing) and
   * no critical extension, both of which the JDK's verifier weighs.
   */
  private static boolean plainExtensions(Der publicKeyInfo, Der tbs) throws MalformedDer {
    for (Der field = publicKeyInfo.next(tbs); field != null; field = field.next(tbs)) {
      if (field.tag != EXPLICIT_3) {
        continue; // the issuer's and subject's unique identifiers
      }
      Der extensions = field.first(SEQUENCE);
      for (Der extension = extensions.first(SEQUENCE);
          extension != null;
          extension = extension.next(extensions)) {
        extension.expect(SEQUENCE);
        Der id = extension.first(OID);
        Der after = id.next(extension);
        if (id.hex().equals(KEY_USAGE) || after == null || after.tag == BOOLEAN) {
          return false; // critical (a default FALSE is never encoded in DER), or a key usage
        }
      }
    }
    return true;
  }

  /** What the JDK's default constraints on signed JARs let through without a question. */
  private static boolean strong(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() >= 256;
    }
    if (key instanceof RSAPublicKey rsa) {
      return rsa.getModulus().bitLength() >= 2048;
    }
    return false;
  }

  /**
   * Whether the signed attributes say the signed content is data whose digest is {@code sf}'s, and
   * hold nothing else but a signing time and an algorithm protection that names this signer's own
   * digest and signature algorithms (as the JDK checks it).
   */
  private static boolean attributesVouchFor(
      Der attributes, String digest, byte[] sf, Der digestAlgorithm, Der signatureAlgorithm)
      throws MalformedDer {
    boolean typed = false;
    boolean digested = false;
    for (Der attribute = attributes.first(SEQUENCE);
        attribute != null;
        attribute = attribute.next(attributes)) {
      attribute.expect(SEQUENCE);
      Der type = attribute.first(OID);
      Der values = type.next(attribute, SET);
      if (values.end != attribute.end) {
        return false;
      }
      String id = type.hex();
      if (id.equals(CONTENT_TYPE) || id.equals(MESSAGE_DIGEST)) {
        Der value = values.first();
        if (value.end != values.end || typed && id.equals(CONTENT_TYPE)) {
          return false;
        }
        if (id.equals(CONTENT_TYPE)) {
          if (value.tag != OID || !value.is(DATA)) {
            return false;
          }
          typed = true;
        } else {
          if (digested
              || value.tag != OCTET_STRING
              || !MessageDigest.isEqual(value.content(), JarSignatures.digest(digest, sf))) {
            return false;
          }
          digested = true;
        }
      } else if (id.equals(ALGORITHM_PROTECTION)) {
        if (!protects(values, digestAlgorithm, signatureAlgorithm)) {
          return false;
        }
      } else if (!id.equals(SIGNING_TIME)) {
        return false;
      }
    }
    return typed && digested;
  }

  /**
   * Whether the values of a CMSAlgorithmProtection attribute are one that names exactly {@code
   * digestAlgorithm} and, as {@code [1]}, {@code signatureAlgorithm}.
   */
  private static boolean protects(Der values, Der digestAlgorithm, Der signatureAlgorithm)
      throws MalformedDer {
    Der protection = values.first(SEQUENCE);
    if (protection.end != values.end) {
      return false;
    }
    Der digested = protection.first(SEQUENCE);
    Der signed = digested.next(protection);
    return signed != null
        && signed.tag == 0xa1
        && signed.end == protection.end
        && Arrays.equals(digested.bytes(), digestAlgorithm.bytes())
        && Arrays.equals(signed.content(), signatureAlgorithm.content());
  }

  /**
   * One DER element of {@code der}: its tag, where it starts, where its content starts and ends.
   */
  private record Der(byte[] der, int tag, int start, int contentStart, int end) {
    /** The element that is all of {@code der}. */
    static Der whole(byte[] der) throws MalformedDer {
      Der whole = at(der, 0, der.length);
      if (whole.end != der.length) {
        throw new MalformedDer();
      }
      return whole.expect(SEQUENCE);
    }

    /** The element at {@code start}, which must end by {@code limit}. */
    static Der at(byte[] der, int start, int limit) throws MalformedDer {
      if (start + 2 > limit) {
        throw new MalformedDer();
      }
      int tag = der[start] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        throw new MalformedDer(); // a tag number beyond 30: none here
      }
      int first = der[start + 1] & 0xff;
      int at = start + 2;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int count = first & 0x7f;
        if (count == 0 || count > 3 || at + count > limit || der[at] == 0) {
          throw new MalformedDer(); // indefinite, too long or not minimal
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (der[at++] & 0xff);
        }
        if (length < 0x80) {
          throw new MalformedDer(); // not minimal
        }
      }
      if (at + length > limit) {
        throw new MalformedDer();
      }
      return new Der(der, tag, start, at, (int) (at + length));
    }

    /** Its first child, whatever its tag. */
    Der first() throws MalformedDer {
      return at(der, contentStart, end);
    }

    /** Its first child, which must have {@code tag}. */
    Der first(int tag) throws MalformedDer {
      return first().expect(tag);
    }

    /** The element after it within {@code parent}; null at the parent's end. */
    Der next(Der parent) throws MalformedDer {
      return end == parent.end ? null : at(der, end, parent.end);
    }

    /** The element after it within {@code parent}, which must be there and have {@code tag}. */
    Der next(Der parent, int tag) throws MalformedDer {
      Der next = next(parent);
      if (next == null) {
        throw new MalformedDer();
      }
      return next.expect(tag);
    }

    Der expect(int tag) throws MalformedDer {
      if (this.tag != tag) {
        throw new MalformedDer();
      }
      return this;
    }

    int length() {
      return end - contentStart;
    }

    byte[] bytes() {
      return Arrays.copyOfRange(der, start, end);
    }

    byte[] content() {
      return Arrays.copyOfRange(der, contentStart, end);
    }

    String hex() {
      return HexFormat.of().formatHex(der, contentStart, end);
    }

    /** Whether it is an object identifier whose content is {@code hex}. */
    boolean is(String hex) {
      return tag == OID && hex().equals(hex);
    }
  }

  static final class MalformedDer extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedDer() {
      super(null, null, false, false);
    }
  }
}

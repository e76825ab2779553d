import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.PasswordBasedDecrypter;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * CVE-2023-52428: a PBES2 JWE names its own PBKDF2 iteration count (p2c) and the decrypter runs it,
 * however large (denial of service). The fix refuses counts above 1,000,000. The service's
 * decrypter is built at start and decrypts an ordinary token; the attacker's token asks for
 * 1,000,001 iterations, the smallest count the fix refuses (about a second of CPU when run). Both
 * tokens were made once with 9.37.1 for the password below and carry the payload "hello".
 */
public class Probe {
  static final String PASSWORD = "correct horse battery staple";

  /** p2c 1000. */
  static final String ORDINARY =
      "eyJwMnMiOiJMTnhLUHFiQ2RNZzNtQy1oa05KYzZnIiwicDJjIjoxMDAwLCJlbmMiOiJBMTI4R0NNIiwiYWxnIjoiUEJFUzItSFMyNTYrQTEyOEtXIn0"
          + ".I7oqVr0um-s8CZpqiN3u3XFGI4MyfF0g.9NUxsj4OjudUvSVZ.t8CQVaE.Z49zLRFRv-QQvbWGI_A84w";

  /** p2c 1000001. */
  static final String CRAFTED =
      "eyJwMnMiOiJmQlhUUHVqbGlUQ09yUjRpc0FnOVR3IiwicDJjIjoxMDAwMDAxLCJlbmMiOiJBMTI4R0NNIiwiYWxnIjoiUEJFUzItSFMyNTYrQTEyOEtXIn0"
          + ".Of5cpdONmiwfXTt9oTfzJgLkaI5Fp75M.66VF2xejakEdoEMI.VZ5EYAk.wAQGontsDKm_fScXeWchIA";

  static PasswordBasedDecrypter held;

  static String decrypt(PasswordBasedDecrypter decrypter, String token) {
    try {
      JWEObject jwe = JWEObject.parse(token);
      jwe.decrypt(decrypter);
      return "decrypted:" + jwe.getPayload();
    } catch (Exception e) {
      return "refused:" + e.getClass().getSimpleName();
    }
  }

  static String probe() {
    return "held=" + decrypt(held, CRAFTED);
  }

  public static void main(String[] args) throws Exception {
    held = new PasswordBasedDecrypter(PASSWORD);
    String ordinary = decrypt(held, ORDINARY);
    if (!ordinary.equals("decrypted:hello")) {
      throw new IllegalStateException("the ordinary token does not decrypt: " + ordinary);
    }
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.util.Map;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.jettison.json.JSONObject;
import org.codehaus.jettison.mapped.MappedXMLInputFactory;

/**
 * CVE-2022-40149: a JSON text that ends in a lone '/' sends jettison's tokenizer back and forth
 * until the stack overflows (denial of service). The fixed tokenizer reports the text malformed.
 * The service reads JSON as XML through a MappedXMLInputFactory built at start (as JAX-RS providers
 * do) and parses JSON objects directly as well.
 */
public class Probe {
  static final String CRAFTED = "{\"order\":[/";

  static MappedXMLInputFactory held;

  static String outcome(ThrowingRunnable action) {
    try {
      action.run();
      return "accepted";
    } catch (Throwable t) {
      return t.getClass().getSimpleName();
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static void readAsXml(MappedXMLInputFactory factory, String json) throws Exception {
    XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(json));
    while (reader.hasNext()) {
      reader.next();
    }
  }

  static String probe() {
    return "held="
        + outcome(() -> readAsXml(held, CRAFTED))
        + " fresh="
        + outcome(() -> new JSONObject(CRAFTED));
  }

  public static void main(String[] args) throws Exception {
    held = new MappedXMLInputFactory(Map.of("http://example.com/orders", "o"));
    readAsXml(held, "{\"order\":{\"id\":1}}");
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }
}

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.commons.text.StringSubstitutor;

/**
 * The jsplice demo's victim: a small web service that greets people and, like many real ones,
 * expands ${...} variables in what it is given, with commons-text 1.9 (Text4Shell, CVE-2022-42889).
 * The substitutor is built once at start, as a long-running service would.
 */
public class GreetingServer {
  public static void main(String[] args) throws Exception {
    StringSubstitutor substitutor = StringSubstitutor.createInterpolator();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/greet", exchange -> {
      String query = exchange.getRequestURI().getRawQuery();
      String name = query == null ? "world"
          : URLDecoder.decode(query.replaceFirst("^name=", ""), StandardCharsets.UTF_8);
      byte[] body = ("Hello, " + substitutor.replace(name) + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println("listening on " + server.getAddress().getPort());
  }
}

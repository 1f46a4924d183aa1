// Prints, as one JSON document, what scripts/gen-protocol.ts needs from a kafka-clients jar: the protocol
// message definitions it carries (common/message/*.json, verbatim) and the error table of
// org.apache.kafka.common.protocol.Errors (code, name, whether its exception is retriable, default message).
// The error table exists only as Java code, so it is read through the JVM rather than from a file.
//
//   java -cp kafka-clients-<v>.jar:slf4j-api-<v>.jar scripts/protocol/DumpProtocol.java <kafka-clients jar>
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;

public class DumpProtocol {
  static String quote(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
      }
    }
    return b.append('"').toString();
  }

  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder("{\"messages\":{");
    try (JarFile jar = new JarFile(args[0])) {
      List<JarEntry> entries = new ArrayList<>();
      for (JarEntry e : Collections.list(jar.entries()))
        if (e.getName().startsWith("common/message/") && e.getName().endsWith(".json")) entries.add(e);
      entries.sort((a, b) -> a.getName().compareTo(b.getName()));
      boolean first = true;
      for (JarEntry e : entries) {
        String text = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
        if (!first) out.append(',');
        first = false;
        out.append(quote(e.getName().substring("common/message/".length()))).append(':').append(quote(text));
      }
    }
    out.append("},\"errors\":[");
    boolean first = true;
    for (Errors e : Errors.values()) {
      if (!first) out.append(',');
      first = false;
      out.append("{\"code\":").append(e.code())
          .append(",\"name\":").append(quote(e.name()))
          .append(",\"retriable\":").append(e.exception() instanceof RetriableException)
          .append(",\"message\":").append(quote(e.message()))
          .append('}');
    }
    out.append("]}");
    System.out.print(out);
  }
}

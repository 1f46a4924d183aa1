import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.FeatureVersion;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Prints, as JSON, the static tables kafka-features.sh reads (MetadataVersion and Feature of kafka-server-common):
 * every metadata.version with its level, the release-version strings MetadataVersion.fromVersionString accepts, and
 * each production feature's levels, dependencies and default level per metadata.version. Run by scripts/gen-features.ts.
 */
public class DumpFeatures {
  static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static void main(String[] args) {
    StringBuilder b = new StringBuilder("{\n");
    b.append("\"minimum\": ").append(q(MetadataVersion.MINIMUM_VERSION.version())).append(",\n");
    b.append("\"latestProduction\": ").append(q(MetadataVersion.LATEST_PRODUCTION.version())).append(",\n");
    b.append("\"latestTesting\": ").append(q(MetadataVersion.latestTesting().version())).append(",\n");
    List<String> mvs = new ArrayList<>();
    for (MetadataVersion mv : MetadataVersion.VERSIONS) {
      mvs.add("{\"version\": " + q(mv.version()) + ", \"release\": " + q(mv.shortVersion()) + ", \"level\": " + mv.featureLevel()
          + ", \"production\": " + mv.isProduction() + "}");
    }
    b.append("\"metadataVersions\": [\n  ").append(String.join(",\n  ", mvs)).append("\n],\n");
    // The keys MetadataVersion.fromVersionString looks up: every "x.y-IVn" and, per release, "x.y" for its newest production IV.
    Map<String, String> aliases = new TreeMap<>();
    for (MetadataVersion mv : MetadataVersion.VERSIONS) {
      for (String key : new String[] {mv.version(), mv.shortVersion()}) {
        try {
          aliases.put(key, MetadataVersion.fromVersionString(key, true).version());
        } catch (IllegalArgumentException e) {
          // a release with no production IV has no short alias
        }
      }
    }
    List<String> al = new ArrayList<>();
    aliases.forEach((k, v) -> al.add(q(k) + ": " + q(v)));
    b.append("\"versionStrings\": {\n  ").append(String.join(",\n  ", al)).append("\n},\n");
    List<String> fs = new ArrayList<>();
    for (Feature f : Feature.PRODUCTION_FEATURES) {
      List<String> levels = new ArrayList<>();
      for (FeatureVersion fv : f.featureVersions()) {
        List<String> deps = new ArrayList<>();
        new TreeMap<>(fv.dependencies()).forEach((k, v) -> deps.add(q(k) + ": " + v));
        levels.add("{\"level\": " + fv.featureLevel() + ", \"dependencies\": {" + String.join(", ", deps) + "}}");
      }
      List<String> defaults = new ArrayList<>();
      for (MetadataVersion mv : MetadataVersion.VERSIONS) defaults.add(String.valueOf(f.defaultLevel(mv)));
      fs.add("{\"name\": " + q(f.featureName()) + ", \"latestProduction\": " + f.latestProduction() + ", \"minimum\": "
          + f.minimumProduction() + ", \"latestTesting\": " + f.latestTesting() + ",\n   \"levels\": [" + String.join(", ", levels)
          + "],\n   \"defaultLevels\": [" + String.join(", ", defaults) + "]}");
    }
    b.append("\"features\": [\n  ").append(String.join(",\n  ", fs)).append("\n]\n}\n");
    System.out.print(b);
  }
}

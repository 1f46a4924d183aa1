import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's Java producer writing one topic per compression codec in one JVM start (a console producer per codec would
 * cost four): args bootstrap, records per codec, first timestamp; record i of codec c is "java-c-i" at timestamp
 * first + i, idempotent (the client's default), lingering so that the records share a few large compressed batches.
 */
public class CodecProducer {
  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[1]);
    long first = Long.parseLong(args[2]);
    for (String codec : new String[] {"gzip", "snappy", "lz4", "zstd"}) {
      Properties props = new Properties();
      props.put("bootstrap.servers", args[0]);
      props.put("compression.type", codec);
      props.put("linger.ms", "50");
      props.put("batch.size", "65536");
      props.put("key.serializer", StringSerializer.class.getName());
      props.put("value.serializer", StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        for (int i = 0; i < count; i++)
          producer.send(new ProducerRecord<>("codec-" + codec, 0, first + i, null, "java-" + codec + "-" + i));
        producer.flush();
      }
      System.out.println("produced " + codec);
    }
  }
}

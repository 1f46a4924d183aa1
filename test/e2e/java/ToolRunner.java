import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Runs Kafka's command-line tools in one JVM for the e2e tests, so thirty comparisons cost one JVM start instead of
 * thirty. Reads one invocation per line on stdin (main class and arguments, tab-separated), calls the tool's
 * mainNoExit (StorageTool: execute; a tool without one, such as ConsumerGroupCommand: main, with Kafka's Exit
 * procedures turned into an exception carrying the code) with System.out and System.err captured, and answers one
 * line: exit code, stdout and stderr, the two in base64, tab-separated.
 */
public class ToolRunner {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream reply = System.out;
    PrintStream realErr = System.err;
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.split("\t", -1);
      String[] toolArgs = Arrays.copyOfRange(parts, 1, parts.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
      System.setOut(outStream);
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code;
      try {
        code = run(parts[0], toolArgs, outStream);
      } catch (Exited e) {
        code = e.code;
      } catch (Throwable t) {
        Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
        System.err.println(cause.getMessage());
        code = 1;
      } finally {
        System.out.flush();
        System.err.flush();
        System.setOut(reply);
        System.setErr(realErr);
      }
      Base64.Encoder b64 = Base64.getEncoder();
      reply.println(code + "\t" + b64.encodeToString(out.toByteArray()) + "\t" + b64.encodeToString(err.toByteArray()));
      reply.flush();
    }
  }

  static int run(String mainClass, String[] args, PrintStream out) throws Exception {
    Class<?> tool = Class.forName(mainClass);
    if (mainClass.equals("kafka.tools.StorageTool")) {
      Method execute = tool.getMethod("execute", String[].class, PrintStream.class);
      return (Integer) execute.invoke(null, args, out);
    }
    Method noExit;
    try {
      noExit = tool.getDeclaredMethod("mainNoExit", String[].class);
    } catch (NoSuchMethodException e) {
      return runMain(tool, args);
    }
    noExit.setAccessible(true);
    return (Integer) noExit.invoke(null, (Object) args);
  }

  /**
   * A tool's main, where Exit.exit (usage errors) would otherwise end this JVM: 0 when main returns. Kafka's Exit is
   * org.apache.kafka.common.utils.Exit up to 3.9 and ...utils.internals.Exit from 4.0, hence reflection.
   */
  static int runMain(Class<?> tool, String[] args) throws Exception {
    Class<?> exit;
    try {
      exit = Class.forName("org.apache.kafka.common.utils.internals.Exit");
    } catch (ClassNotFoundException e) {
      exit = Class.forName("org.apache.kafka.common.utils.Exit");
    }
    Class<?> procedure = Class.forName(exit.getName() + "$Procedure");
    Object thrower =
        Proxy.newProxyInstance(
            procedure.getClassLoader(),
            new Class<?>[] {procedure},
            (proxy, method, callArgs) -> {
              if (!method.getName().equals("execute")) return method.invoke(ToolRunner.class, callArgs);
              throw new Exited((Integer) callArgs[0]);
            });
    exit.getMethod("setExitProcedure", procedure).invoke(null, thrower);
    exit.getMethod("setHaltProcedure", procedure).invoke(null, thrower);
    try {
      tool.getMethod("main", String[].class).invoke(null, (Object) args);
      return 0;
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exited exited) return exited.code;
      throw e;
    } finally {
      exit.getMethod("resetExitProcedure").invoke(null);
      exit.getMethod("resetHaltProcedure").invoke(null);
    }
  }

  static final class Exited extends RuntimeException {
    final int code;

    Exited(int code) {
      super("exit " + code);
      this.code = code;
    }
  }
}

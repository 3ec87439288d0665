import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts Amazon's DynamoDB Local as its own main class does, but listening on one host (the first argument)
 * instead of every interface: the jar has no option for it (CONTRACT section 1 keeps the sandbox on loopback).
 * Compiled once by local/dynamodb-local.ts. The remaining arguments are DynamoDB Local's own.
 */
class DynamoDbLocalLoopback {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(rest);
    // The Jetty server is private to the proxy; its connector is made unbound, so the host can still be set.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost(host);
    proxy.start();
  }
}

import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Paths;
import java.util.Arrays;

import org.apache.flink.util.FlinkUserCodeClassLoaders;
import org.apache.flink.util.MutableURLClassLoader;

/**
 * Runs a job's entry class the way Flink's application entrypoint does: inside a
 * user-code class loader (SqlDriver casts the context class loader to
 * MutableURLClassLoader) that holds the flink-sql-gateway jar.
 *
 * <p>Usage: {@code RunSqlDriver <sql-gateway.jar> <entry class> <program arguments...>}
 */
public final class RunSqlDriver {
    public static void main(String[] args) throws Exception {
        URL gateway = Paths.get(args[0]).toUri().toURL();
        MutableURLClassLoader loader =
                FlinkUserCodeClassLoaders.parentFirst(
                        new URL[] {gateway}, RunSqlDriver.class.getClassLoader(), error -> {}, false);
        Thread.currentThread().setContextClassLoader(loader);
        Method main = loader.loadClass(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}

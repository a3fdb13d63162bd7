package org.apache.flink.container.entrypoint;

import org.apache.flink.runtime.entrypoint.parser.CommandLineParser;

import java.lang.reflect.Method;

/**
 * Parses container arguments with the parser of Flink's own standalone-job entrypoint
 * (the classes are package-private, hence the package) and prints what it read, one
 * item per line: {@code class <name>}, {@code jar <uri>} per jar, {@code arg <arg>} per
 * program argument.
 *
 * <p>Usage: {@code ParseStandaloneJobArgs <entrypoint arguments...>} (what
 * {@code bin/standalone-job.sh} passes: {@code --configDir <dir>} and the container's
 * arguments after {@code standalone-job}).
 */
public final class ParseStandaloneJobArgs {
    public static void main(String[] args) throws Exception {
        StandaloneApplicationClusterConfiguration configuration =
                new CommandLineParser<>(new StandaloneApplicationClusterConfigurationParserFactory())
                        .parse(args);
        System.out.println("class " + configuration.getJobClassName());
        try {
            // getJars exists from 1.19 (--jars); reflection keeps one source for every version.
            Method jars = configuration.getClass().getDeclaredMethod("getJars");
            jars.setAccessible(true);
            String[] given = (String[]) jars.invoke(configuration);
            for (String jar : given == null ? new String[0] : given) {
                System.out.println("jar " + jar);
            }
        } catch (NoSuchMethodException beforeFlink119) {
            System.out.println("no --jars option");
        }
        for (String arg : configuration.getArgs()) {
            System.out.println("arg " + arg);
        }
    }
}

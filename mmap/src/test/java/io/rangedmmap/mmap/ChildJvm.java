package io.rangedmmap.mmap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a child JVM and returns what it printed.
 */
final class ChildJvm
{
    static final String ADD_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    record Result(int exitCode, String output)
    {
    }

    private ChildJvm()
    {
    }

    static String java()
    {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    static Result run(final List<String> prefix, final List<String> jvmFlags, final Class<?> main,
        final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(java());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM timed out: " + command);
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result run(final List<String> jvmFlags, final Class<?> main, final String... args)
        throws IOException, InterruptedException
    {
        return run(List.of(), jvmFlags, main, args);
    }
}

/*
 * Copyright 2026 the ranged-mmap authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.rangedmmap.store;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a main class of the test classpath in a child JVM with the flags the store needs, and reads its output
 * line by line (the same idea as the mmap module's test helper of this name).
 */
final class ChildJvm
{
    private static final long AWAIT_MILLIS = 60_000;

    private final Process process;
    private final BufferedReader out;

    private ChildJvm(final Process process)
    {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static List<String> command(final List<String> prefix, final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:-UsePerfData");
        command.add("-Xshare:auto");
        command.add("--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * {@return the test classes, the library and every dependency as one class path: Surefire runs these tests on
     * the module path, where the store's and mmap's classes are not on {@code java.class.path}}
     */
    static String classPath()
    {
        final List<String> entries = new ArrayList<>();
        try
        {
            entries.add(Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
        final String modulePath = System.getProperty("jdk.module.path");
        if (null != modulePath && !modulePath.isEmpty())
        {
            entries.add(modulePath);
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }

    static ChildJvm start(final List<String> prefix, final Class<?> main, final String... args) throws IOException
    {
        return new ChildJvm(new ProcessBuilder(command(prefix, main, args)).redirectErrorStream(true).start());
    }

    static ChildJvm start(final Class<?> main, final String... args) throws IOException
    {
        return start(List.of(), main, args);
    }

    /**
     * {@return the next line that starts with one of {@code prefixes}; the child's output so far if it ends first}
     */
    String awaitLine(final String... prefixes) throws IOException
    {
        // A child that never prints the line must not hang the build: after the deadline it is killed, which ends
        // its output and fails the wait below.
        final Thread watchdog = Thread.ofPlatform().daemon().start(() ->
        {
            try
            {
                Thread.sleep(AWAIT_MILLIS);
                process.destroyForcibly();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        try
        {
            final StringBuilder seen = new StringBuilder();
            String line;
            while (null != (line = out.readLine()))
            {
                for (final String prefix : prefixes)
                {
                    if (line.startsWith(prefix))
                    {
                        return line;
                    }
                }
                seen.append(line).append('\n');
            }
            throw new IllegalStateException("child ended (or was killed after " + AWAIT_MILLIS + " ms) before " +
                "printing any of " + List.of(prefixes) + ":\n" + seen);
        }
        finally
        {
            watchdog.interrupt();
        }
    }

    /**
     * {@return the rest of the output, once the child has exited}
     */
    String finish(final long timeoutSeconds) throws IOException, InterruptedException
    {
        final StringBuilder rest = new StringBuilder();
        String line;
        while (null != (line = out.readLine()))
        {
            rest.append(line).append('\n');
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("child did not exit within " + timeoutSeconds + " s:\n" + rest);
        }
        return rest.toString();
    }

    int exitCode()
    {
        return process.exitValue();
    }

    /**
     * Kills the child with SIGKILL and waits for it to be gone.
     */
    void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
        out.lines().close();
    }
}

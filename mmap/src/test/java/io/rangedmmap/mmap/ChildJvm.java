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
package io.rangedmmap.mmap;

import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the tests in a child JVM, on the class path or on the module path, and returns what it printed.
 */
final class ChildJvm
{
    static final String ADD_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String MODULE = "io.rangedmmap.mmap";
    static final String MODULE_ADD_OPENS = "--add-opens=java.base/jdk.internal.misc=org.agrona";
    static final String MODULE_NATIVE_ACCESS = "--enable-native-access=" + MODULE;

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
        command.add(classPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        return start(command);
    }

    /**
     * Runs {@code main}, a class of this module's tests, with the library as the named module
     * {@code io.rangedmmap.mmap} on the module path (the test classes patched into it) and Agrona as the automatic
     * module {@code org.agrona}.
     */
    static Result runOnModulePath(final List<String> jvmFlags, final Class<?> main, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(java());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmFlags);
        command.add("--module-path");
        command.add(String.join(File.pathSeparator, location(MmapFile.class), location(UnsafeBuffer.class),
            location(Logger.class)));
        command.add("--patch-module");
        command.add(MODULE + "=" + location(ChildJvm.class));
        command.add("--add-reads");
        command.add(MODULE + "=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-m");
        command.add(MODULE + "/" + main.getName());
        command.addAll(List.of(args));
        return start(command);
    }

    /**
     * {@return the test classes, the library and every dependency as one class path, whether these tests run on the
     * class path or on the module path (where Surefire puts the library and its dependencies)}
     */
    static String classPath()
    {
        final List<String> entries = new ArrayList<>();
        entries.add(location(ChildJvm.class));
        final String modulePath = System.getProperty("jdk.module.path");
        if (null != modulePath && !modulePath.isEmpty())
        {
            entries.add(modulePath);
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }

    private static String location(final Class<?> type)
    {
        try
        {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Result start(final List<String> command) throws IOException, InterruptedException
    {
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

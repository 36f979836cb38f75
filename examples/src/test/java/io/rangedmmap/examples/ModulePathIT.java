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
package io.rangedmmap.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the quick start (which starts and kills a child JVM of its own) both ways a user can: the modular jar on the
 * module path, the flags naming the modules, and the shaded jar with {@code java -jar}, the manifest giving the flags
 * for {@code ALL-UNNAMED}. An integration test (run after {@code package}, when both jars exist).
 */
class ModulePathIT
{
    private static final String QUICK_START = "io.rangedmmap.examples/io.rangedmmap.examples.QuickStart";
    private static final String DONE = "pages of the ";
    private static final String READ_BACK = "acknowledged checkpoints read back byte for byte as written";

    @TempDir
    Path dir;

    record Run(int exit, String out)
    {
    }

    @Test
    void shouldBeANamedModuleThatExportsNothing() throws Exception
    {
        final Run run = java(List.of("-p", modulePath(), "--describe-module", "io.rangedmmap.examples"));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("requires io.rangedmmap.store"), run.out());
        assertFalse(run.out().contains("exports"), run.out());
    }

    @Test
    void shouldRunTheQuickStartAndItsChildOnTheModulePath() throws Exception
    {
        final Path work = Files.createDirectory(dir.resolve("module-path"));
        final Run run = java(List.of("--add-opens=java.base/jdk.internal.misc=org.agrona",
            "--enable-native-access=io.rangedmmap.mmap", "-p", modulePath(), "-m", QUICK_START, work.toString()));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains(DONE) && run.out().contains(READ_BACK), run.out());
        // The child ran from the module path too: started from the class path it could not have found CrashChild.
        assertTrue(Files.size(work.resolve("crash-child.acks")) > 0, run.out());
    }

    @Test
    void shouldRunTheShadedJarOnTheClassPath() throws Exception
    {
        final Path work = Files.createDirectory(dir.resolve("class-path"));
        final Path jar = Path.of("target", "ranged-mmap-examples.jar").toAbsolutePath();
        final Run run = java(List.of("-jar", jar.toString(), work.toString()));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains(DONE) && run.out().contains(READ_BACK), run.out());
    }

    @Test
    void shouldNameTheModuleSpellingOfTheMissingFlagsOnTheModulePath() throws Exception
    {
        final Run run = java(List.of("-p", modulePath(), "-m", QUICK_START, dir.toString()));
        assertTrue(0 != run.exit(), run.out());
        assertTrue(run.out().contains("MissingJvmFlagException: ranged-mmap needs the JVM flag(s) " +
            "[--add-opens java.base/jdk.internal.misc=org.agrona --enable-native-access=io.rangedmmap.mmap]"),
            run.out());
        assertFalse(run.out().contains("IllegalAccessError"), run.out());
    }

    /**
     * The modular jar of this module and its runtime dependencies, as the build listed them.
     */
    private static String modulePath() throws Exception
    {
        final Path jar = Path.of(System.getProperty("examples.modularJar"));
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run after package");
        final String dependencies =
            Files.readString(Path.of(System.getProperty("examples.runtimeModulePath"))).strip();
        return jar + File.pathSeparator + dependencies;
    }

    private Run java(final List<String> args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(args);
        final Path output = Files.createTempFile(dir, "java", ".out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .start();
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}

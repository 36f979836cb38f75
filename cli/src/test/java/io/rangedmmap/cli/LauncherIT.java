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
package io.rangedmmap.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bin/ranged-mmap} as a user would, from a shell whose {@code java} is older than 25. An integration
 * test (run after {@code package}, when {@code cli/target/ranged-mmap.jar} exists).
 */
class LauncherIT
{
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = ROOT.resolve("bin/ranged-mmap");

    @TempDir
    Path dir;

    private Path oldJdk;
    private Path store;

    record Run(int exit, String out, String err)
    {
    }

    @BeforeEach
    void setUp() throws Exception
    {
        oldJdk = olderJdk().orElse(null);
        Assumptions.assumeTrue(null != oldJdk, "no JDK older than 25 under /usr/lib/jvm to stand for the user's java");
        store = SampleStore.create(dir.resolve("s.store"));
    }

    @Test
    void shouldRunInfoAndVerifyFromAShellWhoseJavaIs17() throws Exception
    {
        final Run version = run(List.of("java", "-version"), Map.of());
        assertTrue(version.err().contains("version \"" + major(oldJdk)), version.err());

        final Run info = run(List.of(LAUNCHER.toString(), "info", store.toString()), Map.of());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("live pages:      1"), info.out());
        assertTrue(info.out().contains("roots:           1=7"), info.out());

        final Run verify = run(List.of(LAUNCHER.toString(), "verify", store.toString()), Map.of());
        assertEquals(0, verify.exit(), verify.err());
        assertTrue(verify.out().contains("OK: no corruption found"), verify.out());
    }

    @Test
    void shouldLookFurtherWhenJavaHomeIsOlderThan25() throws Exception
    {
        final Run info = run(List.of(LAUNCHER.toString(), "info", store.toString()),
            Map.of("JAVA_HOME", oldJdk.toString()));
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("last checkpoint: 1"), info.out());
    }

    @Test
    void shouldSayWhatToInstallWhenNoJava25IsFound() throws Exception
    {
        final Path empty = Files.createDirectory(dir.resolve("no-jdks"));
        final Run run = run(List.of(LAUNCHER.toString(), "info", store.toString()),
            Map.of("JAVA_HOME", oldJdk.toString(), "RANGED_MMAP_JDK_DIRS", empty.toString()));
        assertEquals(125, run.exit(), run.err());
        assertTrue(run.err().startsWith("ranged-mmap: needs Java 25 or newer, and none was found."), run.err());
        assertTrue(run.err().contains(oldJdk.resolve("bin/java") + " (" + major(oldJdk) + ")"), run.err());
        assertTrue(run.err().contains("Install a JDK 25"), run.err());
        assertTrue(run.err().contains("or set JAVA_HOME to one"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void shouldBuildTheJarWhenItIsMissing() throws Exception
    {
        // A copy of the launcher in a checkout without the jar, and a stand-in mvn that records its arguments and
        // "builds" by copying the real jar: the real build is what CI runs anyway.
        final Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("bin"));
        Files.createDirectories(checkout.resolve("cli/target"));
        Files.copy(LAUNCHER, checkout.resolve("bin/ranged-mmap"));
        final Path fakeBin = Files.createDirectory(dir.resolve("fake-bin"));
        final Path mvn = fakeBin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho \"$PWD $*\" > '" + dir.resolve("mvn.args") + "'\n" +
            "cp '" + ROOT.resolve("cli/target/ranged-mmap.jar") + "' cli/target/ranged-mmap.jar\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

        final Run info = run(List.of(checkout.resolve("bin/ranged-mmap").toString(), "info", store.toString()),
            Map.of("PATH", fakeBin + ":" + oldJdk.resolve("bin") + ":/usr/bin:/bin"));
        assertEquals(0, info.exit(), info.err());
        assertEquals(checkout.toRealPath() + " -q -pl cli -am package -DskipTests",
            Files.readString(dir.resolve("mvn.args")).strip());
        assertTrue(info.err().contains("building " + checkout.toRealPath().resolve("cli/target/ranged-mmap.jar") +
            " (first run)"), info.err());
        assertTrue(info.out().contains("live pages:      1"), info.out());
    }

    private Run run(final List<String> command, final Map<String, String> extraEnv)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", oldJdk.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
        builder.environment().putAll(extraEnv);
        builder.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        final Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
            Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static Optional<Path> olderJdk() throws IOException
    {
        final Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms))
        {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms))
        {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> major(home) > 0 && major(home) < 25).sorted().findFirst();
        }
    }

    private static int major(final Path home)
    {
        try
        {
            for (final String line : Files.readAllLines(home.resolve("release")))
            {
                if (line.startsWith("JAVA_VERSION=\""))
                {
                    final String version = line.substring("JAVA_VERSION=\"".length());
                    final String first = version.split("[.\"]")[0];
                    return "1".equals(first) ? Integer.parseInt(version.split("\\.")[1]) : Integer.parseInt(first);
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}

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

import org.junit.jupiter.api.BeforeEach;
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
 * Runs the tool both ways a user can: the modular jar on the module path (the flags name the modules) and the shaded
 * jar on the class path (the flags say {@code ALL-UNNAMED}; {@code java -jar} takes them from the manifest). An
 * integration test (run after {@code package}, when both jars exist).
 */
class ModulePathIT
{
    private static final String MODULE_OPENS = "--add-opens=java.base/jdk.internal.misc=org.agrona";
    private static final String MODULE_NATIVE = "--enable-native-access=io.rangedmmap.mmap";
    private static final String UNNAMED_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final String UNNAMED_NATIVE = "--enable-native-access=ALL-UNNAMED";
    private static final String MAIN = "io.rangedmmap.cli/io.rangedmmap.cli.RangedMmapCli";
    private static final Path SHADED_JAR = Path.of("target", "ranged-mmap.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private Path store;

    record Run(int exit, String out)
    {
    }

    @BeforeEach
    void setUp() throws Exception
    {
        store = SampleStore.create(dir.resolve("s.store"));
    }

    @Test
    void shouldBeANamedModuleThatExportsNothingAndOpensItsCommandsToPicocliOnly() throws Exception
    {
        final Run run = java(List.of("-p", modulePath(), "--describe-module", "io.rangedmmap.cli"));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("requires io.rangedmmap.store"), run.out());
        assertTrue(run.out().contains("qualified opens io.rangedmmap.cli to info.picocli"), run.out());
        assertFalse(run.out().contains("exports"), run.out());
    }

    @Test
    void shouldRunOnTheModulePathWithTheFlagsNamingTheModules() throws Exception
    {
        final Run help = java(List.of(MODULE_OPENS, MODULE_NATIVE, "-p", modulePath(), "-m", MAIN, "--help"));
        assertEquals(0, help.exit(), help.out());
        assertTrue(help.out().contains("Usage: ranged-mmap"), help.out());

        final Run info = java(List.of(MODULE_OPENS, MODULE_NATIVE, "-p", modulePath(), "-m", MAIN, "info",
            store.toString()));
        assertEquals(0, info.exit(), info.out());
        assertTrue(info.out().contains("live pages:      1"), info.out());
        assertTrue(info.out().contains("roots:           1=7"), info.out());

        final Run verify = java(List.of(MODULE_OPENS, MODULE_NATIVE, "-p", modulePath(), "-m", MAIN, "verify",
            store.toString()));
        assertEquals(0, verify.exit(), verify.out());
        assertTrue(verify.out().contains("OK: no corruption found"), verify.out());
    }

    @Test
    void shouldNameTheModuleSpellingOfEachMissingFlagOnTheModulePath() throws Exception
    {
        assertMissing(List.of("-p", modulePath(), "-m", MAIN),
            "[--add-opens java.base/jdk.internal.misc=org.agrona --enable-native-access=io.rangedmmap.mmap]");
        assertMissing(List.of(MODULE_OPENS, "-p", modulePath(), "-m", MAIN),
            "[--enable-native-access=io.rangedmmap.mmap]");
        assertMissing(List.of(MODULE_NATIVE, "-p", modulePath(), "-m", MAIN),
            "[--add-opens java.base/jdk.internal.misc=org.agrona]");
        // The class-path spelling does not reach named modules: the tool says what is still missing.
        assertMissing(List.of(UNNAMED_OPENS, UNNAMED_NATIVE, "-p", modulePath(), "-m", MAIN),
            "[--add-opens java.base/jdk.internal.misc=org.agrona --enable-native-access=io.rangedmmap.mmap]");
    }

    @Test
    void shouldRunTheShadedJarOnTheClassPathWithTheFlagsForAllUnnamed() throws Exception
    {
        // java -jar: the manifest's Add-Opens and Enable-Native-Access stand for the two flags.
        final Run jar = java(List.of("-jar", SHADED_JAR.toString(), "info", store.toString()));
        assertEquals(0, jar.exit(), jar.out());
        assertTrue(jar.out().contains("live pages:      1"), jar.out());

        final Run classPath = java(List.of(UNNAMED_OPENS, UNNAMED_NATIVE, "-cp", SHADED_JAR.toString(),
            RangedMmapCli.class.getName(), "verify", store.toString()));
        assertEquals(0, classPath.exit(), classPath.out());
        assertTrue(classPath.out().contains("OK: no corruption found"), classPath.out());

        assertMissing(List.of("-cp", SHADED_JAR.toString(), RangedMmapCli.class.getName()),
            "[--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED]");
        // The module spelling names modules that do not exist on the class path.
        assertMissing(List.of(MODULE_NATIVE, "-cp", SHADED_JAR.toString(), RangedMmapCli.class.getName()),
            "[--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED]");
    }

    /**
     * Runs {@code info} with the given launch options and checks that the tool fails with exit 3 and one line naming
     * exactly the missing flags, with no stack trace.
     */
    private void assertMissing(final List<String> launch, final String flags) throws Exception
    {
        final List<String> args = new ArrayList<>(launch);
        args.addAll(List.of("info", store.toString()));
        final Run run = java(args);
        assertEquals(RangedMmapCli.CANNOT_OPEN, run.exit(), run.out());
        assertTrue(run.out().contains("ranged-mmap: MissingJvmFlagException: ranged-mmap needs the JVM flag(s) " +
            flags + ":"), run.out());
        assertFalse(run.out().contains("IllegalAccessError"), run.out());
        assertFalse(run.out().contains("\tat "), run.out());
    }

    /**
     * The modular jar of this module and the jars (or, in a reactor build, the class directories) of its runtime
     * dependencies, as the build listed them.
     */
    private static String modulePath() throws Exception
    {
        final Path jar = Path.of(System.getProperty("cli.modularJar"));
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run after package");
        final String dependencies = Files.readString(Path.of(System.getProperty("cli.runtimeModulePath"))).strip();
        return jar + File.pathSeparator + dependencies;
    }

    private Run java(final List<String> args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(args);
        final Path output = Files.createTempFile(dir, "java", ".out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .start();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}

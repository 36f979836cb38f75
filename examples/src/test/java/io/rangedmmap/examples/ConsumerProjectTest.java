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

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles {@code examples/consumer} (a project that depends on {@code io.rangedmmap:ranged-mmap} and
 * {@code io.rangedmmap:ranged-mmap-store} like a user's) with Maven against the artifacts this build made, installed
 * into a private repository under {@code target/}, never into the shared {@code ~/.m2}; then runs it with the two
 * flags.
 *
 * <p>The artifacts, with their sources and Javadoc jars (attached in the {@code verify} phase, so {@code mvn install}
 * installs them), are laid out as {@code install} lays them out: the parent pom, each module's pom, jar,
 * {@code -sources.jar} and {@code -javadoc.jar}. Everything else the child Maven needs (plugins, Agrona, SLF4J)
 * comes from the build's own local repository, mirrored read-only over {@code file:}, so it runs offline. Needs the
 * reactor's {@code verify} of {@code mmap} and {@code store} (as {@code mvn verify} runs it) and {@code mvn} on the
 * PATH: skipped with a message without them, except in CI, where it fails.
 */
class ConsumerProjectTest
{
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String VERSION = "0.1.0-SNAPSHOT";

    @TempDir
    Path dir;

    @Test
    void shouldCompileAndRunAConsumerAgainstTheInstalledArtifacts() throws Exception
    {
        final Map<String, Path> modules = Map.of("ranged-mmap", ROOT.resolve("mmap/target"),
            "ranged-mmap-store", ROOT.resolve("store/target"));
        final List<Path> missing = new ArrayList<>();
        for (final Map.Entry<String, Path> module : modules.entrySet())
        {
            for (final String classifier : List.of("", "-sources", "-javadoc"))
            {
                final Path jar = module.getValue().resolve(module.getKey() + "-" + VERSION + classifier + ".jar");
                if (!Files.isRegularFile(jar))
                {
                    missing.add(jar);
                }
            }
        }
        final Path mvn = onPath("mvn");
        if (!missing.isEmpty() || null == mvn)
        {
            final String why = (null == mvn ? "mvn is not on the PATH; " : "") +
                (missing.isEmpty() ? "" : "missing " + missing + " (run `mvn verify`, which attaches them)");
            if (null != System.getenv("CI"))
            {
                fail(why);
            }
            Assumptions.abort(why);
        }

        final Path repo = ROOT.resolve("examples/target/consumer-repo");
        deleteTree(repo);
        install(repo, "ranged-mmap-parent", ROOT.resolve("pom.xml"), null);
        for (final Map.Entry<String, Path> module : modules.entrySet())
        {
            install(repo, module.getKey(), module.getValue().getParent().resolve("pom.xml"), module.getValue());
        }
        assertJarHas(repo.resolve("io/rangedmmap/ranged-mmap/" + VERSION + "/ranged-mmap-" + VERSION + "-sources.jar"),
            "io/rangedmmap/mmap/MmapFile.java");
        assertJarHas(repo.resolve("io/rangedmmap/ranged-mmap-store/" + VERSION + "/ranged-mmap-store-" + VERSION +
            "-javadoc.jar"), "io/rangedmmap/store/PageStore.html");

        final Path buildRepo = Path.of(System.getProperty("build.localRepository",
            System.getProperty("user.home") + "/.m2/repository"));
        final Path settings = Files.writeString(dir.resolve("settings.xml"), String.join("\n",
            "<settings>",
            "  <localRepository>" + dir.resolve("local") + "</localRepository>",
            "  <mirrors><mirror><id>build-repository</id><mirrorOf>*</mirrorOf>",
            "    <url>" + buildRepo.toUri() + "</url></mirror></mirrors>",
            "  <profiles><profile><id>installed</id><repositories><repository><id>installed</id>",
            "    <url>" + repo.toUri() + "</url><snapshots><enabled>true</enabled></snapshots></repository>",
            "  </repositories></profile></profiles>",
            "  <activeProfiles><activeProfile>installed</activeProfile></activeProfiles>",
            "</settings>", ""));
        // The mirror takes every repository, the private one included, so the private one is its own mirror.
        Files.writeString(settings, Files.readString(settings).replace("<mirrorOf>*</mirrorOf>",
            "<mirrorOf>*,!installed</mirrorOf>"));

        final Path project = dir.resolve("consumer");
        copyTree(ROOT.resolve("examples/consumer"), project);
        final String javaHome = System.getProperty("java.home");
        final String build = run(project, Map.of("JAVA_HOME", javaHome), mvn.toString(), "-B", "-q", "-s",
            settings.toString(), "compile");
        assertTrue(Files.isRegularFile(project.resolve("target/classes/example/Consumer.class")), build);

        final String classpath = Stream.concat(
            Stream.of(project.resolve("target/classes").toString(),
                repo.resolve("io/rangedmmap/ranged-mmap/" + VERSION + "/ranged-mmap-" + VERSION + ".jar").toString(),
                repo.resolve("io/rangedmmap/ranged-mmap-store/" + VERSION + "/ranged-mmap-store-" + VERSION +
                    ".jar").toString()),
            Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(jar -> jar.contains("/agrona-") || jar.contains("/slf4j-api-")))
            .collect(Collectors.joining(java.io.File.pathSeparator));
        final Path work = Files.createDirectory(dir.resolve("work"));
        final String output = run(project, Map.of(), Path.of(javaHome, "bin", "java").toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
            "-cp", classpath, "example.Consumer", work.toString());
        assertTrue(output.contains("consumer: page 0 read back OK at checkpoint 1"), output);
    }

    private static void install(final Path repo, final String artifactId, final Path pom, final Path target)
        throws IOException
    {
        final Path at = Files.createDirectories(repo.resolve("io/rangedmmap/" + artifactId + "/" + VERSION));
        final String base = artifactId + "-" + VERSION;
        Files.copy(pom, at.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (null != target)
        {
            for (final String classifier : List.of("", "-sources", "-javadoc"))
            {
                Files.copy(target.resolve(base + classifier + ".jar"), at.resolve(base + classifier + ".jar"),
                    StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void assertJarHas(final Path jar, final String entry) throws IOException
    {
        try (ZipFile zip = new ZipFile(jar.toFile()))
        {
            // Javadoc may put a module's pages under a folder named after the module: match the end.
            assertTrue(zip.stream().anyMatch(e -> e.getName().endsWith(entry)), jar + " has no " + entry);
        }
    }

    private String run(final Path workDir, final Map<String, String> env, final String... command)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("process.log").toFile());
        builder.environment().putAll(env);
        final Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not finish in 300 s: " +
                Files.readString(dir.resolve("process.log")));
        }
        final String output = Files.readString(dir.resolve("process.log"));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }

    private static Path onPath(final String name)
    {
        for (final String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        {
            final Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : paths.filter(p -> !from.relativize(p).startsWith("target")).toList())
            {
                final Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(copy);
                }
                else
                {
                    Files.copy(path, copy);
                }
            }
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}

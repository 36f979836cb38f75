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
package io.rangedmmap.examples.quickstart;

import io.rangedmmap.mmap.MmapFile;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a child JVM the way this one runs: on the module path, with the JVM flags naming the
 * modules, when the examples run as the named module {@code io.rangedmmap.examples}; on the class path, with the
 * flags for {@code ALL-UNNAMED}, when they run from the class path (as {@code java -jar} runs them).
 */
public final class ChildJvmCommand
{
    private ChildJvmCommand()
    {
    }

    /**
     * The command line.
     *
     * @param main the main class of the child, in the examples.
     * @param args its arguments.
     * @return {@code java}, the two flags, the class or module path and the main class, then {@code args}.
     */
    public static List<String> of(final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Agrona's module reaches into jdk.internal.misc; the mmap module makes the native calls.
        command.add("--add-opens=java.base/jdk.internal.misc=" + flagName(DirectBuffer.class.getModule()));
        command.add("--enable-native-access=" + flagName(MmapFile.class.getModule()));
        final Module module = main.getModule();
        if (module.isNamed())
        {
            command.addAll(List.of("-p", System.getProperty("jdk.module.path"), "-m",
                module.getName() + "/" + main.getName()));
        }
        else
        {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static String flagName(final Module module)
    {
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }
}

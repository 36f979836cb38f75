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

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code java} code block of the README compiles against the library: each block becomes the body of a
 * method with the imports and the variables ({@code path}, {@code data}) a reader would have.
 */
class ReadmeSnippetsTest
{
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n",
        "import io.rangedmmap.mmap.*;",
        "import io.rangedmmap.store.*;",
        "import java.nio.ByteBuffer;",
        "import java.nio.file.Path;",
        "import java.util.*;",
        "");

    @Test
    void shouldCompileEveryJavaBlockOfTheReadme() throws IOException
    {
        final Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
        final Matcher matcher = BLOCK.matcher(Files.readString(readme));
        final List<JavaFileObject> sources = new ArrayList<>();
        int index = 0;
        while (matcher.find())
        {
            final String name = "Snippet" + index++;
            final String body = matcher.group(1);
            final String source = IMPORTS + "class " + name + " {\n" +
                "    @SuppressWarnings(\"unused\")\n" +
                "    void snippet(final Path path, final byte[] data) throws Exception {\n" + body + "\n    }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE)
            {
                @Override
                public CharSequence getCharContent(final boolean ignoreEncodingErrors)
                {
                    return source;
                }
            });
        }
        assertTrue(index >= 1, "the README has no java blocks");
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        final Path out = Files.createTempDirectory("readme-snippets");
        final boolean ok = compiler.getTask(null, null, diagnostics,
            List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"),
            null, sources).call();
        final StringBuilder errors = new StringBuilder();
        for (final Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics())
        {
            if (Diagnostic.Kind.ERROR == diagnostic.getKind())
            {
                errors.append(diagnostic.getSource().getName()).append(':').append(diagnostic.getLineNumber())
                    .append(' ').append(diagnostic.getMessage(null)).append('\n');
            }
        }
        assertTrue(ok, "README snippets do not compile:\n" + errors);
    }
}

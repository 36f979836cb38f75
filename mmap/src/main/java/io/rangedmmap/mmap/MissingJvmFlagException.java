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

/**
 * Thrown by the first call into the library when the JVM was started without a flag the library needs.
 *
 * <p>Agrona's {@code UnsafeBuffer} needs {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED}; the FFM
 * downcalls used for {@code posix_fallocate} and {@code madvise} need {@code --enable-native-access=ALL-UNNAMED}.
 * Without this check the JVM would fail later with an {@code IllegalAccessError} deep inside Agrona. The message
 * names every missing flag; {@link #missingFlags()} gives them as text to add to the command line.
 */
public final class MissingJvmFlagException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * The missing flags, space separated, as they go on the {@code java} command line.
     */
    private final String missingFlags;

    /**
     * Creates the exception.
     *
     * @param missingFlags the missing flags, space separated, exactly as they go on the command line.
     */
    public MissingJvmFlagException(final String missingFlags)
    {
        super("ranged-mmap needs the JVM flag(s) [" + missingFlags + "]: add them to the java command line "
            + "(Maven Surefire: <argLine>; a runnable jar: the manifest entries Add-Opens: java.base/jdk.internal.misc "
            + "and Enable-Native-Access: ALL-UNNAMED)");
        this.missingFlags = missingFlags;
    }

    /**
     * {@return the missing flags, space separated, exactly as they go on the {@code java} command line}
     */
    public String missingFlags()
    {
        return missingFlags;
    }
}

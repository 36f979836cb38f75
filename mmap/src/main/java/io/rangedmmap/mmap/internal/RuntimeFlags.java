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
package io.rangedmmap.mmap.internal;

import io.rangedmmap.mmap.MissingJvmFlagException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Detects the JVM flags the library needs before anything touches Agrona or a downcall, so that a missing flag is
 * one clear {@link MissingJvmFlagException} and not an {@code IllegalAccessError} from inside Agrona.
 */
public final class RuntimeFlags
{
    private static final String MISSING = computeMissing();

    private RuntimeFlags()
    {
    }

    /**
     * Throws if a needed flag is missing; costs a static field read once the flags were found.
     *
     * @throws MissingJvmFlagException naming every missing flag.
     */
    public static void check()
    {
        if (!MISSING.isEmpty())
        {
            throw new MissingJvmFlagException(MISSING);
        }
    }

    private static String computeMissing()
    {
        final StringBuilder missing = new StringBuilder();
        // Agrona's UnsafeApi reaches into jdk.internal.misc from Agrona's own module.
        final Module agrona = UnsafeBuffer.class.getModule();
        if (!Object.class.getModule().isOpen("jdk.internal.misc", agrona))
        {
            missing.append("--add-opens java.base/jdk.internal.misc=")
                .append(agrona.isNamed() ? agrona.getName() : "ALL-UNNAMED");
        }
        final Module self = RuntimeFlags.class.getModule();
        if (!self.isNativeAccessEnabled())
        {
            if (!missing.isEmpty())
            {
                missing.append(' ');
            }
            missing.append("--enable-native-access=").append(self.isNamed() ? self.getName() : "ALL-UNNAMED");
        }
        return missing.toString();
    }
}

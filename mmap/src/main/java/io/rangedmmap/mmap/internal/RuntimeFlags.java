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

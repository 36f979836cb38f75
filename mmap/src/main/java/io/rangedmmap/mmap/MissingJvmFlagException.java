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

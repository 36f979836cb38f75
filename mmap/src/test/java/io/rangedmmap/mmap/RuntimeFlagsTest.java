package io.rangedmmap.mmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without the flags gets one exception that names what is missing, not an IllegalAccessError.
 */
class RuntimeFlagsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNameBothMissingFlags() throws Exception
    {
        final ChildJvm.Result result = ChildJvm.run(List.of(), CreateFileMain.class, dir.resolve("a").toString());
        assertTrue(result.output().contains("MissingJvmFlagException: ranged-mmap needs the JVM flag(s) " +
            "[--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED]"),
            result.output());
        assertTrue(!result.output().contains("IllegalAccessError"), result.output());
    }

    @Test
    void shouldNameTheOneMissingFlag() throws Exception
    {
        final ChildJvm.Result noNative = ChildJvm.run(List.of(ChildJvm.ADD_OPENS), CreateFileMain.class,
            dir.resolve("b").toString());
        assertTrue(noNative.output().contains("[--enable-native-access=ALL-UNNAMED]"), noNative.output());
        final ChildJvm.Result noOpens = ChildJvm.run(List.of(ChildJvm.NATIVE_ACCESS), CreateFileMain.class,
            dir.resolve("c").toString());
        assertTrue(noOpens.output().contains("[--add-opens java.base/jdk.internal.misc=ALL-UNNAMED]"),
            noOpens.output());
        final ChildJvm.Result both = ChildJvm.run(List.of(ChildJvm.ADD_OPENS, ChildJvm.NATIVE_ACCESS),
            CreateFileMain.class, dir.resolve("d").toString());
        assertTrue(both.output().contains("created size=4096"), both.output());
    }
}

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
        assertTrue(both.output().contains("created size=4096 module=null"), both.output());
    }

    @Test
    void shouldNameTheModulesInTheMissingFlagsOnTheModulePath() throws Exception
    {
        final ChildJvm.Result none = ChildJvm.runOnModulePath(List.of(), CreateFileMain.class,
            dir.resolve("m1").toString());
        assertTrue(none.output().contains("MissingJvmFlagException: ranged-mmap needs the JVM flag(s) " +
            "[--add-opens java.base/jdk.internal.misc=org.agrona --enable-native-access=io.rangedmmap.mmap]"),
            none.output());
        assertTrue(!none.output().contains("IllegalAccessError"), none.output());
        final ChildJvm.Result noNative = ChildJvm.runOnModulePath(List.of(ChildJvm.MODULE_ADD_OPENS),
            CreateFileMain.class, dir.resolve("m2").toString());
        assertTrue(noNative.output().contains("[--enable-native-access=io.rangedmmap.mmap]"), noNative.output());
        final ChildJvm.Result noOpens = ChildJvm.runOnModulePath(List.of(ChildJvm.MODULE_NATIVE_ACCESS),
            CreateFileMain.class, dir.resolve("m3").toString());
        assertTrue(noOpens.output().contains("[--add-opens java.base/jdk.internal.misc=org.agrona]"),
            noOpens.output());
        // The class-path spelling does not satisfy a named module: the check says what is still missing.
        final ChildJvm.Result unnamed = ChildJvm.runOnModulePath(List.of(ChildJvm.ADD_OPENS, ChildJvm.NATIVE_ACCESS),
            CreateFileMain.class, dir.resolve("m4").toString());
        assertTrue(unnamed.output().contains("[--add-opens java.base/jdk.internal.misc=org.agrona " +
            "--enable-native-access=io.rangedmmap.mmap]"), unnamed.output());
        final ChildJvm.Result both = ChildJvm.runOnModulePath(
            List.of(ChildJvm.MODULE_ADD_OPENS, ChildJvm.MODULE_NATIVE_ACCESS), CreateFileMain.class,
            dir.resolve("m5").toString());
        assertTrue(both.output().contains("created size=4096"), both.output());
        assertTrue(both.output().contains("module=io.rangedmmap.mmap"), both.output());
    }
}

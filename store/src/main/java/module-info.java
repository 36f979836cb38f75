/**
 * The page store: a crash-safe store of fixed 4 KiB pages in one memory-mapped file, built on ranged-mmap.
 *
 * <p>The API is {@code io.rangedmmap.store}; its {@code internal} packages are not exported. JVM flags on the module
 * path: {@code --add-opens java.base/jdk.internal.misc=org.agrona --enable-native-access=io.rangedmmap.mmap}.
 */
@SuppressWarnings("requires-automatic") // Agrona has no module-info; its jar names its module org.agrona
module io.rangedmmap.store
{
    requires transitive io.rangedmmap.mmap;
    requires org.agrona;
    requires org.slf4j;
    requires jdk.jfr; // the store's Flight Recorder events (internal.jfr)

    exports io.rangedmmap.store;
}

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

import java.io.IOException;

/**
 * An I/O error reported by a native call ({@code posix_fallocate}, {@code madvise}, {@code open}), with its errno.
 *
 * <p>A full disk at {@code create} is one: {@code errno() == 28} ({@code ENOSPC}).
 */
public final class NativeCallException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * The {@code ENOSPC} errno on Linux: no space left on the device.
     */
    public static final int ENOSPC = 28;

    /**
     * The errno the native call reported.
     */
    private final int errno;

    /**
     * The native call that failed, such as {@code posix_fallocate}.
     */
    private final String call;

    /**
     * Creates the exception.
     *
     * @param call    the native call that failed.
     * @param errno   its errno.
     * @param message what was being done, with the values involved.
     */
    public NativeCallException(final String call, final int errno, final String message)
    {
        super(call + " failed with errno=" + errno + " (" + describe(errno) + "): " + message);
        this.call = call;
        this.errno = errno;
    }

    /**
     * {@return the errno of the failed call}
     */
    public int errno()
    {
        return errno;
    }

    /**
     * {@return the name of the failed native call}
     */
    public String call()
    {
        return call;
    }

    private static String describe(final int errno)
    {
        return switch (errno)
        {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 5 -> "EIO";
            case 9 -> "EBADF";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 22 -> "EINVAL";
            case 27 -> "EFBIG";
            case ENOSPC -> "ENOSPC, no space left on device";
            case 95 -> "EOPNOTSUPP";
            case 122 -> "EDQUOT, disk quota exceeded";
            default -> "see errno(3)";
        };
    }
}

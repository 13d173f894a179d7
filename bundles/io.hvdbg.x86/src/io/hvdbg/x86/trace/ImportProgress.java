/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.trace;

/** Told how far an import got, at every mebibyte boundary and at the end, so a UI can show progress and cancel. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (bytesRead, totalBytes) -> true;

    /**
     * @param bytesRead  bytes consumed so far
     * @param totalBytes size of the input, or -1 if unknown (a pipe)
     * @return false to stop the import early (what was read so far is kept)
     */
    boolean progress(long bytesRead, long totalBytes);
}

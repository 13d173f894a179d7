/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

/** A device's memory-mapped registers. Offsets are relative to the region base; sizes are 1, 2, 4 or 8. */
public interface MmioHandler {
    long read(long offset, int size);

    void write(long offset, int size, long value);
}

/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

/**
 * Told about writes to RAM that did not come from a CPU core's own store path - the debugger,
 * loaders, devices - so cores can invalidate decode caches covering those bytes.
 */
@FunctionalInterface
public interface MemoryWriteObserver {
    void written(long gpa, long length);
}

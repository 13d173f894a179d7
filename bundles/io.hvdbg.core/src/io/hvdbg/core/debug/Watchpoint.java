/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

/** A watched range of guest virtual addresses. */
public record Watchpoint(long address, long length, WatchKind kind) {
    public boolean overlaps(long va, long len) {
        return Long.compareUnsigned(va, address + length) < 0 && Long.compareUnsigned(address, va + len) < 0;
    }
}

/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

/** A guest-physical range served by a device rather than RAM. */
public record MmioRegion(String name, long base, long size, MmioHandler handler) {
    public boolean contains(long gpa) {
        return gpa - base >= 0 && gpa - base < size;
    }
}

/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.memory;

/**
 * A KVM memslot: a range of guest-physical addresses backed by host memory (a byte array).
 * CPU cores cache {@link #data()} and index it directly on their fast path.
 */
public final class MemorySlot {
    public static final int PAGE_SHIFT = 12;

    private final int id;
    private final String name;
    private final long base;
    private final byte[] data;
    private final boolean readOnly;
    /**
     * One byte of flags per 4 KiB page for the CPU cores' own use (e.g. "holds decoded code",
     * so stores know when to invalidate a decode cache). Bit meanings belong to the core that
     * set them; {@link GuestMemory} only clears them.
     */
    private final byte[] pageFlags;

    MemorySlot(int id, String name, long base, int size, boolean readOnly) {
        this.id = id;
        this.name = name;
        this.base = base;
        this.data = new byte[size];
        this.readOnly = readOnly;
        this.pageFlags = new byte[(size + (1 << PAGE_SHIFT) - 1) >>> PAGE_SHIFT];
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** First guest-physical address. */
    public long base() {
        return base;
    }

    public long size() {
        return data.length;
    }

    /** One past the last guest-physical address. */
    public long end() {
        return base + data.length;
    }

    public boolean contains(long gpa) {
        return gpa - base >= 0 && gpa - base < data.length;
    }

    /** The backing bytes; index = gpa - base. */
    public byte[] data() {
        return data;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public byte[] pageFlags() {
        return pageFlags;
    }

    @Override
    public String toString() {
        return String.format("slot %d %s [0x%x-0x%x)%s", id, name, base, end(), readOnly ? " ro" : "");
    }
}

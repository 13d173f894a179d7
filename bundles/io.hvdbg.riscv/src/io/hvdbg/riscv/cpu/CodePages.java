/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.MemorySlot;
import io.hvdbg.core.memory.MemoryWriteObserver;

/**
 * Keeps decoded code coherent with guest memory for one VM. Pages holding decoded code carry
 * {@link #CODE} in {@link MemorySlot#pageFlags()}; interpreters never cache such pages in their
 * store micro-TLB, so every store to them comes here and drops the decoded instructions it
 * overlaps. Writes from outside the CPUs (debugger, loaders, A/D updates) arrive as
 * {@link MemoryWriteObserver} calls. Also counts those writes as a "memory epoch" that LR/SC
 * reservations compare against.
 */
public final class CodePages implements MemoryWriteObserver {
    /** pageFlags bit: the page holds decoded instructions. */
    public static final byte CODE = 1;

    /** What an interpreter does when a page becomes code: forget store translations to it. */
    public interface StoreTlbOwner {
        void evictStorePage(long gpaPage);
    }

    private final GuestMemory memory;
    private final int slotCount;
    private final List<DecodeCache> caches = new CopyOnWriteArrayList<>();
    private final List<StoreTlbOwner> owners = new CopyOnWriteArrayList<>();
    private long epoch;

    public CodePages(GuestMemory memory) {
        this.memory = memory;
        int max = 0;
        for (MemorySlot s : memory.slots()) {
            max = Math.max(max, s.id() + 1);
        }
        this.slotCount = max;
        memory.addWriteObserver(this);
    }

    /** The decode cache for an ISA configuration (harts with the same configuration share one). */
    public synchronized DecodeCache cacheFor(long isaMask) {
        for (DecodeCache c : caches) {
            if (c.isaMask() == isaMask) {
                return c;
            }
        }
        DecodeCache c = new DecodeCache(this, isaMask, slotCount);
        caches.add(c);
        return c;
    }

    public void addOwner(StoreTlbOwner o) {
        owners.add(o);
    }

    void markCode(MemorySlot slot, int pageIndex) {
        byte[] flags = slot.pageFlags();
        if ((flags[pageIndex] & CODE) == 0) {
            flags[pageIndex] |= CODE;
            long gpaPage = slot.base() + ((long) pageIndex << 12);
            for (StoreTlbOwner o : owners) {
                o.evictStorePage(gpaPage);
            }
        }
    }

    /** A CPU store of {@code len} bytes at {@code offset} of a code page in {@code slot}. */
    public void storeToCode(MemorySlot slot, int offset, int len) {
        int page = offset >>> 12;
        int from = offset & 0xFFF;
        for (DecodeCache c : caches) {
            c.invalidate(slot, page, from, len);
        }
    }

    /** Bumped on every write from outside the CPUs. */
    public long epoch() {
        return epoch;
    }

    @Override
    public void written(long gpa, long length) {
        epoch++;
        long end = gpa + length;
        for (long p = gpa & ~0xFFFL; Long.compareUnsigned(p, end) < 0; p += 0x1000) {
            MemorySlot s = memory.slotFor(p);
            if (s == null) {
                continue;
            }
            int pageIndex = (int) ((p - s.base()) >>> 12);
            if ((s.pageFlags()[pageIndex] & CODE) != 0) {
                long from = Math.max(gpa, p) - p;
                long to = Math.min(end, p + 0x1000) - p;
                for (DecodeCache c : caches) {
                    c.invalidate(s, pageIndex, (int) from, (int) (to - from));
                }
            }
        }
    }
}

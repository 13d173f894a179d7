/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import io.hvdbg.core.memory.MemorySlot;

/**
 * Decoded code of a VM for one ISA configuration, by guest-physical page (shared by every hart
 * with that configuration: decoding is physical, so a page mapped twice is decoded once).
 */
public final class DecodeCache {
    private final Decoder decoder;
    private final long isaMask;
    private final CodePages owner;
    private final DecodedPage[][] pages;
    private io.hvdbg.riscv.jit.Jit jit;

    DecodeCache(CodePages owner, long isaMask, int slotCount) {
        this.owner = owner;
        this.isaMask = isaMask;
        this.decoder = new Decoder(isaMask);
        this.pages = new DecodedPage[slotCount][];
    }

    public Decoder decoder() {
        return decoder;
    }

    /**
     * The block compiler of this cache's pages (its blocks live in them), created on first use
     * with the given compile threshold (harts sharing the cache share it).
     */
    public io.hvdbg.riscv.jit.Jit jit(int threshold) {
        if (jit == null) {
            jit = new io.hvdbg.riscv.jit.Jit(decoder, threshold);
        }
        return jit;
    }

    public long isaMask() {
        return isaMask;
    }

    /** The decoded page of a memslot page, created (and marked as code) on first use. */
    public DecodedPage page(MemorySlot slot, int pageIndex) {
        DecodedPage[] bySlot = pages[slot.id()];
        if (bySlot == null) {
            bySlot = pages[slot.id()] = new DecodedPage[(int) (slot.size() >>> 12)];
        }
        DecodedPage p = bySlot[pageIndex];
        if (p == null) {
            p = bySlot[pageIndex] = new DecodedPage(slot.data(), pageIndex << 12, slot.base() + ((long) pageIndex << 12));
            owner.markCode(slot, pageIndex);
        }
        return p;
    }

    void invalidate(MemorySlot slot, int pageIndex, int from, int len) {
        DecodedPage[] bySlot = pages[slot.id()];
        if (bySlot != null && bySlot[pageIndex] != null) {
            bySlot[pageIndex].invalidate(from, len);
        }
    }

    /** Number of pages holding decoded code. */
    public int pageCount() {
        int n = 0;
        for (DecodedPage[] bySlot : pages) {
            if (bySlot != null) {
                for (DecodedPage p : bySlot) {
                    n += p != null ? 1 : 0;
                }
            }
        }
        return n;
    }
}
